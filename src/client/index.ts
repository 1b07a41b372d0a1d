export * from './types.ts'
export { resolveCapabilities, type ResolvedCapabilities } from './capabilities.ts'
export { createHttpClient, classifyError, parseRetryAfter, type HttpClientOptions } from './http.ts'
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
