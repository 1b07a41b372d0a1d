import { classifyError, transportError } from '../client/http.ts'
import { parseRetryAfter } from '../client/retry-after.ts'
import { DEFAULT_ERROR_MESSAGES } from '../client/response.ts'
import type { ApiError, ErrorKind } from '../client/types.ts'

/** What a Better Auth client call resolves to when it does not throw (better-fetch's `{ data, error }`). */
export interface BetterAuthErrorBody {
  status?: number
  statusText?: string
  message?: string
  code?: string
}

/**
 * Better Auth's error codes (core, the API-key plugin and its zod validation) and the callback each
 * reaches. A code not listed here goes by its HTTP status, as DESIGN's callback table says.
 */
const KIND_BY_CODE: Record<string, ErrorKind> = {
  EXPIRES_IN_IS_TOO_SMALL: 'invalidExpirationOption',
  EXPIRES_IN_IS_TOO_LARGE: 'invalidExpirationOption',
  KEY_DISABLED_EXPIRATION: 'invalidExpirationOption',
  // Organization keys (403 both): not a member reads as the contract's "no such organization for you";
  // a member whose role lacks the organization plugin's apiKey permission, as the permission callback.
  USER_NOT_MEMBER_OF_ORGANIZATION: 'orgNotFound',
  INSUFFICIENT_API_KEY_PERMISSIONS: 'noOrgApiKeyPermission',
  // Better Auth's CSRF check refusing the page's origin is a deployment fault, not the user's permission.
  MISSING_OR_NULL_ORIGIN: 'unexpectedOrUnhandled',
  INVALID_ORIGIN: 'unexpectedOrUnhandled',
}

/** Sentences for the codes whose Better Auth message is written for developers. */
export interface ErrorSentences {
  nameLength: string
  expirationTooShort: string
  expirationTooLong: string
}

function sentenceFor(code: string | null, sentences: ErrorSentences): string | undefined {
  switch (code) {
    case 'INVALID_NAME_LENGTH':
      return sentences.nameLength
    case 'NAME_REQUIRED':
      return 'Give the key a name.'
    case 'EXPIRES_IN_IS_TOO_SMALL':
      return sentences.expirationTooShort
    case 'EXPIRES_IN_IS_TOO_LARGE':
      return sentences.expirationTooLong
    case 'KEY_DISABLED_EXPIRATION':
      return 'This server sets the expiry of new keys itself; choose the default expiration.'
    case 'SERVER_ONLY_PROPERTY':
      return 'Better Auth lets only the server set a key’s permissions, so scopes cannot be chosen here.'
    case 'KEY_NOT_FOUND':
      return DEFAULT_ERROR_MESSAGES.apiKeyNotFound
    case 'UNAUTHORIZED':
    case 'UNAUTHORIZED_SESSION':
      return DEFAULT_ERROR_MESSAGES.unauthorized
    case 'USER_NOT_MEMBER_OF_ORGANIZATION':
      return DEFAULT_ERROR_MESSAGES.orgNotFound
    case 'INSUFFICIENT_API_KEY_PERMISSIONS':
      return DEFAULT_ERROR_MESSAGES.noOrgApiKeyPermission
    case 'USER_BANNED':
      return 'Your account is blocked, so it cannot manage API keys.'
    case 'MISSING_OR_NULL_ORIGIN':
    case 'INVALID_ORIGIN':
      return 'The server refused a request from this page’s address. Reload the page and try again.'
    default:
      return undefined
  }
}

const FIELD_BY_CODE: Record<string, string> = {
  INVALID_NAME_LENGTH: 'name',
  NAME_REQUIRED: 'name',
  EXPIRES_IN_IS_TOO_SMALL: 'expiresAt',
  EXPIRES_IN_IS_TOO_LARGE: 'expiresAt',
  KEY_DISABLED_EXPIRATION: 'expiresAt',
  SERVER_ONLY_PROPERTY: 'scopes',
}

/** The server's own message when it reads as a sentence (an app's hook may throw one); never markup or a trace. */
function readableMessage(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  return text.length > 0 && text.length <= 300 && !/[<\n]/.test(text) ? text : undefined
}

/**
 * A Better Auth error answer as patkit's error: the callback by code, else by status; a readable
 * sentence (ours for the codes whose message is for developers, the server's for the rest of the 4xx,
 * never for a 5xx); the wait of a 429 from Better Auth's `X-Retry-After` (or `Retry-After`).
 */
export function toApiErrorFromBetterAuth(error: BetterAuthErrorBody, headers: Headers | undefined, sentences: ErrorSentences): ApiError {
  const status = typeof error.status === 'number' ? error.status : null
  const code = typeof error.code === 'string' ? error.code : null
  if (status === null) return transportError('invalid_response', error)
  const kind = (code !== null ? KIND_BY_CODE[code] : undefined) ?? classifyError(status, null)
  const serverSentence = status < 500 ? readableMessage(error.message) : undefined
  const apiError: ApiError = {
    kind,
    status,
    code,
    userFacingError: sentenceFor(code, sentences) ?? serverSentence ?? DEFAULT_ERROR_MESSAGES[kind],
  }
  const field = code !== null ? FIELD_BY_CODE[code] : undefined
  if (field) apiError.fieldErrors = { [field]: apiError.userFacingError }
  if (status === 429 || status === 503) {
    const retryAfterSeconds = parseRetryAfter(headers?.get('X-Retry-After') ?? headers?.get('Retry-After') ?? null)
    if (retryAfterSeconds !== undefined) apiError.retryAfterSeconds = retryAfterSeconds
  }
  return apiError
}
