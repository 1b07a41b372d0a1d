import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import {
  fixedWindowRateLimiter,
  generateToken,
  memoryStore,
  personalAccessTokenAuth,
  personalAccessTokenVerifier,
  verifyPersonalAccessToken,
  type KeyStore,
  type MemoryStore,
  type PersonalAccessTokenVariables,
} from '../../src/server/index.ts'
import { DAY, MINUTE, setup, testClock } from './helpers.ts'

const PATH = '/v1/personal-access-tokens'
const SCOPES = [
  { id: 'read:projects', description: 'Read projects' },
  { id: 'write:projects', description: 'Change projects' },
]

/** The reference server for issuing keys, and an app route of its own guarded by personalAccessTokenAuth on the same store. */
function appWithRoute(options: { scopes?: string[]; wrapStore?: (store: MemoryStore) => KeyStore } = {}) {
  const env = setup({ policy: { scopes: SCOPES }, wrapStore: options.wrapStore })
  const app = new Hono<{ Variables: PersonalAccessTokenVariables }>()
  const store = options.wrapStore ? options.wrapStore(env.store) : env.store
  app.get('/projects', personalAccessTokenAuth({ store, scopes: options.scopes, now: env.clock.now, clientAddress: (r) => r.headers.get('x-test-peer') }), (c) =>
    c.json({ auth: c.get('personalAccessToken') }),
  )
  const get = async (token: string | null, peer = '192.0.2.1') => {
    const headers: Record<string, string> = { 'x-test-peer': peer }
    if (token !== null) headers.Authorization = `Bearer ${token}`
    const response = await app.fetch(new Request('http://test/projects', { headers }))
    return { status: response.status, headers: response.headers, body: await response.json() }
  }
  return { ...env, get }
}

describe('verifyPersonalAccessToken', () => {
  it('says whose key it is and why not: malformed, unknown, revoked, expired', async () => {
    const { create, call, store, clock } = setup({ policy: { scopes: SCOPES } })
    const active = await create('alice', { name: 'a', scopes: ['read:projects'] })
    const revoked = await create('alice', { name: 'b' })
    await call('alice', 'DELETE', `${PATH}/${revoked.apiKey.id}`)
    const expiring = await create('alice', { name: 'c', expirationOption: 'TwoWeeks' })
    const now = clock.now()
    expect(await verifyPersonalAccessToken(store, active.token, { now })).toEqual({
      ok: true,
      owner: { type: 'user', id: 'alice' },
      userId: 'alice',
      createdBy: { userId: 'alice', name: 'Alice' },
      apiKeyId: active.apiKey.id,
      scopes: ['read:projects'],
    })
    expect(await verifyPersonalAccessToken(store, 'pat_nope', { now })).toEqual({ ok: false, reason: 'malformed' })
    expect(await verifyPersonalAccessToken(store, generateToken(), { now })).toEqual({ ok: false, reason: 'unknown' })
    expect(await verifyPersonalAccessToken(store, revoked.token, { now })).toEqual({ ok: false, reason: 'revoked' })
    expect(await verifyPersonalAccessToken(store, expiring.token, { now: new Date(now.getTime() + 14 * DAY) })).toEqual({ ok: false, reason: 'expired' })
    expect(await verifyPersonalAccessToken(store, active.token, { now, tokenPrefix: 'acme_' })).toEqual({ ok: false, reason: 'malformed' })
  })
})

describe('personalAccessTokenAuth', () => {
  it('puts { owner, userId, createdBy, apiKeyId, scopes } on the context for a key with every required scope', async () => {
    const { create, get } = appWithRoute({ scopes: ['read:projects'] })
    const { apiKey, token } = await create('alice', { name: 'a', scopes: ['read:projects', 'write:projects'] })
    const response = await get(token)
    expect(response.status).toBe(200)
    expect(response.body).toEqual({
      auth: {
        owner: { type: 'user', id: 'alice' },
        userId: 'alice',
        createdBy: { userId: 'alice', name: 'Alice' },
        apiKeyId: apiKey.id,
        scopes: ['read:projects', 'write:projects'],
      },
    })
  })

  it('answers 403 insufficient_scope naming the scopes, per RFC 6750, to a valid key without them', async () => {
    const { create, get } = appWithRoute({ scopes: ['read:projects', 'write:projects'] })
    const { token } = await create('alice', { name: 'a', scopes: ['read:projects'] })
    const response = await get(token)
    expect(response.status).toBe(403)
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer error="insufficient_scope", scope="read:projects write:projects"')
    expect(response.headers.get('Content-Type')).toBe('application/problem+json')
    expect(response.body).toMatchObject({ code: 'insufficient_scope', requiredScopes: ['read:projects', 'write:projects'] })
    expect(response.body.detail).toContain('write:projects')
  })

  it.each([
    ['no token', null],
    ['a malformed token', 'pat_short'],
    ['a token never issued', generateToken()],
  ])('answers 401 invalid_token with WWW-Authenticate to %s', async (_, token) => {
    const { get } = appWithRoute()
    const response = await get(token)
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"')
    expect(response.body.code).toBe('invalid_token')
  })

  it('refuses a revoked key at once', async () => {
    const { create, call, get } = appWithRoute()
    const { apiKey, token } = await create('alice', { name: 'a' })
    expect((await get(token)).status).toBe(200)
    await call('alice', 'DELETE', `${PATH}/${apiKey.id}`)
    expect((await get(token)).status).toBe(401)
  })

  it('limits failed verifications per client address before looking tokens up, and lets other addresses and valid keys through', async () => {
    let lookups = 0
    const counting = (store: MemoryStore): KeyStore => ({
      ...store,
      findKeyByHash: (hash) => {
        lookups++
        return store.findKeyByHash(hash)
      },
    })
    const { create, get, clock } = appWithRoute({ wrapStore: counting })
    const { token } = await create('alice', { name: 'a' })
    for (let i = 0; i < 60; i++) expect((await get(generateToken(), '198.51.100.7')).status).toBe(401)
    expect(lookups).toBe(60)
    const refused = await get(generateToken(), '198.51.100.7')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('Retry-After')).toBe('60')
    expect(refused.body.code).toBe('rate_limited')
    // Refused without a lookup, even for a valid key from that address.
    expect((await get(token, '198.51.100.7')).status).toBe(429)
    expect(lookups).toBe(60)
    // Another address is unaffected, and successes are never counted.
    for (let i = 0; i < 70; i++) expect((await get(token, '203.0.113.9')).status).toBe(200)
    clock.advance(MINUTE)
    expect((await get(token, '198.51.100.7')).status).toBe(200)
  })

  it('answers 503 with Retry-After when the database is unreachable', async () => {
    const down = (store: MemoryStore): KeyStore => ({
      ...store,
      findKeyByHash: async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
      },
    })
    const { get } = appWithRoute({ wrapStore: down })
    const response = await get(generateToken())
    expect(response.status).toBe(503)
    expect(response.headers.get('Retry-After')).toBe('2')
    expect(response.body.code).toBe('service_unavailable')
    expect(JSON.stringify(response.body)).not.toContain('ECONNREFUSED')
  })
})

describe('personalAccessTokenVerifier (the Fetch-API form)', () => {
  it('answers who the key speaks for, or the response to send instead', async () => {
    const { create, store } = setup({ policy: { scopes: SCOPES } })
    const { apiKey, token } = await create('bob', { name: 'a', scopes: ['read:projects'] })
    const verify = personalAccessTokenVerifier({ store, scopes: ['read:projects'] })
    // As in a Next.js route handler: export async function GET(request) { … }
    const handler = async (request: Request) => {
      const result = await verify(request)
      if (!result.ok) return result.response
      return Response.json({ projectsOf: result.auth.userId, key: result.auth.apiKeyId })
    }
    const ok = await handler(new Request('http://app/api/projects', { headers: { Authorization: `Bearer ${token}` } }))
    expect(await ok.json()).toEqual({ projectsOf: 'bob', key: apiKey.id })
    const refused = await handler(new Request('http://app/api/projects'))
    expect(refused.status).toBe(401)
    expect(refused.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(refused.headers.get('Cache-Control')).toBe('no-store')
  })

  it('takes the client address per request (Express’s req.ip) and any limiter with peek', async () => {
    const store = memoryStore()
    const clock = testClock()
    const verify = personalAccessTokenVerifier({ store, failedVerificationLimit: fixedWindowRateLimiter({ limit: 2, windowMs: MINUTE, now: clock.now }) })
    const request = () => new Request('http://app/x', { headers: { Authorization: `Bearer ${generateToken()}` } })
    const status = async (clientAddress?: string) => {
      const result = await verify(request(), clientAddress === undefined ? {} : { clientAddress })
      return result.ok ? 200 : result.response.status
    }
    expect(await status('10.0.0.1')).toBe(401)
    expect(await status('10.0.0.1')).toBe(401)
    expect(await status('10.0.0.1')).toBe(429)
    expect(await status('10.0.0.2')).toBe(401)
    // No address known: not limited.
    for (let i = 0; i < 3; i++) expect(await status()).toBe(401)
  })
})

describe('keys of organizations', () => {
  const ORG = '/v1/organizations/acme/api-keys'

  /** A route of the app's taking `owner` keys, and a key of Alice's and one of Acme's to call it with. */
  async function routeTaking(owner?: 'user' | 'organization' | 'any') {
    const { call, create, store } = setup({ policy: { scopes: SCOPES } })
    const personal = await create('alice', { name: 'mine', scopes: ['read:projects'] })
    const organizational = (await call('alice', 'POST', ORG, { name: 'ours', scopes: ['read:projects'] })).body.data
    const verify = personalAccessTokenVerifier({ store, scopes: ['read:projects'], ...(owner ? { owner } : {}) })
    const as = async (token: string) => {
      const result = await verify(new Request('http://app/api/projects', { headers: { Authorization: `Bearer ${token}` } }))
      return result.ok
        ? { status: 200, auth: result.auth as unknown, headers: new Headers() }
        : { status: result.response.status, body: await result.response.json(), headers: result.response.headers }
    }
    return { personal, organizational, as }
  }

  it('takes only personal keys by default: an organization’s key must not act as the user who made it', async () => {
    const { personal, organizational, as } = await routeTaking()
    expect(await as(personal.token)).toMatchObject({ status: 200, auth: { owner: { type: 'user', id: 'alice' }, userId: 'alice' } })
    const refused = await as(organizational.token)
    expect(refused).toMatchObject({ status: 403, body: { code: 'key_owner_not_accepted', acceptedOwner: 'user' } })
    expect(refused.headers.get('WWW-Authenticate')).toBe('Bearer error="insufficient_scope"')
  })

  it('says whose an organization’s key is, and who made it, on a route that takes them', async () => {
    const { personal, organizational, as } = await routeTaking('organization')
    expect(await as(organizational.token)).toEqual({
      status: 200,
      headers: expect.any(Headers),
      auth: {
        owner: { type: 'organization', id: 'acme' },
        userId: null,
        createdBy: { userId: 'alice', name: 'Alice' },
        apiKeyId: organizational.apiKey.id,
        scopes: ['read:projects'],
      },
    })
    expect(await as(personal.token)).toMatchObject({ status: 403, body: { code: 'key_owner_not_accepted', acceptedOwner: 'organization' } })
  })

  it('takes both with owner: any, still checking the scopes', async () => {
    const { personal, organizational, as } = await routeTaking('any')
    expect((await as(personal.token)).status).toBe(200)
    expect((await as(organizational.token)).status).toBe(200)
    const { call, store } = setup({ policy: { scopes: SCOPES } })
    const unscoped = (await call('alice', 'POST', ORG, { name: 'unscoped' })).body.data.token
    const verify = personalAccessTokenVerifier({ store, scopes: ['read:projects'], owner: 'any' })
    const result = await verify(new Request('http://app/x', { headers: { Authorization: `Bearer ${unscoped}` } }))
    expect(result.ok === false && (await result.response.json()).code).toBe('insufficient_scope')
  })

  it('puts the organization on the Hono context for personalAccessTokenAuth({ owner: "organization" })', async () => {
    const { call, store } = setup()
    const { token } = (await call('olivia', 'POST', ORG, { name: 'ci' })).body.data
    const app = new Hono<{ Variables: PersonalAccessTokenVariables<'organization'> }>()
    app.get('/org-projects', personalAccessTokenAuth({ store, owner: 'organization' }), (c) => c.json({ organizationId: c.get('personalAccessToken').owner.id }))
    const response = await app.fetch(new Request('http://test/org-projects', { headers: { Authorization: `Bearer ${token}` } }))
    expect(await response.json()).toEqual({ organizationId: 'acme' })
  })
})

describe('/v1/me', () => {
  it('uses the same verification, failure limit included', async () => {
    const { app, create } = setup({ clientAddress: (request) => request.headers.get('x-test-peer') })
    const { token } = await create('alice', { name: 'a' })
    const me = (bearer: string) => app.fetch(new Request('http://test/v1/me', { headers: { Authorization: `Bearer ${bearer}`, 'x-test-peer': '192.0.2.5' } }))
    for (let i = 0; i < 60; i++) expect((await me(generateToken())).status).toBe(401)
    expect((await me(token)).status).toBe(429)
  })
})
