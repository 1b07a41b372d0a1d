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
  type CreatedPersonalApiKey,
  type ErrorKind,
  type Expiration,
  type PersonalApiKey,
  type PersonalApiKeyPage,
  type PersonalApiKeyPolicy,
  type RotatedPersonalApiKey,
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

const INVALID_ID_MESSAGE = 'That is not the id of an API key.'
/** Said for every 5xx: a server's own text there may be a stack trace or a database's message. */
const SERVER_FAULT_MESSAGE = 'Something went wrong on our side. Try again in a moment.'

type Call = keyof typeof CALL_ERRORS

/** Maps an HTTP status and problem code to a callback name (DESIGN.md's callback table). */
export function classifyError(status: number, code: string | null): ErrorKind {
  switch (status) {
    case 400:
      return code === 'invalid_expiration_option' ? 'invalidExpirationOption' : 'badRequest'
    case 401:
      return 'unauthorized'
    case 403:
      return code === 'personal_api_keys_disabled' ? 'personalApiKeysDisabled' : 'noPersonalApiKeyPermission'
    case 404:
      return 'apiKeyNotFound'
    case 409:
      return code !== null && (CONFLICT_CODES as readonly string[]).includes(code) ? 'conflict' : 'unexpectedOrUnhandled'
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

/** The callback a call reaches for `kind`: its own if the call's table lists it, else the fallback. */
function kindFor<C extends Call>(call: C, kind: ErrorKind): (typeof CALL_ERRORS)[C][number] | 'unexpectedOrUnhandled' {
  return (CALL_ERRORS[call] as readonly ErrorKind[]).includes(kind) ? (kind as (typeof CALL_ERRORS)[C][number]) : 'unexpectedOrUnhandled'
}

/**
 * The id as one path segment, or `null` when it cannot be one. URL parsing drops or resolves the
 * segments `""`, `.` and `..` (so revoking `..` would send `DELETE /v1/`); encodeURIComponent leaves
 * dots alone but encodes `%`, so no other encoded id is a dot segment. It throws on lone surrogates.
 */
function keySegment(id: unknown): string | null {
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

export function createHttpClient(options: HttpClientOptions): AuthFrontendApis {
  const base = options.baseUrl.replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? 15_000

  async function request<T, C extends Call>(
    call: C,
    method: string,
    /** `null` for a key id that cannot be sent (see keySegment): refused without a request. */
    path: string | null,
    init: { body?: unknown; signal?: AbortSignal; idempotencyKey?: string; unwrap: 'data' | 'none'; shape: Shape<T> },
  ): Promise<ApiResponse<T, (typeof CALL_ERRORS)[C][number]>> {
    type K = (typeof CALL_ERRORS)[C][number]
    const fail = (error: ApiError<K | 'unexpectedOrUnhandled'>) => errorResponse<T, K>(error)

    if (path === null) {
      return fail({
        kind: kindFor(call, 'badRequest'),
        status: null,
        code: 'invalid_api_key_id',
        userFacingError: INVALID_ID_MESSAGE,
        fieldErrors: { id: INVALID_ID_MESSAGE },
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
          response.status >= 500 ? SERVER_FAULT_MESSAGE : (readableSentence(problem.detail) ?? DEFAULT_ERROR_MESSAGES[classified]),
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

  const keyPath = (id: string, action = '') => {
    const segment = keySegment(id)
    return segment === null ? null : `/v1/personal-access-tokens/${segment}${action}`
  }

  return {
    createPersonalApiKey(input, opts) {
      const body =
        typeof input === 'string'
          ? expirationBody(input)
          : {
              name: input.name,
              ...(input.expiration ? expirationBody(input.expiration) : {}),
              ...(input.scopes ? { scopes: input.scopes } : {}),
            }
      return request<CreatedPersonalApiKey, 'create'>('create', 'POST', '/v1/personal-access-tokens', {
        body,
        signal: opts?.signal,
        idempotencyKey: opts?.idempotencyKey ?? newIdempotencyKey(),
        unwrap: 'data',
        shape: isCreated,
      })
    },
    fetchPersonalApiKeys(params = {}, opts) {
      const query = new URLSearchParams()
      for (const [name, value] of Object.entries(params)) {
        if (value !== undefined && value !== null && value !== '') query.set(name, String(value))
      }
      const qs = query.toString()
      return request<PersonalApiKeyPage, 'fetch'>('fetch', 'GET', `/v1/personal-access-tokens${qs ? `?${qs}` : ''}`, {
        signal: opts?.signal,
        unwrap: 'none',
        shape: isPage,
      })
    },
    revokePersonalApiKey(id, opts) {
      return request<PersonalApiKey, 'revoke'>('revoke', 'DELETE', keyPath(id), {
        signal: opts?.signal,
        unwrap: 'data',
        shape: isKey,
      })
    },
    rotatePersonalApiKey(id, input, opts) {
      return request<RotatedPersonalApiKey, 'rotate'>('rotate', 'POST', keyPath(id, '/rotate'), {
        body: input?.expiration ? expirationBody(input.expiration) : {},
        signal: opts?.signal,
        idempotencyKey: opts?.idempotencyKey ?? newIdempotencyKey(),
        unwrap: 'data',
        shape: isRotated,
      })
    },
    updatePersonalApiKey(id, input, opts) {
      return request<PersonalApiKey, 'update'>('update', 'PATCH', keyPath(id), {
        body: { name: input.name },
        signal: opts?.signal,
        unwrap: 'data',
        shape: isKey,
      })
    },
    fetchPersonalApiKeyPolicy(opts) {
      return request<PersonalApiKeyPolicy, 'fetch'>('fetch', 'GET', '/v1/personal-access-tokens/policy', {
        signal: opts?.signal,
        unwrap: 'data',
        shape: isPolicy,
      })
    },
  }
}
