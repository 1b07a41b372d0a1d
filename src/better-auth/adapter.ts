import { addExpiration, parseInstant } from '../client/expiration.ts'
import { callDeadline } from '../client/deadline.ts'
import { kindFor, transportError } from '../client/http.ts'
import { characterCount } from '../client/names.ts'
import { DEFAULT_ERROR_MESSAGES, errorResponse, okResponse } from '../client/response.ts'
import {
  CALL_ERRORS,
  EXPIRATION_OPTIONS,
  type ApiError,
  type ApiResponse,
  type AuthFrontendApis,
  type CreatedPersonalApiKey,
  type Expiration,
  type ExpirationOption,
  type KeyOwner,
  type OrgApiKeyMethods,
  type PersonalApiKey,
  type PersonalApiKeyCapabilities,
  type PersonalApiKeyPolicy,
  type RotatedPersonalApiKey,
} from '../client/types.ts'
import { toApiErrorFromBetterAuth, type BetterAuthErrorBody, type ErrorSentences } from './errors.ts'
import { isBetterAuthApiKey, pageOf, toPersonalApiKey, type BetterAuthApiKey } from './keys.ts'

/** better-fetch's per-call options that the adapter uses. */
export interface BetterAuthFetchOptions {
  signal?: AbortSignal
  onError?: (context: { response: Response }) => void | Promise<void>
  /** Always `false` from the adapter: errors come back as `{ data, error }`, whatever the client's default. */
  throw?: boolean
}

/** `{ data, error }`, or the data itself from a client that throws on errors (checked at run time). */
type Result = Promise<unknown>

/**
 * The part of a Better Auth client the adapter calls: `createAuthClient({ plugins: [apiKeyClient()] })`
 * from `better-auth/client` or `better-auth/react` fits. Typed by shape, so patkit/better-auth imports
 * nothing from Better Auth at run time and its answers are checked, not trusted.
 */
export interface BetterAuthApiKeyClient {
  apiKey: {
    create(input: { name?: string; expiresIn?: number | null; configId?: string; organizationId?: string; fetchOptions?: BetterAuthFetchOptions }): Result
    list(input: { query?: { configId?: string; organizationId?: string; limit?: number }; fetchOptions?: BetterAuthFetchOptions }): Result
    get(input: { query: { id: string; configId?: string }; fetchOptions?: BetterAuthFetchOptions }): Result
    update(input: { keyId: string; name?: string; enabled?: boolean; configId?: string; fetchOptions?: BetterAuthFetchOptions }): Result
    delete(input: { keyId: string; configId?: string; fetchOptions?: BetterAuthFetchOptions }): Result
  }
}

/** How one `apiKey()` configuration's keys behave: what the server config says, mirrored for the form. */
export interface BetterAuthKeyOptions {
  /**
   * The `keyExpiration` you gave `apiKey()` on the server (Better Auth's lifetimes are in days there):
   * `minExpiresIn` (default 1), `maxExpiresIn` (default 365), `disableCustomExpiresTime` (default false).
   */
  keyExpiration?: { minExpiresIn?: number; maxExpiresIn?: number; disableCustomExpiresTime?: boolean }
  /** `apiKey({ minimumNameLength, maximumNameLength })` on the server: default 1 and 32. */
  minimumNameLength?: number
  maximumNameLength?: number
  /** With several `apiKey([...])` configurations, the one these keys belong to. */
  configId?: string
  /** The presets the create form offers. Default: every one within `maxExpiresIn`, and `Never`. */
  expirationOptions?: ExpirationOption[]
  /** Preselected in the form. Default `OneMonth` when offered, else the first option. */
  defaultExpiration?: ExpirationOption
}

export interface BetterAuthApisOptions extends BetterAuthKeyOptions {
  /**
   * Organization-owned keys: the `apiKey([...])` configuration with `references: 'organization'`
   * (its `configId` is required, since the user's keys are the default configuration's) and that
   * configuration's limits. Better Auth's `organization()` plugin decides who may do what, through its
   * access control's `apiKey` statement (`create`, `read`, `update`, `delete`); see README. Given, the
   * client has the `…OrgApiKey…` methods and declares `capabilities.organizations`.
   */
  organizations?: BetterAuthKeyOptions & { configId: string }
  /**
   * Better Auth cannot rotate a key; the adapter emulates it (create a key with the same name, then
   * disable the old one; see README). `false` declares `rotate: false`, and the components offer no Rotate.
   */
  rotate?: boolean
  /** Give up on a call after this long. Default 15 000 ms. */
  timeoutMs?: number
}

const DAY_S = 86_400
const NO_DESCRIPTION = 'Better Auth keys have no description.'

/** A disabled key as revoked, since now if Better Auth did not say when. */
function revokedNow(key: PersonalApiKey): PersonalApiKey {
  return { ...key, status: 'revoked', revokedAt: key.revokedAt ?? new Date().toISOString() }
}

/** The policy the adapter's options describe; a combination that could never work throws now, not on first use. */
function policyFromOptions(options: BetterAuthKeyOptions) {
  const minDays = options.keyExpiration?.minExpiresIn ?? 1
  const maxDays = options.keyExpiration?.maxExpiresIn ?? 365
  const customAllowed = options.keyExpiration?.disableCustomExpiresTime !== true
  // A preset longer than the cap by at most a day (a year across 29 February) is shortened to the cap.
  const fits = (option: ExpirationOption) => {
    if (option === 'Never') return true
    const now = new Date()
    const days = (addExpiration(now, option).getTime() - now.getTime()) / (DAY_S * 1000)
    return days >= minDays && days <= maxDays + 1
  }
  // Without custom lifetimes Better Auth accepts no expiresIn at all: only its own default applies.
  const expirationOptions = options.expirationOptions ?? (customAllowed ? EXPIRATION_OPTIONS.filter(fits) : ['Never' as const])
  const policy: PersonalApiKeyPolicy = {
    expirationOptions,
    defaultExpiration: options.defaultExpiration ?? (expirationOptions.includes('OneMonth') ? 'OneMonth' : expirationOptions[0]!),
    allowCustomExpiration: customAllowed,
    // Better Auth caps dated keys at maxExpiresIn but also allows keys that never expire, which
    // patkit's maxLifetimeDays cannot say; the adapter checks custom dates against the cap itself.
    maxLifetimeDays: null,
    // Permissions can only be set by the server (SERVER_ONLY_PROPERTY from a client), so none are offered.
    scopes: [],
    nameMaxLength: options.maximumNameLength ?? 32,
    // Better Auth keys have no description (capabilities.description is false); the field is the contract's.
    descriptionMaxLength: 500,
    // The emulated rotation disables the old key at once.
    gracePeriodOptions: ['None'],
  }
  const misconfigured = (message: string) => new Error(`patkit createBetterAuthApis: ${message}`)
  if (expirationOptions.length === 0 || expirationOptions.some((option) => !EXPIRATION_OPTIONS.includes(option))) {
    throw misconfigured(`expirationOptions must be some of ${EXPIRATION_OPTIONS.join(', ')}`)
  }
  if (!expirationOptions.includes(policy.defaultExpiration)) throw misconfigured('defaultExpiration must be one of expirationOptions')
  if (!(minDays > 0 && maxDays >= minDays)) throw misconfigured('keyExpiration needs 0 < minExpiresIn <= maxExpiresIn (days)')
  const sentences: ErrorSentences = {
    nameLength: `Names must be ${options.minimumNameLength ?? 1} to ${policy.nameMaxLength} characters long.`,
    expirationTooShort: `Keys must last at least ${minDays} day${minDays === 1 ? '' : 's'}.`,
    expirationTooLong: `Keys must expire within ${maxDays} days, or never.`,
  }
  return { policy, minSeconds: minDays * DAY_S, maxSeconds: maxDays * DAY_S, sentences }
}

type Call = keyof typeof CALL_ERRORS
type Failed<C extends Call> = ApiError<(typeof CALL_ERRORS)[C][number] | 'unexpectedOrUnhandled'>

/** An error in the call's own words (see `kindFor`): a kind its callback table lacks is unexpected. */
function forCall<C extends Call>(call: C, error: ApiError): Failed<C> {
  return { ...error, kind: kindFor(call, error.kind) } as Failed<C>
}

/** The organization calls' names for the personal ones, whose callback tables they use. */
const ORG_CALL = { create: 'orgCreate', fetch: 'orgFetch', revoke: 'orgRevoke', rotate: 'orgRotate', update: 'orgUpdate' } as const
type PersonalCall = keyof typeof ORG_CALL

const invalid = (field: string, message: string, kind: 'badRequest' | 'invalidExpirationOption' = 'badRequest'): ApiError => ({
  kind,
  status: 400,
  code: kind === 'badRequest' ? 'invalid_request' : 'invalid_expiration_option',
  userFacingError: message,
  fieldErrors: { [field]: message },
})

/**
 * patkit's `AuthFrontendApis` over a Better Auth client with `apiKeyClient()`. Every call resolves,
 * never rejects; Better Auth's answers are checked and its errors reach the matching `handle()`
 * callback. What maps natively, what is emulated and what cannot be done is in README ("Better Auth").
 */
export function createBetterAuthApis(authClient: BetterAuthApiKeyClient, options: BetterAuthApisOptions = {}): AuthFrontendApis {
  const personal = ownerKeys(authClient, options, options)
  const capabilities: PersonalApiKeyCapabilities = {
    rotate: options.rotate !== false,
    rename: true,
    scopes: false,
    customExpiration: personal.policy.allowCustomExpiration,
    // Emulated over the whole list, in the reference server's order (see keys.ts).
    search: true,
    statusFilter: true,
    description: false,
    organizations: options.organizations !== undefined,
  }
  const { organizations } = options
  if (!organizations) return { capabilities, ...personal.methods }
  if (!organizations.configId) throw new Error('patkit createBetterAuthApis: organizations.configId must name the apiKey() configuration with references: \'organization\'')
  // Checked now, so a configuration that could never work throws at once rather than on first use.
  policyFromOptions(organizations)
  // One organization's keys: the same calls on its configuration, in the organization calls' words.
  const of = (orgId: string) => ownerKeys(authClient, organizations, options, orgId).methods as unknown as OrganizationKeys
  const orgMethods: OrgApiKeyMethods = {
    createOrgApiKey: (orgId, input, opts) => of(orgId).createPersonalApiKey(input, opts),
    fetchOrgApiKeys: (orgId, params, opts) => of(orgId).fetchPersonalApiKeys(params, opts),
    revokeOrgApiKey: (orgId, id, opts) => of(orgId).revokePersonalApiKey(id, opts),
    rotateOrgApiKey: (orgId, id, input, opts) => of(orgId).rotatePersonalApiKey(id, input, opts),
    updateOrgApiKey: (orgId, id, input, opts) => of(orgId).updatePersonalApiKey(id, input, opts),
    fetchOrgApiKeyPolicy: (orgId, opts) => of(orgId).fetchPersonalApiKeyPolicy(opts),
  }
  return { capabilities, ...personal.methods, ...orgMethods }
}

/** The personal methods' signatures with the organization calls' answers (`ownerKeys` with an organization gives them). */
type OrganizationKeys = { [M in keyof OrgApiKeyMethods as M extends `${infer Verb}OrgApiKey${infer Rest}` ? `${Verb}PersonalApiKey${Rest}` : never]: OrgApiKeyMethods[M] extends (
  orgId: string,
  ...args: infer A
) => infer R
  ? (...args: A) => R
  : never }

/**
 * The six calls on one owner's keys: the signed-in user's (`organizationId` absent) or an
 * organization's, each on its `apiKey()` configuration. An organization's answers use the
 * organization calls' callback tables (`ORG_CALL`).
 */
function ownerKeys(
  authClient: BetterAuthApiKeyClient,
  options: BetterAuthKeyOptions,
  shared: Pick<BetterAuthApisOptions, 'rotate' | 'timeoutMs'>,
  organizationId?: string,
) {
  const { policy, minSeconds, maxSeconds, sentences } = policyFromOptions(options)
  const timeoutMs = shared.timeoutMs ?? 15_000
  const configId = options.configId !== undefined ? { configId: options.configId } : {}
  // create and list name the organization; get, update and delete find it from the key.
  const ownerScope = organizationId !== undefined ? { ...configId, organizationId } : configId
  const owner: KeyOwner | undefined = organizationId !== undefined ? { type: 'organization', id: organizationId } : undefined
  const toKey = (key: BetterAuthApiKey, now: number): PersonalApiKey => (owner ? { ...toPersonalApiKey(key, now), owner } : toPersonalApiKey(key, now))

  type Outcome<T> = { ok: true; data: T } | { ok: false; error: ApiError }

  /**
   * One Better Auth call: a timeout and the caller's signal abort it; a rejection (network failure, a
   * client configured to throw) and an answer of the wrong shape become errors instead of escaping.
   */
  async function send<T>(
    run: (fetchOptions: BetterAuthFetchOptions) => Result,
    isData: (value: unknown) => value is T,
    signal?: AbortSignal,
  ): Promise<Outcome<T>> {
    if (signal?.aborted) return { ok: false, error: transportError('aborted', signal.reason) }
    const deadline = callDeadline(timeoutMs, signal)
    let headers: Headers | undefined
    try {
      const result = await run({ signal: deadline.signal, throw: false, onError: ({ response }) => void (headers = response.headers) })
      const late = deadline.reason()
      if (late) return { ok: false, error: transportError(late) }
      const enveloped = typeof result === 'object' && result !== null && 'data' in result && 'error' in result
      const { data, error } = enveloped ? (result as { data: unknown; error: unknown }) : { data: result, error: null }
      if (error !== null && error !== undefined) {
        return { ok: false, error: toApiErrorFromBetterAuth(error as BetterAuthErrorBody, headers, sentences) }
      }
      if (!isData(data)) return { ok: false, error: transportError('invalid_response') }
      return { ok: true, data }
    } catch (cause) {
      // better-fetch with `throw: true` rejects with a BetterFetchError that carries the answer.
      const thrown = cause as { status?: unknown; error?: unknown }
      const reason = deadline.reason()
      if (!reason && typeof thrown?.status === 'number') {
        const body = typeof thrown.error === 'object' && thrown.error !== null ? thrown.error : {}
        return { ok: false, error: { ...toApiErrorFromBetterAuth({ ...body, status: thrown.status }, headers, sentences), cause } }
      }
      return { ok: false, error: transportError(reason ?? 'network_error', cause) }
    } finally {
      deadline.dispose()
    }
  }

  function respond<T, C extends PersonalCall>(call: C, outcome: Outcome<T>): ApiResponse<T, (typeof CALL_ERRORS)[C][number]> {
    if (outcome.ok) return okResponse(outcome.data)
    return errorResponse(forCall(organizationId !== undefined ? ORG_CALL[call] : call, outcome.error) as Failed<C>)
  }

  const isKeyWithSecret = (value: unknown): value is BetterAuthApiKey & { key: string } =>
    isBetterAuthApiKey(value) && typeof (value as { key?: unknown }).key === 'string'
  const isKeyList = (value: unknown): value is { apiKeys: BetterAuthApiKey[] } =>
    typeof value === 'object' && value !== null && Array.isArray((value as { apiKeys?: unknown }).apiKeys) &&
    (value as { apiKeys: unknown[] }).apiKeys.every(isBetterAuthApiKey)
  const isAnything = (value: unknown): value is unknown => value !== undefined

  type Expiry = { ok: true; seconds: number | null | undefined } | { ok: false; error: ApiError }

  /**
   * Better Auth's `expiresIn` for an expiration: seconds, `null` for never, `undefined` to send none
   * (a server with `disableCustomExpiresTime` refuses any and applies its own default).
   */
  function expiryFor(expiration: Expiration, now: Date): Expiry {
    const refuse = (message: string): Expiry => ({ ok: false, error: invalid('expiresAt', message, 'invalidExpirationOption') })
    if (typeof expiration === 'object') {
      if (!policy.allowCustomExpiration) return refuse('A custom expiration date is not allowed.')
      const at = parseInstant(expiration.expiresAt)
      if (!at) return refuse('The expiration date is not a valid date.')
      const seconds = Math.floor((at.getTime() - now.getTime()) / 1000)
      if (seconds <= 0) return refuse('The expiration date must be in the future.')
      if (seconds < minSeconds) return refuse(sentences.expirationTooShort)
      if (seconds > maxSeconds) return refuse(sentences.expirationTooLong)
      return { ok: true, seconds }
    }
    if (!policy.expirationOptions.includes(expiration)) return refuse('That expiration is not one of the options offered.')
    if (!policy.allowCustomExpiration) return { ok: true, seconds: undefined }
    if (expiration === 'Never') return { ok: true, seconds: null }
    const seconds = Math.round((addExpiration(now, expiration).getTime() - now.getTime()) / 1000)
    return { ok: true, seconds: Math.min(seconds, maxSeconds) }
  }

  /** A rotated key without an expiration asked for lives as long as the old one did, within the caps. */
  function inheritedExpiry(old: PersonalApiKey): Expiry {
    if (!policy.allowCustomExpiration) return { ok: true, seconds: undefined }
    if (old.expiresAt === null) return { ok: true, seconds: null }
    const lifetime = Math.round((Date.parse(old.expiresAt) - Date.parse(old.createdAt)) / 1000)
    return { ok: true, seconds: Math.max(minSeconds, Math.min(lifetime, maxSeconds)) }
  }

  async function createKey(name: string | undefined, expiry: Expiry, signal?: AbortSignal): Promise<Outcome<CreatedPersonalApiKey>> {
    if (!expiry.ok) return expiry
    const { seconds } = expiry
    const created = await send(
      (fetchOptions) =>
        authClient.apiKey.create({
          ...(name !== undefined ? { name } : {}),
          ...(seconds !== undefined ? { expiresIn: seconds } : {}),
          ...ownerScope,
          fetchOptions,
        }),
      isKeyWithSecret,
      signal,
    )
    if (!created.ok) return created
    return { ok: true, data: { apiKey: toKey(created.data, Date.now()), token: created.data.key } }
  }

  const keyNotFound: ApiError = { kind: 'apiKeyNotFound', status: 404, code: 'KEY_NOT_FOUND', userFacingError: DEFAULT_ERROR_MESSAGES.apiKeyNotFound }

  async function getKey(id: string, signal?: AbortSignal): Promise<Outcome<BetterAuthApiKey>> {
    const found = await send((fetchOptions) => authClient.apiKey.get({ query: { id, ...configId }, fetchOptions }), isBetterAuthApiKey, signal)
    if (organizationId === undefined || (found.ok && found.data.referenceId === organizationId)) return found
    if (!found.ok && found.error.status !== 403 && found.error.status !== 404) return found
    // Better Auth checks the membership of the key's organization, which may be another one. Asking
    // about this one tells a non-member orgNotFound, and a member that the key is not here.
    const member = await send(
      (fetchOptions) => authClient.apiKey.list({ query: { ...ownerScope, limit: 1 }, fetchOptions }),
      isKeyList,
      signal,
    )
    return member.ok ? { ok: false, error: keyNotFound } : member
  }

  function disable(id: string, signal?: AbortSignal) {
    return send((fetchOptions) => authClient.apiKey.update({ keyId: id, enabled: false, ...configId, fetchOptions }), isBetterAuthApiKey, signal)
  }

  /** A key that is already revoked cannot change; the contract's 409 `already_revoked`. */
  const alreadyRevoked = (action: string): ApiError => ({
    kind: 'conflict',
    status: 409,
    code: 'already_revoked',
    userFacingError: `A revoked key cannot be ${action}.`,
  })

  function checkName(name: string): ApiError | null {
    const length = characterCount(name.trim())
    return length >= (options.minimumNameLength ?? 1) && length <= policy.nameMaxLength ? null : invalid('name', sentences.nameLength)
  }

  const methods = {
    async createPersonalApiKey(input, opts) {
      const { name, expiration, scopes } = typeof input === 'string' ? { name: undefined, expiration: input, scopes: undefined } : input
      if (scopes && scopes.length > 0) {
        return respond('create', { ok: false, error: invalid('scopes', 'Better Auth lets only the server set a key’s permissions, so scopes cannot be chosen here.') })
      }
      if (typeof input !== 'string' && input.description) return respond('create', { ok: false, error: invalid('description', NO_DESCRIPTION) })
      const nameProblem = name !== undefined ? checkName(name) : null
      if (nameProblem) return respond('create', { ok: false, error: nameProblem })
      return respond('create', await createKey(name?.trim(), expiryFor(expiration ?? policy.defaultExpiration, new Date()), opts?.signal))
    },

    async fetchPersonalApiKeys(params = {}, opts) {
      // One request for all of the user's keys: Better Auth 1.7 reads them all for any list call anyway
      // (it pages in memory), and only the whole list lets search, status and facets be exact.
      const listed = await send(
        (fetchOptions) => authClient.apiKey.list({ query: { ...ownerScope }, fetchOptions }),
        isKeyList,
        opts?.signal,
      )
      if (!listed.ok) return respond('fetch', listed)
      const now = Date.now()
      const page = pageOf(listed.data.apiKeys.map((key) => toKey(key, now)), params)
      if ('message' in page) return respond('fetch', { ok: false, error: invalid(page.field, page.message) })
      return respond('fetch', { ok: true, data: page })
    },

    async revokePersonalApiKey(id, opts) {
      // Read first: revoking again must succeed and keep the first revocation time, which a second
      // update would overwrite (updatedAt is the revocation time).
      const current = await getKey(id, opts?.signal)
      if (!current.ok) return respond('revoke', current)
      if (!current.data.enabled) return respond('revoke', { ok: true, data: toKey(current.data, Date.now()) })
      const disabled = await disable(id, opts?.signal)
      return respond('revoke', disabled.ok ? { ok: true, data: toKey(disabled.data, Date.now()) } : disabled)
    },

    async updatePersonalApiKey(id, input, opts) {
      if (input?.description) return respond('update', { ok: false, error: invalid('description', NO_DESCRIPTION) })
      const name = typeof input?.name === 'string' ? input.name.trim() : ''
      const nameProblem = checkName(name)
      if (nameProblem) return respond('update', { ok: false, error: nameProblem })
      const current = await getKey(id, opts?.signal)
      if (!current.ok) return respond('update', current)
      if (!current.data.enabled) return respond('update', { ok: false, error: alreadyRevoked('renamed') })
      if (current.data.name === name) return respond('update', { ok: true, data: toKey(current.data, Date.now()) })
      const updated = await send(
        (fetchOptions) => authClient.apiKey.update({ keyId: id, name, ...configId, fetchOptions }),
        isBetterAuthApiKey,
        opts?.signal,
      )
      return respond('update', updated.ok ? { ok: true, data: toKey(updated.data, Date.now()) } : updated)
    },

    async rotatePersonalApiKey(id, input, opts) {
      if (shared.rotate === false) {
        return respond('rotate', { ok: false, error: { kind: 'unexpectedOrUnhandled', status: null, code: 'not_supported', userFacingError: 'Rotating keys is turned off here. Create a new key and revoke the old one.' } })
      }
      if (input?.gracePeriod !== undefined && input.gracePeriod !== 'None') {
        return respond('rotate', { ok: false, error: invalid('gracePeriod', 'Better Auth cannot keep the old key working after a rotation: it is disabled at once.') })
      }
      const old = await getKey(id, opts?.signal)
      if (!old.ok) return respond('rotate', old)
      if (!old.data.enabled) return respond('rotate', { ok: false, error: alreadyRevoked('rotated') })
      const previous = toKey(old.data, Date.now())
      // Better Auth has no rotation: create a key with the same name, then disable the old one. Not
      // atomic: if the second step fails, the new key is deleted again so the old one keeps working alone.
      const expiry = input?.expiration !== undefined ? expiryFor(input.expiration, new Date()) : inheritedExpiry(previous)
      const created = await createKey(previous.name, expiry, opts?.signal)
      if (!created.ok) return respond('rotate', created)
      let disabled = await disable(id, opts?.signal)
      // A timeout or a lost answer says nothing about the old key: look before undoing, or the user
      // could be left with neither key.
      if (!disabled.ok && disabled.error.status === null) {
        const now = await getKey(id)
        if (now.ok && !now.data.enabled) disabled = now
      }
      if (!disabled.ok) {
        const rolledBack = await send(
          (fetchOptions) => authClient.apiKey.delete({ keyId: created.data.apiKey.id, ...configId, fetchOptions }),
          isAnything,
        )
        const userFacingError = rolledBack.ok
          ? 'The key could not be rotated, so your old key still works. Try again.'
          : `The key could not be rotated and your old key still works, but a new key named “${previous.name}” may have been left behind. Revoke it from the list.`
        return respond('rotate', { ok: false, error: { ...disabled.error, userFacingError } })
      }
      const rotated: RotatedPersonalApiKey = {
        ...created.data,
        previous: { ...revokedNow(toKey(disabled.data, Date.now())), gracePeriod: 'None' },
      }
      return respond('rotate', { ok: true, data: rotated })
    },

    async fetchPersonalApiKeyPolicy() {
      // Better Auth's policy lives in its server config, which a client cannot read: the adapter's options mirror it.
      return okResponse({ ...policy, expirationOptions: [...policy.expirationOptions], scopes: [] })
    },
  } satisfies Omit<AuthFrontendApis, 'capabilities' | 'owner'>
  return { policy, methods }
}
