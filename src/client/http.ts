import { DEFAULT_ERROR_MESSAGES, errorResponse, okResponse } from './response.ts'
import {
  CALL_ERRORS,
  CONFLICT_CODES,
  type ApiError,
  type ApiResponse,
  type AuthFrontendApis,
  type CreateErrors,
  type CreatedPersonalApiKey,
  type ErrorKind,
  type Expiration,
  type FetchErrors,
  type PersonalApiKey,
  type PersonalApiKeyPage,
  type PersonalApiKeyPolicy,
  type RevokeErrors,
  type RotateErrors,
  type RotatedPersonalApiKey,
  type SpecificErrorKind,
  type UpdateErrors,
} from './types.ts'

export interface HttpClientOptions {
  /** Where the REST contract is served, e.g. `https://api.example.com` or `/api` (no trailing `/v1`). */
  baseUrl: string
  /** Defaults to the global `fetch`. Pass a server's `app.fetch` to talk to it in process. */
  fetch?: (request: Request) => Response | Promise<Response>
  /** A session token for `Authorization: Bearer`; return `null` to send none (cookie sessions). */
  getAccessToken?: () => string | null | undefined | Promise<string | null | undefined>
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

/** `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  // Only an HTTP date (it names a weekday or month); Date.parse would read "-5" as a year.
  if (!/[a-z]{3}/i.test(trimmed)) return undefined
  const at = Date.parse(trimmed)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, Math.ceil((at - now) / 1000))
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

type Shape<T> = (value: unknown) => value is T
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isKey: Shape<PersonalApiKey> = (v): v is PersonalApiKey =>
  isObject(v) && typeof v.id === 'string' && typeof v.name === 'string' && typeof v.status === 'string' && Array.isArray(v.scopes)
const isCreated: Shape<CreatedPersonalApiKey> = (v): v is CreatedPersonalApiKey =>
  isObject(v) && typeof v.token === 'string' && isKey(v.apiKey)
const isRotated: Shape<RotatedPersonalApiKey> = (v): v is RotatedPersonalApiKey =>
  isCreated(v) && isObject((v as unknown as Record<string, unknown>).previous)
const isPage: Shape<PersonalApiKeyPage> = (v): v is PersonalApiKeyPage =>
  isObject(v) && Array.isArray(v.items) && v.items.every(isKey) && typeof v.totalCount === 'number' &&
  (v.nextCursor === null || typeof v.nextCursor === 'string') && isObject(v.facets) && isObject(v.facets.status)
const isPolicy: Shape<PersonalApiKeyPolicy> = (v): v is PersonalApiKeyPolicy =>
  isObject(v) && Array.isArray(v.expirationOptions) && typeof v.defaultExpiration === 'string' &&
  typeof v.allowCustomExpiration === 'boolean' && Array.isArray(v.scopes) && typeof v.nameMaxLength === 'number'

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
    path: string,
    init: { body?: unknown; signal?: AbortSignal; idempotencyKey?: string; unwrap: 'data' | 'none'; shape: Shape<T> },
  ): Promise<ApiResponse<T, (typeof CALL_ERRORS)[C][number]>> {
    type K = (typeof CALL_ERRORS)[C][number]
    const fail = (error: ApiError<K | 'unexpectedOrUnhandled'>) => errorResponse<T, K>(error)

    if (init.signal?.aborted) return fail(transportError('aborted', init.signal.reason))
    // One controller for both causes; AbortSignal.any() signals can be collected mid-request on Node 20.
    const controller = new AbortController()
    let reason: TransportCode | null = null
    const abortFor = (why: TransportCode) => {
      reason ??= why
      controller.abort()
    }
    const timer = setTimeout(() => abortFor('timeout'), timeoutMs)
    const onCallerAbort = () => abortFor('aborted')
    init.signal?.addEventListener('abort', onCallerAbort)
    const signal = controller.signal
    const whyAborted = (): TransportCode | null => reason

    try {
      const headers = new Headers(options.headers)
      headers.set('Accept', 'application/json, application/problem+json')
      let accessToken: string | null | undefined
      try {
        accessToken = await options.getAccessToken?.()
      } catch (cause) {
        return fail(transportError('client_error', cause))
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
      if (reason) return fail(transportError(reason))
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
      const kind = (CALL_ERRORS[call] as readonly ErrorKind[]).includes(classified) ? (classified as K) : 'unexpectedOrUnhandled'
      const error: ApiError<K | 'unexpectedOrUnhandled'> = {
        kind,
        status: response.status,
        code,
        userFacingError: readableSentence(problem.detail) ?? DEFAULT_ERROR_MESSAGES[classified],
        requestId: typeof problem.requestId === 'string' ? problem.requestId : requestId,
      }
      const fieldErrors = fieldErrorsOf(problem.errors)
      if (fieldErrors) error.fieldErrors = fieldErrors
      if (response.status === 429 || response.status === 503) {
        const retryAfterSeconds = parseRetryAfter(response.headers.get('Retry-After'))
        if (retryAfterSeconds !== undefined) error.retryAfterSeconds = retryAfterSeconds
      }
      return fail(error)
    } catch (cause) {
      // Only our own bugs reach here; handle() must still get an answer.
      return fail(transportError('client_error', cause))
    } finally {
      clearTimeout(timer)
      init.signal?.removeEventListener('abort', onCallerAbort)
    }
  }

  const keyPath = (id: string) => `/v1/personal-access-tokens/${encodeURIComponent(id)}`

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
      return request<RotatedPersonalApiKey, 'rotate'>('rotate', 'POST', `${keyPath(id)}/rotate`, {
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
