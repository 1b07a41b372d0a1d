/**
 * The contract between patkit's UI, its client and any backend. The REST shapes in
 * DESIGN.md serialize exactly these types; the reference server imports them too, so the
 * two sides cannot drift.
 */

export const EXPIRATION_OPTIONS = ['TwoWeeks', 'OneMonth', 'ThreeMonths', 'SixMonths', 'OneYear', 'Never'] as const
export type ExpirationOption = (typeof EXPIRATION_OPTIONS)[number]
/** A preset, or a custom instant (ISO 8601). */
export type Expiration = ExpirationOption | { expiresAt: string }

export const KEY_STATUSES = ['active', 'expired', 'revoked'] as const
export type PersonalApiKeyStatus = (typeof KEY_STATUSES)[number]

export interface PersonalApiKey {
  id: string
  name: string
  /** The token's first characters, e.g. `pat_Ab3x`: enough to recognise it, useless to an attacker. */
  start: string
  scopes: string[]
  status: PersonalApiKeyStatus
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
  revokedAt: string | null
}

export interface CreatedPersonalApiKey {
  apiKey: PersonalApiKey
  /** The plaintext token. Returned once; keep it out of caches, storage, URLs and logs. */
  token: string
}

export interface RotatedPersonalApiKey extends CreatedPersonalApiKey {
  previous: { id: string; revokedAt: string }
}

export interface CreatePersonalApiKeyInput {
  name: string
  /** Omitted: the policy's `defaultExpiration`. */
  expiration?: Expiration
  scopes?: string[]
}

export const SORT_KEYS = [
  'createdAt', '-createdAt', 'name', '-name', 'expiresAt', '-expiresAt', 'lastUsedAt', '-lastUsedAt',
] as const
/** A field name, ascending; with a leading `-`, descending. */
export type SortKey = (typeof SORT_KEYS)[number]
export const DEFAULT_SORT: SortKey = '-createdAt'

export interface ListParams {
  /** Case-insensitive substring of the key's name. */
  q?: string
  status?: PersonalApiKeyStatus
  sort?: SortKey
  cursor?: string
  limit?: number
}

export interface PersonalApiKeyPage {
  items: PersonalApiKey[]
  /** Keys matching `q` and `status`. */
  totalCount: number
  nextCursor: string | null
  /** Counts per status for the current `q`, ignoring the `status` filter (for status tabs). */
  facets: { status: Record<PersonalApiKeyStatus, number> }
}

export interface PersonalApiKeyScope {
  id: string
  description: string
}

export interface PersonalApiKeyPolicy {
  expirationOptions: ExpirationOption[]
  defaultExpiration: ExpirationOption
  allowCustomExpiration: boolean
  /** The longest lifetime a key may have, in days; `null` for no limit. */
  maxLifetimeDays: number | null
  scopes: PersonalApiKeyScope[]
  nameMaxLength: number
}

export interface WhoAmI {
  userId: string
  apiKeyId: string
  scopes: string[]
}

// ---------------------------------------------------------------------------------------------
// Errors and handle()

/** Every callback `handle()` knows, in the order the server's answers are classified. */
export const ERROR_KINDS = [
  'invalidExpirationOption',
  'badRequest',
  'unauthorized',
  'noPersonalApiKeyPermission',
  'personalApiKeysDisabled',
  'apiKeyNotFound',
  'conflict',
  'rateLimited',
  'unexpectedOrUnhandled',
] as const
export type ErrorKind = (typeof ERROR_KINDS)[number]
export type SpecificErrorKind = Exclude<ErrorKind, 'unexpectedOrUnhandled'>

/**
 * The specific callbacks each call can reach (DESIGN.md's callback table); anything else goes to
 * `unexpectedOrUnhandled`. The client classifies by these lists and the types below come from them.
 * Every call naming a key by id can answer `badRequest`: the client refuses an id that cannot be sent
 * as one path segment (`""`, `.`, `..`) before any request, as a server would refuse a bad field.
 */
export const CALL_ERRORS = {
  fetch: ['badRequest', 'unauthorized', 'noPersonalApiKeyPermission', 'personalApiKeysDisabled', 'rateLimited'],
  create: ['invalidExpirationOption', 'badRequest', 'unauthorized', 'noPersonalApiKeyPermission', 'personalApiKeysDisabled', 'conflict', 'rateLimited'],
  revoke: ['badRequest', 'unauthorized', 'noPersonalApiKeyPermission', 'personalApiKeysDisabled', 'apiKeyNotFound', 'rateLimited'],
  rotate: ['invalidExpirationOption', 'badRequest', 'unauthorized', 'noPersonalApiKeyPermission', 'personalApiKeysDisabled', 'apiKeyNotFound', 'conflict', 'rateLimited'],
  update: ['badRequest', 'unauthorized', 'noPersonalApiKeyPermission', 'personalApiKeysDisabled', 'apiKeyNotFound', 'conflict', 'rateLimited'],
} as const satisfies Record<string, readonly SpecificErrorKind[]>

export type FetchErrors = (typeof CALL_ERRORS.fetch)[number]
export type CreateErrors = (typeof CALL_ERRORS.create)[number]
export type RevokeErrors = (typeof CALL_ERRORS.revoke)[number]
export type RotateErrors = (typeof CALL_ERRORS.rotate)[number]
export type UpdateErrors = (typeof CALL_ERRORS.update)[number]

export const CONFLICT_CODES = ['name_taken', 'already_revoked', 'token_limit_reached', 'idempotency_key_reused'] as const

export interface ApiError<K extends ErrorKind = ErrorKind> {
  kind: K
  /** HTTP status; `null` when no answer arrived (network failure, timeout, abort, an id refused unsent). */
  status: number | null
  /**
   * The server's machine-readable code (`name_taken`, …), a transport code (`network_error`, `timeout`,
   * `aborted`, `invalid_response`, `client_error`), `invalid_api_key_id` for an id refused unsent, or `null`.
   */
  code: string | null
  /**
   * Always a readable sentence: the server's `detail` for a 4xx (else a default), the client's own for
   * a 5xx (whose text may be a stack trace) and for transport faults. Quote `requestId` to support.
   */
  userFacingError: string
  /** Messages per input field (`name`, `expiresAt`, `scopes`, …). */
  fieldErrors?: Record<string, string>
  /** From `Retry-After` on a 429 or 503, when it is one of RFC 9110's forms. */
  retryAfterSeconds?: number
  requestId?: string
  cause?: unknown
}

type Returned<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never

/**
 * The callbacks `handle()` accepts for a call whose specific errors are `K`: `success` and
 * `unexpectedOrUnhandled` are required, the rest optional.
 */
export type ResponseHandlers<T, K extends SpecificErrorKind> = {
  success: (data: T) => unknown
  unexpectedOrUnhandled: (error: ApiError) => unknown
} & { [P in K]?: (error: ApiError<P>) => unknown }

/** Names outside the call's table are errors: a typo must not silently route to the fallback. */
type NoExtraKeys<H, Allowed extends PropertyKey> = H & { [P in Exclude<keyof H, Allowed>]: never }

/** The union of what the given callbacks return. */
export type HandledResult<H> = { [P in keyof H]-?: Returned<H[P]> }[keyof H]

export interface ApiResponseMethods<T, K extends SpecificErrorKind> {
  /** Calls exactly one callback and resolves to what it returns. Never throws for anything the server or network did. */
  handle<H extends ResponseHandlers<T, K>>(
    handlers: NoExtraKeys<H, 'success' | 'unexpectedOrUnhandled' | K>,
  ): Promise<HandledResult<H>>
}

export type ApiResponse<T, K extends SpecificErrorKind> =
  | ({ ok: true; data: T; error?: undefined } & ApiResponseMethods<T, K>)
  | ({ ok: false; data?: undefined; error: ApiError<K | 'unexpectedOrUnhandled'> } & ApiResponseMethods<T, K>)

export interface RequestOptions {
  signal?: AbortSignal
}

export interface CreateRequestOptions extends RequestOptions {
  /** Reuse one key when retrying the same submission, so a lost answer cannot create two keys. Default: a fresh UUID. */
  idempotencyKey?: string
}

/**
 * What a backend can do, declared by an `AuthFrontendApis` so the components hide or adapt what it
 * lacks (no Rotate item, no Custom… expiry, no status tabs) instead of failing on click. Every field is
 * optional and an absent field means "supported", so a client that declares nothing (like
 * `createHttpClient`) keeps every feature: declare `false` for what your backend cannot do. Read it
 * through `resolveCapabilities(api)`, which fills in the defaults. A supported feature may be emulated
 * by the adapter (say so in its docs); `false` means the UI must not offer it.
 */
export interface PersonalApiKeyCapabilities {
  /** `rotatePersonalApiKey` replaces a key with a new secret. */
  rotate?: boolean
  /** `updatePersonalApiKey` renames a key. */
  rename?: boolean
  /** Keys can be given scopes when they are created (`CreatePersonalApiKeyInput.scopes`). */
  scopes?: boolean
  /** A custom expiry date (`{ expiresAt }`) is accepted, not only the presets. */
  customExpiration?: boolean
  /** `ListParams.q` filters the list by name. */
  search?: boolean
  /** `ListParams.status` filters the list, and `facets.status` counts are real. */
  statusFilter?: boolean
  /** The `ListParams.sort` keys the backend honours; `[]` means one fixed order (no sortable columns). */
  sort?: readonly SortKey[]
}

/** What `useAuthFrontendApis()` returns; `createHttpClient()` implements it over the REST contract. */
export interface AuthFrontendApis {
  /** What this backend supports; absent means everything (see `PersonalApiKeyCapabilities`). */
  readonly capabilities?: PersonalApiKeyCapabilities
  createPersonalApiKey(
    input: ExpirationOption | CreatePersonalApiKeyInput,
    options?: CreateRequestOptions,
  ): Promise<ApiResponse<CreatedPersonalApiKey, CreateErrors>>
  fetchPersonalApiKeys(params?: ListParams, options?: RequestOptions): Promise<ApiResponse<PersonalApiKeyPage, FetchErrors>>
  revokePersonalApiKey(id: string, options?: RequestOptions): Promise<ApiResponse<PersonalApiKey, RevokeErrors>>
  rotatePersonalApiKey(
    id: string,
    input?: { expiration?: Expiration },
    options?: CreateRequestOptions,
  ): Promise<ApiResponse<RotatedPersonalApiKey, RotateErrors>>
  updatePersonalApiKey(id: string, input: { name: string }, options?: RequestOptions): Promise<ApiResponse<PersonalApiKey, UpdateErrors>>
  fetchPersonalApiKeyPolicy(options?: RequestOptions): Promise<ApiResponse<PersonalApiKeyPolicy, FetchErrors>>
}
