import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { createHttpClient } from '../../src/client/index.ts'
import { AuthFrontendApisProvider, useAuthFrontendApis, useListPersonalAccessTokens } from '../../src/react/index.ts'
import { referenceServerForAlice, startServer, type TestServer } from '../client/http-server.ts'

/**
 * The provider given plain props, as a Next.js server component can give them (functions cannot
 * cross to the client): it makes the client itself, against the reference server on a real socket.
 */
let server: TestServer
beforeAll(async () => {
  const reference = referenceServerForAlice()
  server = await startServer((request) => reference.fetch(request))
  await createHttpClient({ baseUrl: server.url }).createPersonalApiKey({ name: 'Seen from the provider', expiration: 'OneMonth' })
})
afterAll(() => server.close())

describe('AuthFrontendApisProvider with baseUrl', () => {
  it('makes the client from baseUrl and headers, and the hooks load through it', async () => {
    server.forget()
    const wrapper = ({ children }: { children: ReactNode }) => (
      <AuthFrontendApisProvider baseUrl={server.url} credentials="include" headers={{ 'X-Tenant': 'acme' }}>
        {children}
      </AuthFrontendApisProvider>
    )
    const { result } = renderHook(() => useListPersonalAccessTokens(), { wrapper })
    await waitFor(() => expect(result.current.isSuccess).toBe(true))
    expect(result.current.data?.pages[0]?.items.map((key) => key.name)).toEqual(['Seen from the provider'])
    expect(server.received.map((request) => request.headers.get('X-Tenant'))).toEqual(['acme'])
  })

  it('keeps one client while the props are equal, new header objects included, and makes another when they change', () => {
    let props = { baseUrl: '/api', tenant: 'acme' }
    const { result, rerender } = renderHook(() => useAuthFrontendApis(), {
      wrapper: ({ children }: { children: ReactNode }) => (
        <AuthFrontendApisProvider baseUrl={props.baseUrl} headers={{ 'X-Tenant': props.tenant }}>
          {children}
        </AuthFrontendApisProvider>
      ),
    })
    const first = result.current
    props = { baseUrl: '/api', tenant: 'acme' }
    rerender()
    expect(result.current).toBe(first)
    props = { baseUrl: '/api', tenant: 'globex' }
    rerender()
    expect(result.current).not.toBe(first)
    const second = result.current
    props = { baseUrl: '/other-api', tenant: 'globex' }
    rerender()
    expect(result.current).not.toBe(second)
  })

  it('takes a client or a baseUrl, not both (a type error), and names the fix when given neither', () => {
    const client = createHttpClient({ baseUrl: '/api' })
    // @ts-expect-error client and baseUrl exclude each other
    void (<AuthFrontendApisProvider client={client} baseUrl="/api" />)
    const neither = { children: null } as unknown as { baseUrl: string }
    expect(() => renderHook(() => useAuthFrontendApis(), {
      wrapper: ({ children }: { children: ReactNode }) => <AuthFrontendApisProvider {...neither}>{children}</AuthFrontendApisProvider>,
    })).toThrow(/needs a client or a baseUrl/)
  })
})
