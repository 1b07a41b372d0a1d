import { useCallback, useMemo } from 'react'
import { useInfiniteQuery, useMutation, useQuery, type QueryClient, type UseInfiniteQueryOptions, type UseMutationOptions, type UseMutationResult } from '@tanstack/react-query'
import { resolveCapabilities, type ResolvedCapabilities } from '../client/capabilities.ts'
import { errorResponse, okResponse, toApiError } from '../client/response.ts'
import type {
  ApiError,
  ApiResponse,
  AuthFrontendApis,
  CreateErrors,
  CreatedPersonalApiKey,
  PersonalApiKey,
  PersonalApiKeyPage,
  RevokeErrors,
  RotateErrors,
  RotatedPersonalApiKey,
  SpecificErrorKind,
  UpdateErrors,
} from '../client/types.ts'
import { usePatkitContext, type PatkitHookOptions } from './provider.tsx'
import {
  handedOver,
  personalApiKeyMutations,
  personalApiKeyQueries,
  type CreatePersonalApiKeyVariables,
  type PersonalApiKeyList,
  type ListFilters,
  type ListQueryKey,
  type RevokeVariables,
  type RotateVariables,
  type UpdateVariables,
} from './queries.ts'

/**
 * What the provider's backend supports, defaults filled in (`resolveCapabilities`): the components
 * hide what it lacks (no Rotate item, no Custom… date, no scopes picker…) instead of failing on click.
 */
export function usePersonalApiKeyCapabilities(options: PatkitHookOptions = {}): ResolvedCapabilities {
  const { client } = usePatkitContext('usePersonalApiKeyCapabilities()', options)
  return useMemo(() => resolveCapabilities(client), [client])
}

// ---------------------------------------------------------------------------------------------
// Queries

export interface UseListPersonalApiKeysOptions extends PatkitHookOptions {
  enabled?: boolean
  /** TanStack's `placeholderData`, e.g. the previous order's keys while a new order loads. */
  placeholderData?: UseInfiniteQueryOptions<PersonalApiKeyPage, ApiError, PersonalApiKeyList, ListQueryKey, string | null>['placeholderData']
}

/**
 * The signed-in user's keys, page after page by cursor. TanStack's own result, so a component
 * re-renders only for the fields it reads: `data` is `{ items, totalCount, facets, pages }` once the
 * first page is there; `fetchNextPage`, `hasNextPage`, `isPending`, `error`… as usual.
 */
export function useListPersonalApiKeys(filters: ListFilters = {}, options: UseListPersonalApiKeysOptions = {}) {
  const { client, queryClient } = usePatkitContext('useListPersonalApiKeys()', options)
  return useInfiniteQuery(
    { ...personalApiKeyQueries.list(client, filters), enabled: options.enabled ?? true, placeholderData: options.placeholderData },
    queryClient,
  )
}

/** The server's rules for new keys: expiration presets, lifetime cap, scopes, name length. */
export function usePersonalApiKeyPolicy(options: PatkitHookOptions & { enabled?: boolean } = {}) {
  const { client, queryClient } = usePatkitContext('usePersonalApiKeyPolicy()', options)
  return useQuery({ ...personalApiKeyQueries.policy(client), enabled: options.enabled ?? true }, queryClient)
}

// ---------------------------------------------------------------------------------------------
// Mutations

export interface MutateCallbacks<TData> {
  onSuccess?: (data: TData) => void
  onError?: (error: ApiError) => void
  onSettled?: () => void
}

/**
 * A patkit mutation: React Query's state (`isPending`, `error`, `reset`, …) plus a `mutateAsync` that,
 * like the client, resolves to an `ApiResponse` with `handle()` and never rejects.
 */
export type PatkitMutation<TVariables, TData, K extends SpecificErrorKind, TStored> = Omit<
  UseMutationResult<TStored, ApiError, TVariables, unknown>,
  'mutate' | 'mutateAsync'
> & {
  mutate: (variables: TVariables, callbacks?: MutateCallbacks<TData>) => void
  mutateAsync: (variables: TVariables) => Promise<ApiResponse<TData, K>>
}

function usePatkitMutation<TVariables, TStored, TData, K extends SpecificErrorKind, TContext>(
  options: UseMutationOptions<TStored, ApiError, TVariables, TContext>,
  queryClient: QueryClient,
  reveal: (stored: TStored) => TData,
): PatkitMutation<TVariables, TData, K, TStored> {
  const mutation = useMutation(options, queryClient)
  const run = mutation.mutateAsync
  const mutateAsync = useCallback(
    async (variables: TVariables): Promise<ApiResponse<TData, K>> => {
      try {
        return okResponse<TData, K>(reveal(await run(variables)))
      } catch (error) {
        return errorResponse<TData, K>(toApiError(error) as ApiError<K | 'unexpectedOrUnhandled'>)
      }
    },
    [run, reveal],
  )
  const mutate = useCallback(
    (variables: TVariables, callbacks?: MutateCallbacks<TData>) => {
      void mutateAsync(variables).then((response) => {
        if (response.ok) callbacks?.onSuccess?.(response.data)
        else callbacks?.onError?.(response.error)
        callbacks?.onSettled?.()
      })
    },
    [mutateAsync],
  )
  return { ...(mutation as UseMutationResult<TStored, ApiError, TVariables, unknown>), mutate, mutateAsync }
}

export type CreatePersonalApiKeyMutation = PatkitMutation<
  CreatePersonalApiKeyVariables,
  CreatedPersonalApiKey,
  CreateErrors,
  Omit<CreatedPersonalApiKey, 'token'>
>

/** Creates a key. `mutateAsync` resolves with the token once; the cache only ever holds its metadata. */
export function useCreatePersonalApiKey(options: PatkitHookOptions = {}): CreatePersonalApiKeyMutation {
  const { client, queryClient } = usePatkitContext('useCreatePersonalApiKey()', options)
  return usePatkitMutation(personalApiKeyMutations.create(client, queryClient), queryClient, handedOver<Omit<CreatedPersonalApiKey, 'token'>>)
}

export type RotatePersonalApiKeyMutation = PatkitMutation<
  RotateVariables,
  RotatedPersonalApiKey,
  RotateErrors,
  Omit<RotatedPersonalApiKey, 'token'>
>

/** Rotates a key: the old one shows as revoked, the new one joins the lists; the token as for create. */
export function useRotatePersonalApiKey(options: PatkitHookOptions = {}): RotatePersonalApiKeyMutation {
  const { client, queryClient } = usePatkitContext('useRotatePersonalApiKey()', options)
  return usePatkitMutation(personalApiKeyMutations.rotate(client, queryClient), queryClient, handedOver<Omit<RotatedPersonalApiKey, 'token'>>)
}

const same = <T,>(value: T) => value

export type RevokePersonalApiKeyMutation = PatkitMutation<RevokeVariables, PersonalApiKey, RevokeErrors, PersonalApiKey>

/** Revokes a key: every loaded list shows it revoked at once and rolls back if the server refuses. */
export function useRevokePersonalApiKey(options: PatkitHookOptions = {}): RevokePersonalApiKeyMutation {
  const { client, queryClient } = usePatkitContext('useRevokePersonalApiKey()', options)
  return usePatkitMutation(personalApiKeyMutations.revoke(client, queryClient), queryClient, same<PersonalApiKey>)
}

export type UpdatePersonalApiKeyMutation = PatkitMutation<UpdateVariables, PersonalApiKey, UpdateErrors, PersonalApiKey>

/** Edits a key's name and/or description. */
export function useUpdatePersonalApiKey(options: PatkitHookOptions = {}): UpdatePersonalApiKeyMutation {
  const { client, queryClient } = usePatkitContext('useUpdatePersonalApiKey()', options)
  return usePatkitMutation(personalApiKeyMutations.update(client, queryClient), queryClient, same<PersonalApiKey>)
}

// ---------------------------------------------------------------------------------------------
// The hook names of the PropelAuth-style seed API, kept as aliases of the names above.

/** Alias of `useListPersonalApiKeys` (the seed API's name). */
export const useListPersonalAccessTokens = useListPersonalApiKeys
/** Alias of `useCreatePersonalApiKey` (the seed API's name). */
export const useCreatePersonalAccessToken = useCreatePersonalApiKey
/** Alias of `useRevokePersonalApiKey` (the seed API's name). */
export const useRevokePersonalAccessToken = useRevokePersonalApiKey
/** Alias of `useRotatePersonalApiKey` (the seed API's name). */
export const useRotatePersonalAccessToken = useRotatePersonalApiKey
/** Alias of `useUpdatePersonalApiKey`, in the seed API's style. */
export const useUpdatePersonalAccessToken = useUpdatePersonalApiKey

// ---------------------------------------------------------------------------------------------
// Organization-flavoured names: the same hooks, for code that works inside
// `<AuthFrontendApisProvider organization={{ id }}>` (or with a `forOrganization` client) and reads better so.

/** Alias of `useListPersonalApiKeys`: the keys of the provider's organization. */
export const useListOrganizationApiKeys = useListPersonalApiKeys
/** Alias of `usePersonalApiKeyPolicy`: the rules for the provider's organization's keys. */
export const useOrganizationApiKeyPolicy = usePersonalApiKeyPolicy
/** Alias of `useCreatePersonalApiKey`. */
export const useCreateOrganizationApiKey = useCreatePersonalApiKey
/** Alias of `useRevokePersonalApiKey`. */
export const useRevokeOrganizationApiKey = useRevokePersonalApiKey
/** Alias of `useRotatePersonalApiKey`. */
export const useRotateOrganizationApiKey = useRotatePersonalApiKey
/** Alias of `useUpdatePersonalApiKey`. */
export const useUpdateOrganizationApiKey = useUpdatePersonalApiKey
