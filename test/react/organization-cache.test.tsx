import { describe, expect, it } from 'vitest'
import { act, renderHook, waitFor } from '@testing-library/react'
import { QueryClient } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { createHttpClient, forOrganization, type AuthFrontendApis } from '../../src/client/index.ts'
import { createReferenceServer, memoryStore } from '../../src/server/index.ts'
import {
  AuthFrontendApisProvider,
  organizationApiKeyKeys,
  personalApiKeyKeys,
  useAuthFrontendApis,
  useCreatePersonalApiKey,
  useListPersonalApiKeys,
  useRevokePersonalApiKey,
} from '../../src/react/index.ts'
import { useKeyOwner } from '../../src/react/provider.tsx'

/** One user, her own keys and two organizations' through the real reference handler, one QueryClient for all three. */
function setup() {
  const server = createReferenceServer({
    store: memoryStore(),
    authenticate: async () => ({
      userId: 'alice',
      name: 'Alice',
      canManagePersonalApiKeys: true,
      organizations: [
        { id: 'acme', role: 'admin' },
        { id: 'globex', role: 'admin' },
      ],
    }),
    rateLimit: false,
  })
  const api = createHttpClient({ baseUrl: 'https://api.test', fetch: (request) => server.fetch(request) })
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  const wrapperFor =
    (client: AuthFrontendApis) =>
    ({ children }: { children: ReactNode }) => (
      <AuthFrontendApisProvider client={client} queryClient={queryClient} onUnauthorized={() => undefined}>
        {children}
      </AuthFrontendApisProvider>
    )
  return { api, queryClient, wrapperFor }
}

function useListAndCreate() {
  return { list: useListPersonalApiKeys(), create: useCreatePersonalApiKey(), revoke: useRevokePersonalApiKey() }
}

describe('one QueryClient for the user’s keys and organizations’', () => {
  it('keeps each owner’s lists apart: a key created or revoked in one never shows in another', async () => {
    const { api, queryClient, wrapperFor } = setup()
    const mine = renderHook(useListAndCreate, { wrapper: wrapperFor(api) })
    const acme = renderHook(useListAndCreate, { wrapper: wrapperFor(forOrganization(api, 'acme')) })
    const globex = renderHook(useListAndCreate, { wrapper: wrapperFor(forOrganization(api, 'globex')) })
    await waitFor(() => expect([mine, acme, globex].every((view) => view.result.current.list.isSuccess)).toBe(true))

    let created: Awaited<ReturnType<typeof acme.result.current.create.mutateAsync>> | undefined
    await act(async () => {
      created = await acme.result.current.create.mutateAsync({ name: 'deploy', expiration: 'OneMonth' })
    })
    expect(created?.ok).toBe(true)
    // TanStack tells observers of a cache change on its next tick.
    await waitFor(() => expect(acme.result.current.list.data?.items.map((key) => key.name)).toEqual(['deploy']))
    expect(mine.result.current.list.data?.items).toEqual([])
    expect(globex.result.current.list.data?.items).toEqual([])
    expect(queryClient.getQueryData(organizationApiKeyKeys('acme').list())).toBeDefined()
    expect(queryClient.getQueryData(personalApiKeyKeys.list())).toBeDefined()

    // The same name in another owner is another key; revoking one leaves the other active.
    await act(async () => {
      await mine.result.current.create.mutateAsync({ name: 'deploy', expiration: 'OneMonth' })
    })
    await act(async () => {
      await acme.result.current.revoke.mutateAsync({ id: created!.data!.apiKey.id })
    })
    await waitFor(() => expect(acme.result.current.list.data?.items.map((key) => key.status)).toEqual(['revoked']))
    await waitFor(() => expect(mine.result.current.list.data?.items.map((key) => key.status)).toEqual(['active']))
    expect(globex.result.current.list.data?.totalCount).toBe(0)
  })

  it('carries the organization through the provider’s 401 reporting, so components know whose keys they show', () => {
    const { api, wrapperFor } = setup()
    // wrapperFor passes onUnauthorized, so the provider wraps the client to report 401s.
    const { result } = renderHook(() => useKeyOwner(), { wrapper: wrapperFor(forOrganization(api, 'acme', { canManage: false })) })
    expect(result.current).toEqual({ type: 'organization', id: 'acme', canManage: false })
    expect(renderHook(() => useKeyOwner(), { wrapper: wrapperFor(api) }).result.current).toBeUndefined()
    expect(forOrganization(api, 'acme').owner).toEqual({ type: 'organization', id: 'acme' })
  })

  it('the provider’s organization prop: by value, so an inline object keeps one client; another id or permission makes another', () => {
    const { api, queryClient } = setup()
    let organization = { id: 'acme', canManage: true }
    const wrapper = ({ children }: { children: ReactNode }) => (
      <AuthFrontendApisProvider client={api} queryClient={queryClient} organization={{ ...organization }}>
        {children}
      </AuthFrontendApisProvider>
    )
    const { result, rerender } = renderHook(() => ({ client: useAuthFrontendApis(), owner: useKeyOwner() }), { wrapper })
    const first = result.current.client
    expect(result.current.owner).toEqual({ type: 'organization', id: 'acme', canManage: true })
    rerender()
    expect(result.current.client).toBe(first)
    organization = { id: 'acme', canManage: false }
    rerender()
    expect(result.current.client).not.toBe(first)
    expect(result.current.owner).toEqual({ type: 'organization', id: 'acme', canManage: false })
  })
})
