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

export const OWNER_TYPES = ['user', 'organization'] as const
export type KeyOwnerType = (typeof OWNER_TYPES)[number]

/**
 * Whose key it is: a user's personal key, or an organization's, which belongs to the organization and
 * keeps working when the member who created it leaves.
 */
export type KeyOwner = { type: 'user'; id: string } | { type: 'organization'; id: string }

/** Who made a key: the signed-in user of the request that created (or rotated) it. */
export interface KeyCreator {
  userId: string
  /** Their display name when they made it (the server's `authenticate` gives it), kept if they leave or rename. */
  name: string | null
}

/**
 * How long the old key of a rotation keeps working: not at all (the default), or an overlap while
 * running integrations move to the new key (Stripe allows up to 7 days after a roll).
 */
export const GRACE_PERIOD_OPTIONS = ['None', 'OneHour', 'OneDay', 'SevenDays'] as const
export type GracePeriodOption = (typeof GRACE_PERIOD_OPTIONS)[number]

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
  // The fields below came later. The reference server always sends them; another backend may leave
  // them out, and the components then show nothing for them (absent = no description, unknown
  // creator, not replaced). createHttpClient checks their types when they are present.
  /** A note on what the key is for; may span lines. `null`: none. */
  description?: string | null
  /** Whose key it is. */
  owner?: KeyOwner
  /** Who made it; `null` when unknown (keys written by a server that predates creators). */
  createdBy?: KeyCreator | null
  /**
   * The key a rotation replaced this one with, and when. A replaced key with a grace period stays
   * `active` until its `expiresAt` (moved to the end of the grace period); without one it was revoked.
   */
  replacedBy?: string | null
  replacedAt?: string | null
}

export interface CreatedPersonalApiKey {
  apiKey: PersonalApiKey
  /** The plaintext token. Returned once; keep it out of caches, storage, URLs and logs. */
  token: string
}

/**
 * What a rotation answers: the new key and its token, and the old key as it is now (`replacedBy` the
 * new key's id). With `gracePeriod: 'None'` the old key is revoked (`revokedAt` set, status `revoked`);
 * with a grace period it stays `active` with `revokedAt: null` until its `expiresAt`, which moved to
 * the end of the grace period (or stayed, if it expired sooner).
 */
export interface RotatedPersonalApiKey extends CreatedPersonalApiKey {
  previous: PersonalApiKey & { gracePeriod: GracePeriodOption }
}

export interface CreatePersonalApiKeyInput {
  name: string
  /** Omitted or empty: none. At most the policy's `descriptionMaxLength` characters; line breaks allowed. */
  description?: string | null
  /** Omitted: the policy's `defaultExpiration`. */
  expiration?: Expiration
  scopes?: string[]
}

/** What `updatePersonalApiKey` changes: the fields given; a `description` of `null` or `""` removes it. */
export interface UpdatePersonalApiKeyInput {
  name?: string
  description?: string | null
}

export interface RotatePersonalApiKeyInput {
  /** Omitted: the old key's lifetime again, within the policy's cap. */
  expiration?: Expiration
  /** Omitted: `'None'`, the old key stops working at once. One of the policy's `gracePeriodOptions`. */
  gracePeriod?: GracePeriodOption
}

export const SORT_KEYS = [
  'createdAt', '-createdAt', 'name', '-name', 'expiresAt', '-expiresAt', 'lastUsedAt', '-lastUsedAt',
] as const
/** A field name, ascending; with a leading `-`, descending. */
export type SortKey = (typeof SORT_KEYS)[number]
export const DEFAULT_SORT: SortKey = '-createdAt'

export interface ListParams {
  /** Case-insensitive substring of the key's name or description. */
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
  /** The longest description, in characters (code points). */
  descriptionMaxLength: number
  /** The grace periods a rotation may ask for, shortest first; always includes `'None'`, the default. */
  gracePeriodOptions: GracePeriodOption[]
}

/** What `GET /v1/me` answers for a valid key. */
export interface WhoAmI {
  owner: KeyOwner
  /** The user a personal key speaks for (`owner.id`); `null` for an organization's key. */
  userId: string | null
  createdBy: KeyCreator | null
  apiKeyId: string
  scopes: string[]
}

// Organization-flavoured names for the same shapes: an organization's keys are the same objects.
export type OrgApiKey = PersonalApiKey
export type CreatedOrgApiKey = CreatedPersonalApiKey
export type RotatedOrgApiKey = RotatedPersonalApiKey
export type CreateOrgApiKeyInput = CreatePersonalApiKeyInput
export type UpdateOrgApiKeyInput = UpdatePersonalApiKeyInput
export type RotateOrgApiKeyInput = RotatePersonalApiKeyInput
export type OrgApiKeyPage = PersonalApiKeyPage
export type OrgApiKeyPolicy = PersonalApiKeyPolicy

// ---------------------------------------------------------------------------------------------
// Errors and handle()

/** Every callback `handle()` knows, in the order the server's answers are classified. */
export const ERROR_KINDS = [
  'invalidExpirationOption',
  'badRequest',
  'unauthorized',
  'noPersonalApiKeyPermission',
  'personalApiKeysDisabled',
  'noOrgApiKeyPermission',
  'apiKeyNotFound',
  'orgNotFound',
  'conflict',
  'rateLimited',
  'unexpectedOrUnhandled',
] as const
export type ErrorKind = (typeof ERROR_KINDS)[number]
export type SpecificErrorKind = Exclude<ErrorKind, 'unexpectedOrUnhandled'>
/** The kinds the personal calls answer with (an organization's own two never reach them, also through `forOrganization`). */
export type PersonalErrorKind = Exclude<ErrorKind, 'noOrgApiKeyPermission' | 'orgNotFound'>

/**
 * The specific callbacks each call can reach (DESIGN.md's callback table); anything else goes to
 * `unexpectedOrUnhandled`. The client classifies by these lists and the types below come from them.
 * Every call naming a key or an organization by id can answer `badRequest`: the client refuses an id
 * that cannot be sent as one path segment (`""`, `.`, `..`) before any request, as a server would
 * refuse a bad field. An organization's calls say `noOrgApiKeyPermission` where a user's say
 * `noPersonalApiKeyPermission`, and `orgNotFound` (404) for an organization the user is not a member
 * of, which the server does not tell apart from one that does not exist.
 */
export const CALL_ERRORS = {
  fetch: ['badRequest', 'unauthorized', 'noPersonalApiKeyPermission', 'personalApiKeysDisabled', 'rateLimited'],
  create: ['invalidExpirationOption', 'badRequest', 'unauthorized', 'noPersonalApiKeyPermission', 'personalApiKeysDisabled', 'conflict', 'rateLimited'],
  revoke: ['badRequest', 'unauthorized', 'noPersonalApiKeyPermission', 'personalApiKeysDisabled', 'apiKeyNotFound', 'rateLimited'],
  rotate: ['invalidExpirationOption', 'badRequest', 'unauthorized', 'noPersonalApiKeyPermission', 'personalApiKeysDisabled', 'apiKeyNotFound', 'conflict', 'rateLimited'],
  update: ['badRequest', 'unauthorized', 'noPersonalApiKeyPermission', 'personalApiKeysDisabled', 'apiKeyNotFound', 'conflict', 'rateLimited'],
  orgFetch: ['badRequest', 'unauthorized', 'noOrgApiKeyPermission', 'orgNotFound', 'rateLimited'],
  orgCreate: ['invalidExpirationOption', 'badRequest', 'unauthorized', 'noOrgApiKeyPermission', 'orgNotFound', 'conflict', 'rateLimited'],
  orgRevoke: ['badRequest', 'unauthorized', 'noOrgApiKeyPermission', 'orgNotFound', 'apiKeyNotFound', 'rateLimited'],
  orgRotate: ['invalidExpirationOption', 'badRequest', 'unauthorized', 'noOrgApiKeyPermission', 'orgNotFound', 'apiKeyNotFound', 'conflict', 'rateLimited'],
  orgUpdate: ['badRequest', 'unauthorized', 'noOrgApiKeyPermission', 'orgNotFound', 'apiKeyNotFound', 'conflict', 'rateLimited'],
} as const satisfies Record<string, readonly SpecificErrorKind[]>

export type FetchErrors = (typeof CALL_ERRORS.fetch)[number]
export type CreateErrors = (typeof CALL_ERRORS.create)[number]
export type RevokeErrors = (typeof CALL_ERRORS.revoke)[number]
export type RotateErrors = (typeof CALL_ERRORS.rotate)[number]
export type UpdateErrors = (typeof CALL_ERRORS.update)[number]
export type FetchOrgErrors = (typeof CALL_ERRORS.orgFetch)[number]
export type CreateOrgErrors = (typeof CALL_ERRORS.orgCreate)[number]
export type RevokeOrgErrors = (typeof CALL_ERRORS.orgRevoke)[number]
export type RotateOrgErrors = (typeof CALL_ERRORS.orgRotate)[number]
export type UpdateOrgErrors = (typeof CALL_ERRORS.orgUpdate)[number]

/**
 * The 409 (and 422) codes the `conflict` callback gets. `already_replaced`: the key was rotated already
 * (rotate its replacement); `idempotency_key_mismatch` (422): the submission's Idempotency-Key was
 * used before for other input, so submit again with a new key.
 */
export const CONFLICT_CODES = [
  'name_taken',
  'already_revoked',
  'already_replaced',
  'token_limit_reached',
  'idempotency_key_reused',
  'idempotency_key_mismatch',
] as const

export interface ApiError<K extends ErrorKind = ErrorKind> {
  kind: K
  /** HTTP status; `null` when no answer arrived (network failure, timeout, abort, an id refused unsent). */
  status: number | null
  /**
   * The server's machine-readable code (`name_taken`, …), a transport code (`network_error`, `timeout`,
   * `aborted`, `invalid_response`, `client_error`), `invalid_api_key_id` or `invalid_organization_id` for an id refused unsent, or `null`.
   */
  code: string | null
  /**
   * Always a readable sentence: the server's `detail` for a 4xx (else a default), the client's own for
   * a 5xx (whose text may be a stack trace) and for transport faults. Quote `requestId` to support.
   */
  userFacingError: string
  /** Messages per input field (`name`, `description`, `expiresAt`, `expirationOption`, `scopes`, `gracePeriod`, `id`, `orgId`, …). */
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
  /** Keys can have a description (`CreatePersonalApiKeyInput.description`, `updatePersonalApiKey`). */
  description?: boolean
  /**
   * The backend has organization-owned keys and this client implements every `…OrgApiKey…` method.
   * Unlike the others, it is resolved from the methods too: a client without them has none, whatever
   * it declares (see `resolveCapabilities`).
   */
  organizations?: boolean
}

/** An organization's keys, PropelAuth-style: the personal calls with the organization's id first. */
export interface OrgApiKeyMethods {
  createOrgApiKey(
    orgId: string,
    input: ExpirationOption | CreateOrgApiKeyInput,
    options?: CreateRequestOptions,
  ): Promise<ApiResponse<CreatedOrgApiKey, CreateOrgErrors>>
  fetchOrgApiKeys(orgId: string, params?: ListParams, options?: RequestOptions): Promise<ApiResponse<OrgApiKeyPage, FetchOrgErrors>>
  revokeOrgApiKey(orgId: string, id: string, options?: RequestOptions): Promise<ApiResponse<OrgApiKey, RevokeOrgErrors>>
  rotateOrgApiKey(
    orgId: string,
    id: string,
    input?: RotateOrgApiKeyInput,
    options?: CreateRequestOptions,
  ): Promise<ApiResponse<RotatedOrgApiKey, RotateOrgErrors>>
  updateOrgApiKey(orgId: string, id: string, input: UpdateOrgApiKeyInput, options?: RequestOptions): Promise<ApiResponse<OrgApiKey, UpdateOrgErrors>>
  fetchOrgApiKeyPolicy(orgId: string, options?: RequestOptions): Promise<ApiResponse<OrgApiKeyPolicy, FetchOrgErrors>>
}

/** The organization a client made by `forOrganization(api, orgId, options)` manages the keys of. */
export interface OrganizationView {
  type: 'organization'
  id: string
  /**
   * Whether the signed-in user may create, rotate, edit and revoke this organization's keys (their role
   * is one of the server's `manageRoles`). `false`: the components show the keys read-only, with one
   * sentence saying why, instead of offering actions the server would refuse. Absent: assumed allowed,
   * and a refusal shows the server's sentence when it comes.
   */
  canManage?: boolean
}

/** What `useAuthFrontendApis()` returns; `createHttpClient()` implements it over the REST contract. */
export interface AuthFrontendApis extends Partial<OrgApiKeyMethods> {
  /** What this backend supports; absent means everything but organizations without their methods (see `PersonalApiKeyCapabilities`). */
  readonly capabilities?: PersonalApiKeyCapabilities
  /**
   * Whose keys the personal methods manage: absent for the signed-in user's own; an organization for a
   * client made by `forOrganization(api, orgId)`, so components can say "this organization's keys".
   */
  readonly owner?: OrganizationView
  createPersonalApiKey(
    input: ExpirationOption | CreatePersonalApiKeyInput,
    options?: CreateRequestOptions,
  ): Promise<ApiResponse<CreatedPersonalApiKey, CreateErrors>>
  fetchPersonalApiKeys(params?: ListParams, options?: RequestOptions): Promise<ApiResponse<PersonalApiKeyPage, FetchErrors>>
  revokePersonalApiKey(id: string, options?: RequestOptions): Promise<ApiResponse<PersonalApiKey, RevokeErrors>>
  rotatePersonalApiKey(
    id: string,
    input?: RotatePersonalApiKeyInput,
    options?: CreateRequestOptions,
  ): Promise<ApiResponse<RotatedPersonalApiKey, RotateErrors>>
  /** Edits a key's name and/or description (the seed's rename). */
  updatePersonalApiKey(id: string, input: UpdatePersonalApiKeyInput, options?: RequestOptions): Promise<ApiResponse<PersonalApiKey, UpdateErrors>>
  fetchPersonalApiKeyPolicy(options?: RequestOptions): Promise<ApiResponse<PersonalApiKeyPolicy, FetchErrors>>
}
