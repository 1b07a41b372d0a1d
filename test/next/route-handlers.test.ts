import { describe, expect, it, vi } from 'vitest'
import { createHttpClient, type AuthFrontendApis } from '../../src/client/index.ts'
import { createRouteHandlers, type RouteHandlers, type RouteHandlersOptions } from '../../src/next/index.ts'
import { isSameOriginOrNonBrowser, memoryStore, type KeyStore } from '../../src/server/index.ts'

/**
 * patkit/next's handlers called as Next.js calls a route file's exports: one function per method,
 * given the request. The page's origin is https://app.test; the catch-all lives at /api.
 */
const ORIGIN = 'https://app.test'
const alice = async () => ({ userId: 'alice', canManagePersonalApiKeys: true })
let keys = 0
/** A storeKey no other test uses: the stores live on globalThis for the whole run. */
const freshKey = () => `test-${process.pid}-${++keys}`

function handlersWith(options: Partial<RouteHandlersOptions> = {}): RouteHandlers {
  return createRouteHandlers({ store: memoryStore(), authenticate: alice, storeKey: freshKey(), ...options })
}

/** How Next.js dispatches to a route file: by method name. */
const dispatch = (handlers: RouteHandlers) => (request: Request) => handlers[request.method as keyof RouteHandlers](request)

function clientOf(handlers: RouteHandlers, baseUrl = `${ORIGIN}/api`): AuthFrontendApis {
  return createHttpClient({ baseUrl, fetch: dispatch(handlers) })
}

const post = (path: string, headers: Record<string, string>) =>
  new Request(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ name: 'k', expirationOption: 'OneMonth' }),
  })

describe('createRouteHandlers', () => {
  it('serves the REST contract under /api: create, list, revoke through createHttpClient', async () => {
    const api = clientOf(handlersWith())
    const created = await api.createPersonalApiKey({ name: 'From Next', expiration: 'OneMonth' })
    expect(created.data?.token).toMatch(/^pat_/)
    const listed = await api.fetchPersonalApiKeys()
    expect(listed.data?.items.map((key) => key.name)).toEqual(['From Next'])
    const revoked = await api.revokePersonalApiKey(created.data!.apiKey.id)
    expect(revoked.data?.status).toBe('revoked')
  })

  it('takes any prefix, with or without slashes around it', async () => {
    const handlers = handlersWith({ prefix: 'api/patkit/' })
    expect((await clientOf(handlers, `${ORIGIN}/api/patkit`).fetchPersonalApiKeys()).ok).toBe(true)
    const root = handlersWith({ prefix: '/' })
    expect((await clientOf(root, ORIGIN).fetchPersonalApiKeys()).ok).toBe(true)
  })

  it('answers 404 problem+json for a path outside its prefix', async () => {
    const handlers = handlersWith({ prefix: '/api/keys' })
    for (const path of ['/api/v1/personal-access-tokens', '/api/keysv1/personal-access-tokens']) {
      const response = await handlers.GET(new Request(`${ORIGIN}${path}`))
      expect(response.status, path).toBe(404)
      expect(response.headers.get('Content-Type')).toBe('application/problem+json')
      expect(await response.json()).toMatchObject({ code: 'not_found' })
    }
  })

  it('passes the query string through', async () => {
    const api = clientOf(handlersWith())
    await api.createPersonalApiKey({ name: 'alpha', expiration: 'OneMonth' })
    await api.createPersonalApiKey({ name: 'beta', expiration: 'OneMonth' })
    const page = await api.fetchPersonalApiKeys({ q: 'bet', sort: 'name' })
    expect(page.data?.items.map((key) => key.name)).toEqual(['beta'])
  })
})

describe('the store', () => {
  it('is opened on the first request, not when the route module loads, and once for concurrent requests', async () => {
    const open = vi.fn(async () => memoryStore())
    const handlers = handlersWith({ store: open })
    expect(open).not.toHaveBeenCalled()
    const api = clientOf(handlers)
    const answers = await Promise.all([api.fetchPersonalApiKeys(), api.fetchPersonalApiKeyPolicy(), api.fetchPersonalApiKeys()])
    expect(answers.map((answer) => answer.ok)).toEqual([true, true, true])
    expect(open).toHaveBeenCalledTimes(1)
  })

  it('survives a reload of the route module (next dev): the same storeKey reuses the opened store', async () => {
    const storeKey = freshKey()
    const open = vi.fn(async () => memoryStore())
    const first = clientOf(createRouteHandlers({ store: open, authenticate: alice, storeKey }))
    await first.createPersonalApiKey({ name: 'before the reload', expiration: 'OneMonth' })
    // The module is evaluated again: a new createRouteHandlers call with a new opener.
    const reopen = vi.fn(async () => memoryStore())
    const second = clientOf(createRouteHandlers({ store: reopen, authenticate: alice, storeKey }))
    expect((await second.fetchPersonalApiKeys()).data?.items.map((key) => key.name)).toEqual(['before the reload'])
    expect(open).toHaveBeenCalledTimes(1)
    expect(reopen).not.toHaveBeenCalled()
    // Another key is another store.
    expect((await clientOf(handlersWith({ store: async () => memoryStore() })).fetchPersonalApiKeys()).data?.totalCount).toBe(0)
  })

  it('answers 503 with Retry-After while it cannot be opened, reports why, and tries again on the next request', async () => {
    let attempts = 0
    const onUnexpectedError = vi.fn()
    const handlers = handlersWith({
      store: async (): Promise<KeyStore> => {
        attempts++
        if (attempts === 1) throw new Error('connect ECONNREFUSED 127.0.0.1:5432')
        return memoryStore()
      },
      onUnexpectedError,
    })
    const api = clientOf(handlers)
    const failed = await api.fetchPersonalApiKeys()
    expect(failed.error).toMatchObject({ kind: 'unexpectedOrUnhandled', status: 503, code: 'service_unavailable', retryAfterSeconds: 5 })
    expect(failed.error?.userFacingError).not.toMatch(/ECONNREFUSED/)
    expect(onUnexpectedError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/ECONNREFUSED/) }), expect.any(Request))
    expect((await api.fetchPersonalApiKeys()).ok).toBe(true)
    expect(attempts).toBe(2)
  })
})

describe('authenticate and the cross-site check', () => {
  it('refuses a state-changing request from another site without asking authenticate', async () => {
    const authenticate = vi.fn(alice)
    const handlers = handlersWith({ authenticate })
    const forgeries: Record<string, string>[] = [
      { Origin: 'https://evil.test' },
      { 'Sec-Fetch-Site': 'cross-site' },
      { Origin: 'null' },
      { 'Sec-Fetch-Site': 'same-site', Origin: 'https://sub.app.test' },
    ]
    for (const headers of forgeries) {
      const response = await handlers.POST(post('/api/v1/personal-access-tokens', headers))
      expect(response.status, JSON.stringify(headers)).toBe(401)
    }
    expect(authenticate).not.toHaveBeenCalled()
  })

  it('asks authenticate for same-origin browser requests and for requests not from a browser', async () => {
    const authenticate = vi.fn(alice)
    const handlers = handlersWith({ authenticate })
    const sameOrigin = await handlers.POST(post('/api/v1/personal-access-tokens', { Origin: ORIGIN, 'Sec-Fetch-Site': 'same-origin' }))
    expect(sameOrigin.status).toBe(201)
    const script = await handlers.POST(post('/api/v1/personal-access-tokens', {}))
    expect(script.status).toBe(409) // same name as above: it reached the store as alice
    expect(authenticate).toHaveBeenCalledTimes(2)
  })

  it('lets reads through whatever their origin (they change nothing, and CORS keeps the answer from the other site)', async () => {
    const handlers = handlersWith()
    const response = await handlers.GET(new Request(`${ORIGIN}/api/v1/personal-access-tokens`, { headers: { 'Sec-Fetch-Site': 'cross-site' } }))
    expect(response.status).toBe(200)
  })
})

describe('isSameOriginOrNonBrowser', () => {
  const request = (method: string, headers: Record<string, string>) => new Request(`${ORIGIN}/api/x`, { method, headers })
  it('accepts safe methods, same-origin requests and requests without browser headers', () => {
    expect(isSameOriginOrNonBrowser(request('GET', { Origin: 'https://evil.test' }))).toBe(true)
    expect(isSameOriginOrNonBrowser(request('DELETE', { Origin: ORIGIN }))).toBe(true)
    expect(isSameOriginOrNonBrowser(request('PATCH', { 'Sec-Fetch-Site': 'none' }))).toBe(true)
    expect(isSameOriginOrNonBrowser(request('POST', {}))).toBe(true)
  })

  it('refuses another origin, another site, and Origin: null', () => {
    expect(isSameOriginOrNonBrowser(request('DELETE', { Origin: 'https://evil.test' }))).toBe(false)
    expect(isSameOriginOrNonBrowser(request('POST', { 'Sec-Fetch-Site': 'cross-site', Origin: ORIGIN }))).toBe(false)
    expect(isSameOriginOrNonBrowser(request('POST', { Origin: 'null' }))).toBe(false)
  })
})
