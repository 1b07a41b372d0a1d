export {
  AuthFrontendApisProvider,
  useAuthFrontendApis,
  createPatkitQueryClient,
  type AuthFrontendApisProviderProps,
  type PatkitHookOptions,
} from './provider.tsx'
export {
  personalApiKeyKeys,
  personalApiKeyQueries,
  revokeMutationOptions,
  updateMutationOptions,
  createMutationOptions,
  rotateMutationOptions,
  type ListFilters,
  type SeedCreateInput,
  type CreateTokenVariables,
  type ListData,
  type RevokeVariables,
  type RotateVariables,
  type UpdateVariables,
} from './queries.ts'
export {
  useListPersonalAccessTokens,
  usePersonalApiKeyPolicy,
  useCreatePersonalAccessToken,
  useRevokePersonalAccessToken,
  useRotatePersonalAccessToken,
  useUpdatePersonalAccessToken,
  type PatkitMutation,
  type MutateCallbacks,
  type UseListPersonalAccessTokensOptions,
} from './hooks.ts'
