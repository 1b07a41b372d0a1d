/**
 * patkit/better-auth: patkit's `AuthFrontendApis` over a Better Auth client with the API-key plugin
 * (`better-auth` and `@better-auth/api-key` are optional peer dependencies of patkit, used by this
 * entry only; it imports nothing from them at run time).
 */
export {
  createBetterAuthApis,
  type BetterAuthApiKeyClient,
  type BetterAuthApisOptions,
  type BetterAuthFetchOptions,
  type BetterAuthKeyOptions,
} from './adapter.ts'
export { permissionsToScopes, toPersonalApiKey, type BetterAuthApiKey } from './keys.ts'
