import { describe, expect, it } from 'vitest'
import { generateToken, type KeyStore, type MemoryStore } from '../../src/server/index.ts'
import { DAY, MINUTE, setup } from './helpers.ts'

const PATH = '/v1/personal-access-tokens'

function expectInvalidToken(response: { status: number; headers: Headers; body: { code: string } }) {
  expect(response.status).toBe(401)
  expect(response.body.code).toBe('invalid_token')
  expect(response.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"')
  expect(response.headers.get('Content-Type')).toBe('application/problem+json')
}

describe('GET /v1/me', () => {
  it('answers who the token belongs to', async () => {
    const { create, me } = setup()
    const { apiKey, token } = await create('alice', { name: 'a' })
    const response = await me(token)
    expect(response.status).toBe(200)
    expect(response.body).toEqual({ data: { owner: { type: 'user', id: 'alice' }, userId: 'alice', createdBy: { userId: 'alice', name: 'Alice' }, apiKeyId: apiKey.id, scopes: [] } })
  })

  it.each([
    ['no header', undefined],
    ['an empty bearer', 'Bearer '],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a session token', 'Bearer session-alice'],
  ])('answers 401 invalid_token to %s', async (_, authorization) => {
    const { app, create } = setup()
    await create('alice', { name: 'a' })
    const headers: Record<string, string> = authorization === undefined ? {} : { Authorization: authorization }
    const response = await app.fetch(new Request('http://test/v1/me', { headers }))
    expectInvalidToken({ status: response.status, headers: response.headers, body: await response.json() })
  })

  it('rejects a typo by its checksum without looking in the store', async () => {
    let lookups = 0
    const counting = (store: MemoryStore): KeyStore => ({
      ...store,
      findKeyByHash: (hash) => {
        lookups++
        return store.findKeyByHash(hash)
      },
    })
    const { create, me } = setup({ wrapStore: counting })
    const { token } = await create('alice', { name: 'a' })
    const typo = token.slice(0, 10) + (token[10] === 'x' ? 'y' : 'x') + token.slice(11)
    expectInvalidToken(await me(typo))
    expect(lookups).toBe(0)
    expect((await me(token)).status).toBe(200)
    expect(lookups).toBe(1)
  })

  it('rejects a well-formed token that was never issued', async () => {
    const { me } = setup()
    expectInvalidToken(await me(generateToken()))
  })

  it('rejects a token with another server’s prefix', async () => {
    const { create, me } = setup({ tokenPrefix: 'acme_' })
    const { token } = await create('alice', { name: 'a' })
    expect(token.startsWith('acme_')).toBe(true)
    expect((await me(token)).status).toBe(200)
    expectInvalidToken(await me(`pat_${token.slice(5)}`))
  })

  it('rejects a revoked token', async () => {
    const { call, create, me } = setup()
    const { apiKey, token } = await create('alice', { name: 'a' })
    await call('alice', 'DELETE', `${PATH}/${apiKey.id}`)
    expectInvalidToken(await me(token))
  })

  it('rejects a token from the instant it expires', async () => {
    const { create, me, clock } = setup()
    const { token } = await create('alice', { name: 'a', expirationOption: 'TwoWeeks' })
    clock.advance(14 * DAY - 1)
    expect((await me(token)).status).toBe(200)
    clock.advance(1)
    expectInvalidToken(await me(token))
  })

  it('writes lastUsedAt at most once a minute', async () => {
    const { app, create, me, clock, store } = setup()
    const { token } = await create('alice', { name: 'a' })
    const lastUsed = async () => {
      await app.settle()
      return store.snapshot().keys[0]!.lastUsedAt
    }
    expect(await lastUsed()).toBeNull()
    const first = clock.now().toISOString()
    await me(token)
    expect(await lastUsed()).toBe(first)
    clock.advance(MINUTE - 1)
    await me(token)
    expect(await lastUsed()).toBe(first)
    clock.advance(1)
    await me(token)
    expect(await lastUsed()).toBe(clock.now().toISOString())
  })

  it('answers before lastUsedAt is written, and a failing write does not turn a valid token away', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const stalled = (store: MemoryStore): KeyStore => ({
      ...store,
      markKeyUsed: async () => {
        await gate
        throw new Error('database busy')
      },
    })
    const { app, create, me } = setup({ wrapStore: stalled })
    const { token } = await create('alice', { name: 'a' })
    // The write never finishes while the gate is shut; the answer comes anyway.
    expect((await me(token)).status).toBe(200)
    release()
    await app.settle()
    expect((await me(token)).status).toBe(200)
  })

  it('shows lastUsedAt in the list', async () => {
    const { app, call, create, me, clock } = setup()
    const { token } = await create('alice', { name: 'a' })
    await me(token)
    await app.settle()
    expect((await call('alice', 'GET', PATH)).body.items[0].lastUsedAt).toBe(clock.now().toISOString())
  })
})
