import { describe, expect, it } from 'vitest'
import { act, renderHook, waitFor } from '@testing-library/react'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { createHttpClient, type AuthFrontendApis } from '../../src/client/index.ts'
import { createReferenceServer, memoryStore } from '../../src/server/index.ts'
import {
  AuthFrontendApisProvider,
  personalApiKeyKeys,
  useAuthFrontendApis,
  useCreatePersonalAccessToken,
  useListPersonalAccessTokens,
  useRevokePersonalAccessToken,
  useRotatePersonalAccessToken,
  useListPersonalApiKeys,
  useCreatePersonalApiKey,
  useRevokePersonalApiKey,
  useRotatePersonalApiKey,
} from '../../src/react/index.ts'

/** The real reference handler in process, with a gate to hold answers back so in-between states can be seen. */
function setup() {
  const store = memoryStore()
  const server = createReferenceServer({
    store,
    authenticate: async () => ({ userId: 'alice', canManagePersonalApiKeys: true }),
    rateLimit: false,
  })
  const requests: string[] = []
  let gate: Promise<void> | null = null
  let failNext: number | null = null
  const client: AuthFrontendApis = createHttpClient({
    baseUrl: 'https://api.test',
    fetch: async (request) => {
      requests.push(`${request.method} ${new URL(request.url).pathname}${new URL(request.url).search}`)
      if (gate) await gate
      if (failNext !== null) {
        const status = failNext
        failNext = null
        return Response.json({ code: 'internal_error', detail: 'Boom.' }, { status, headers: { 'Content-Type': 'application/problem+json' } })
      }
      return server.fetch(request)
    },
  })
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  const wrapper = ({ children }: { children: ReactNode }) => (
    <AuthFrontendApisProvider client={client} queryClient={queryClient}>
      {children}
    </AuthFrontendApisProvider>
  )
  return {
    store,
    client,
    queryClient,
    wrapper,
    requests,
    hold() {
      let release!: () => void
      gate = new Promise((resolve) => (release = resolve))
      return () => {
        gate = null
        release()
      }
    },
    failNextWith(status: number) {
      failNext = status
    },
  }
}

function cachesAsText(queryClient: QueryClient) {
  return JSON.stringify([
    queryClient.getQueryCache().getAll().map((query) => query.state),
    queryClient.getMutationCache().getAll().map((mutation) => mutation.state),
  ])
}

describe('useListPersonalAccessTokens', () => {
  it('returns items, totalCount and facets, and loads further pages by cursor', async () => {
    const env = setup()
    for (let i = 0; i < 5; i++) await env.client.createPersonalApiKey({ name: `key ${i}`, expiration: 'OneMonth' })
    const { result } = renderHook(() => useListPersonalAccessTokens({ limit: 2 }), { wrapper: env.wrapper })
    await waitFor(() => expect(result.current.data?.items).toHaveLength(2))
    expect(result.current.data?.totalCount).toBe(5)
    expect(result.current.data?.facets.status).toEqual({ active: 5, expired: 0, revoked: 0 })
    expect(result.current.data?.items.map((key: { name: string }) => key.name)).toEqual(['key 4', 'key 3'])
    await act(() => result.current.fetchNextPage())
    await act(() => result.current.fetchNextPage())
    await waitFor(() => expect(result.current.data?.items).toHaveLength(5))
    expect(result.current.hasNextPage).toBe(false)
    expect(env.requests.filter((r) => r.includes('cursor='))).toHaveLength(2)
  })

  it('returns TanStack’s tracked result: a component that reads only data does not re-render for a refetch', async () => {
    const env = setup()
    await env.client.createPersonalApiKey({ name: 'tracked', expiration: 'OneMonth' })
    let renders = 0
    const { result } = renderHook(
      () => {
        renders++
        return useListPersonalAccessTokens()
      },
      { wrapper: env.wrapper },
    )
    await waitFor(() => expect(result.current.data?.items).toHaveLength(1))
    const settled = renders
    // isFetching goes true and back to false; the data is unchanged, so nothing this reader uses changed.
    await act(() => env.queryClient.refetchQueries())
    expect(env.requests.filter((r) => r.startsWith('GET /v1/personal-access-tokens'))).toHaveLength(2)
    expect(renders).toBe(settled)
  })

  it('keeps the seed API’s hook names as aliases of the personal-API-key names', () => {
    expect(useListPersonalAccessTokens).toBe(useListPersonalApiKeys)
    expect(useCreatePersonalAccessToken).toBe(useCreatePersonalApiKey)
    expect(useRevokePersonalAccessToken).toBe(useRevokePersonalApiKey)
    expect(useRotatePersonalAccessToken).toBe(useRotatePersonalApiKey)
  })

  it('exposes the ApiError of a failed load', async () => {
    const env = setup()
    env.failNextWith(500)
    const { result } = renderHook(() => useListPersonalAccessTokens(), { wrapper: env.wrapper })
    await waitFor(() => expect(result.current.isError).toBe(true))
    expect(result.current.error).toMatchObject({ kind: 'unexpectedOrUnhandled', status: 500, code: 'internal_error' })
  })
})

describe('useRevokePersonalAccessToken', () => {
  it('shows the key revoked in the list before the server answers', async () => {
    const env = setup()
    const created = await env.client.createPersonalApiKey({ name: 'ci', expiration: 'OneMonth' })
    const { result } = renderHook(() => ({ list: useListPersonalAccessTokens(), revoke: useRevokePersonalAccessToken() }), {
      wrapper: env.wrapper,
    })
    await waitFor(() => expect(result.current.list.data?.items).toHaveLength(1))
    const release = env.hold()
    let settled: Promise<unknown> = Promise.resolve()
    act(() => {
      settled = result.current.revoke.mutateAsync({ id: created.data!.apiKey.id })
    })
    await waitFor(() => expect(result.current.list.data?.items[0]?.status).toBe('revoked'))
    expect(result.current.list.data?.facets.status).toEqual({ active: 0, expired: 0, revoked: 1 })
    expect(result.current.revoke.isPending).toBe(true)
    release()
    const response = (await act(() => settled)) as { ok: boolean }
    expect(response.ok).toBe(true)
    expect((await env.store.getKey({ type: 'user', id: 'alice' }, created.data!.apiKey.id))?.revokedAt).not.toBeNull()
  })

  it('rolls the list back when the server refuses, and resolves to a handle()-able error', async () => {
    const env = setup()
    const created = await env.client.createPersonalApiKey({ name: 'ci', expiration: 'OneMonth' })
    const { result } = renderHook(() => ({ list: useListPersonalAccessTokens(), revoke: useRevokePersonalAccessToken() }), {
      wrapper: env.wrapper,
    })
    await waitFor(() => expect(result.current.list.data?.items).toHaveLength(1))
    env.failNextWith(503)
    const response = await act(() => result.current.revoke.mutateAsync({ id: created.data!.apiKey.id }))
    expect(response.ok).toBe(false)
    expect(await response.handle({ success: () => 'ok', unexpectedOrUnhandled: (e) => e.status })).toBe(503)
    expect(result.current.list.data?.items[0]?.status).toBe('active')
    expect(result.current.list.data?.facets.status.active).toBe(1)
    await waitFor(() => expect(result.current.revoke.error).toMatchObject({ status: 503 }))
  })
})

describe('useCreatePersonalAccessToken', () => {
  it('puts the new key in the list without a refetch, and the token in neither cache', async () => {
    const env = setup()
    const { result } = renderHook(() => ({ list: useListPersonalAccessTokens(), create: useCreatePersonalAccessToken() }), {
      wrapper: env.wrapper,
    })
    await waitFor(() => expect(result.current.list.isSuccess).toBe(true))
    const listRequests = env.requests.filter((r) => r.startsWith('GET')).length
    const response = await act(() => result.current.create.mutateAsync({ name: 'My Campaign' }))
    const token = await response.handle({ success: (data) => data.token, unexpectedOrUnhandled: () => '' })
    expect(token).toMatch(/^pat_/)
    await waitFor(() => expect(result.current.list.data?.items.map((k) => k.name)).toEqual(['My Campaign']))
    expect(result.current.list.data?.totalCount).toBe(1)
    expect(env.requests.filter((r) => r.startsWith('GET'))).toHaveLength(listRequests)
    expect(result.current.create.data?.apiKey.name).toBe('My Campaign')
    expect(cachesAsText(env.queryClient)).not.toContain(token)
    expect(cachesAsText(env.queryClient)).not.toContain(token.slice(8))
  })

  it("accepts the seed's shapes: { name, expiresAt } and a bare ExpirationOption", async () => {
    const env = setup()
    const { result } = renderHook(() => useCreatePersonalAccessToken(), { wrapper: env.wrapper })
    const at = new Date(Date.now() + 10 * 86_400_000).toISOString()
    const dated = await act(() => result.current.mutateAsync({ name: 'dated', expiresAt: at }))
    expect(dated.data?.apiKey.expiresAt).toBe(at)
    const never = await act(() => result.current.mutateAsync({ name: 'forever', expiresAt: null }))
    expect(never.data?.apiKey.expiresAt).toBeNull()
    const bare = await act(() => result.current.mutateAsync('TwoWeeks'))
    expect(bare.ok).toBe(true)
  })

  it('calls mutate callbacks with the token once and keeps it out of the caches', async () => {
    const env = setup()
    const { result } = renderHook(() => useCreatePersonalAccessToken(), { wrapper: env.wrapper })
    let token = ''
    act(() => result.current.mutate({ name: 'cb' }, { onSuccess: (data) => (token = data.token) }))
    await waitFor(() => expect(token).toMatch(/^pat_/))
    expect(cachesAsText(env.queryClient)).not.toContain(token)
  })
})

describe('useRotatePersonalAccessToken', () => {
  it('marks the old key revoked, adds the new one, and keeps the token out of the caches', async () => {
    const env = setup()
    const created = await env.client.createPersonalApiKey({ name: 'svc', expiration: 'OneMonth' })
    const { result } = renderHook(() => ({ list: useListPersonalAccessTokens(), rotate: useRotatePersonalAccessToken() }), {
      wrapper: env.wrapper,
    })
    await waitFor(() => expect(result.current.list.data?.items).toHaveLength(1))
    const response = await act(() => result.current.rotate.mutateAsync({ id: created.data!.apiKey.id }))
    expect(response.ok).toBe(true)
    await waitFor(() => expect(result.current.list.data?.items).toHaveLength(2))
    const [fresh, old] = result.current.list.data!.items
    expect(fresh).toMatchObject({ name: 'svc', status: 'active' })
    expect(old).toMatchObject({ id: created.data!.apiKey.id, status: 'revoked' })
    expect(cachesAsText(env.queryClient)).not.toContain(response.data!.token)
  })
})

describe('AuthFrontendApisProvider', () => {
  it('names the fix when a hook is used without it', () => {
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={new QueryClient()}>{children}</QueryClientProvider>
    )
    expect(() => renderHook(() => useAuthFrontendApis(), { wrapper })).toThrow(
      'patkit: useAuthFrontendApis() must be inside <AuthFrontendApisProvider>',
    )
  })

  it('creates its own QueryClient when the app has none', async () => {
    const env = setup()
    const wrapper = ({ children }: { children: ReactNode }) => <AuthFrontendApisProvider client={env.client}>{children}</AuthFrontendApisProvider>
    const { result } = renderHook(() => useListPersonalAccessTokens(), { wrapper })
    await waitFor(() => expect(result.current.isSuccess).toBe(true))
  })

  it('uses the QueryClient of an enclosing QueryClientProvider', async () => {
    const env = setup()
    const queryClient = new QueryClient()
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={queryClient}>
        <AuthFrontendApisProvider client={env.client}>{children}</AuthFrontendApisProvider>
      </QueryClientProvider>
    )
    const { result } = renderHook(() => useListPersonalAccessTokens(), { wrapper })
    await waitFor(() => expect(result.current.isSuccess).toBe(true))
    expect(queryClient.getQueryData(personalApiKeyKeys.list())).toBeDefined()
  })

  it('reports 401s for a client written as a class, whose methods live on its prototype', async () => {
    const server = createReferenceServer({ store: memoryStore(), authenticate: async () => null })
    const http = createHttpClient({ baseUrl: 'https://api.test', fetch: (request) => server.fetch(request) })
    class AppClient implements AuthFrontendApis {
      createPersonalApiKey(...args: Parameters<AuthFrontendApis['createPersonalApiKey']>) { return http.createPersonalApiKey(...args) }
      fetchPersonalApiKeys(...args: Parameters<AuthFrontendApis['fetchPersonalApiKeys']>) { return http.fetchPersonalApiKeys(...args) }
      revokePersonalApiKey(...args: Parameters<AuthFrontendApis['revokePersonalApiKey']>) { return http.revokePersonalApiKey(...args) }
      rotatePersonalApiKey(...args: Parameters<AuthFrontendApis['rotatePersonalApiKey']>) { return http.rotatePersonalApiKey(...args) }
      updatePersonalApiKey(...args: Parameters<AuthFrontendApis['updatePersonalApiKey']>) { return http.updatePersonalApiKey(...args) }
      fetchPersonalApiKeyPolicy(...args: Parameters<AuthFrontendApis['fetchPersonalApiKeyPolicy']>) { return http.fetchPersonalApiKeyPolicy(...args) }
    }
    const seen: number[] = []
    const wrapper = ({ children }: { children: ReactNode }) => (
      <AuthFrontendApisProvider client={new AppClient()} queryClient={new QueryClient()} onUnauthorized={(error) => seen.push(error.status!)}>
        {children}
      </AuthFrontendApisProvider>
    )
    const { result } = renderHook(() => useAuthFrontendApis(), { wrapper })
    const { fetchPersonalApiKeys } = result.current
    expect((await fetchPersonalApiKeys()).error?.kind).toBe('unauthorized')
    expect(seen).toEqual([401])
  })

  it('keeps one client across re-renders with an inline onUnauthorized, and reports to the latest callback', async () => {
    const server = createReferenceServer({ store: memoryStore(), authenticate: async () => null })
    const client = createHttpClient({ baseUrl: 'https://api.test', fetch: (request) => server.fetch(request) })
    const queryClient = new QueryClient()
    const seen: string[] = []
    let label = 'first'
    const wrapper = ({ children }: { children: ReactNode }) => (
      <AuthFrontendApisProvider client={client} queryClient={queryClient} onUnauthorized={() => seen.push(label)}>
        {children}
      </AuthFrontendApisProvider>
    )
    const { result, rerender } = renderHook(() => useAuthFrontendApis(), { wrapper })
    const before = result.current
    label = 'second'
    rerender()
    expect(result.current).toBe(before)
    await result.current.fetchPersonalApiKeys()
    expect(seen).toEqual(['second'])
  })

  it('reports every 401 to onUnauthorized', async () => {
    const store = memoryStore()
    const server = createReferenceServer({ store, authenticate: async () => null })
    const client = createHttpClient({ baseUrl: 'https://api.test', fetch: (request) => server.fetch(request) })
    const seen: number[] = []
    const wrapper = ({ children }: { children: ReactNode }) => (
      <AuthFrontendApisProvider client={client} queryClient={new QueryClient()} onUnauthorized={(error) => seen.push(error.status!)}>
        {children}
      </AuthFrontendApisProvider>
    )
    const { result } = renderHook(() => useAuthFrontendApis(), { wrapper })
    const response = await result.current.createPersonalApiKey('Never')
    expect(response.error?.kind).toBe('unauthorized')
    expect(seen).toEqual([401])
  })
})
