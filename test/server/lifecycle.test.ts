import { describe, expect, it } from 'vitest'
import type { KeyStore, MemoryStore, StoreTransaction } from '../../src/server/index.ts'
import { DAY, MINUTE, setup } from './helpers.ts'

const PATH = '/v1/personal-access-tokens'

describe('ownership', () => {
  it('answers 404 api_key_not_found for another user’s key on revoke, rotate and rename, and leaves it alone', async () => {
    const { call, create, me } = setup()
    const { apiKey, token } = await create('alice', { name: 'mine' })
    for (const [method, path, body] of [
      ['DELETE', `${PATH}/${apiKey.id}`, undefined],
      ['POST', `${PATH}/${apiKey.id}/rotate`, {}],
      ['PATCH', `${PATH}/${apiKey.id}`, { name: 'stolen' }],
    ] as const) {
      const response = await call('mallory', method, path, body)
      expect(response.status, `${method} ${path}`).toBe(404)
      expect(response.body.code).toBe('api_key_not_found')
    }
    expect((await me(token)).status).toBe(200)
    const list = await call('alice', 'GET', PATH)
    expect(list.body.items[0]).toMatchObject({ name: 'mine', status: 'active' })
    expect((await call('mallory', 'GET', PATH)).body.totalCount).toBe(0)
  })

  it.each([['00000000-0000-4000-8000-000000000000'], ['not-a-uuid'], ["1' OR '1'='1"]])(
    'answers 404 for the unknown id %j',
    async (id) => {
      const { call } = setup()
      const response = await call('alice', 'DELETE', `${PATH}/${encodeURIComponent(id)}`)
      expect(response.status).toBe(404)
      expect(response.body.code).toBe('api_key_not_found')
    },
  )
})

describe('DELETE /v1/personal-access-tokens/:id', () => {
  it('revokes the key, and revoking again answers 200 with the same revokedAt', async () => {
    const { call, create, clock } = setup()
    const { apiKey } = await create('alice', { name: 'a' })
    clock.advance(MINUTE)
    const first = await call('alice', 'DELETE', `${PATH}/${apiKey.id}`)
    expect(first.status).toBe(200)
    expect(first.body.data).toMatchObject({ id: apiKey.id, status: 'revoked', revokedAt: clock.now().toISOString() })
    clock.advance(MINUTE)
    const second = await call('alice', 'DELETE', `${PATH}/${apiKey.id}`)
    expect(second.status).toBe(200)
    expect(second.body.data.revokedAt).toBe(first.body.data.revokedAt)
  })

  it('revokes an expired key', async () => {
    const { call, create, clock } = setup()
    const { apiKey } = await create('alice', { name: 'a', expirationOption: 'TwoWeeks' })
    clock.advance(15 * DAY)
    const response = await call('alice', 'DELETE', `${PATH}/${apiKey.id}`)
    expect(response.body.data.status).toBe('revoked')
  })
})

describe('PATCH /v1/personal-access-tokens/:id', () => {
  it('renames the key, trimmed', async () => {
    const { call, create } = setup()
    const { apiKey } = await create('alice', { name: 'old' })
    const response = await call('alice', 'PATCH', `${PATH}/${apiKey.id}`, { name: '  new  ' })
    expect(response.status).toBe(200)
    expect(response.body.data).toMatchObject({ id: apiKey.id, name: 'new', start: apiKey.start })
  })

  it('allows renaming a key to its own name', async () => {
    const { call, create } = setup()
    const { apiKey } = await create('alice', { name: 'same' })
    expect((await call('alice', 'PATCH', `${PATH}/${apiKey.id}`, { name: 'same' })).status).toBe(200)
  })

  it('refuses another active key’s name with 409 name_taken, but not a revoked key’s', async () => {
    const { call, create } = setup()
    const taken = await create('alice', { name: 'taken' })
    const { apiKey } = await create('alice', { name: 'other' })
    const refused = await call('alice', 'PATCH', `${PATH}/${apiKey.id}`, { name: 'taken' })
    expect(refused.status).toBe(409)
    expect(refused.body).toMatchObject({ code: 'name_taken', errors: [{ pointer: '/name' }] })
    await call('alice', 'DELETE', `${PATH}/${taken.apiKey.id}`)
    expect((await call('alice', 'PATCH', `${PATH}/${apiKey.id}`, { name: 'taken' })).status).toBe(200)
  })

  it.each([[{}], [{ name: '' }], [{ name: 'x'.repeat(257) }], [{ name: null }], [{ name: 'x'.repeat(257), description: 'ok' }]])('refuses %j with 400 at /name', async (body) => {
    const { call, create } = setup()
    const { apiKey } = await create('alice', { name: 'a' })
    const response = await call('alice', 'PATCH', `${PATH}/${apiKey.id}`, body)
    expect(response.status).toBe(400)
    expect(response.body).toMatchObject({ code: 'validation_failed', errors: [{ pointer: '/name' }] })
  })

  it('edits the description alone, the name alone, or both, and removes it with null or ""', async () => {
    const { call, create } = setup()
    const { apiKey } = await create('alice', { name: 'a', description: 'first' })
    const edit = async (body: Record<string, unknown>) => (await call('alice', 'PATCH', `${PATH}/${apiKey.id}`, body)).body.data
    expect(await edit({ description: ' second\r\nline ' })).toMatchObject({ name: 'a', description: 'second\nline' })
    expect(await edit({ name: 'b' })).toMatchObject({ name: 'b', description: 'second\nline' })
    expect(await edit({ name: 'c', description: 'third' })).toMatchObject({ name: 'c', description: 'third' })
    expect(await edit({ description: null })).toMatchObject({ name: 'c', description: null })
    expect(await edit({ description: 'back' })).toMatchObject({ description: 'back' })
    expect(await edit({ description: '' })).toMatchObject({ description: null })
  })

  it('refuses a description it would refuse on create, changing nothing', async () => {
    const { call, create, store } = setup()
    const { apiKey } = await create('alice', { name: 'a', description: 'kept' })
    const response = await call('alice', 'PATCH', `${PATH}/${apiKey.id}`, { name: 'b', description: 'a\u200bb' })
    expect(response).toMatchObject({ status: 400, body: { code: 'validation_failed', errors: [{ pointer: '/description' }] } })
    expect(store.snapshot().keys[0]).toMatchObject({ name: 'a', description: 'kept' })
  })

  it('refuses to rename a revoked key with 409 already_revoked', async () => {
    const { call, create } = setup()
    const { apiKey } = await create('alice', { name: 'a' })
    await call('alice', 'DELETE', `${PATH}/${apiKey.id}`)
    const response = await call('alice', 'PATCH', `${PATH}/${apiKey.id}`, { name: 'b' })
    expect(response.status).toBe(409)
    expect(response.body.code).toBe('already_revoked')
  })
})

describe('POST /v1/personal-access-tokens/:id/rotate', () => {
  const policy = { scopes: [{ id: 'read', description: 'Read' }] }

  it('issues a new token with the same name, description and scopes, revokes the old one, and only the new one works', async () => {
    const { call, create, me, clock } = setup({ policy })
    const old = await create('alice', { name: 'deploy', description: 'Deploys\nproduction', scopes: ['read'] })
    clock.advance(MINUTE)
    const response = await call('alice', 'POST', `${PATH}/${old.apiKey.id}/rotate`)
    expect(response.status).toBe(201)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    const { apiKey, token, previous } = response.body.data
    expect(apiKey).toMatchObject({ name: 'deploy', description: 'Deploys\nproduction', scopes: ['read'], status: 'active', start: token.slice(0, 8) })
    expect(apiKey.id).not.toBe(old.apiKey.id)
    expect(token).not.toBe(old.token)
    expect(previous).toMatchObject({
      id: old.apiKey.id, status: 'revoked', revokedAt: clock.now().toISOString(), replacedBy: apiKey.id, replacedAt: clock.now().toISOString(), gracePeriod: 'None',
    })
    expect((await me(token)).body.data).toEqual({ owner: { type: 'user', id: 'alice' }, userId: 'alice', createdBy: { userId: 'alice', name: 'Alice' }, apiKeyId: apiKey.id, scopes: ['read'] })
    const rejected = await me(old.token)
    expect(rejected.status).toBe(401)
    expect(rejected.body.code).toBe('invalid_token')
    const list = await call('alice', 'GET', PATH)
    expect(list.body.facets.status).toEqual({ active: 1, expired: 0, revoked: 1 })
  })

  it('keeps the old key’s lifetime by default', async () => {
    const { call, create, clock } = setup()
    const old = await create('alice', { name: 'a', expiresAt: '2030-01-25T12:00:00.000Z' }) // 10 days
    clock.advance(DAY)
    const rotated = await call('alice', 'POST', `${PATH}/${old.apiKey.id}/rotate`)
    expect(rotated.body.data.apiKey.expiresAt).toBe('2030-01-26T12:00:00.000Z')
    const never = await create('alice', { name: 'b', expirationOption: 'Never' })
    const rotatedNever = await call('alice', 'POST', `${PATH}/${never.apiKey.id}/rotate`)
    expect(rotatedNever.body.data.apiKey.expiresAt).toBeNull()
  })

  it('takes an explicit expiration, checked against the policy', async () => {
    const { call, create } = setup({ policy: { maxLifetimeDays: 30 } })
    const old = await create('alice', { name: 'a', expirationOption: 'TwoWeeks' })
    const refused = await call('alice', 'POST', `${PATH}/${old.apiKey.id}/rotate`, { expirationOption: 'OneYear' })
    expect(refused.status).toBe(400)
    expect(refused.body.code).toBe('invalid_expiration_option')
    const custom = await call('alice', 'POST', `${PATH}/${old.apiKey.id}/rotate`, { expiresAt: '2030-02-01T00:00:00Z' })
    expect(custom.status).toBe(201)
    expect(custom.body.data.apiKey.expiresAt).toBe('2030-02-01T00:00:00.000Z')
  })

  it('refuses to rotate a revoked key with 409 already_revoked', async () => {
    const { call, create } = setup()
    const old = await create('alice', { name: 'a' })
    await call('alice', 'DELETE', `${PATH}/${old.apiKey.id}`)
    const response = await call('alice', 'POST', `${PATH}/${old.apiKey.id}/rotate`)
    expect(response.status).toBe(409)
    expect(response.body.code).toBe('already_revoked')
  })

  it('rotates an expired key', async () => {
    const { call, create, clock, me } = setup()
    const old = await create('alice', { name: 'a', expirationOption: 'TwoWeeks' })
    clock.advance(15 * DAY)
    const response = await call('alice', 'POST', `${PATH}/${old.apiKey.id}/rotate`)
    expect(response.status).toBe(201)
    expect((await me(response.body.data.token)).status).toBe(200)
  })

  it('answers a replayed Idempotency-Key with 409 idempotency_key_reused, not already_revoked', async () => {
    const { call, create, store } = setup()
    const old = await create('alice', { name: 'a' })
    const headers = { 'Idempotency-Key': 'rotate-once' }
    const first = await call('alice', 'POST', `${PATH}/${old.apiKey.id}/rotate`, {}, headers)
    const replay = await call('alice', 'POST', `${PATH}/${old.apiKey.id}/rotate`, {}, headers)
    expect(replay.status).toBe(409)
    expect(replay.body).toMatchObject({ code: 'idempotency_key_reused', apiKeyId: first.body.data.apiKey.id })
    expect(store.snapshot().keys).toHaveLength(2)
  })

  it('keeps the old key active and adds no row when creating the new key fails', async () => {
    const failingInsert = (store: MemoryStore): KeyStore => ({
      ...store,
      transaction: (fn) =>
        store.transaction((tx) => {
          const sabotaged: StoreTransaction = {
            ...tx,
            insertKey: async (row) => {
              if (row.name === 'doomed') throw new Error('disk full')
              return tx.insertKey(row)
            },
          }
          return fn(sabotaged)
        }),
    })
    const { call, store, me } = setup({ wrapStore: failingInsert })
    const created = await call('alice', 'POST', PATH, { name: 'ok' })
    expect(created.status).toBe(201)
    // Rename so the next insert (the rotation's) fails.
    const { id } = created.body.data.apiKey
    await call('alice', 'PATCH', `${PATH}/${id}`, { name: 'doomed' })
    const response = await call('alice', 'POST', `${PATH}/${id}/rotate`)
    expect(response.status).toBe(500)
    expect(response.body.code).toBe('internal_error')
    const rows = store.snapshot().keys
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ id, revokedAt: null })
    expect((await me(created.body.data.token)).status).toBe(200)
  })

  it('refuses the rotation of an expired key when its name is now used by another active key', async () => {
    const { call, create, clock } = setup()
    const old = await create('alice', { name: 'deploy', expirationOption: 'TwoWeeks' })
    clock.advance(15 * DAY)
    await create('alice', { name: 'deploy' })
    const response = await call('alice', 'POST', `${PATH}/${old.apiKey.id}/rotate`)
    expect(response.status).toBe(409)
    expect(response.body.code).toBe('name_taken')
  })
})

describe('store usage', () => {
  it('locks the owner first in every write transaction', async () => {
    const firstCalls: string[] = []
    const recording = (store: MemoryStore): KeyStore => ({
      ...store,
      transaction: (fn) =>
        store.transaction((tx) => {
          let first: string | undefined
          const note = (name: string) => {
            if (first === undefined) firstCalls.push((first = name))
          }
          const wrapped = Object.fromEntries(
            Object.entries(tx).map(([name, method]) => [
              name,
              (...args: unknown[]) => {
                note(name === 'lockOwner' ? `lockOwner:${JSON.stringify(args[0])}` : name)
                return (method as (...a: unknown[]) => unknown)(...args)
              },
            ]),
          ) as unknown as StoreTransaction
          return fn(wrapped)
        }),
    })
    const { call } = setup({ wrapStore: recording })
    const { id } = (await call('alice', 'POST', PATH, { name: 'a' })).body.data.apiKey
    await call('alice', 'PATCH', `${PATH}/${id}`, { name: 'b' })
    const rotated = (await call('alice', 'POST', `${PATH}/${id}/rotate`)).body.data.apiKey.id
    await call('alice', 'DELETE', `${PATH}/${rotated}`)
    expect(firstCalls).toEqual(Array(4).fill('lockOwner:{"type":"user","id":"alice"}'))
  })
})
