import type { KeyOwner, PersonalApiKeyStatus } from '../client/types.ts'
import { comparePositions, nameKey, positionOf } from './listing.ts'
import {
  isLiveKey,
  keyStatus,
  sameOwner,
  type ClaimedOutboxMessage,
  type IdempotencyRecord,
  type OutboxMessage,
  type RateLimitWindow,
  type KeyStore,
  type ListPosition,
  type ListKeysQuery,
  type ListKeysResult,
  type StoredKey,
  type StoredKeyPatch,
  type StoreTransaction,
} from './store.ts'

/** An outbox message as the memory store keeps it, with its delivery state. */
export interface MemoryOutboxRow extends OutboxMessage {
  leaseId: string | null
  leasedUntil: string | null
  deliveredAt: string | null
  failedAt: string | null
  lastStatus: number | null
  lastError: string | null
}

export interface MemoryStoreSnapshot {
  keys: StoredKey[]
  idempotencyRecords: IdempotencyRecord[]
  webhooks: MemoryOutboxRow[]
}

export interface MemoryStore extends KeyStore {
  /** Copies of every row, for tests and demos that want to look inside. */
  snapshot(): MemoryStoreSnapshot
}

function copyKey(row: StoredKey): StoredKey {
  return { ...row, owner: { ...row.owner }, createdBy: row.createdBy && { ...row.createdBy }, scopes: [...row.scopes] }
}

const idempotencyId = (owner: KeyOwner, key: string) => JSON.stringify([owner.type, owner.id, key])

/** Every field of `StoredKeyPatch`, so an update applies exactly the fields a patch names. */
const PATCHABLE = ['name', 'description', 'revokedAt', 'lastUsedAt', 'expiresAt', 'replacedBy', 'replacedAt'] as const satisfies readonly (keyof StoredKeyPatch)[]

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
  const outbox = new Map<string, MemoryOutboxRow>()
  const rateLimits = new Map<string, RateLimitWindow>()
  let queue: Promise<unknown> = Promise.resolve()
  let closed = false

  function listKeys(query: ListKeysQuery): ListKeysResult {
    const needle = query.q ? nameKey(query.q) : undefined
    const facets: Record<PersonalApiKeyStatus, number> = { active: 0, expired: 0, revoked: 0 }
    const matching: StoredKey[] = []
    for (const row of keys.values()) {
      if (!sameOwner(row.owner, query.owner)) continue
      if (needle && !nameKey(row.name).includes(needle) && !(row.description !== null && nameKey(row.description).includes(needle))) continue
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

  function getKey(owner: KeyOwner, id: string): StoredKey | null {
    const row = keys.get(id)
    return row && sameOwner(row.owner, owner) ? copyKey(row) : null
  }

  function findKeyByHash(hash: string): StoredKey | null {
    const id = idByHash.get(hash)
    const row = id === undefined ? undefined : keys.get(id)
    return row ? copyKey(row) : null
  }

  function findLiveKeyByName(owner: KeyOwner, name: string, now: string): StoredKey | null {
    for (const row of keys.values()) {
      if (sameOwner(row.owner, owner) && row.name === name && isLiveKey(row, now)) return copyKey(row)
    }
    return null
  }

  function countLiveKeys(owner: KeyOwner, now: string): number {
    let count = 0
    for (const row of keys.values()) if (sameOwner(row.owner, owner) && isLiveKey(row, now)) count++
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
      lockOwner: guard(() => undefined),
      getKey: guard(getKey),
      getKeyForUpdate: guard(getKey),
      findKeyByHash: guard(findKeyByHash),
      listKeys: guard(listKeys),
      countLiveKeys: guard(countLiveKeys),
      findLiveKeyByName: guard(findLiveKeyByName),
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
        for (const field of PATCHABLE) if (patch[field] !== undefined) (updated[field] as unknown) = patch[field]
        write(keys, id)
        keys.set(id, updated)
        return copyKey(updated)
      }),
      getIdempotencyRecord: guard((owner: KeyOwner, key: string) => {
        const record = idempotency.get(idempotencyId(owner, key))
        return record ? { ...record, owner: { ...record.owner } } : null
      }),
      putIdempotencyRecord: guard((record: IdempotencyRecord) => {
        const id = idempotencyId(record.owner, record.key)
        write(idempotency, id)
        idempotency.set(id, { ...record, owner: { ...record.owner } })
      }),
      enqueueWebhooks: guard((messages: OutboxMessage[]) => {
        for (const message of messages) {
          if (outbox.has(message.id)) throw new Error('patkit memoryStore: duplicate outbox id')
          write(outbox, message.id)
          outbox.set(message.id, { ...message, leaseId: null, leasedUntil: null, deliveredAt: null, failedAt: null, lastStatus: null, lastError: null })
        }
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
  /** Work on the maps outside any key transaction, still in turn with the transactions. */
  const exclusive = <T>(fn: () => T) => transaction(async () => fn())

  const openWindow = (key: string, windowMs: number, now: string): RateLimitWindow | null => {
    const window = rateLimits.get(key)
    return window && Date.parse(now) - Date.parse(window.windowStart) < windowMs ? window : null
  }

  function transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new Error('patkit memoryStore: the store is closed'))
    const result = queue.then(() => runTransaction(fn))
    queue = result.catch(() => undefined)
    return result
  }

  return {
    transaction,
    getKey: (owner, id) => read((tx) => tx.getKey(owner, id)),
    findKeyByHash: (hash) => read((tx) => tx.findKeyByHash(hash)),
    listKeys: (query) => read((tx) => tx.listKeys(query)),
    markKeyUsed: (id, at, minIntervalMs) =>
      exclusive(() => {
        const row = keys.get(id)
        if (!row) return false
        if (row.lastUsedAt !== null && Date.parse(at) - Date.parse(row.lastUsedAt) < minIntervalMs) return false
        keys.set(id, { ...copyKey(row), lastUsedAt: at })
        return true
      }),
    hitRateLimit: (key, windowMs, now) =>
      exclusive(() => {
        const open = openWindow(key, windowMs, now)
        const window = open ? { ...open, count: open.count + 1 } : { windowStart: now, count: 1 }
        rateLimits.set(key, window)
        return { ...window }
      }),
    peekRateLimit: (key, windowMs, now) =>
      exclusive(() => {
        const open = openWindow(key, windowMs, now)
        return open ? { ...open } : null
      }),
    claimWebhooks: ({ now, limit, leaseMs }) =>
      exclusive(() => {
        const leaseId = crypto.randomUUID()
        const leasedUntil = new Date(Date.parse(now) + leaseMs).toISOString()
        const due = [...outbox.values()]
          .filter((row) => row.deliveredAt === null && row.failedAt === null && row.nextAttemptAt <= now && (row.leasedUntil === null || row.leasedUntil <= now))
          .sort((a, b) => (a.nextAttemptAt < b.nextAttemptAt ? -1 : a.nextAttemptAt > b.nextAttemptAt ? 1 : 0))
          .slice(0, limit)
        return due.map((row): ClaimedOutboxMessage => {
          Object.assign(row, { leaseId, leasedUntil, attempts: row.attempts + 1 })
          const { id, messageId, endpointUrl, type, payload, createdAt, attempts, nextAttemptAt } = row
          return { id, messageId, endpointUrl, type, payload, createdAt, attempts, nextAttemptAt, leaseId, leasedUntil }
        })
      }),
    settleWebhook: (id, leaseId, outcome) =>
      exclusive(() => {
        const row = outbox.get(id)
        if (!row || row.leaseId !== leaseId) return false
        Object.assign(row, {
          leaseId: null,
          leasedUntil: null,
          lastStatus: outcome.status ?? null,
          lastError: outcome.delivered ? null : (outcome.error ?? null),
        })
        if (outcome.delivered) row.deliveredAt = outcome.at
        else if (outcome.retryAt === null) row.failedAt = outcome.at
        else row.nextAttemptAt = outcome.retryAt
        return true
      }),
    purgeExpired: (before) =>
      exclusive(() => {
        for (const [id, record] of idempotency) if (record.createdAt < before.idempotencyRecords) idempotency.delete(id)
        for (const [key, window] of rateLimits) if (window.windowStart < before.rateLimits) rateLimits.delete(key)
        for (const [id, row] of outbox) {
          if ((row.deliveredAt !== null || row.failedAt !== null) && row.createdAt < before.webhooks) outbox.delete(id)
        }
      }),
    async close() {
      closed = true
      await queue
    },
    snapshot() {
      return {
        keys: [...keys.values()].map(copyKey),
        idempotencyRecords: [...idempotency.values()].map((record) => ({ ...record, owner: { ...record.owner } })),
        webhooks: [...outbox.values()].map((row) => ({ ...row })),
      }
    },
  }
}
