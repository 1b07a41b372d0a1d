import type { PersonalApiKeyStatus } from '../client/types.ts'
import { comparePositions, nameKey, positionOf } from './listing.ts'
import {
  keyStatus,
  type IdempotencyRecord,
  type KeyStore,
  type ListPosition,
  type ListKeysQuery,
  type ListKeysResult,
  type StoredKey,
  type StoredKeyPatch,
  type StoreTransaction,
} from './store.ts'

export interface MemoryStoreSnapshot {
  keys: StoredKey[]
  idempotencyRecords: IdempotencyRecord[]
}

export interface MemoryStore extends KeyStore {
  /** Copies of every row, for tests and demos that want to look inside. */
  snapshot(): MemoryStoreSnapshot
}

function copyKey(row: StoredKey): StoredKey {
  return { ...row, scopes: [...row.scopes] }
}

const idempotencyId = (userId: string, key: string) => JSON.stringify([userId, key])

/**
 * A store in memory, for tests, stories and demos (runs in browsers). Transactions are really
 * atomic: they run one at a time (a promise-chain mutex), and every write records how to undo
 * itself, replayed in reverse if the transaction fails. Rows are copied in and out, so a caller
 * mutating a returned object changes nothing.
 */
export function memoryStore(): MemoryStore {
  const keys = new Map<string, StoredKey>()
  const idByHash = new Map<string, string>()
  const idempotency = new Map<string, IdempotencyRecord>()
  let queue: Promise<unknown> = Promise.resolve()
  let closed = false

  function listKeys(query: ListKeysQuery): ListKeysResult {
    const needle = query.q ? nameKey(query.q) : undefined
    const facets: Record<PersonalApiKeyStatus, number> = { active: 0, expired: 0, revoked: 0 }
    const matching: StoredKey[] = []
    for (const row of keys.values()) {
      if (row.userId !== query.userId) continue
      if (needle && !nameKey(row.name).includes(needle)) continue
      const status = keyStatus(row, query.now)
      facets[status]++
      if (query.status === undefined || status === query.status) matching.push(row)
    }
    // The first `limit` rows after the cursor, kept sorted as they are found: a page of 50 out of
    // 100,000 keys without sorting all 100,000.
    const { after, sort, limit } = query
    const page: { row: StoredKey; position: ListPosition }[] = []
    for (const row of matching) {
      const position = positionOf(row, sort)
      if (after !== undefined && comparePositions(position, after, sort) <= 0) continue
      if (page.length === limit && comparePositions(position, page[limit - 1]!.position, sort) >= 0) continue
      let low = 0
      let high = page.length
      while (low < high) {
        const middle = (low + high) >> 1
        if (comparePositions(page[middle]!.position, position, sort) <= 0) low = middle + 1
        else high = middle
      }
      page.splice(low, 0, { row, position })
      if (page.length > limit) page.pop()
    }
    return { rows: page.map(({ row }) => copyKey(row)), totalCount: matching.length, facets }
  }

  function getKey(userId: string, id: string): StoredKey | null {
    const row = keys.get(id)
    return row && row.userId === userId ? copyKey(row) : null
  }

  function findKeyByHash(hash: string): StoredKey | null {
    const id = idByHash.get(hash)
    const row = id === undefined ? undefined : keys.get(id)
    return row ? copyKey(row) : null
  }

  function findActiveKeyByName(userId: string, name: string, now: string): StoredKey | null {
    for (const row of keys.values()) {
      if (row.userId === userId && row.name === name && keyStatus(row, now) === 'active') return copyKey(row)
    }
    return null
  }

  function countActiveKeys(userId: string, now: string): number {
    let count = 0
    for (const row of keys.values()) if (row.userId === userId && keyStatus(row, now) === 'active') count++
    return count
  }

  /** Restores `map`'s entry for `key` to what it is now. */
  function undoFor<K, V>(map: Map<K, V>, key: K): () => void {
    const had = map.has(key)
    const previous = map.get(key)
    return () => (had ? map.set(key, previous as V) : map.delete(key))
  }

  async function runTransaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    const undo: Array<() => void> = []
    let open = true
    // A transaction object used after its transaction ended would write outside the mutex.
    const guard = <A extends unknown[], R>(method: (...args: A) => R) => async (...args: A): Promise<Awaited<R>> => {
      if (!open) throw new Error('patkit memoryStore: transaction already finished')
      return await method(...args)
    }
    const write = <K, V>(map: Map<K, V>, key: K) => undo.push(undoFor(map, key))

    const tx: StoreTransaction = {
      lockUser: guard(() => undefined),
      getKey: guard(getKey),
      getKeyForUpdate: guard(getKey),
      findKeyByHash: guard(findKeyByHash),
      listKeys: guard(listKeys),
      countActiveKeys: guard(countActiveKeys),
      findActiveKeyByName: guard(findActiveKeyByName),
      insertKey: guard((row: StoredKey) => {
        if (keys.has(row.id)) throw new Error('patkit memoryStore: duplicate key id')
        if (idByHash.has(row.hash)) throw new Error('patkit memoryStore: duplicate key hash')
        write(keys, row.id)
        write(idByHash, row.hash)
        keys.set(row.id, copyKey(row))
        idByHash.set(row.hash, row.id)
      }),
      updateKey: guard((id: string, patch: StoredKeyPatch) => {
        const row = keys.get(id)
        if (!row) return null
        const updated = copyKey(row)
        if (patch.name !== undefined) updated.name = patch.name
        if (patch.revokedAt !== undefined) updated.revokedAt = patch.revokedAt
        if (patch.lastUsedAt !== undefined) updated.lastUsedAt = patch.lastUsedAt
        write(keys, id)
        keys.set(id, updated)
        return copyKey(updated)
      }),
      getIdempotencyRecord: guard((userId: string, key: string) => {
        const record = idempotency.get(idempotencyId(userId, key))
        return record ? { ...record } : null
      }),
      putIdempotencyRecord: guard((record: IdempotencyRecord) => {
        const id = idempotencyId(record.userId, record.key)
        write(idempotency, id)
        idempotency.set(id, { ...record })
      }),
      deleteIdempotencyRecordsBefore: guard((userId: string, before: string) => {
        for (const [id, record] of idempotency) {
          if (record.userId !== userId || record.createdAt >= before) continue
          write(idempotency, id)
          idempotency.delete(id)
        }
      }),
      touchLastUsed: guard((id: string, at: string, minIntervalMs: number) => {
        const row = keys.get(id)
        if (!row) return false
        if (row.lastUsedAt !== null && Date.parse(at) - Date.parse(row.lastUsedAt) < minIntervalMs) return false
        write(keys, id)
        keys.set(id, { ...copyKey(row), lastUsedAt: at })
        return true
      }),
    }

    try {
      return await fn(tx)
    } catch (error) {
      for (const revert of undo.reverse()) revert()
      throw error
    } finally {
      open = false
    }
  }

  // Reads outside a transaction also take the mutex, so they never see a transaction's uncommitted writes.
  const read = <T>(fn: (tx: StoreTransaction) => Promise<T>) => transaction(fn)

  function transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new Error('patkit memoryStore: the store is closed'))
    const result = queue.then(() => runTransaction(fn))
    queue = result.catch(() => undefined)
    return result
  }

  return {
    transaction,
    getKey: (userId, id) => read((tx) => tx.getKey(userId, id)),
    findKeyByHash: (hash) => read((tx) => tx.findKeyByHash(hash)),
    listKeys: (query) => read((tx) => tx.listKeys(query)),
    async close() {
      closed = true
      await queue
    },
    snapshot() {
      return {
        keys: [...keys.values()].map(copyKey),
        idempotencyRecords: [...idempotency.values()].map((record) => ({ ...record })),
      }
    },
  }
}
