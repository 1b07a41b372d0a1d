import { DEFAULT_ERROR_MESSAGES, errorResponse, okResponse } from './response.ts'
import { parseHttpDate, parseRetryAfter } from './retry-after.ts'
import { isCreated, isKey, isObject, isPage, isPolicy, isRotated, type Shape } from './shapes.ts'
import { callDeadline } from './deadline.ts'
import {
  CALL_ERRORS,
  CONFLICT_CODES,
  type ApiError,
  type ApiResponse,
  type AuthFrontendApis,
  type CreatePersonalApiKeyInput,
  type CreateRequestOptions,
  type CreatedPersonalApiKey,
  type ErrorKind,
  type Expiration,
  type ExpirationOption,
  type ListParams,
  type OrgApiKeyMethods,
  type PersonalApiKey,
  type PersonalApiKeyPage,
  type PersonalApiKeyPolicy,
  type RequestOptions,
  type RotatePersonalApiKeyInput,
  type RotatedPersonalApiKey,
  type UpdatePersonalApiKeyInput,
} from './types.ts'

export interface HttpClientOptions {
  /** Where the REST contract is served, e.g. `https://api.example.com` or `/api` (no trailing `/v1`). */
  baseUrl: string
  /** Defaults to the global `fetch`. Pass a server's `app.fetch` to talk to it in process. */
  fetch?: (request: Request) => Response | Promise<Response>
  /**
   * A session token for `Authorization: Bearer`; return `null` to send none (cookie sessions). Counted
   * in `timeoutMs`; `signal` aborts when the call times out or is cancelled, e.g. to stop a token refresh.
   */
  getAccessToken?: (context: { signal: AbortSignal }) => string | null | undefined | Promise<string | null | undefined>
  credentials?: RequestCredentials
  headers?: HeadersInit
  /** Abort a call that has not finished after this long. Default 15 000 ms. */
  timeoutMs?: number
}

export const TRANSPORT_MESSAGES = {
  network_error: 'Could not reach the server. Check your connection and try again.',
  timeout: 'The server took too long to answer. Try again.',
  aborted: 'The request was cancelled.',
  invalid_response: 'The server sent an answer that could not be read. Try again.',
  client_error: DEFAULT_ERROR_MESSAGES.unexpectedOrUnhandled,
} as const
export type TransportCode = keyof typeof TRANSPORT_MESSAGES

/** Refused ids, by what they were meant to name. */
const INVALID_ID = {
  id: { code: 'invalid_api_key_id', message: 'That is not the id of an API key.' },
  orgId: { code: 'invalid_organization_id', message: 'That is not the id of an organization.' },
} as const
/** Said for every 5xx but 503: a server's own text there may be a stack trace or a database's message. */
const SERVER_FAULT_MESSAGE = 'Something went wrong on our side. Try again in a moment.'
const UNAVAILABLE_MESSAGE = 'The service is briefly unavailable. Try again in a moment.'
/**
 * The client's own sentence for problem codes whose server text speaks to developers (a header to
 * set, an Idempotency-Key), not to the person at the form.
 */
const CLIENT_SENTENCES: Partial<Record<string, string>> = {
  body_too_large: 'That is more text than the server accepts. Shorten it and try again.',
  unsupported_media_type: 'The server could not read the request. Reload the page and try again.',
  // The components send a new Idempotency-Key with the next submission.
  idempotency_key_mismatch: 'This was already submitted with other details. Submit again to send the new ones.',
}

type Call = keyof typeof CALL_ERRORS

/**
 * Maps an HTTP status and problem code to a callback name (DESIGN.md's callback table). 413 (a body
 * too large) is the request's fault, as a 400 is; 415 means client and server disagree on the format,
 * which no user can fix; 422 is another backend's validation failure, or `idempotency_key_mismatch`,
 * which conflicts with an earlier request like `idempotency_key_reused`. An organization's calls hear
 * the organization's kinds for the personal ones (see `kindFor`).
 */
export function classifyError(status: number, code: string | null): ErrorKind {
  switch (status) {
    case 400:
      return code === 'invalid_expiration_option' ? 'invalidExpirationOption' : 'badRequest'
    case 401:
      return 'unauthorized'
    case 403:
      if (code === 'personal_api_keys_disabled') return 'personalApiKeysDisabled'
      return code === 'no_org_api_key_permission' ? 'noOrgApiKeyPermission' : 'noPersonalApiKeyPermission'
    case 404:
      return code === 'organization_not_found' ? 'orgNotFound' : 'apiKeyNotFound'
    case 409:
      return code !== null && (CONFLICT_CODES as readonly string[]).includes(code) ? 'conflict' : 'unexpectedOrUnhandled'
    case 413:
      return 'badRequest'
    case 422:
      return code === 'idempotency_key_mismatch' ? 'conflict' : 'badRequest'
    case 429:
      return 'rateLimited'
    default:
      return 'unexpectedOrUnhandled'
  }
}

type Problem = { detail?: unknown; code?: unknown; requestId?: unknown; errors?: unknown; apiKeyId?: unknown }

function fieldErrorsOf(errors: unknown): Record<string, string> | undefined {
  if (!Array.isArray(errors)) return undefined
  const out: Record<string, string> = {}
  for (const entry of errors) {
    if (typeof entry !== 'object' || entry === null) continue
    const { pointer, detail } = entry as { pointer?: unknown; detail?: unknown }
    if (typeof pointer !== 'string' || typeof detail !== 'string') continue
    // "/scopes/2" and "#/name" both name a field by their first segment.
    const field = pointer.replace(/^#?\//, '').split('/')[0] || '_'
    out[field] ??= detail
  }
  return Object.keys(out).length > 0 ? out : undefined
}

function readableSentence(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= 500 ? value.trim() : undefined
}

export function transportError(code: TransportCode, cause?: unknown): ApiError<'unexpectedOrUnhandled'> {
  return { kind: 'unexpectedOrUnhandled', status: null, code, userFacingError: TRANSPORT_MESSAGES[code], cause }
}

/**
 * An answer in a call's own words: an organization's calls say `noOrgApiKeyPermission` for any
 * refusal (a backend may send a bare 403), the personal calls `noPersonalApiKeyPermission`; on a
 * personal call any 404 means the key is not there.
 */
const IN_ORG_WORDS: Partial<Record<ErrorKind, ErrorKind>> = {
  noPersonalApiKeyPermission: 'noOrgApiKeyPermission',
  personalApiKeysDisabled: 'noOrgApiKeyPermission',
}
const IN_PERSONAL_WORDS: Partial<Record<ErrorKind, ErrorKind>> = {
  noOrgApiKeyPermission: 'noPersonalApiKeyPermission',
  orgNotFound: 'apiKeyNotFound',
}

/** The callback a call reaches for `kind`: its own if the call's table lists it, else the fallback. */
export function kindFor<C extends Call>(call: C, classified: ErrorKind): (typeof CALL_ERRORS)[C][number] | 'unexpectedOrUnhandled' {
  const kind = (call.startsWith('org') ? IN_ORG_WORDS : IN_PERSONAL_WORDS)[classified] ?? classified
  return (CALL_ERRORS[call] as readonly ErrorKind[]).includes(kind) ? (kind as (typeof CALL_ERRORS)[C][number]) : 'unexpectedOrUnhandled'
}

/** An id in a path that cannot be sent: the client answers `badRequest` without a request. */
class UnsendableId {
  constructor(readonly field: keyof typeof INVALID_ID) {}
}

/**
 * The id as one path segment, or `null` when it cannot be one. URL parsing drops or resolves the
 * segments `""`, `.` and `..` (so revoking `..` would send `DELETE /v1/`); encodeURIComponent leaves
 * dots alone but encodes `%`, so no other encoded id is a dot segment. It throws on lone surrogates.
 */
function pathSegment(id: unknown): string | null {
  if (typeof id !== 'string') return null
  let segment: string
  try {
    segment = encodeURIComponent(id)
  } catch {
    return null
  }
  return segment === '' || segment === '.' || segment === '..' ? null : segment
}

/** Settles with `work`, or rejects as soon as `signal` aborts: a promise cannot be cancelled, only left behind. */
function unlessAborted<T>(work: () => T | Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    Promise.resolve()
      .then(work)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort))
  })
}

function expirationBody(expiration: Expiration): { expirationOption: string } | { expiresAt: string } {
  return typeof expiration === 'object' ? { expiresAt: expiration.expiresAt } : { expirationOption: expiration }
}

function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID()
}

export function createHttpClient(options: HttpClientOptions): AuthFrontendApis & OrgApiKeyMethods {
  const base = options.baseUrl.replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? 15_000

  async function request<T, C extends Call>(
    call: C,
    method: string,
    /** An id that cannot be sent (see pathSegment) is refused without a request. */
    path: string | UnsendableId,
    init: { body?: unknown; signal?: AbortSignal; idempotencyKey?: string; unwrap: 'data' | 'none'; shape: Shape<T> },
  ): Promise<ApiResponse<T, (typeof CALL_ERRORS)[C][number]>> {
    type K = (typeof CALL_ERRORS)[C][number]
    const fail = (error: ApiError<K | 'unexpectedOrUnhandled'>) => errorResponse<T, K>(error)

    if (path instanceof UnsendableId) {
      const { code, message } = INVALID_ID[path.field]
      return fail({
        kind: kindFor(call, 'badRequest'),
        status: null,
        code,
        userFacingError: message,
        fieldErrors: { [path.field]: message },
      })
    }
    if (init.signal?.aborted) return fail(transportError('aborted', init.signal.reason))
    const deadline = callDeadline(timeoutMs, init.signal)
    const { signal } = deadline
    const whyAborted = deadline.reason

    try {
      const headers = new Headers(options.headers)
      headers.set('Accept', 'application/json, application/problem+json')
      let accessToken: string | null | undefined
      try {
        // Raced against the signal: a token source that never settles must not hang the call.
        accessToken = await unlessAborted(() => options.getAccessToken?.({ signal }), signal)
      } catch (cause) {
        return fail(transportError(whyAborted() ?? 'client_error', cause))
      }
      if (accessToken) headers.set('Authorization', `Bearer ${accessToken}`)
      if (init.body !== undefined) headers.set('Content-Type', 'application/json')
      if (init.idempotencyKey) headers.set('Idempotency-Key', init.idempotencyKey)

      const req = new Request(`${base}${path}`, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        credentials: options.credentials,
        signal,
      })
      let response: Response
      let text: string
      const abortedEarly = whyAborted()
      if (abortedEarly) return fail(transportError(abortedEarly))
      try {
        response = await (options.fetch ?? globalThis.fetch)(req)
        text = await response.text()
      } catch (cause) {
        return fail(transportError(whyAborted() ?? 'network_error', cause))
      }
      // A handler that ignores the signal can still answer after we gave up.
      const late = whyAborted()
      if (late) return fail(transportError(late))

      let body: unknown
      let parsed = false
      const type = response.headers.get('Content-Type') ?? ''
      if (/\bjson\b/i.test(type) && text.length > 0) {
        try {
          body = JSON.parse(text)
          parsed = true
        } catch {
          // Not JSON after all: `parsed` stays false.
        }
      }
      const requestId = response.headers.get('X-Request-Id') ?? undefined

      if (response.ok) {
        const payload = parsed ? (init.unwrap === 'data' && isObject(body) ? body.data : body) : undefined
        if (!parsed || !init.shape(payload)) {
          return fail({ ...transportError('invalid_response'), status: response.status, requestId })
        }
        return okResponse<T, K>(payload)
      }

      const problem: Problem = parsed && isObject(body) ? body : {}
      const code = typeof problem.code === 'string' ? problem.code : null
      const classified = classifyError(response.status, code)
      const error: ApiError<K | 'unexpectedOrUnhandled'> = {
        kind: kindFor(call, classified),
        status: response.status,
        code,
        // Support finds a 5xx by its requestId, never by what the server wrote.
        userFacingError:
          response.status === 503
            ? UNAVAILABLE_MESSAGE
            : response.status >= 500
              ? SERVER_FAULT_MESSAGE
              : ((code !== null ? CLIENT_SENTENCES[code] : undefined) ?? readableSentence(problem.detail) ?? DEFAULT_ERROR_MESSAGES[classified]),
        requestId: typeof problem.requestId === 'string' ? problem.requestId : requestId,
      }
      const fieldErrors = fieldErrorsOf(problem.errors)
      if (fieldErrors) error.fieldErrors = fieldErrors
      if (response.status === 429 || response.status === 503) {
        // Measured from the answer's own Date where it has one, so a client clock that is off does not shorten the wait.
        const sentAt = parseHttpDate(response.headers.get('Date')) ?? Date.now()
        const retryAfterSeconds = parseRetryAfter(response.headers.get('Retry-After'), sentAt)
        if (retryAfterSeconds !== undefined) error.retryAfterSeconds = retryAfterSeconds
      }
      return fail(error)
    } catch (cause) {
      // Only our own bugs reach here; handle() must still get an answer.
      return fail(transportError('client_error', cause))
    } finally {
      deadline.dispose()
    }
  }

  /** `/v1/personal-access-tokens` or `/v1/organizations/:orgId/api-keys`, then the key and the action. */
  const path = (orgId: string | null, id: string | null = null, tail = ''): string | UnsendableId => {
    let base = '/v1/personal-access-tokens'
    if (orgId !== null) {
      const org = pathSegment(orgId)
      if (org === null) return new UnsendableId('orgId')
      base = `/v1/organizations/${org}/api-keys`
    }
    if (id === null) return `${base}${tail}`
    const key = pathSegment(id)
    return key === null ? new UnsendableId('id') : `${base}/${key}${tail}`
  }

  // One implementation per operation, for a user's keys (orgId null) and an organization's.
  function create<C extends 'create' | 'orgCreate'>(call: C, orgId: string | null, input: ExpirationOption | CreatePersonalApiKeyInput, opts?: CreateRequestOptions) {
    const body =
      typeof input === 'string'
        ? expirationBody(input)
        : {
            name: input.name,
            ...(input.description ? { description: input.description } : {}),
            ...(input.expiration ? expirationBody(input.expiration) : {}),
            ...(input.scopes ? { scopes: input.scopes } : {}),
          }
    return request<CreatedPersonalApiKey, C>(call, 'POST', path(orgId), {
      body,
      signal: opts?.signal,
      idempotencyKey: opts?.idempotencyKey ?? newIdempotencyKey(),
      unwrap: 'data',
      shape: isCreated,
    })
  }

  function list<C extends 'fetch' | 'orgFetch'>(call: C, orgId: string | null, params: ListParams = {}, opts?: RequestOptions) {
    const query = new URLSearchParams()
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined && value !== null && value !== '') query.set(name, String(value))
    }
    const qs = query.toString()
    return request<PersonalApiKeyPage, C>(call, 'GET', path(orgId, null, qs ? `?${qs}` : ''), {
      signal: opts?.signal,
      unwrap: 'none',
      shape: isPage,
    })
  }

  function revoke<C extends 'revoke' | 'orgRevoke'>(call: C, orgId: string | null, id: string, opts?: RequestOptions) {
    return request<PersonalApiKey, C>(call, 'DELETE', path(orgId, id), { signal: opts?.signal, unwrap: 'data', shape: isKey })
  }

  function rotate<C extends 'rotate' | 'orgRotate'>(call: C, orgId: string | null, id: string, input?: RotatePersonalApiKeyInput, opts?: CreateRequestOptions) {
    return request<RotatedPersonalApiKey, C>(call, 'POST', path(orgId, id, '/rotate'), {
      body: {
        ...(input?.expiration ? expirationBody(input.expiration) : {}),
        ...(input?.gracePeriod ? { gracePeriod: input.gracePeriod } : {}),
      },
      signal: opts?.signal,
      idempotencyKey: opts?.idempotencyKey ?? newIdempotencyKey(),
      unwrap: 'data',
      shape: isRotated,
    })
  }

  function update<C extends 'update' | 'orgUpdate'>(call: C, orgId: string | null, id: string, input: UpdatePersonalApiKeyInput, opts?: RequestOptions) {
    // Only the fields given: an absent description stays as it is, `null` removes it.
    const body: UpdatePersonalApiKeyInput = {}
    if (input.name !== undefined) body.name = input.name
    if (input.description !== undefined) body.description = input.description
    return request<PersonalApiKey, C>(call, 'PATCH', path(orgId, id), { body, signal: opts?.signal, unwrap: 'data', shape: isKey })
  }

  function policy<C extends 'fetch' | 'orgFetch'>(call: C, orgId: string | null, opts?: RequestOptions) {
    return request<PersonalApiKeyPolicy, C>(call, 'GET', path(orgId, null, '/policy'), { signal: opts?.signal, unwrap: 'data', shape: isPolicy })
  }

  return {
    createPersonalApiKey: (input, opts) => create('create', null, input, opts),
    fetchPersonalApiKeys: (params, opts) => list('fetch', null, params, opts),
    revokePersonalApiKey: (id, opts) => revoke('revoke', null, id, opts),
    rotatePersonalApiKey: (id, input, opts) => rotate('rotate', null, id, input, opts),
    updatePersonalApiKey: (id, input, opts) => update('update', null, id, input, opts),
    fetchPersonalApiKeyPolicy: (opts) => policy('fetch', null, opts),
    createOrgApiKey: (orgId, input, opts) => create('orgCreate', orgId, input, opts),
    fetchOrgApiKeys: (orgId, params, opts) => list('orgFetch', orgId, params, opts),
    revokeOrgApiKey: (orgId, id, opts) => revoke('orgRevoke', orgId, id, opts),
    rotateOrgApiKey: (orgId, id, input, opts) => rotate('orgRotate', orgId, id, input, opts),
    updateOrgApiKey: (orgId, id, input, opts) => update('orgUpdate', orgId, id, input, opts),
    fetchOrgApiKeyPolicy: (orgId, opts) => policy('orgFetch', orgId, opts),
  }
}
