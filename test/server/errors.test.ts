import { describe, expect, it } from 'vitest'
import { fixedWindowRateLimiter, memoryStore, type KeyStore, type MemoryStore, type RateLimiter } from '../../src/server/index.ts'
import { MINUTE, setup, setupWithStore, testClock } from './helpers.ts'

const PATH = '/v1/personal-access-tokens'
const ID = '00000000-0000-4000-8000-000000000000'

const MANAGEMENT: Array<[string, string, unknown]> = [
  ['POST', PATH, { name: 'a' }],
  ['GET', PATH, undefined],
  ['GET', `${PATH}/policy`, undefined],
  ['DELETE', `${PATH}/${ID}`, undefined],
  ['PATCH', `${PATH}/${ID}`, { name: 'b' }],
  ['POST', `${PATH}/${ID}/rotate`, {}],
]

describe('management access', () => {
  it.each(MANAGEMENT)('%s %s answers 401 with WWW-Authenticate: Bearer when nobody is signed in', async (method, path, body) => {
    const { call } = setup()
    const response = await call(null, method, path, body)
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer')
    expect(response.body.code).toBe('unauthorized')
  })

  it.each(MANAGEMENT)('%s %s answers 403 no_personal_api_key_permission without the permission', async (method, path, body) => {
    const { call } = setup()
    const response = await call('noperm-alice', method, path, body)
    expect(response.status).toBe(403)
    expect(response.body.code).toBe('no_personal_api_key_permission')
  })

  it.each(MANAGEMENT)('%s %s answers 403 personal_api_keys_disabled when the feature is off', async (method, path, body) => {
    const { call } = setup({ policy: { enabled: false } })
    const response = await call('alice', method, path, body)
    expect(response.status).toBe(403)
    expect(response.body.code).toBe('personal_api_keys_disabled')
  })

  it('asks the authenticator once per request', async () => {
    let calls = 0
    const { call } = setup({
      authenticate: async () => {
        calls++
        return { userId: 'alice', canManagePersonalApiKeys: true }
      },
    })
    for (const [method, path, body] of MANAGEMENT) {
      calls = 0
      await call('alice', method, path, body)
      expect(calls, `${method} ${path}`).toBe(1)
    }
  })

  it('does not use the session authenticator for /v1/me, nor personal access tokens for management', async () => {
    const { app, create } = setup()
    const { token } = await create('alice', { name: 'a' })
    const response = await app.fetch(new Request(`http://test${PATH}`, { headers: { Authorization: `Bearer ${token}` } }))
    expect(response.status).toBe(401)
  })
})

describe('problem responses', () => {
  it('follow RFC 9457 with a code, a readable detail and the request id', async () => {
    const { call } = setup()
    const response = await call('alice', 'POST', PATH, { name: '' })
    expect(response.headers.get('Content-Type')).toBe('application/problem+json')
    expect(response.body).toEqual({
      type: 'https://patkit.dev/problems/validation_failed',
      title: 'Invalid request',
      status: 400,
      detail: 'Enter a name.',
      code: 'validation_failed',
      requestId: response.headers.get('X-Request-Id'),
      errors: [{ pointer: '/name', detail: 'Enter a name.' }],
    })
  })

  it('every answer carries a fresh X-Request-Id', async () => {
    const { call } = setup()
    const a = await call('alice', 'GET', PATH)
    const b = await call(null, 'GET', PATH)
    const c = await call('alice', 'GET', '/nowhere')
    const ids = [a, b, c].map((r) => r.headers.get('X-Request-Id'))
    expect(ids.every((id) => typeof id === 'string' && id.length >= 16)).toBe(true)
    expect(new Set(ids).size).toBe(3)
  })

  it('answers an unknown route with a 404 not_found problem', async () => {
    const { call } = setup()
    for (const [method, path] of [['GET', '/'], ['GET', '/v2/personal-access-tokens'], ['PUT', PATH]] as const) {
      const response = await call('alice', method, path)
      expect(response.status, `${method} ${path}`).toBe(404)
      expect(response.body.code).toBe('not_found')
    }
  })

  it('turns a store failure into a 500 internal_error without stack or message', async () => {
    const reported: unknown[] = []
    const broken = (store: MemoryStore): KeyStore => ({
      ...store,
      listKeys: async () => {
        throw new Error('connection refused to db.internal:5432')
      },
      transaction: async () => {
        throw 'not even an Error'
      },
    })
    const { call } = setup({ wrapStore: broken, onUnexpectedError: (error) => reported.push(error) })
    for (const [method, body] of [['GET', undefined], ['POST', { name: 'a' }]] as const) {
      const response = await call('alice', method, PATH, body)
      expect(response.status).toBe(500)
      expect(response.headers.get('Content-Type')).toBe('application/problem+json')
      expect(response.headers.get('X-Request-Id')).toBe(response.body.requestId)
      expect(response.body).toMatchObject({ code: 'internal_error', status: 500 })
      const text = JSON.stringify(response.body)
      expect(text).not.toMatch(/db\.internal|connection refused|not even|at .*\.ts/)
      expect(Object.keys(response.body).sort()).toEqual(['code', 'detail', 'requestId', 'status', 'title', 'type'])
    }
    expect(reported).toHaveLength(2)
  })

  it('turns a throwing authenticator into a 500', async () => {
    const { call } = setup({
      authenticate: async () => {
        throw new Error('session store down')
      },
    })
    const response = await call('alice', 'GET', PATH)
    expect(response.status).toBe(500)
    expect(JSON.stringify(response.body)).not.toContain('session store down')
  })
})

describe('rate limiting', () => {
  it('answers 429 rate_limited with Retry-After once a user exceeds the limit on create and rotate', async () => {
    const clock = testClock()
    const { call, create } = setup({ now: clock.now, rateLimit: fixedWindowRateLimiter({ limit: 2, windowMs: MINUTE, now: clock.now }) })
    const { apiKey } = await create('alice', { name: 'a' })
    await create('alice', { name: 'b' })
    const refused = await call('alice', 'POST', PATH, { name: 'c' })
    expect(refused.status).toBe(429)
    expect(refused.body.code).toBe('rate_limited')
    expect(refused.headers.get('Retry-After')).toBe('60')
    // Separate budgets: rotate, and other users, are not affected by alice's creates.
    expect((await call('alice', 'POST', `${PATH}/${apiKey.id}/rotate`)).status).toBe(201)
    expect((await call('bob', 'POST', PATH, { name: 'a' })).status).toBe(201)
    clock.advance(45_000)
    expect((await call('alice', 'POST', PATH, { name: 'c' })).headers.get('Retry-After')).toBe('15')
    clock.advance(15_000)
    expect((await call('alice', 'POST', PATH, { name: 'c' })).status).toBe(201)
  })

  it('uses any RateLimiter, keyed per owner and operation', async () => {
    const keys: string[] = []
    const limiter: RateLimiter = {
      async check(key) {
        keys.push(key)
        return key.endsWith(':rotate') ? { ok: false, retryAfterSeconds: 7 } : { ok: true }
      },
    }
    const { call, create } = setup({ rateLimit: limiter })
    const { apiKey } = await create('alice', { name: 'a' })
    const response = await call('alice', 'POST', `${PATH}/${apiKey.id}/rotate`)
    expect(response.status).toBe(429)
    expect(response.headers.get('Retry-After')).toBe('7')
    expect(keys).toEqual(['user:alice:create', 'user:alice:rotate'])
  })

  it('can be turned off', async () => {
    const { call } = setup({ rateLimit: false })
    for (let i = 0; i < 70; i++) expect((await call('alice', 'POST', PATH, { name: `k${i}` })).status).toBe(201)
  })

  it('allows 60 creates a minute by default', async () => {
    const { call } = setup()
    for (let i = 0; i < 60; i++) expect((await call('alice', 'POST', PATH, { name: `k${i}` })).status).toBe(201)
    expect((await call('alice', 'POST', PATH, { name: 'one too many' })).status).toBe(429)
  })
})

describe('database faults', () => {
  const failing = (error: unknown) => (store: MemoryStore): KeyStore => ({
    ...store,
    listKeys: async () => {
      throw error
    },
    transaction: async () => {
      throw error
    },
  })
  const pgError = (code: string, message: string) => Object.assign(new Error(message), { code })

  it.each([
    ['the server shutting down (57P01)', pgError('57P01', 'terminating connection due to administrator command'), '2'],
    ['a refused connection', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), '2'],
    ['a dropped connection', new Error('Connection terminated unexpectedly'), '2'],
    ['too many connections (53300)', pgError('53300', 'sorry, too many clients already'), '2'],
    ['a lock timeout (55P03)', pgError('55P03', 'canceling statement due to lock timeout'), '1'],
    ['a statement timeout (57014)', pgError('57014', 'canceling statement due to statement timeout'), '1'],
    ['a serialization failure (40001)', pgError('40001', 'could not serialize access'), '1'],
  ])('answers 503 with Retry-After, never 500, to %s, and reports it', async (_, error, retryAfter) => {
    const reported: unknown[] = []
    const { call } = setup({ wrapStore: failing(error), onUnexpectedError: (e) => reported.push(e) })
    for (const [method, body] of [['GET', undefined], ['POST', { name: 'a' }]] as const) {
      const response = await call('alice', method, PATH, body)
      expect(response.status).toBe(503)
      expect(response.headers.get('Retry-After')).toBe(retryAfter)
      expect(response.body).toMatchObject({ code: 'service_unavailable', status: 503 })
      expect(JSON.stringify(response.body)).not.toContain((error as Error).message)
    }
    expect(reported).toEqual([error, error])
  })

  it('answers 400 invalid_value to any SQLSTATE of class 22 (data exception)', async () => {
    for (const code of ['22008', '22009', '22P02', '22021']) {
      const { call } = setup({ wrapStore: failing(pgError(code, 'date/time field value out of range')) })
      const response = await call('alice', 'GET', PATH)
      expect(response.status, code).toBe(400)
      expect(response.body.code).toBe('invalid_value')
    }
  })
})

describe('rate limits on every write', () => {
  it('limits rename and revoke per user, as create and rotate', async () => {
    const clock = testClock()
    const { call, create } = setup({ now: clock.now, rateLimit: fixedWindowRateLimiter({ limit: 3, windowMs: MINUTE, now: clock.now }) })
    const { apiKey } = await create('alice', { name: 'a' })
    const renames = []
    for (let i = 0; i < 4; i++) renames.push((await call('alice', 'PATCH', `${PATH}/${apiKey.id}`, { name: `n${i}` })).status)
    expect(renames).toEqual([200, 200, 200, 429])
    const revokes = []
    for (let i = 0; i < 4; i++) revokes.push((await call('alice', 'DELETE', `${PATH}/${apiKey.id}`)).status)
    expect(revokes).toEqual([200, 200, 200, 429])
    expect((await call('bob', 'DELETE', `${PATH}/${apiKey.id}`)).status).toBe(404)
  })

  it('counts in the store by default, so two servers on one store share the budget', async () => {
    const shared = memoryStore()
    const first = setupWithStore(shared)
    const second = setupWithStore(shared)
    const statuses = []
    for (let i = 0; i < 61; i++) statuses.push((await (i % 2 ? first : second).call('alice', 'POST', PATH, { name: `k${i}` })).status)
    expect(statuses.slice(0, 60).every((status) => status === 201)).toBe(true)
    expect(statuses[60]).toBe(429)
  })
})
