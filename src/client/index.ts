export * from './types.ts'
export { resolveCapabilities, hasOrgApiKeyMethods, type ResolvedCapabilities } from './capabilities.ts'
export { forOrganization } from './organizations.ts'
export { createHttpClient, classifyError, type HttpClientOptions } from './http.ts'
export { parseHttpDate, parseRetryAfter } from './retry-after.ts'
export { okResponse, errorResponse, isApiError, toApiError, DEFAULT_ERROR_MESSAGES } from './response.ts'
export {
  addExpiration,
  resolveExpiresAt,
  checkExpiration,
  availableExpirationOptions,
  latestExpiresAt,
  customExpirationRange,
  localDay,
  endOfLocalDay,
  isExpirationOption,
  parseInstant,
  type CustomExpirationRange,
  type ExpirationCheck,
  type ExpirationProblem,
} from './expiration.ts'
export {
  checkKeyName,
  checkKeyDescription,
  type KeyDescriptionCheck,
  type KeyDescriptionProblem,
  type KeyNameCheck,
  type KeyNameProblem,
} from './names.ts'
