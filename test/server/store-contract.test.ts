import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { KEY_STATUSES, SORT_KEYS, type PersonalApiKey, type PersonalApiKeyStatus, type SortKey } from '../../src/client/types.ts'
import {
  fixedWindowRateLimiter,
  memoryStore,
  migrate,
  MIGRATIONS,
  pgliteDatabase,
  pgPoolDatabase,
  positionOf,
  postgresStore,
  sameOwner,
  type KeyStore,
  type ListKeysQuery,
  type ListPosition,
  type OutboxMessage,
  type SqlDatabase,
  type SqlExecutor,
  type StoredKey,
} from '../../src/server/index.ts'
import { DAY, MINUTE, organization, sessionAuthenticate, setupWithStore, storedKey, testClock, user } from './helpers.ts'
import { expectSorted, populate, walk, walkWhileCreating } from './list-fixtures.ts'
import { findRealPostgres, startThrowawayCluster, type Cluster } from './pg-cluster.ts'

/**
 * One contract, every store: the store interface called directly, and the whole reference server
 * on top of it. Postgres runs twice: embedded (PGlite) and a real server, whose transactions really
 * run in parallel — the place where locks and FOR UPDATE are actually tested.
 */

const PATH = '/v1/personal-access-tokens'

interface Harness {
  store(): KeyStore
  /** Empties the store between tests. */
  reset(): Promise<void>
  /** Everything stored, as text, to look for secrets that must not be there. */
  dump(): Promise<string>
  /** Every stored key, hash included. */
  keys(): Promise<StoredKey[]>
  /** The SQL database under the store, if there is one. */
  db?: SqlDatabase
  /** Another, empty database of the same kind (SQL stores), and how to get rid of it. */
  emptyDatabase?(): Promise<{ db: SqlDatabase; dispose(): Promise<void> }>
  close(): Promise<void>
}

interface StoreKind {
  name: string
  /** Why it cannot run here, or null. */
  unavailable: string | null
  open(): Promise<Harness>
}

function memoryHarness(): Harness {
  let store = memoryStore()
  return {
    store: () => store,
    async reset() {
      store = memoryStore()
    },
    dump: async () => JSON.stringify(store.snapshot()),
    keys: async () => store.snapshot().keys,
    close: () => store.close(),
  }
}

/** Wraps a database to remember the statements it ran, so tests can EXPLAIN what the store really sent. */
function recording(db: SqlDatabase, log: { sql: string; params: readonly unknown[] }[]): SqlDatabase {
  const logged = (executor: SqlExecutor): SqlExecutor => ({
    query: (sql, params = []) => {
      log.push({ sql, params })
      return executor.query(sql, params)
    },
  })
  return {
    ...logged(db),
    transaction: (fn) => db.transaction((tx) => fn(logged(tx))),
    session: (fn) => db.session((connection) => fn(logged(connection))),
    close: () => db.close(),
  }
}

const statements: { sql: string; params: readonly unknown[] }[] = []

/** `dropData` runs before the store (and its database) closes, `afterClose` after. */
async function sqlHarness(
  db: SqlDatabase,
  dropData: () => Promise<void>,
  afterClose: () => Promise<void>,
  emptyDatabase: Harness['emptyDatabase'],
): Promise<Harness> {
  const store = await postgresStore(recording(db, statements))
  return {
    db,
    emptyDatabase,
    store: () => store,
    async reset() {
      await db.query('TRUNCATE patkit_personal_access_tokens, patkit_idempotency_records, patkit_rate_limits, patkit_webhook_outbox')
      statements.length = 0
    },
    async dump() {
      const keys = await db.query('SELECT row_to_json(t)::text AS row FROM patkit_personal_access_tokens t')
      const records = await db.query('SELECT row_to_json(t)::text AS row FROM patkit_idempotency_records t')
      const outbox = await db.query('SELECT row_to_json(t)::text AS row FROM patkit_webhook_outbox t')
      return [...keys.rows, ...records.rows, ...outbox.rows].map((row) => String(row.row)).join('\n')
    },
    async keys() {
      const { rows } = await db.query<{ id: string; user_id: string | null; organization_id: string | null }>(
        'SELECT id, user_id, organization_id FROM patkit_personal_access_tokens',
      )
      const found = await Promise.all(
        rows.map((row) => store.getKey(row.organization_id === null ? user(row.user_id!) : organization(row.organization_id), row.id)),
      )
      return found.filter((row): row is StoredKey => row !== null)
    },
    async close() {
      await dropData()
      await store.close()
      await afterClose()
    },
  }
}

const real = findRealPostgres()
const NO_REAL_POSTGRES = 'no PATKIT_TEST_DATABASE_URL and no PostgreSQL binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)'

const KINDS: StoreKind[] = [
  { name: 'memoryStore', unavailable: null, open: async () => memoryHarness() },
  {
    name: 'postgresStore on PGlite',
    unavailable: null,
    // One embedded instance per file: opening one takes seconds, truncating takes a millisecond.
    open: async () =>
      sqlHarness(pgliteDatabase(await PGlite.create()), async () => undefined, async () => undefined, async () => {
        const db = pgliteDatabase(await PGlite.create())
        return { db, dispose: () => db.close() }
      }),
  },
  {
    name: 'postgresStore on a PostgreSQL server',
    // CI sets PATKIT_REQUIRE_REAL_POSTGRES, so a missing server fails there instead of skipping quietly.
    unavailable: real.kind === 'none' && !process.env.PATKIT_REQUIRE_REAL_POSTGRES ? NO_REAL_POSTGRES : null,
    async open() {
      let cluster: Cluster | undefined
      let url: string
      if (real.kind === 'url') url = real.url
      else if (real.kind === 'binaries') url = (cluster = await startThrowawayCluster(real.bin)).url
      else throw new Error(NO_REAL_POSTGRES)
      // A schema of its own, so a shared PATKIT_TEST_DATABASE_URL database keeps its other tables.
      const inSchemaOfItsOwn = async (max: number) => {
        const schema = `patkit_test_${crypto.randomUUID().replace(/-/g, '')}`
        const admin = new pg.Client({ connectionString: url })
        await admin.connect()
        await admin.query(`CREATE SCHEMA ${schema}`)
        await admin.end()
        const pool = new pg.Pool({ connectionString: url, max, options: `-c search_path=${schema}` })
        return { pool, drop: async () => void (await pool.query(`DROP SCHEMA ${schema} CASCADE`)) }
      }
      const { pool, drop } = await inSchemaOfItsOwn(12)
      return sqlHarness(pgPoolDatabase(pool), drop, async () => cluster?.stop(), async () => {
        const empty = await inSchemaOfItsOwn(2)
        const db = pgPoolDatabase(empty.pool)
        return { db, dispose: async () => (await empty.drop(), await db.close()) }
      })
    },
  },
]

for (const kind of KINDS) {
  if (kind.unavailable) console.warn(`store contract: skipping "${kind.name}": ${kind.unavailable}`)
}

const row = storedKey

function outboxMessage(overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    id: crypto.randomUUID(),
    messageId: `msg_${crypto.randomUUID().replace(/-/g, '')}`,
    endpointUrl: 'https://hooks.example/x',
    type: 'personalAccessToken.created',
    payload: '{"type":"personalAccessToken.created"}',
    createdAt: NOW,
    attempts: 0,
    nextAttemptAt: NOW,
    ...overrides,
  }
}

const NOW = '2030-01-15T12:00:00.000Z'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((done) => (resolve = done))
  return { promise, resolve }
}

/** A small deterministic PRNG, so the generated listing data is the same on every run. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * 60 keys of user u1 with ties, nulls, odd names and descriptions and every status at NOW; some of
 * user u2, and some of organization u1, whose id is the user's: only the owner's type tells them apart.
 */
function listingRows(): StoredKey[] {
  const random = mulberry32(42)
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const names = ['alpha', 'Alpha', 'ALPHA beta', 'Äpfel', 'äpfel 2', '100% done', 'snake_case', 'snake case', 'zeta', 'Ωmega', 'mid']
  const descriptions = [null, null, null, 'Deploys the ALPHA site', 'line one\nline two', 'billing cron, 50% of runs', 'Ωmega’s note']
  const instants = ['2030-01-01T00:00:00.000Z', '2030-01-10T08:30:00.000Z', NOW, '2030-01-15T12:00:00.001Z', '2030-02-01T00:00:00.000Z']
  const rows: StoredKey[] = []
  for (let i = 0; i < 70; i++) {
    rows.push(
      row({
        owner: i < 60 ? user('u1') : i < 65 ? user('u2') : organization('u1'),
        description: pick(descriptions),
        name: `${pick(names)}${random() < 0.5 ? '' : ` ${i}`}`,
        createdAt: pick(instants.slice(0, 3)),
        expiresAt: random() < 0.3 ? null : pick(instants),
        lastUsedAt: random() < 0.4 ? null : pick(instants.slice(0, 3)),
        revokedAt: random() < 0.25 ? pick(instants.slice(0, 3)) : null,
      }),
    )
  }
  return rows
}

/** The documented listing, written out independently of listing.ts: status at `now`, order with null placement, id tiebreak. */
function expectedListing(rows: StoredKey[], query: Omit<ListKeysQuery, 'limit' | 'after'>) {
  const status = (key: StoredKey): PersonalApiKeyStatus =>
    key.revokedAt ? 'revoked' : key.expiresAt !== null && key.expiresAt <= query.now ? 'expired' : 'active'
  const matches = (text: string | null) => text !== null && text.toLowerCase().includes(query.q!.toLowerCase())
  const searched = rows.filter(
    (key) => sameOwner(key.owner, query.owner) && (!query.q || matches(key.name) || matches(key.description)),
  )
  const facets = { active: 0, expired: 0, revoked: 0 }
  for (const key of searched) facets[status(key)]++
  const desc = query.sort.startsWith('-')
  const field = (desc ? query.sort.slice(1) : query.sort) as 'createdAt' | 'name' | 'expiresAt' | 'lastUsedAt'
  const value = (key: StoredKey) => {
    const raw = field === 'name' ? key.name.toLowerCase() : key[field]
    return raw !== null ? `1${raw}` : field === 'expiresAt' ? '2' : '0'
  }
  const ordered = searched
    .filter((key) => !query.status || status(key) === query.status)
    .sort((a, b) => {
      const order = value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
      return desc ? -order : order
    })
  return { ids: ordered.map((key) => key.id), totalCount: ordered.length, facets }
}

describe.each(KINDS)('$name', (kind) => {
  describe.skipIf(kind.unavailable !== null)('store contract', { timeout: 30_000 }, () => {
    let harness: Harness
    const store = () => harness.store()

    beforeAll(async () => {
      harness = await kind.open()
    }, 120_000)
    afterAll(async () => {
      await harness?.close()
    }, 60_000)
    beforeEach(async () => {
      await harness.reset()
    })

    describe('store interface', () => {
      it('stores and returns every field unchanged', async () => {
        const key = row({
          name: 'Ünïcödé "quoted" , {braces}',
          scopes: ['read', 'write:all', 'a,b', '{x}', '"q"'],
          createdAt: '2030-01-01T00:00:00.123Z',
          expiresAt: '2030-12-31T23:59:59.999Z',
          lastUsedAt: '2030-01-02T03:04:05.006Z',
        })
        const orgKey = row({
          owner: organization('Acme Inc. / EU'),
          createdBy: { userId: 'alice', name: 'Alice Ünïcödé' },
          name: 'deploy',
          description: 'Used by the deploy job.\nOwner: platform team — 100% "quoted"',
          revokedAt: '2030-01-03T00:00:00.000Z',
          replacedBy: crypto.randomUUID(),
          replacedAt: '2030-01-02T00:00:00.000Z',
        })
        const unknownCreator = row({ owner: organization('acme'), createdBy: null })
        await store().transaction(async (tx) => {
          await tx.insertKey(key)
          await tx.insertKey(orgKey)
          await tx.insertKey(unknownCreator)
        })
        expect(await store().getKey(user('u1'), key.id)).toEqual(key)
        expect(await store().findKeyByHash(key.hash)).toEqual(key)
        expect(await store().transaction((tx) => tx.getKeyForUpdate(user('u1'), key.id))).toEqual(key)
        expect(await store().getKey(organization('Acme Inc. / EU'), orgKey.id)).toEqual(orgKey)
        expect(await store().findKeyByHash(orgKey.hash)).toEqual(orgKey)
        expect(await store().getKey(organization('acme'), unknownCreator.id)).toEqual(unknownCreator)
      })

      it('keeps each owner’s keys and records apart, even a user and an organization with one id', async () => {
        const mine = row({ owner: user('acme'), name: 'deploy' })
        const ours = row({ owner: organization('acme'), name: 'deploy' })
        await store().transaction(async (tx) => {
          await tx.insertKey(mine)
          await tx.insertKey(ours)
          await tx.putIdempotencyRecord({ owner: user('acme'), key: 'k', operation: 'create', apiKeyId: mine.id, createdAt: NOW, fingerprint: 'f1' })
          await tx.putIdempotencyRecord({ owner: organization('acme'), key: 'k', operation: 'create', apiKeyId: ours.id, createdAt: NOW, fingerprint: 'f2' })
        })
        expect(await store().getKey(organization('acme'), mine.id)).toBeNull()
        expect(await store().getKey(user('acme'), ours.id)).toBeNull()
        await store().transaction(async (tx) => {
          expect(await tx.getKeyForUpdate(user('acme'), ours.id)).toBeNull()
          expect(await tx.findLiveKeyByName(user('acme'), 'deploy', NOW)).toMatchObject({ id: mine.id })
          expect(await tx.findLiveKeyByName(organization('acme'), 'deploy', NOW)).toMatchObject({ id: ours.id })
          expect(await tx.countLiveKeys(organization('acme'), NOW)).toBe(1)
          expect(await tx.getIdempotencyRecord(user('acme'), 'k')).toMatchObject({ owner: user('acme'), apiKeyId: mine.id, fingerprint: 'f1' })
          expect(await tx.getIdempotencyRecord(organization('acme'), 'k')).toMatchObject({ owner: organization('acme'), apiKeyId: ours.id })
          // Replacing one owner's record leaves the other's.
          await tx.putIdempotencyRecord({ owner: organization('acme'), key: 'k', operation: 'rotate', apiKeyId: ours.id, createdAt: NOW, fingerprint: 'f3' })
          expect(await tx.getIdempotencyRecord(user('acme'), 'k')).toMatchObject({ fingerprint: 'f1' })
        })
        const listed = await store().listKeys({ owner: organization('acme'), sort: 'name', limit: 10, now: NOW })
        expect(listed.rows.map((key) => key.id)).toEqual([ours.id])
        expect(listed.totalCount).toBe(1)
      })

      it('finds nothing for another user’s key, an unknown id, a non-UUID id or an unknown hash', async () => {
        const key = row({ owner: user('alice') })
        await store().transaction((tx) => tx.insertKey(key))
        expect(await store().getKey(user('bob'), key.id)).toBeNull()
        expect(await store().getKey(user('alice'), crypto.randomUUID())).toBeNull()
        expect(await store().getKey(user('alice'), "1' OR '1'='1")).toBeNull()
        expect(await store().transaction((tx) => tx.getKeyForUpdate(user('bob'), key.id))).toBeNull()
        expect(await store().findKeyByHash('nope')).toBeNull()
        expect(await store().transaction((tx) => tx.updateKey('not-a-uuid', { name: 'x' }))).toBeNull()
        expect(await store().transaction((tx) => tx.updateKey(crypto.randomUUID(), { name: 'x' }))).toBeNull()
      })

      it('rolls back every write of a transaction that throws', async () => {
        const kept = row({ name: 'kept' })
        await store().transaction((tx) => tx.insertKey(kept))
        await expect(
          store().transaction(async (tx) => {
            await tx.updateKey(kept.id, { name: 'renamed', revokedAt: '2030-01-02T00:00:00.000Z' })
            await tx.insertKey(row({ name: 'new' }))
            await tx.putIdempotencyRecord({ owner: user('u1'), key: 'k', operation: 'create', apiKeyId: kept.id, createdAt: kept.createdAt, fingerprint: 'f' })
            await tx.enqueueWebhooks([outboxMessage()])
            throw new Error('boom')
          }),
        ).rejects.toThrow('boom')
        expect(await harness.keys()).toEqual([kept])
        expect(await store().transaction((tx) => tx.getIdempotencyRecord(user('u1'), 'k'))).toBeNull()
        expect(await store().claimWebhooks({ now: NOW, limit: 10, leaseMs: MINUTE })).toEqual([])
      })

      it('refuses a duplicate hash or id like a unique index, rolling the transaction back', async () => {
        const first = row({ hash: 'same' })
        await store().transaction((tx) => tx.insertKey(first))
        await expect(store().transaction(async (tx) => {
          await tx.insertKey(row({ hash: 'other' }))
          await tx.insertKey(row({ hash: 'same' }))
        })).rejects.toThrow()
        await expect(store().transaction((tx) => tx.insertKey(row({ id: first.id, hash: 'third' })))).rejects.toThrow()
        expect(await harness.keys()).toEqual([first])
        // The store keeps working after a failed transaction.
        await store().transaction((tx) => tx.insertKey(row({ hash: 'fourth' })))
        expect(await harness.keys()).toHaveLength(2)
      })

      it('updates only the fields a patch names', async () => {
        const key = row({ name: 'before', lastUsedAt: '2030-01-01T00:00:01.000Z' })
        await store().transaction((tx) => tx.insertKey(key))
        const renamed = await store().transaction((tx) => tx.updateKey(key.id, { name: 'After' }))
        expect(renamed).toEqual({ ...key, name: 'After' })
        const revoked = await store().transaction((tx) => tx.updateKey(key.id, { revokedAt: NOW }))
        expect(revoked).toEqual({ ...key, name: 'After', revokedAt: NOW })
        const used = await store().transaction((tx) => tx.updateKey(key.id, { lastUsedAt: null }))
        expect(used).toEqual({ ...key, name: 'After', revokedAt: NOW, lastUsedAt: null })
        const described = await store().transaction((tx) => tx.updateKey(key.id, { description: 'Nightly Backup\njob' }))
        expect(described).toEqual({ ...used, description: 'Nightly Backup\njob' })
        const replacedBy = crypto.randomUUID()
        const replaced = await store().transaction((tx) => tx.updateKey(key.id, { replacedBy, replacedAt: NOW, expiresAt: '2030-01-15T13:00:00.000Z' }))
        expect(replaced).toEqual({ ...described, replacedBy, replacedAt: NOW, expiresAt: '2030-01-15T13:00:00.000Z' })
        // The renamed key is found, sorted and searched under its new name, and by its description.
        const listed = await store().listKeys({ owner: user('u1'), q: 'aft', sort: 'name', limit: 10, now: NOW })
        expect(listed.rows.map((r) => r.name)).toEqual(['After'])
        expect((await store().listKeys({ owner: user('u1'), q: 'BACKUP', sort: 'name', limit: 10, now: NOW })).totalCount).toBe(1)
        const cleared = await store().transaction((tx) => tx.updateKey(key.id, { description: null }))
        expect(cleared).toEqual({ ...replaced, description: null })
        expect((await store().listKeys({ owner: user('u1'), q: 'backup', sort: 'name', limit: 10, now: NOW })).totalCount).toBe(0)
      })

      it('derives live keys from now: expired at expiresAt exactly, revoked wins, replaced ones do not count', async () => {
        const at = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString()
        await store().transaction(async (tx) => {
          await tx.insertKey(row({ name: 'never' }))
          await tx.insertKey(row({ name: 'later', expiresAt: at(1) }))
          await tx.insertKey(row({ name: 'now', expiresAt: NOW }))
          await tx.insertKey(row({ name: 'revoked', revokedAt: at(-1), expiresAt: at(DAY) }))
          await tx.insertKey(row({ name: 'never', owner: user('u2') }))
          // Still working through a rotation's grace period, but its name and place are its replacement's.
          await tx.insertKey(row({ name: 'replaced', expiresAt: at(DAY), replacedBy: crypto.randomUUID(), replacedAt: at(-1) }))
        })
        await store().transaction(async (tx) => {
          expect(await tx.countLiveKeys(user('u1'), NOW)).toBe(2)
          expect(await tx.countLiveKeys(user('u1'), at(-1))).toBe(3)
          expect(await tx.countLiveKeys(user('u1'), at(1))).toBe(1)
          expect(await tx.findLiveKeyByName(user('u1'), 'later', NOW)).toMatchObject({ name: 'later' })
          expect(await tx.findLiveKeyByName(user('u1'), 'now', NOW)).toBeNull()
          expect(await tx.findLiveKeyByName(user('u1'), 'revoked', NOW)).toBeNull()
          expect(await tx.findLiveKeyByName(user('u1'), 'Never', NOW)).toBeNull()
          expect(await tx.findLiveKeyByName(user('u3'), 'never', NOW)).toBeNull()
          expect(await tx.findLiveKeyByName(user('u1'), 'replaced', NOW)).toBeNull()
        })
      })

      it('keeps, replaces and purges idempotency records', async () => {
        const a = row()
        const b = row()
        await store().transaction(async (tx) => {
          await tx.insertKey(a)
          await tx.insertKey(b)
          await tx.putIdempotencyRecord({ owner: user('u1'), key: 'k', operation: 'create', apiKeyId: a.id, createdAt: '2030-01-01T00:00:00.000Z', fingerprint: 'f1' })
          await tx.putIdempotencyRecord({ owner: user('u2'), key: 'k', operation: 'create', apiKeyId: b.id, createdAt: '2030-01-03T00:00:00.000Z', fingerprint: null })
          await tx.putIdempotencyRecord({ owner: user('u3'), key: 'k', operation: 'create', apiKeyId: b.id, createdAt: '2030-01-01T00:00:00.000Z', fingerprint: 'f3' })
        })
        await store().transaction(async (tx) => {
          expect(await tx.getIdempotencyRecord(user('u1'), 'k')).toEqual({
            owner: user('u1'), key: 'k', operation: 'create', apiKeyId: a.id, createdAt: '2030-01-01T00:00:00.000Z', fingerprint: 'f1',
          })
          expect(await tx.getIdempotencyRecord(user('u1'), 'K')).toBeNull()
          await tx.putIdempotencyRecord({ owner: user('u1'), key: 'k', operation: 'rotate', apiKeyId: b.id, createdAt: '2030-01-02T00:00:00.000Z', fingerprint: 'f4' })
          expect(await tx.getIdempotencyRecord(user('u1'), 'k')).toMatchObject({ operation: 'rotate', apiKeyId: b.id, fingerprint: 'f4' })
        })
        await store().purgeExpired({ idempotencyRecords: '2030-01-03T00:00:00.000Z', rateLimits: NOW, webhooks: NOW })
        await store().transaction(async (tx) => {
          expect(await tx.getIdempotencyRecord(user('u1'), 'k')).toBeNull()
          expect(await tx.getIdempotencyRecord(user('u3'), 'k')).toBeNull()
          expect(await tx.getIdempotencyRecord(user('u2'), 'k')).toMatchObject({ apiKeyId: b.id, fingerprint: null })
        })
      })

      it('writes lastUsedAt at most once per interval', async () => {
        const key = row()
        await store().transaction((tx) => tx.insertKey(key))
        const touch = (at: string) => store().markKeyUsed(key.id, at, MINUTE)
        expect(await touch('2030-01-01T00:00:00.000Z')).toBe(true)
        expect(await touch('2030-01-01T00:00:59.999Z')).toBe(false)
        expect((await store().getKey(user('u1'), key.id))!.lastUsedAt).toBe('2030-01-01T00:00:00.000Z')
        expect(await touch('2030-01-01T00:01:00.000Z')).toBe(true)
        expect((await store().getKey(user('u1'), key.id))!.lastUsedAt).toBe('2030-01-01T00:01:00.000Z')
        expect(await store().markKeyUsed(crypto.randomUUID(), NOW, MINUTE)).toBe(false)
      })

      it('counts rate-limit hits in fixed windows per key, and peeks without counting', async () => {
        const at = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString()
        expect(await store().peekRateLimit('a', MINUTE, NOW)).toBeNull()
        expect(await store().hitRateLimit('a', MINUTE, NOW)).toEqual({ windowStart: NOW, count: 1 })
        expect(await store().hitRateLimit('a', MINUTE, at(59_999))).toEqual({ windowStart: NOW, count: 2 })
        expect(await store().peekRateLimit('a', MINUTE, at(59_999))).toEqual({ windowStart: NOW, count: 2 })
        expect(await store().hitRateLimit('b', MINUTE, at(1))).toEqual({ windowStart: at(1), count: 1 })
        // The window ends windowMs after its first hit; the next hit opens a new one.
        expect(await store().peekRateLimit('a', MINUTE, at(MINUTE))).toBeNull()
        expect(await store().hitRateLimit('a', MINUTE, at(MINUTE))).toEqual({ windowStart: at(MINUTE), count: 1 })
        // Concurrent hits are all counted.
        const hits = await Promise.all(Array.from({ length: 20 }, () => store().hitRateLimit('c', MINUTE, NOW)))
        expect(hits.map((hit) => hit.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
        await store().purgeExpired({ idempotencyRecords: NOW, rateLimits: at(1), webhooks: NOW })
        expect(await store().peekRateLimit('c', MINUTE, NOW)).toBeNull()
        expect(await store().peekRateLimit('b', MINUTE, at(2))).toEqual({ windowStart: at(1), count: 1 })
      })

      it('leases due outbox messages to one claimer at a time, and settles only under the lease', async () => {
        const at = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString()
        const first = outboxMessage({ nextAttemptAt: NOW })
        const later = outboxMessage({ nextAttemptAt: at(MINUTE) })
        await store().transaction((tx) => tx.enqueueWebhooks([first, later]))
        // Concurrent claims never share a message.
        const claims = await Promise.all([1, 2, 3].map(() => store().claimWebhooks({ now: NOW, limit: 10, leaseMs: MINUTE })))
        expect(claims.flat()).toEqual([{ ...first, attempts: 1, leaseId: expect.any(String), leasedUntil: at(MINUTE) }])
        const [claimed] = claims.flat()
        // Leased: nobody else gets it until the lease runs out, and then the old lease no longer settles it.
        expect(await store().claimWebhooks({ now: at(MINUTE - 1), limit: 10, leaseMs: MINUTE })).toEqual([])
        const retaken = await store().claimWebhooks({ now: at(MINUTE), limit: 1, leaseMs: MINUTE })
        expect(retaken).toMatchObject([{ id: first.id, attempts: 2 }])
        expect(await store().settleWebhook(first.id, claimed!.leaseId, { delivered: true, at: at(MINUTE), status: 200 })).toBe(false)
        // Retry later: due again at retryAt, not before.
        expect(await store().settleWebhook(first.id, retaken[0]!.leaseId, { delivered: false, at: at(MINUTE), retryAt: at(2 * MINUTE), status: 503 })).toBe(true)
        const [laterClaim] = await store().claimWebhooks({ now: at(MINUTE), limit: 10, leaseMs: MINUTE })
        expect(laterClaim).toMatchObject({ id: later.id })
        expect(await store().settleWebhook(later.id, laterClaim!.leaseId, { delivered: false, at: at(MINUTE), retryAt: at(DAY), error: 'refused' })).toBe(true)
        const third = await store().claimWebhooks({ now: at(2 * MINUTE), limit: 10, leaseMs: MINUTE })
        expect(third).toMatchObject([{ id: first.id, attempts: 3 }])
        expect(await store().settleWebhook(first.id, third[0]!.leaseId, { delivered: true, at: at(2 * MINUTE), status: 204 })).toBe(true)
        // Delivered or given up: never claimed again, and purged once old.
        expect(await store().claimWebhooks({ now: at(DAY), limit: 10, leaseMs: MINUTE })).toMatchObject([{ id: later.id }])
        await store().purgeExpired({ idempotencyRecords: NOW, rateLimits: NOW, webhooks: at(1) })
        const leftover = await store().claimWebhooks({ now: at(2 * DAY), limit: 10, leaseMs: MINUTE })
        expect(leftover).toMatchObject([{ id: later.id }])
        expect(await store().settleWebhook(later.id, leftover[0]!.leaseId, { delivered: false, at: at(2 * DAY), retryAt: null, error: 'gone' })).toBe(true)
        expect(await store().claimWebhooks({ now: at(3 * DAY), limit: 10, leaseMs: MINUTE })).toEqual([])
      })

      it('lists every sort, status and search (names and descriptions) exactly as documented, page by page, per owner', async () => {
        const rows = listingRows()
        await store().transaction(async (tx) => {
          for (const key of rows) await tx.insertKey(key)
        })
        const searches = [
          [user('u1'), [undefined, 'ALPHA', 'äp', '%', '_', ' 1', 'billing', 'LINE ONE\nLINE']],
          // The organization whose id is u1's: its own few keys only.
          [organization('u1'), [undefined, 'alpha']],
        ] as const
        for (const [owner, qs] of searches) for (const sort of SORT_KEYS) {
          for (const status of [undefined, ...KEY_STATUSES]) {
            for (const q of qs) {
              const query = { owner, q, status, sort, now: NOW }
              const expected = expectedListing(rows, query)
              const seen: string[] = []
              let after: ListPosition | undefined
              for (let page = 0; page < 30; page++) {
                const result = await store().listKeys({ ...query, after, limit: 7 })
                expect(result.totalCount).toBe(expected.totalCount)
                expect(result.facets).toEqual(expected.facets)
                seen.push(...result.rows.map((key) => key.id))
                if (result.rows.length < 7) break
                after = positionOf(result.rows.at(-1)!, sort)
              }
              expect(seen, JSON.stringify({ owner, sort, status, q })).toEqual(expected.ids)
            }
          }
        }
      })

      it('refuses a transaction object used after its transaction ended', async () => {
        let leaked: Parameters<Parameters<KeyStore['transaction']>[0]>[0] | undefined
        await store().transaction(async (tx) => {
          leaked = tx
        })
        await expect(leaked!.insertKey(row())).rejects.toThrow(/finished|closed/)
        expect(await harness.keys()).toEqual([])
      })

      it('makes a transaction reading a key for update wait until the one that changed it commits', async () => {
        const key = row()
        await store().transaction((tx) => tx.insertKey(key))
        const events: string[] = []
        const held = deferred()
        const locked = deferred()
        const first = store().transaction(async (tx) => {
          await tx.getKeyForUpdate(user('u1'), key.id)
          await tx.updateKey(key.id, { revokedAt: NOW })
          locked.resolve()
          await held.promise
          events.push('first ends')
        })
        await locked.promise
        const second = store().transaction(async (tx) => {
          const seen = await tx.getKeyForUpdate(user('u1'), key.id)
          events.push('second reads')
          return seen
        })
        await sleep(100)
        events.push('release')
        held.resolve()
        const [, seen] = await Promise.all([first, second])
        expect(events).toEqual(['release', 'first ends', 'second reads'])
        expect(seen!.revokedAt).toBe(NOW)
      })

      it('serializes one user’s write transactions through lockUser', async () => {
        const events: string[] = []
        const held = deferred()
        const locked = deferred()
        const first = store().transaction(async (tx) => {
          await tx.lockOwner(user('alice'))
          locked.resolve()
          await held.promise
          await tx.insertKey(row({ owner: user('alice'), name: 'first' }))
          events.push('first ends')
        })
        await locked.promise
        const second = store().transaction(async (tx) => {
          await tx.lockOwner(user('alice'))
          // Under the lock, the first transaction's key is visible (committed), so a cap or name check would count it.
          events.push(`second counts ${await tx.countLiveKeys(user('alice'), NOW)}`)
        })
        await sleep(100)
        events.push('release')
        held.resolve()
        await Promise.all([first, second])
        expect(events).toEqual(['release', 'first ends', 'second counts 1'])
      })

      it('rejects transactions and reads once closed', async () => {
        // A second store over the same database, whose close() leaves the shared database open.
        const closing =
          harness.db === undefined
            ? memoryStore()
            : await postgresStore({ ...harness.db, close: async () => undefined })
        await closing.close()
        await expect(closing.transaction(async () => 1)).rejects.toThrow(/closed/)
        await expect(closing.getKey(user('u1'), crypto.randomUUID())).rejects.toThrow(/closed/)
      })
    })

    describe('reference server', () => {
      const server = (options: Parameters<typeof setupWithStore>[1] = {}) => setupWithStore(store(), options)

      it('creates a key, stores only its hash and start, and answers /v1/me with it', async () => {
        const { call, create, me } = server()
        const created = await call('alice', 'POST', PATH, { name: 'CI', expirationOption: 'OneMonth' })
        expect(created.status).toBe(201)
        const { apiKey, token } = created.body.data
        const [stored] = await harness.keys()
        expect(stored).toMatchObject({ id: apiKey.id, owner: user('alice'), start: token.slice(0, 8), hash: expect.stringMatching(/^[0-9a-f]{64}$/) })
        const dump = await harness.dump()
        expect(dump).not.toContain(token)
        expect(dump).not.toContain(token.slice(4, 36))
        expect((await me(token)).body.data).toEqual({
          owner: user('alice'),
          userId: 'alice',
          createdBy: { userId: 'alice', name: 'Alice' },
          apiKeyId: apiKey.id,
          scopes: [],
        })
        await create('alice', { name: 'second' })
        expect((await call('alice', 'GET', PATH)).body.totalCount).toBe(2)
      })

      it('lists only the caller’s keys, newest first, with counts and facets', async () => {
        const { call } = await populate(server())
        const response = await call('alice', 'GET', PATH)
        expect(response.body.items).toHaveLength(23)
        expect(response.body.totalCount).toBe(23)
        expectSorted(response.body.items, '-createdAt')
        expect(response.body.facets).toEqual({ status: { active: 11, expired: 7, revoked: 5 } })
        for (const [status, count] of [['active', 11], ['expired', 7], ['revoked', 5]] as const) {
          const filtered = await call('alice', 'GET', `${PATH}?status=${status}&limit=2`)
          expect(filtered.body.totalCount).toBe(count)
          expect(filtered.body.facets).toEqual({ status: { active: 11, expired: 7, revoked: 5 } })
        }
      })

      it.each(SORT_KEYS.map((sort) => [sort]))('walks every page sorted by %s with no repeats or gaps', async (sort) => {
        const { call, ids } = await populate(server())
        const items = (await walk(call, `&sort=${sort}`, 4)).flat()
        expect(items.map((k) => k.id).sort()).toEqual([...ids].sort())
        expectSorted(items, sort as SortKey)
      })

      it.each(SORT_KEYS.map((sort) => [sort]))('keeps pages sorted by %s stable when keys are created between reads', async (sort) => {
        const env = await populate(server())
        const seen = await walkWhileCreating(env, sort as SortKey)
        const { ids } = env
    expect(new Set(seen).size).toBe(seen.length)
        for (const id of ids) expect(seen).toContain(id)
      })

      it('searches names case-insensitively and literally, with facets following the search', async () => {
        const { call, create } = server()
        for (const name of ['Echo', 'echo two', '100% done', 'snake_case', 'plain']) await create('alice', { name })
        const echo = await call('alice', 'GET', `${PATH}?q=ECHO`)
        expect(echo.body.items.map((k: PersonalApiKey) => k.name).sort()).toEqual(['Echo', 'echo two'])
        expect(echo.body.facets.status).toEqual({ active: 2, expired: 0, revoked: 0 })
        expect((await call('alice', 'GET', `${PATH}?q=${encodeURIComponent('%')}`)).body.totalCount).toBe(1)
        expect((await call('alice', 'GET', `${PATH}?q=_`)).body.totalCount).toBe(1)
        const sqlish = "' OR 1=1; DROP TABLE patkit_personal_access_tokens; --"
        expect((await call('alice', 'GET', `${PATH}?q=${encodeURIComponent(sqlish)}`)).body.totalCount).toBe(0)
      })

      it.each([
        ['sort', 'hash'],
        ['sort', "name; DROP TABLE patkit_personal_access_tokens"],
        ['cursor', 'not a cursor!'],
        ['cursor', btoa(JSON.stringify(['-createdAt', "2030' OR '1'='1", '00000000-0000-4000-8000-000000000000']))],
        ['cursor', btoa(JSON.stringify(['-createdAt', '2030-01-01T00:00:00.000Z', "1' OR '1'='1"]))],
        ['cursor', btoa(JSON.stringify(['expiresAt', '2030-02-30T00:00:00.000Z', '00000000-0000-4000-8000-000000000000']))],
        ['q', 'x'.repeat(257)],
      ])('answers 400, never 500, to %s=%j', async (name, value) => {
        const { call, create } = server()
        await create('alice', { name: 'a' })
        const response = await call('alice', 'GET', `${PATH}?${name}=${encodeURIComponent(value)}`)
        expect(response.status).toBe(400)
      })

      it('revokes once: revoking again answers 200 with the first revokedAt, and the token stops working', async () => {
        const { call, create, clock, me } = server()
        const { apiKey, token } = await create('alice', { name: 'a' })
        clock.advance(MINUTE)
        const first = await call('alice', 'DELETE', `${PATH}/${apiKey.id}`)
        expect(first.body.data).toMatchObject({ status: 'revoked', revokedAt: clock.now().toISOString() })
        clock.advance(MINUTE)
        expect((await call('alice', 'DELETE', `${PATH}/${apiKey.id}`)).body.data.revokedAt).toBe(first.body.data.revokedAt)
        expect((await me(token)).status).toBe(401)
      })

      it('rotates: same name and scopes, the old key revoked, only the new token works', async () => {
        const { call, create, me, clock } = server({ policy: { scopes: [{ id: 'read', description: 'Read' }] } })
        const old = await create('alice', { name: 'deploy', scopes: ['read'] })
        clock.advance(MINUTE)
        const response = await call('alice', 'POST', `${PATH}/${old.apiKey.id}/rotate`)
        expect(response.status).toBe(201)
        const { apiKey, token, previous } = response.body.data
        expect(apiKey).toMatchObject({ name: 'deploy', scopes: ['read'], status: 'active' })
        expect(previous).toMatchObject({ id: old.apiKey.id, status: 'revoked', revokedAt: clock.now().toISOString(), replacedBy: apiKey.id, gracePeriod: 'None' })
        expect((await me(token)).status).toBe(200)
        expect((await me(old.token)).status).toBe(401)
        expect((await call('alice', 'GET', PATH)).body.facets.status).toEqual({ active: 1, expired: 0, revoked: 1 })
      })

      it('keeps the old key active and adds no row when the rotation’s insert fails', async () => {
        const inner = store()
        const sabotaged: KeyStore = {
          ...inner,
          transaction: (fn) =>
            inner.transaction((tx) =>
              fn({
                ...tx,
                insertKey: async (key) => {
                  if (key.name === 'doomed') throw new Error('disk full')
                  return tx.insertKey(key)
                },
              }),
            ),
        }
        const { call, me } = setupWithStore(sabotaged)
        const created = await call('alice', 'POST', PATH, { name: 'doomed-to-be' })
        const { id } = created.body.data.apiKey
        await call('alice', 'PATCH', `${PATH}/${id}`, { name: 'doomed' })
        for (const gracePeriod of ['None', 'OneDay']) {
          const response = await call('alice', 'POST', `${PATH}/${id}/rotate`, { gracePeriod })
          expect(response.status).toBe(500)
          const rows = await harness.keys()
          expect(rows).toHaveLength(1)
          expect(rows[0]).toMatchObject({ id, revokedAt: null, expiresAt: created.body.data.apiKey.expiresAt, replacedBy: null, replacedAt: null })
          expect((await me(created.body.data.token)).status).toBe(200)
        }
      })

      it('lets exactly one of two concurrent rotations of a key win; the other gets 409', async () => {
        const { call, create, me } = server()
        const old = await create('alice', { name: 'contended' })
        const answers = await Promise.all([1, 2].map(() => call('alice', 'POST', `${PATH}/${old.apiKey.id}/rotate`)))
        expect(answers.map((a) => a.status).sort()).toEqual([201, 409])
        expect(answers.find((a) => a.status === 409)!.body.code).toBe('already_revoked')
        const rows = await harness.keys()
        expect(rows).toHaveLength(2)
        expect(rows.filter((r) => r.revokedAt === null)).toHaveLength(1)
        const winner = answers.find((a) => a.status === 201)!
        expect((await me(winner.body.data.token)).status).toBe(200)
      })

      it('creates one key for concurrent requests with one Idempotency-Key, and answers the rest 409', async () => {
        const { call } = server()
        const headers = { 'Idempotency-Key': 'same-request' }
        const answers = await Promise.all([1, 2, 3, 4].map(() => call('alice', 'POST', PATH, { name: 'once' }, headers)))
        expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409])
        const winner = answers.find((a) => a.status === 201)!
        for (const answer of answers.filter((a) => a.status === 409)) {
          expect(answer.body).toMatchObject({ code: 'idempotency_key_reused', apiKeyId: winner.body.data.apiKey.id })
        }
        expect(await harness.keys()).toHaveLength(1)
      })

      it('forgets an Idempotency-Key once it is more than 24 hours old', async () => {
        const { call, clock } = server()
        const headers = { 'Idempotency-Key': 'daily' }
        expect((await call('alice', 'POST', PATH, { name: 'one' }, headers)).status).toBe(201)
        clock.advance(DAY)
        expect((await call('alice', 'POST', PATH, { name: 'one' }, headers)).status).toBe(409)
        expect((await call('alice', 'POST', PATH, { name: 'two' }, headers)).status).toBe(422)
        clock.advance(1)
        expect((await call('alice', 'POST', PATH, { name: 'two' }, headers)).status).toBe(201)
      })

      it('answers the same key with another body 422, and the same body 409 with the key it made, on rotate too', async () => {
        const { call, create } = server()
        const headers = { 'Idempotency-Key': 'once' }
        const first = await call('alice', 'POST', PATH, { name: 'a', scopes: [] }, headers)
        expect(first.status).toBe(201)
        // The same request with its fields in another order is the same request.
        const again = await call('alice', 'POST', PATH, { scopes: [], name: 'a' }, headers)
        expect(again.status).toBe(409)
        expect(again.body).toMatchObject({ code: 'idempotency_key_reused', apiKeyId: first.body.data.apiKey.id, apiKey: first.body.data.apiKey })
        expect(JSON.stringify(again.body)).not.toContain(first.body.data.token)
        const other = await call('alice', 'POST', PATH, { name: 'b' }, headers)
        expect(other.status).toBe(422)
        expect(other.body.code).toBe('idempotency_key_mismatch')
        expect(await harness.keys()).toHaveLength(1)

        const { apiKey } = await create('alice', { name: 'to rotate' })
        const second = await create('alice', { name: 'second' })
        const rotateHeaders = { 'Idempotency-Key': 'rotate-once' }
        expect((await call('alice', 'POST', `${PATH}/${apiKey.id}/rotate`, {}, rotateHeaders)).status).toBe(201)
        expect((await call('alice', 'POST', `${PATH}/${apiKey.id}/rotate`, {}, rotateHeaders)).status).toBe(409)
        // The same key for another key's rotation is another request.
        expect((await call('alice', 'POST', `${PATH}/${second.apiKey.id}/rotate`, {}, rotateHeaders)).status).toBe(422)
      })

      it('keeps names unique among active keys even for concurrent creates', async () => {
        const { call } = server()
        const answers = await Promise.all([1, 2, 3].map(() => call('alice', 'POST', PATH, { name: 'same' })))
        expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409])
        expect(answers.find((a) => a.status === 409)!.body.code).toBe('name_taken')
      })

      it('caps active keys even for concurrent creates, with 409 token_limit_reached', async () => {
        const { call } = server({ maxActiveKeys: 3 })
        const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => call('alice', 'POST', PATH, { name: `k${i}` })))
        expect(answers.filter((a) => a.status === 201)).toHaveLength(3)
        expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'token_limit_reached')).toBe(true)
        expect(await harness.keys()).toHaveLength(3)
        // A revoked key frees a place.
        const id = answers.find((a) => a.status === 201)!.body.data.apiKey.id
        await call('alice', 'DELETE', `${PATH}/${id}`)
        expect((await call('alice', 'POST', PATH, { name: 'k-again' })).status).toBe(201)
      })

      it('rate-limits create and rotate per user with 429 and Retry-After', async () => {
        const clock = testClock()
        const { call, create } = server({ now: clock.now, rateLimit: fixedWindowRateLimiter({ limit: 2, windowMs: MINUTE, now: clock.now }) })
        const { apiKey } = await create('alice', { name: 'a' })
        await create('alice', { name: 'b' })
        const refused = await call('alice', 'POST', PATH, { name: 'c' })
        expect(refused.status).toBe(429)
        expect(refused.headers.get('Retry-After')).toBe('60')
        expect((await call('bob', 'POST', PATH, { name: 'c' })).status).toBe(201)
        await call('alice', 'POST', `${PATH}/${apiKey.id}/rotate`)
        await call('alice', 'POST', `${PATH}/${apiKey.id}/rotate`)
        expect((await call('alice', 'POST', `${PATH}/${apiKey.id}/rotate`)).status).toBe(429)
        expect(await harness.keys()).toHaveLength(4)
      })

      it('writes lastUsedAt at most once a minute, also under concurrent use', async () => {
        const { app, create, me, clock } = server()
        const { apiKey, token } = await create('alice', { name: 'a' })
        const lastUsed = async () => {
          await app.settle()
          return (await store().getKey(user('alice'), apiKey.id))!.lastUsedAt
        }
        const first = clock.now().toISOString()
        await Promise.all([1, 2, 3, 4, 5].map(() => me(token)))
        expect(await lastUsed()).toBe(first)
        clock.advance(MINUTE - 1)
        await me(token)
        expect(await lastUsed()).toBe(first)
        clock.advance(1)
        await me(token)
        expect(await lastUsed()).toBe(clock.now().toISOString())
      })

      it('answers 404 for another user’s key on revoke, rotate and rename, and leaves it alone', async () => {
        const { call, create, me } = server()
        const { apiKey, token } = await create('alice', { name: 'mine' })
        for (const [method, path, body] of [
          ['DELETE', `${PATH}/${apiKey.id}`, undefined],
          ['POST', `${PATH}/${apiKey.id}/rotate`, {}],
          ['PATCH', `${PATH}/${apiKey.id}`, { name: 'stolen' }],
        ] as const) {
          expect((await call('mallory', method, path, body)).status, `${method} ${path}`).toBe(404)
        }
        expect((await me(token)).status).toBe(200)
        expect((await harness.keys())[0]).toMatchObject({ name: 'mine', revokedAt: null })
      })
    })

    describe('rotation with a grace period', () => {
      const server = (options: Parameters<typeof setupWithStore>[1] = {}) => setupWithStore(store(), options)

      it('keeps the old key working until the grace period ends, replaced, while the new one works at once', async () => {
        const { call, create, me, clock } = server()
        const old = await create('alice', { name: 'deploy', description: 'CI', expirationOption: 'OneMonth' })
        clock.advance(MINUTE)
        const rotatedAt = clock.now().toISOString()
        const response = await call('alice', 'POST', `${PATH}/${old.apiKey.id}/rotate`, { gracePeriod: 'OneHour' })
        expect(response.status).toBe(201)
        const { apiKey, token, previous } = response.body.data
        const graceEnd = new Date(clock.now().getTime() + 60 * MINUTE).toISOString()
        expect(apiKey).toMatchObject({ name: 'deploy', description: 'CI', status: 'active', replacedBy: null })
        expect(previous).toEqual({
          ...old.apiKey,
          status: 'active',
          expiresAt: graceEnd,
          revokedAt: null,
          replacedBy: apiKey.id,
          replacedAt: rotatedAt,
          gracePeriod: 'OneHour',
        })
        expect((await me(old.token)).status).toBe(200)
        expect((await me(token)).status).toBe(200)
        expect((await call('alice', 'GET', PATH)).body.facets.status).toEqual({ active: 2, expired: 0, revoked: 0 })
        // One replacement per key; its name is the replacement's, and it cannot be edited.
        const again = await call('alice', 'POST', `${PATH}/${old.apiKey.id}/rotate`, { gracePeriod: 'OneHour' })
        expect(again).toMatchObject({ status: 409, body: { code: 'already_replaced' } })
        expect((await call('alice', 'PATCH', `${PATH}/${old.apiKey.id}`, { description: 'x' })).body.code).toBe('already_replaced')
        expect((await call('alice', 'POST', PATH, { name: 'deploy' })).body.code).toBe('name_taken')
        clock.advance(60 * MINUTE - 1)
        expect((await me(old.token)).status).toBe(200)
        clock.advance(1)
        expect((await me(old.token)).status).toBe(401)
        expect((await me(token)).status).toBe(200)
        const listed = await call('alice', 'GET', PATH)
        expect(listed.body.items.find((key: PersonalApiKey) => key.id === old.apiKey.id)).toMatchObject({ status: 'expired', replacedBy: apiKey.id })
      })

      it('ends the grace period early when the old key is revoked, and never extends a key’s life', async () => {
        const { call, create, me, clock } = server()
        const soon = await create('alice', { name: 'soon', expiresAt: new Date(clock.now().getTime() + 30 * MINUTE).toISOString() })
        const rotated = await call('alice', 'POST', `${PATH}/${soon.apiKey.id}/rotate`, { gracePeriod: 'SevenDays' })
        expect(rotated.body.data.previous).toMatchObject({ expiresAt: soon.apiKey.expiresAt, revokedAt: null, gracePeriod: 'SevenDays' })
        const later = await create('alice', { name: 'later' })
        const second = await call('alice', 'POST', `${PATH}/${later.apiKey.id}/rotate`, { gracePeriod: 'OneDay' })
        clock.advance(MINUTE)
        const revoked = await call('alice', 'DELETE', `${PATH}/${later.apiKey.id}`)
        expect(revoked.body.data).toMatchObject({ status: 'revoked', revokedAt: clock.now().toISOString(), replacedBy: second.body.data.apiKey.id })
        expect((await me(later.token)).status).toBe(401)
        expect((await me(second.body.data.token)).status).toBe(200)
      })

      it('does not count a replaced key toward the cap', async () => {
        const { call, create } = server({ maxActiveKeys: 2 })
        const a = await create('alice', { name: 'a' })
        await create('alice', { name: 'b' })
        expect((await call('alice', 'POST', `${PATH}/${a.apiKey.id}/rotate`, { gracePeriod: 'OneDay' })).status).toBe(201)
        expect((await call('alice', 'POST', PATH, { name: 'c' })).body.code).toBe('token_limit_reached')
      })

      it('lets exactly one of two concurrent rotations with a grace period win; the other gets 409 already_replaced', async () => {
        const { call, create } = server()
        const old = await create('alice', { name: 'contended' })
        const answers = await Promise.all([1, 2].map(() => call('alice', 'POST', `${PATH}/${old.apiKey.id}/rotate`, { gracePeriod: 'OneHour' })))
        expect(answers.map((a) => a.status).sort()).toEqual([201, 409])
        expect(answers.find((a) => a.status === 409)!.body.code).toBe('already_replaced')
        expect(await harness.keys()).toHaveLength(2)
      })

      it('refuses a grace period the policy does not offer, changing nothing', async () => {
        const { call, create, me } = server({ policy: { gracePeriodOptions: ['None', 'OneHour'] } })
        const old = await create('alice', { name: 'a' })
        for (const gracePeriod of ['SevenDays', 'Forever', 3600]) {
          const response = await call('alice', 'POST', `${PATH}/${old.apiKey.id}/rotate`, { gracePeriod })
          expect(response.status).toBe(400)
          expect(response.body).toMatchObject({ code: 'validation_failed', errors: [{ pointer: '/gracePeriod', detail: 'The grace period must be one of None, OneHour.' }] })
        }
        expect(await harness.keys()).toHaveLength(1)
        expect((await me(old.token)).status).toBe(200)
      })
    })

    describe('organization keys', () => {
      const server = (options: Parameters<typeof setupWithStore>[1] = {}) => setupWithStore(store(), options)
      const ORG = (orgId: string) => `/v1/organizations/${encodeURIComponent(orgId)}/api-keys`
      /** Every route of an organization's keys, for a key id. */
      const routes = (orgId: string, id: string) =>
        [
          ['GET', ORG(orgId), undefined],
          ['GET', `${ORG(orgId)}/policy`, undefined],
          ['POST', ORG(orgId), { name: 'sneaky' }],
          ['PATCH', `${ORG(orgId)}/${id}`, { name: 'stolen' }],
          ['POST', `${ORG(orgId)}/${id}/rotate`, {}],
          ['DELETE', `${ORG(orgId)}/${id}`, undefined],
        ] as const

      it('lets admins and owners manage the keys and members list them; a member’s writes are 403 and change nothing', async () => {
        const { call, me } = server()
        const created = await call('alice', 'POST', ORG('acme'), { name: 'deploy', description: 'Production deploys' })
        expect(created.status).toBe(201)
        const { apiKey, token } = created.body.data
        expect(apiKey).toMatchObject({ owner: organization('acme'), createdBy: { userId: 'alice', name: 'Alice' }, description: 'Production deploys' })
        expect((await me(token)).body.data).toEqual({
          owner: organization('acme'),
          userId: null,
          createdBy: { userId: 'alice', name: 'Alice' },
          apiKeyId: apiKey.id,
          scopes: [],
        })
        for (const member of ['bob', 'vera']) {
          expect((await call(member, 'GET', ORG('acme'))).body.items.map((key: PersonalApiKey) => key.id)).toEqual([apiKey.id])
          expect((await call(member, 'GET', `${ORG('acme')}/policy`)).status).toBe(200)
          for (const [method, path, body] of routes('acme', apiKey.id).slice(2)) {
            const refused = await call(member, method, path, body)
            expect(refused.status, `${member} ${method} ${path}`).toBe(403)
            expect(refused.body.code).toBe('no_org_api_key_permission')
          }
        }
        expect(await harness.keys()).toMatchObject([{ id: apiKey.id, name: 'deploy', revokedAt: null, replacedBy: null }])
        // The owner rotates (and becomes the new key's creator), the admin edits and revokes.
        const rotated = await call('olivia', 'POST', `${ORG('acme')}/${apiKey.id}/rotate`, { gracePeriod: 'OneHour' })
        expect(rotated.body.data.apiKey).toMatchObject({ owner: organization('acme'), createdBy: { userId: 'olivia', name: 'Olivia' }, name: 'deploy' })
        const next = rotated.body.data.apiKey.id
        expect((await call('alice', 'PATCH', `${ORG('acme')}/${next}`, { description: null })).body.data.description).toBeNull()
        expect((await call('alice', 'DELETE', `${ORG('acme')}/${next}`)).body.data.status).toBe('revoked')
        // Alice is a plain member of Globex: she may list its keys there, not make one.
        expect((await call('alice', 'GET', ORG('globex'))).status).toBe(200)
        expect((await call('alice', 'POST', ORG('globex'), { name: 'x' })).body.code).toBe('no_org_api_key_permission')
      })

      it('answers 404 to a non-member and to another organization’s admin, as for an organization that does not exist', async () => {
        const { call, me } = server()
        const { apiKey, token } = (await call('alice', 'POST', ORG('acme'), { name: 'deploy' })).body.data
        const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined })
        const nowhere = await call('carol', 'GET', ORG('no-such-org'))
        expect(nowhere).toMatchObject({ status: 404, body: { code: 'organization_not_found' } })
        for (const outsider of ['carol', 'gina', 'mallory']) {
          for (const [method, path, body] of routes('acme', apiKey.id)) {
            const answer = await call(outsider, method, path, body)
            expect(answer.status, `${outsider} ${method} ${path}`).toBe(404)
            expect(strip(answer.body)).toEqual(strip(nowhere.body))
          }
        }
        // Globex's admin names Acme's key under Globex: not Globex's key.
        for (const [method, path, body] of routes('globex', apiKey.id).slice(3)) {
          expect((await call('gina', method, path, body)).body.code, `${method} ${path}`).toBe('api_key_not_found')
        }
        // Alice's own keys and Acme's never mix, whichever routes she uses.
        const mine = (await call('alice', 'POST', PATH, { name: 'deploy' })).body.data.apiKey
        expect((await call('alice', 'GET', PATH)).body.items.map((key: PersonalApiKey) => key.id)).toEqual([mine.id])
        expect((await call('alice', 'GET', ORG('acme'))).body.items.map((key: PersonalApiKey) => key.id)).toEqual([apiKey.id])
        expect((await call('alice', 'DELETE', `${PATH}/${apiKey.id}`)).body.code).toBe('api_key_not_found')
        expect((await call('alice', 'DELETE', `${ORG('acme')}/${mine.id}`)).body.code).toBe('api_key_not_found')
        expect((await call(null, 'GET', ORG('acme'))).status).toBe(401)
        expect((await me(token)).status).toBe(200)
        expect((await harness.keys()).every((key) => key.revokedAt === null)).toBe(true)
      })

      it('keeps an organization’s key working after its creator leaves; another admin still manages it', async () => {
        const { call } = server()
        const { apiKey, token } = (await call('alice', 'POST', ORG('acme'), { name: 'billing' })).body.data
        // Alice leaves Acme: the app's authenticate no longer lists it.
        const after = server({
          authenticate: async (request) => {
            const session = await sessionAuthenticate(request)
            return session && session.userId === 'alice' ? { ...session, organizations: [] } : session
          },
        })
        expect((await after.call('alice', 'GET', ORG('acme'))).status).toBe(404)
        expect((await after.me(token)).body.data).toMatchObject({ owner: organization('acme'), createdBy: { userId: 'alice' } })
        expect((await after.call('olivia', 'GET', ORG('acme'))).body.items).toMatchObject([{ id: apiKey.id, createdBy: { userId: 'alice', name: 'Alice' } }])
        expect((await after.call('olivia', 'DELETE', `${ORG('acme')}/${apiKey.id}`)).status).toBe(200)
        expect((await call('alice', 'GET', ORG('acme'))).body.items[0].status).toBe('revoked')
        expect((await after.me(token)).status).toBe(401)
      })

      it('keeps names, rate limits and Idempotency-Keys per owner', async () => {
        const clock = testClock()
        const { call } = server({ now: clock.now, rateLimit: fixedWindowRateLimiter({ limit: 3, windowMs: MINUTE, now: clock.now }) })
        const headers = { 'Idempotency-Key': 'same-key' }
        expect((await call('alice', 'POST', ORG('acme'), { name: 'deploy' }, headers)).status).toBe(201)
        // Alice's own keys are another owner's: the same name and Idempotency-Key are free there.
        expect((await call('alice', 'POST', PATH, { name: 'deploy' }, headers)).status).toBe(201)
        // Acme's admins share its names, its Idempotency-Keys and its limit.
        const taken = await call('olivia', 'POST', ORG('acme'), { name: 'deploy' })
        expect(taken).toMatchObject({ status: 409, body: { code: 'name_taken', detail: 'This organization already has an active key with that name.' } })
        expect((await call('olivia', 'POST', ORG('acme'), { name: 'deploy' }, headers)).body.code).toBe('idempotency_key_reused')
        expect((await call('olivia', 'POST', ORG('acme'), { name: 'other' })).status).toBe(429)
        expect((await call('gina', 'POST', ORG('globex'), { name: 'deploy' })).status).toBe(201)
        expect((await harness.keys()).map((key) => `${key.owner.type}:${key.owner.id}:${key.name}`).sort()).toEqual([
          'organization:acme:deploy',
          'organization:globex:deploy',
          'user:alice:deploy',
        ])
      })

      it('applies the organization policy, roles and cap the app sets', async () => {
        const { call } = server({
          policy: { maxLifetimeDays: 365, expirationOptions: ['OneMonth', 'OneYear'] },
          organizations: {
            policy: { maxLifetimeDays: null, expirationOptions: ['OneMonth', 'OneYear', 'Never'], defaultExpiration: 'Never' },
            manageRoles: ['owner'],
            listRoles: ['admin'],
            maxActiveKeys: 1,
          },
        })
        expect((await call('alice', 'GET', `${PATH}/policy`)).body.data).toMatchObject({ maxLifetimeDays: 365, defaultExpiration: 'OneMonth' })
        expect((await call('alice', 'GET', `${ORG('acme')}/policy`)).body.data).toMatchObject({ maxLifetimeDays: null, defaultExpiration: 'Never' })
        expect((await call('alice', 'POST', PATH, { name: 'forever', expirationOption: 'Never' })).body.code).toBe('invalid_expiration_option')
        expect((await call('alice', 'POST', ORG('acme'), { name: 'forever' })).body.code).toBe('no_org_api_key_permission')
        const forever = await call('olivia', 'POST', ORG('acme'), { name: 'forever' })
        expect(forever.body.data.apiKey.expiresAt).toBeNull()
        const full = await call('olivia', 'POST', ORG('acme'), { name: 'one more' })
        expect(full.body).toMatchObject({ code: 'token_limit_reached', detail: 'This organization can have at most 1 active keys. Revoke one to create another.' })
        expect((await call('alice', 'GET', ORG('acme'))).status).toBe(200)
        expect((await call('bob', 'GET', ORG('acme'))).body.code).toBe('no_org_api_key_permission')
        expect((await call('olivia', 'GET', ORG('acme'))).status).toBe(200)
        // Without organization keys, their routes are not there at all.
        expect((await server({ organizations: false }).call('olivia', 'GET', ORG('acme'))).body.code).toBe('not_found')
      })
    })

    // Migrations and indexes are SQL's; the memory store has neither.
    if (kind.name !== 'memoryStore') describe('schema', () => {
      it('migrates once: running the migrations again applies nothing', async () => {
        const db = harness.db!
        expect(await migrate(db)).toEqual([])
        const { rows } = await db.query<{ version: number }>('SELECT version FROM patkit_migrations ORDER BY version')
        expect(rows.map((r) => Number(r.version))).toEqual([1, 2, 3, 4, 5])
      })

      it('migrates a database of the previous version, keeping its personal keys as they were, and old instances working', async () => {
        const { db, dispose } = await harness.emptyDatabase!()
        try {
          expect(await migrate(db, MIGRATIONS.filter((migration) => migration.version <= 3))).toEqual([1, 2, 3])
          const id = crypto.randomUUID()
          // What version 3 wrote, verbatim.
          const insertV3 = (keyId: string, hash: string) =>
            db.query(
              `INSERT INTO patkit_personal_access_tokens (id, user_id, name, name_lower, start, hash, scopes, created_at, expires_at, last_used_at, revoked_at)
               VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::text[], $8::timestamptz, $9::timestamptz, $10::timestamptz, $11::timestamptz)`,
              [keyId, 'alice', 'Old key', 'old key', 'pat_abcd', hash, ['read'], '2029-01-01T00:00:00.000Z', null, null, null],
            )
          const upsertRecordV3 = (keyId: string) =>
            db.query(
              `INSERT INTO patkit_idempotency_records (user_id, key, operation, api_key_id, created_at, fingerprint)
               VALUES ($1, $2, $3, $4::uuid, $5::timestamptz, $6)
               ON CONFLICT (user_id, key) DO UPDATE
                 SET operation = EXCLUDED.operation, api_key_id = EXCLUDED.api_key_id, created_at = EXCLUDED.created_at, fingerprint = EXCLUDED.fingerprint`,
              ['alice', 'k', 'create', keyId, '2029-01-01T00:00:00.000Z', 'f'],
            )
          await insertV3(id, 'old-hash')
          await upsertRecordV3(id)
          const migrated = await postgresStore(db)
          expect(await migrate(db)).toEqual([])
          const expected: StoredKey = {
            id,
            owner: user('alice'),
            createdBy: { userId: 'alice', name: null },
            name: 'Old key',
            description: null,
            start: 'pat_abcd',
            hash: 'old-hash',
            scopes: ['read'],
            createdAt: '2029-01-01T00:00:00.000Z',
            expiresAt: null,
            lastUsedAt: null,
            revokedAt: null,
            replacedBy: null,
            replacedAt: null,
          }
          expect(await migrated.getKey(user('alice'), id)).toEqual(expected)
          expect(await migrated.getKey(organization('alice'), id)).toBeNull()
          expect(await migrated.transaction((tx) => tx.getIdempotencyRecord(user('alice'), 'k'))).toMatchObject({ owner: user('alice'), apiKeyId: id })
          // An instance still on version 3 during a rolling deploy: its statements still work.
          const later = crypto.randomUUID()
          await insertV3(later, 'later-hash')
          await upsertRecordV3(later)
          expect(await migrated.getKey(user('alice'), later)).toMatchObject({ id: later, owner: user('alice'), createdBy: null })
          expect(await migrated.transaction((tx) => tx.getIdempotencyRecord(user('alice'), 'k'))).toMatchObject({ apiKeyId: later })
          // A key belongs to exactly one owner.
          for (const [userId, organizationId] of [[null, null], ['alice', 'acme']]) {
            await expect(
              db.query(
                `INSERT INTO patkit_personal_access_tokens (id, user_id, organization_id, name, name_lower, start, hash, created_at)
                 VALUES ($1::uuid, $2, $3, 'x', 'x', 'pat_x', $4, now())`,
                [crypto.randomUUID(), userId, organizationId, crypto.randomUUID()],
              ),
            ).rejects.toThrow(/one_owner/)
          }
        } finally {
          await dispose()
        }
      })

      it.each([
        ['createdAt', user('u1')],
        ['-name', user('u1')],
        ['expiresAt', user('u1')],
        ['-lastUsedAt', user('u1')],
        ['-createdAt', organization('u1')],
        ['name', organization('u1')],
        ['-expiresAt', organization('u1')],
        ['lastUsedAt', organization('u1')],
      ] as const)(
        'pages sorted by %s through the per-sort index, for %j',
        async (sort, owner) => {
          await store().transaction(async (tx) => {
            for (const key of listingRows()) await tx.insertKey(key)
          })
          const first = await store().listKeys({ owner, sort, limit: 3, now: NOW })
          statements.length = 0
          await store().listKeys({ owner, sort, limit: 3, now: NOW, after: positionOf(first.rows.at(-1)!, sort) })
          const page = statements.find((s) => s.sql.includes('ORDER BY'))!
          const plan = await harness.db!.transaction(async (tx) => {
            // Tiny tables make a sequential scan cheaper; forbid it to see whether the index can serve the page.
            await tx.query('SET LOCAL enable_seqscan = off')
            const { rows } = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${page.sql}`, page.params)
            return rows.map((r) => r['QUERY PLAN']).join('\n')
          })
          expect(plan).toMatch(/Index Scan/)
          expect(plan).not.toMatch(/\bSort\b/)
        },
      )
    })
  })
})
