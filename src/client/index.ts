export * from './types.ts'
export { resolveCapabilities, type ResolvedCapabilities } from './capabilities.ts'
export { createHttpClient, classifyError, type HttpClientOptions } from './http.ts'
export { parseHttpDate, parseRetryAfter } from './retry-after.ts'
export { okResponse, errorResponse, isApiError, toApiError, DEFAULT_ERROR_MESSAGES } from './response.ts'
export {
  addExpiration,
  resolveExpiresAt,
  checkExpiration,
  availableExpirationOptions,
  latestExpiresAt,
  isExpirationOption,
  parseInstant,
  type ExpirationCheck,
  type ExpirationProblem,
} from './expiration.ts'
export { checkKeyName, type KeyNameCheck, type KeyNameProblem } from './names.ts'
