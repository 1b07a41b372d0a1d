import { useCallback, useMemo } from 'react'
import { useInfiniteQuery, useMutation, useQuery, type QueryClient, type UseMutationOptions, type UseMutationResult } from '@tanstack/react-query'
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
  createMutationOptions,
  handedOver,
  personalApiKeyQueries,
  revokeMutationOptions,
  rotateMutationOptions,
  updateMutationOptions,
  type CreateTokenVariables,
  type ListFilters,
  type RevokeVariables,
  type RotateVariables,
  type UpdateVariables,
} from './queries.ts'

// ---------------------------------------------------------------------------------------------
// Queries

export interface UseListPersonalAccessTokensOptions extends PatkitHookOptions {
  enabled?: boolean
}

/** The signed-in user's keys, page after page by cursor: `{ items, totalCount, facets, fetchNextPage, … }`. */
export function useListPersonalAccessTokens(filters: ListFilters = {}, options: UseListPersonalAccessTokensOptions = {}) {
  const { client, queryClient } = usePatkitContext('useListPersonalAccessTokens()', options)
  const query = useInfiniteQuery({ ...personalApiKeyQueries.list(client, filters), enabled: options.enabled ?? true }, queryClient)
  const pages = query.data?.pages
  const items = useMemo(() => pages?.flatMap((page) => page.items) ?? [], [pages])
  const first: PersonalApiKeyPage | undefined = pages?.[0]
  return {
    ...query,
    items,
    totalCount: first?.totalCount ?? 0,
    facets: first?.facets ?? null,
  }
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

export type CreatePersonalAccessTokenMutation = PatkitMutation<
  CreateTokenVariables,
  CreatedPersonalApiKey,
  CreateErrors,
  Omit<CreatedPersonalApiKey, 'token'>
>

/** Creates a key. `mutateAsync` resolves with the token once; the cache only ever holds its metadata. */
export function useCreatePersonalAccessToken(options: PatkitHookOptions = {}): CreatePersonalAccessTokenMutation {
  const { client, queryClient } = usePatkitContext('useCreatePersonalAccessToken()', options)
  return usePatkitMutation(createMutationOptions(client, queryClient), queryClient, handedOver<Omit<CreatedPersonalApiKey, 'token'>>)
}

export type RotatePersonalAccessTokenMutation = PatkitMutation<
  RotateVariables,
  RotatedPersonalApiKey,
  RotateErrors,
  Omit<RotatedPersonalApiKey, 'token'>
>

/** Rotates a key: the old one shows as revoked, the new one joins the lists; the token as for create. */
export function useRotatePersonalAccessToken(options: PatkitHookOptions = {}): RotatePersonalAccessTokenMutation {
  const { client, queryClient } = usePatkitContext('useRotatePersonalAccessToken()', options)
  return usePatkitMutation(rotateMutationOptions(client, queryClient), queryClient, handedOver<Omit<RotatedPersonalApiKey, 'token'>>)
}

const same = <T,>(value: T) => value

export type RevokePersonalAccessTokenMutation = PatkitMutation<RevokeVariables, PersonalApiKey, RevokeErrors, PersonalApiKey>

/** Revokes a key: every loaded list shows it revoked at once and rolls back if the server refuses. */
export function useRevokePersonalAccessToken(options: PatkitHookOptions = {}): RevokePersonalAccessTokenMutation {
  const { client, queryClient } = usePatkitContext('useRevokePersonalAccessToken()', options)
  return usePatkitMutation(revokeMutationOptions(client, queryClient), queryClient, same<PersonalApiKey>)
}

export type UpdatePersonalAccessTokenMutation = PatkitMutation<UpdateVariables, PersonalApiKey, UpdateErrors, PersonalApiKey>

/** Renames a key. */
export function useUpdatePersonalAccessToken(options: PatkitHookOptions = {}): UpdatePersonalAccessTokenMutation {
  const { client, queryClient } = usePatkitContext('useUpdatePersonalAccessToken()', options)
  return usePatkitMutation(updateMutationOptions(client, queryClient), queryClient, same<PersonalApiKey>)
}
