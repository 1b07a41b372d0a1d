import { describe, expect, it } from 'vitest'
import { memoryStore } from '../../src/server/index.ts'
import { storedKey, user } from './helpers.ts'

const row = storedKey

// What every store must do runs against memoryStore too, in store-contract.test.ts; these are its own.
describe('memoryStore', () => {
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

  it('hands out copies, so callers cannot change stored rows', async () => {
    const store = memoryStore()
    const original = row()
    await store.transaction((tx) => tx.insertKey(original))
    original.scopes.push('mutated')
    const found = await store.getKey(user('u1'), original.id)
    found!.name = 'changed'
    expect(store.snapshot().keys[0]).toMatchObject({ name: original.name, scopes: [] })
  })

})
