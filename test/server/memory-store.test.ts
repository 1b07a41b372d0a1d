import { describe, expect, it } from 'vitest'
import { memoryStore } from '../../src/server/index.ts'
import { storedKey } from './helpers.ts'

const row = storedKey

describe('memoryStore', () => {
  it('rolls back every write of a transaction that throws', async () => {
    const store = memoryStore()
    const kept = row({ name: 'kept' })
    await store.transaction((tx) => tx.insertKey(kept))
    await expect(
      store.transaction(async (tx) => {
        await tx.updateKey(kept.id, { name: 'renamed', revokedAt: '2030-01-02T00:00:00.000Z' })
        await tx.insertKey(row({ name: 'new' }))
        await tx.putIdempotencyRecord({ userId: 'u1', key: 'k', operation: 'create', apiKeyId: kept.id, createdAt: kept.createdAt })
        await tx.touchLastUsed(kept.id, '2030-01-02T00:00:00.000Z', 60_000)
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(store.snapshot()).toEqual({ keys: [kept], idempotencyRecords: [] })
  })

  it('runs transactions one at a time', async () => {
    const store = memoryStore()
    const events: string[] = []
    const slow = store.transaction(async () => {
      events.push('first:start')
      await new Promise((resolve) => setTimeout(resolve, 20))
      events.push('first:end')
    })
    const fast = store.transaction(async () => {
      events.push('second')
    })
    await Promise.all([slow, fast])
    expect(events).toEqual(['first:start', 'first:end', 'second'])
  })

  it('keeps working after a failed transaction', async () => {
    const store = memoryStore()
    await expect(store.transaction(async () => Promise.reject(new Error('nope')))).rejects.toThrow('nope')
    await store.transaction((tx) => tx.insertKey(row()))
    expect(store.snapshot().keys).toHaveLength(1)
  })

  it('refuses a duplicate hash like a unique index', async () => {
    const store = memoryStore()
    await store.transaction((tx) => tx.insertKey(row({ hash: 'same' })))
    await expect(store.transaction((tx) => tx.insertKey(row({ hash: 'same' })))).rejects.toThrow(/duplicate/)
    expect(store.snapshot().keys).toHaveLength(1)
  })

  it('hands out copies, so callers cannot change stored rows', async () => {
    const store = memoryStore()
    const original = row()
    await store.transaction((tx) => tx.insertKey(original))
    original.scopes.push('mutated')
    const found = await store.getKey('u1', original.id)
    found!.name = 'changed'
    expect(store.snapshot().keys[0]).toMatchObject({ name: original.name, scopes: [] })
  })

  it('refuses a transaction object used after its transaction ended', async () => {
    const store = memoryStore()
    let leaked: Parameters<Parameters<typeof store.transaction>[0]>[0] | undefined
    await store.transaction(async (tx) => {
      leaked = tx
    })
    await expect(leaked!.insertKey(row())).rejects.toThrow(/finished/)
  })

  it('writes lastUsedAt at most once per interval', async () => {
    const store = memoryStore()
    const key = row()
    await store.transaction((tx) => tx.insertKey(key))
    const touch = (at: string) => store.transaction((tx) => tx.touchLastUsed(key.id, at, 60_000))
    expect(await touch('2030-01-01T00:00:00.000Z')).toBe(true)
    expect(await touch('2030-01-01T00:00:59.999Z')).toBe(false)
    expect(await touch('2030-01-01T00:01:00.000Z')).toBe(true)
  })

  it('only finds a user’s own keys by id', async () => {
    const store = memoryStore()
    const key = row({ userId: 'alice' })
    await store.transaction((tx) => tx.insertKey(key))
    expect(await store.getKey('bob', key.id)).toBeNull()
    expect(await store.getKey('alice', key.id)).toMatchObject({ id: key.id })
  })

  it('rejects transactions once closed', async () => {
    const store = memoryStore()
    await store.close()
    await expect(store.transaction(async () => 1)).rejects.toThrow(/closed/)
  })
})
