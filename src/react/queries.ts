import {
  infiniteQueryOptions,
  queryOptions,
  type InfiniteData,
  type QueryClient,
  type UseMutationOptions,
} from '@tanstack/react-query'
import {
  DEFAULT_SORT,
  KEY_STATUSES,
  type ApiError,
  type AuthFrontendApis,
  type CreatePersonalApiKeyInput,
  type CreatedPersonalApiKey,
  type Expiration,
  type ExpirationOption,
  type GracePeriodOption,
  type ListParams,
  type PersonalApiKey,
  type PersonalApiKeyPage,
  type PersonalApiKeyPolicy,
  type PersonalApiKeyStatus,
  type RotatedPersonalApiKey,
} from '../client/types.ts'

/** List filters; the cursor is the query's own business. */
export type ListFilters = Omit<ListParams, 'cursor'>

function normalizeFilters(filters: ListFilters = {}): ListFilters {
  const out: ListFilters = {}
  const q = filters.q?.trim()
  if (q) out.q = q
  if (filters.status) out.status = filters.status
  if (filters.sort && filters.sort !== DEFAULT_SORT) out.sort = filters.sort
  if (filters.limit) out.limit = filters.limit
  return out
}

/** A list's query key: its owner's prefix, `'list'`, then the normalized filters, always last. */
export type ListQueryKey = readonly [...string[], 'list', ListFilters]

/** The query keys of one owner's keys under `all`, so invalidation can target them by prefix. */
export interface ApiKeyQueryKeys<All extends readonly string[]> {
  all: All
  lists: () => readonly [...All, 'list']
  list: (filters?: ListFilters) => readonly [...All, 'list', ListFilters]
  policy: () => readonly [...All, 'policy']
}

function queryKeysUnder<All extends readonly string[]>(all: All): ApiKeyQueryKeys<All> {
  return {
    all,
    lists: () => [...all, 'list'] as const,
    list: (filters) => [...all, 'list', normalizeFilters(filters)] as const,
    policy: () => [...all, 'policy'] as const,
  }
}

/** Every query key patkit uses for the signed-in user's keys, from one place. */
export const personalApiKeyKeys = queryKeysUnder(['patkit', 'personalApiKeys'] as const)

/**
 * The same keys for one organization's (a client from `forOrganization`): its own prefix, so a page
 * with the user's keys and an organization's, or two organizations', never mixes their lists.
 */
export const organizationApiKeyKeys = (orgId: string) => queryKeysUnder(['patkit', 'organizationApiKeys', orgId] as const)

/** The query keys of the keys `client` manages. */
export function apiKeyKeysFor(client: Pick<AuthFrontendApis, 'owner'>): ApiKeyQueryKeys<readonly string[]> {
  return client.owner?.type === 'organization' ? organizationApiKeyKeys(client.owner.id) : personalApiKeyKeys
}

/** The filters of a list's query key. */
export const listFiltersOf = (queryKey: readonly unknown[]) => (queryKey[queryKey.length - 1] ?? {}) as ListFilters

/**
 * Whether `queryKey` lists the same keys as `filters` on `client`, perhaps in another order: then its
 * rows may stand in while the new order loads. Another owner's keys never do (an app that switches
 * organizations must not show the last one's keys under the new one's name).
 */
export function isReordering(queryKey: readonly unknown[], client: Pick<AuthFrontendApis, 'owner'>, filters: ListFilters): boolean {
  const lists = apiKeyKeysFor(client).lists()
  const before = listFiltersOf(queryKey)
  const next = normalizeFilters(filters)
  return queryKey.length === lists.length + 1 && lists.every((part, i) => queryKey[i] === part) && before.q === next.q && before.status === next.status
}

/** Queries throw the `ApiError` so React Query's error state, retry and rollback see it. */
async function unwrap<T>(pending: Promise<{ ok: true; data: T } | { ok: false; error: ApiError }>): Promise<T> {
  const response = await pending
  if (!response.ok) throw response.error
  return response.data
}

export type ListData = InfiniteData<PersonalApiKeyPage, string | null>

/** What a list query's `data` holds: every loaded key in order, the server's count and facets, and the pages. */
export interface PersonalApiKeyList extends ListData {
  /** The keys of every page loaded so far. */
  items: PersonalApiKey[]
  /** Keys matching `q` and `status` on the server (not just those loaded). */
  totalCount: number
  /** Keys per status for the current `q`, ignoring the status filter. */
  facets: PersonalApiKeyPage['facets']
}

const sameStrings = (a: string[], b: string[]) => a.length === b.length && a.every((value, i) => value === b[i])
const sameKey = (a: PersonalApiKey, b: PersonalApiKey) =>
  a.name === b.name && a.start === b.start && a.status === b.status && a.createdAt === b.createdAt && a.expiresAt === b.expiresAt &&
  a.lastUsedAt === b.lastUsedAt && a.revokedAt === b.revokedAt && sameStrings(a.scopes, b.scopes)
const sameFacets = (a: PersonalApiKeyPage['facets'], b: PersonalApiKeyPage['facets']) =>
  KEY_STATUSES.every((status) => a.status[status] === b.status[status])

/**
 * Structural sharing for lists, by key id: an unchanged key keeps its object wherever it moved, and
 * unchanged pages their page, so a refetch with the same answer changes nothing and a re-sort re-renders
 * only the rows that show other keys. TanStack's default compares the old and the new list position by
 * position, all fields deep: about 100 ms for 10,000 keys on every answer. The selected list
 * (`selectList`, built from the shared pages) is kept while its pages are the same ones.
 */
function shareList(previous: unknown, next: unknown): unknown {
  const before = previous as ListData | undefined
  const after = next as ListData
  if (!before?.pages) return next
  const samePages = (pages: PersonalApiKeyPage[]) =>
    pages.length === before.pages.length && pages.every((page, i) => page === before.pages[i]) &&
    after.pageParams.length === before.pageParams.length && after.pageParams.every((param, i) => param === before.pageParams[i])
  if ('items' in after) return samePages(after.pages) ? before : next
  const known = new Map(before.pages.flatMap((page) => page.items).map((item) => [item.id, item]))
  const pages = after.pages.map((page, index) => {
    const items = page.items.map((item) => {
      const old = known.get(item.id)
      return old && sameKey(old, item) ? old : item
    })
    const old = before.pages[index]
    const unchanged =
      old && old.totalCount === page.totalCount && old.nextCursor === page.nextCursor && sameFacets(old.facets, page.facets) &&
      old.items.length === items.length && items.every((item, i) => item === old.items[i])
    return unchanged ? old : { ...page, items }
  })
  return samePages(pages) ? before : { ...after, pages }
}

/** The pages as one list (`select`: TanStack runs it once per change of the pages, not per render). */
function selectList(data: ListData): PersonalApiKeyList {
  const first = data.pages[0]
  return {
    ...data,
    items: data.pages.flatMap((page) => page.items),
    totalCount: first?.totalCount ?? 0,
    facets: first?.facets ?? { status: { active: 0, expired: 0, revoked: 0 } },
  }
}

export const personalApiKeyQueries = {
  list: (client: AuthFrontendApis, filters?: ListFilters) =>
    infiniteQueryOptions<PersonalApiKeyPage, ApiError, PersonalApiKeyList, ListQueryKey, string | null>({
      queryKey: apiKeyKeysFor(client).list(filters),
      queryFn: ({ pageParam, signal }) =>
        unwrap(client.fetchPersonalApiKeys({ ...normalizeFilters(filters), ...(pageParam ? { cursor: pageParam } : {}) }, { signal })),
      initialPageParam: null,
      getNextPageParam: (last) => last.nextCursor,
      select: selectList,
      structuralSharing: shareList,
    }),
  policy: (client: AuthFrontendApis) =>
    queryOptions<PersonalApiKeyPolicy, ApiError>({
      queryKey: apiKeyKeysFor(client).policy(),
      queryFn: ({ signal }) => unwrap(client.fetchPersonalApiKeyPolicy({ signal })),
      // A policy changes with a deploy, not while a page is open.
      staleTime: 5 * 60_000,
    }),
}

// ---------------------------------------------------------------------------------------------
// Cache updates: keep every loaded list in step with what the server confirmed, without refetching.

const matchesQuery = (key: PersonalApiKey, filters: ListFilters) =>
  !filters.q || key.name.toLowerCase().includes(filters.q.toLowerCase())

type Keys = ApiKeyQueryKeys<readonly string[]>

/** The loaded lists of one owner's keys (`keys`: theirs, from `apiKeyKeysFor`): a write to one owner's keys leaves the others' lists alone. */
function listEntries(queryClient: QueryClient, keys: Keys) {
  return queryClient.getQueriesData<ListData>({ queryKey: keys.lists() })
}

function findLoadedKey(queryClient: QueryClient, keys: Keys, id: string): PersonalApiKey | undefined {
  for (const [, data] of listEntries(queryClient, keys)) {
    for (const page of data?.pages ?? []) {
      const found = page.items.find((item) => item.id === id)
      if (found) return found
    }
  }
  return undefined
}

function shiftFacet(page: PersonalApiKeyPage, from: PersonalApiKeyStatus | null, to: PersonalApiKeyStatus): PersonalApiKeyPage {
  if (from === to) return page
  const status = { ...page.facets.status, [to]: page.facets.status[to] + 1 }
  if (from) status[from] = Math.max(0, status[from] - 1)
  return { ...page, facets: { status } }
}

/** Replaces a key wherever it is loaded (`previous`, when the caller has found it); a revoked key stays in the list, with its new status. */
function replaceKeyInLists(queryClient: QueryClient, keys: Keys, next: PersonalApiKey, previous = findLoadedKey(queryClient, keys, next.id)) {
  if (!previous) return
  for (const [queryKey, data] of listEntries(queryClient, keys)) {
    if (!data) continue
    const filters = listFiltersOf(queryKey)
    queryClient.setQueryData<ListData>(queryKey, {
      ...data,
      pages: data.pages.map((page) => {
        const items = page.items.map((item) => (item.id === next.id ? next : item))
        const counted = matchesQuery(previous, filters) ? shiftFacet(page, previous.status, next.status) : page
        return { ...counted, items }
      }),
    })
  }
}

/** Shows a loaded key revoked before the server answers. */
function markRevoked(queryClient: QueryClient, keys: Keys, id: string, revokedAt: string) {
  const current = findLoadedKey(queryClient, keys, id)
  if (current && current.status !== 'revoked') replaceKeyInLists(queryClient, keys, { ...current, status: 'revoked', revokedAt }, current)
}

/**
 * Puts a newly created key's metadata (never its token) into the loaded lists. Lists in the default
 * order get it at the top; a list sorted otherwise is refetched, since only the server knows where it goes.
 */
function addKeyToLists(queryClient: QueryClient, keys: Keys, created: PersonalApiKey) {
  for (const [queryKey, data] of listEntries(queryClient, keys)) {
    if (!data || data.pages.length === 0) continue
    const filters = listFiltersOf(queryKey)
    if (!matchesQuery(created, filters)) continue
    if (data.pages.some((page) => page.items.some((item) => item.id === created.id))) continue
    const shows = !filters.status || filters.status === created.status
    if (shows && (filters.sort ?? DEFAULT_SORT) !== DEFAULT_SORT) {
      void queryClient.invalidateQueries({ queryKey, exact: true })
      continue
    }
    queryClient.setQueryData<ListData>(queryKey, {
      ...data,
      pages: data.pages.map((page, index) => {
        const counted = shiftFacet(page, null, created.status)
        if (!shows) return counted
        return {
          ...counted,
          totalCount: page.totalCount + 1,
          items: index === 0 ? [created, ...page.items] : page.items,
        }
      }),
    })
  }
}

// ---------------------------------------------------------------------------------------------
// Mutations

export interface RevokeVariables {
  id: string
}
export interface RotateVariables {
  id: string
  expiration?: Expiration
  /** How long the old key keeps working; omitted: it stops at once. */
  gracePeriod?: GracePeriodOption
}
/** The fields given change; a `description` of `null` or `""` removes it. */
export interface UpdateVariables {
  id: string
  name?: string
  description?: string | null
}

type Snapshot = [readonly unknown[], ListData | undefined][]

/**
 * Revoke shows at once in every loaded list and rolls back if the server refuses. An `apiKeyNotFound`
 * means the key is gone already, so the lists are refetched rather than rolled back.
 */
function revokeMutationOptions(
  client: AuthFrontendApis,
  queryClient: QueryClient,
): UseMutationOptions<PersonalApiKey, ApiError, RevokeVariables, { snapshot: Snapshot }> {
  const keys = apiKeyKeysFor(client)
  return {
    mutationFn: ({ id }) => unwrap(client.revokePersonalApiKey(id)),
    onMutate: async ({ id }) => {
      await queryClient.cancelQueries({ queryKey: keys.lists() })
      const snapshot = listEntries(queryClient, keys)
      markRevoked(queryClient, keys, id, new Date().toISOString())
      return { snapshot }
    },
    onError: (error, _variables, context) => {
      for (const [queryKey, data] of context?.snapshot ?? []) queryClient.setQueryData(queryKey, data)
      if (error.kind === 'apiKeyNotFound') void queryClient.invalidateQueries({ queryKey: keys.lists() })
    },
    onSuccess: (apiKey) => replaceKeyInLists(queryClient, keys, apiKey),
  }
}

function updateMutationOptions(
  client: AuthFrontendApis,
  queryClient: QueryClient,
): UseMutationOptions<PersonalApiKey, ApiError, UpdateVariables> {
  const keys = apiKeyKeysFor(client)
  return {
    mutationFn: ({ id, ...input }) => unwrap(client.updatePersonalApiKey(id, input)),
    onSuccess: (apiKey) => replaceKeyInLists(queryClient, keys, apiKey),
  }
}

/**
 * The plaintext token must never sit in the MutationCache. The mutation stores the key's metadata
 * only; the token waits here, keyed by that stored object, until `mutateAsync` hands it to its caller.
 */
const pendingTokens = new WeakMap<object, string>()

function withheld<T extends { token: string }>(created: T): Omit<T, 'token'> {
  const { token, ...metadata } = created
  pendingTokens.set(metadata, token)
  return metadata
}

export function handedOver<T extends object>(metadata: T): T & { token: string } {
  const token = pendingTokens.get(metadata) ?? ''
  pendingTokens.delete(metadata)
  return { ...metadata, token }
}

/**
 * What a create mutation takes: the client's inputs, or `{ name, expiresAt }` with an ISO instant
 * (`null` for never), the form `useCreatePersonalAccessToken` callers send.
 */
export type CreatePersonalApiKeyVariables =
  | ExpirationOption
  | CreatePersonalApiKeyInput
  | { name: string; expiresAt?: string | null; scopes?: string[]; description?: string | null }

function toCreateInput(variables: CreatePersonalApiKeyVariables): ExpirationOption | CreatePersonalApiKeyInput {
  if (typeof variables === 'string' || !('expiresAt' in variables)) return variables
  const { expiresAt, ...rest } = variables
  return { ...rest, expiration: expiresAt === null ? 'Never' : expiresAt === undefined ? undefined : { expiresAt } }
}

/** Creates a key, from the client's inputs or `{ name, expiresAt }`. */
function createMutationOptions(
  client: AuthFrontendApis,
  queryClient: QueryClient,
): UseMutationOptions<Omit<CreatedPersonalApiKey, 'token'>, ApiError, CreatePersonalApiKeyVariables> {
  const keys = apiKeyKeysFor(client)
  return {
    mutationFn: async (variables) => withheld(await unwrap(client.createPersonalApiKey(toCreateInput(variables)))),
    gcTime: 0,
    onSuccess: ({ apiKey }) => addKeyToLists(queryClient, keys, apiKey),
  }
}

/** Rotates a key: the old one shows as revoked, the new one joins the lists. */
function rotateMutationOptions(
  client: AuthFrontendApis,
  queryClient: QueryClient,
): UseMutationOptions<Omit<RotatedPersonalApiKey, 'token'>, ApiError, RotateVariables> {
  const keys = apiKeyKeysFor(client)
  return {
    mutationFn: async ({ id, expiration, gracePeriod }) => {
      const input = { ...(expiration ? { expiration } : {}), ...(gracePeriod && gracePeriod !== 'None' ? { gracePeriod } : {}) }
      return withheld(await unwrap(client.rotatePersonalApiKey(id, Object.keys(input).length > 0 ? input : undefined)))
    },
    gcTime: 0,
    onSuccess: ({ apiKey, previous: { gracePeriod: _, ...previous } }) => {
      // Revoked at once, or still active until the end of its grace period: the server says which.
      replaceKeyInLists(queryClient, keys, previous)
      addKeyToLists(queryClient, keys, apiKey)
    },
  }
}

/**
 * Mutation options for each write, as `personalApiKeyQueries` has them for reads: for a custom hook,
 * `useMutation(personalApiKeyMutations.revoke(client, queryClient))`. Each keeps every loaded list in
 * step with what the server confirmed, and create and rotate keep the token out of the mutation cache.
 */
export const personalApiKeyMutations = {
  create: createMutationOptions,
  revoke: revokeMutationOptions,
  rotate: rotateMutationOptions,
  update: updateMutationOptions,
}
