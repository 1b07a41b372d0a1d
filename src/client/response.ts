import type {
  ApiError,
  ApiResponse,
  ErrorKind,
  HandledResult,
  ResponseHandlers,
  SpecificErrorKind,
} from './types.ts'

/** Readable defaults for when the server gives no sentence of its own. */
export const DEFAULT_ERROR_MESSAGES: Record<ErrorKind, string> = {
  invalidExpirationOption: 'That expiration is not allowed.',
  badRequest: 'Some of the details are not valid. Check the fields and try again.',
  unauthorized: 'You are signed out. Sign in again to manage your API keys.',
  noPersonalApiKeyPermission: 'You do not have permission to manage personal API keys.',
  personalApiKeysDisabled: 'Personal API keys are turned off for your account.',
  noOrgApiKeyPermission: 'You do not have permission to manage this organization’s API keys.',
  apiKeyNotFound: 'This API key no longer exists.',
  orgNotFound: 'This organization does not exist, or you are not a member of it.',
  conflict: 'That change conflicts with the current state of your keys.',
  rateLimited: 'Too many requests. Wait a moment and try again.',
  unexpectedOrUnhandled: 'Something went wrong. Try again.',
}

type AnyHandlers = Partial<Record<ErrorKind, (error: ApiError) => unknown>> & { success: (data: never) => unknown }

/**
 * Runs exactly one callback. A missing specific callback falls back to `unexpectedOrUnhandled`,
 * so an app only writes the cases it has something special to say about.
 */
async function runHandlers(result: { ok: true; data: unknown } | { ok: false; error: ApiError }, handlers: AnyHandlers) {
  if (result.ok) return (handlers.success as (data: unknown) => unknown)(result.data)
  const specific = handlers[result.error.kind]
  const fallback = handlers.unexpectedOrUnhandled
  if (!fallback) throw new TypeError('patkit: handle() needs an unexpectedOrUnhandled callback')
  return (specific ?? fallback)(result.error)
}

type Settled<T, K extends SpecificErrorKind> = { ok: true; data: T } | { ok: false; error: ApiError<K | 'unexpectedOrUnhandled'> }

function respond<T, K extends SpecificErrorKind>(result: Settled<T, K>): ApiResponse<T, K> {
  return {
    ...result,
    handle<H extends ResponseHandlers<T, K>>(handlers: H) {
      return runHandlers(result as Settled<unknown, K>, handlers as unknown as AnyHandlers) as Promise<HandledResult<H>>
    },
  } as ApiResponse<T, K>
}

export function okResponse<T, K extends SpecificErrorKind>(data: T): ApiResponse<T, K> {
  return respond<T, K>({ ok: true, data })
}

export function errorResponse<T, K extends SpecificErrorKind>(error: ApiError<K | 'unexpectedOrUnhandled'>): ApiResponse<T, K> {
  return respond<T, K>({ ok: false, error })
}

/** True for values shaped like an `ApiError` (e.g. what a patkit mutation rejects with). */
export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' && value !== null && 'kind' in value && 'userFacingError' in value &&
    typeof (value as ApiError).userFacingError === 'string'
  )
}

/** Wraps anything thrown outside the transport (a bug, a rejected promise) as an unexpected error. */
export function toApiError(value: unknown): ApiError {
  if (isApiError(value)) return value
  return {
    kind: 'unexpectedOrUnhandled',
    status: null,
    code: 'client_error',
    userFacingError: DEFAULT_ERROR_MESSAGES.unexpectedOrUnhandled,
    cause: value,
  }
}
