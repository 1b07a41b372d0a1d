import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  classifyDatabaseError,
  migrate,
  MIGRATIONS,
  pgPoolDatabase,
  postgresStore,
  type PgPoolDatabaseOptions,
} from '../../src/server/index.ts'
import { setupWithStore, user } from './helpers.ts'
import { findRealPostgres, startThrowawayCluster, type Cluster } from './pg-cluster.ts'

/**
 * What a real PostgreSQL server does to the store when it is slow, locked, or goes away: every fault
 * answers 503 with Retry-After (never 500, never a crashed process), nothing is half-written, and
 * one user's locks do not stall anyone else.
 */

const PATH = '/v1/personal-access-tokens'
const APP = 'patkit-faults'
const real = findRealPostgres()
const unavailable = real.kind === 'none' && !process.env.PATKIT_REQUIRE_REAL_POSTGRES

let cluster: Cluster | undefined
let url: string
let schema: string
let admin: pg.Client
const opened: { close(): Promise<void> }[] = []


/** The store on a pool of its own (marked with an application_name the tests can find its backends by). */
async function open(options: PgPoolDatabaseOptions = {}, max = 4) {
  const pool = new pg.Pool({ connectionString: url, max, options: `-c search_path=${schema}`, application_name: APP })
  const connectionErrors: Error[] = []
  const db = pgPoolDatabase(pool, { onConnectionError: (error) => connectionErrors.push(error), ...options })
  const store = await postgresStore(db)
  opened.push(store)
  return { pool, db, connectionErrors, ...setupWithStore(store) }
}

/** A transaction on the admin connection holding some lock until `release()`. */
async function holding(sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` })
  await client.connect()
  await client.query('BEGIN')
  await client.query(sql, params)
  return {
    async release() {
      await client.query('ROLLBACK')
      await client.end()
    },
  }
}

const waitingBackends = async () =>
  Number((await admin.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [APP])).rows[0].n)

describe.skipIf(unavailable)('postgresStore on a PostgreSQL server that misbehaves', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    if (real.kind === 'url') url = real.url
    else if (real.kind === 'binaries') url = (cluster = await startThrowawayCluster(real.bin)).url
    else throw new Error('no PostgreSQL for the fault tests')
    schema = `patkit_faults_${crypto.randomUUID().replace(/-/g, '')}`
    admin = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` })
    await admin.connect()
    await admin.query(`CREATE SCHEMA ${schema}`)
  }, 120_000)

  afterAll(async () => {
    for (const store of opened.splice(0)) await store.close().catch(() => undefined)
    await admin?.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined)
    await admin?.end()
    await cluster?.stop()
  }, 60_000)

  it('answers 503 when the server cuts the connection mid-transaction, writes nothing, and a retry with the same Idempotency-Key succeeds', async () => {
    const { call, store } = await open({ lockTimeoutMs: 30_000 })
    const headers = { 'Idempotency-Key': 'cut-off' }
    // The create waits on alice's lock, which another session holds; then the server ends its session.
    const lock = await holding('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', ['cut'])
    const pending = call('cut', 'POST', PATH, { name: 'cut off' }, headers)
    await expect.poll(waitingBackends, { timeout: 20_000 }).toBe(1)
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [APP])
    const answer = await pending
    expect(answer.status).toBe(503)
    expect(answer.headers.get('Retry-After')).toBe('2')
    await lock.release()
    expect((await admin.query(`SELECT count(*) AS n FROM patkit_personal_access_tokens WHERE user_id = 'cut'`)).rows[0].n).toBe('0')
    // The pool serves again, and the retry does what the first attempt could not.
    const retry = await call('cut', 'POST', PATH, { name: 'cut off' }, headers)
    expect(retry.status).toBe(201)
    expect(await store.listKeys({ owner: user('cut'), sort: 'name', limit: 10, now: new Date().toISOString() })).toMatchObject({ totalCount: 1 })
  })

  it('survives idle pooled connections being terminated (the pool’s error listener)', async () => {
    const { call, create, pool, connectionErrors } = await open()
    await create('idle', { name: 'a' })
    expect(pool.idleCount).toBeGreaterThan(0)
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [APP])
    await expect.poll(() => connectionErrors.length).toBeGreaterThan(0)
    expect((await call('idle', 'GET', PATH)).status).toBe(200)
  })

  it('answers a user waiting on their own lock 503 within lock_timeout, while other users and token checks go on', async () => {
    const { call, create, me } = await open({ lockTimeoutMs: 300 })
    const { apiKey, token } = await create('locked', { name: 'a' })
    // A long transaction of the same user (a stuck request on another instance) holds their lock.
    const lock = await holding('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', ['locked'])
    const renamed = await call('locked', 'PATCH', `${PATH}/${apiKey.id}`, { name: 'b' })
    expect(renamed.status).toBe(503)
    expect(renamed.headers.get('Retry-After')).toBe('1')
    expect(renamed.body.code).toBe('service_unavailable')
    // All of this while the lock is still held.
    expect((await call('other', 'POST', PATH, { name: 'free' })).status).toBe(201)
    expect((await call('locked', 'GET', PATH)).status).toBe(200)
    expect((await me(token)).status).toBe(200)
    await lock.release()
    expect((await call('locked', 'PATCH', `${PATH}/${apiKey.id}`, { name: 'b' })).status).toBe(200)
  })

  it('verifies a token whose key row another transaction holds, without waiting for it', async () => {
    const { app, create, me, store } = await open({ lockTimeoutMs: 30_000 })
    const { apiKey, token } = await create('busy', { name: 'a' })
    const lock = await holding('SELECT id FROM patkit_personal_access_tokens WHERE id = $1 FOR UPDATE', [apiKey.id])
    expect((await me(token)).status).toBe(200)
    // lastUsedAt was skipped, not queued behind the lock.
    await app.settle()
    expect((await store.getKey(user('busy'), apiKey.id))!.lastUsedAt).toBeNull()
    expect(await waitingBackends()).toBe(0)
    await lock.release()
    expect((await me(token)).status).toBe(200)
    await app.settle()
    expect((await store.getKey(user('busy'), apiKey.id))!.lastUsedAt).not.toBeNull()
  })

  it('answers 503 when no pooled connection frees up within acquireTimeoutMs', async () => {
    const { call, pool } = await open({ acquireTimeoutMs: 200 }, 1)
    const taken = await pool.connect()
    const answer = await call('starved', 'POST', PATH, { name: 'a' })
    expect(answer.status).toBe(503)
    expect(answer.headers.get('Retry-After')).toBe('1')
    taken.release()
    expect((await call('starved', 'POST', PATH, { name: 'a' })).status).toBe(201)
  })

  it('cancels a statement past statement_timeout, and ends a transaction left idle past idle_in_transaction_session_timeout', async () => {
    const { db, connectionErrors } = await open({ statementTimeoutMs: 200, idleInTransactionTimeoutMs: 300 })
    const slow = await db.query('SELECT pg_sleep(30)').catch((error: unknown) => error)
    expect(slow).toMatchObject({ code: '57014' })
    expect(classifyDatabaseError(slow)).toMatchObject({ kind: 'unavailable' })
    const idle = await db
      .transaction(async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
        // Waits for the server to end the idle session, then tries to go on.
        await expect
          .poll(async () => Number((await admin.query('SELECT count(*) AS n FROM pg_stat_activity WHERE pid = $1', [rows[0]!.pid])).rows[0].n), { timeout: 20_000 })
          .toBe(0)
        await tx.query('SELECT 1')
      })
      .catch((error: unknown) => error)
    expect(classifyDatabaseError(idle)).toMatchObject({ kind: 'unavailable' })
    // The server's FATAL arrived while no query ran on the checked-out connection: without the
    // adapter's listener, Node would have thrown it as an unhandled 'error' event and exited.
    expect(connectionErrors).toContainEqual(expect.objectContaining({ code: '25P03' }))
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
  })

  it('migrates under lock_timeout, and runs a non-transactional migration (CREATE INDEX CONCURRENTLY) outside a transaction', async () => {
    const { db } = await open()
    const slowAlter = { version: 90, name: 'a column', statements: ['ALTER TABLE patkit_personal_access_tokens ADD COLUMN note text'] }
    // A long read holds the table; the ALTER must give up rather than queue every query behind it.
    const reader = await holding('SELECT count(*) FROM patkit_personal_access_tokens')
    const refused = await migrate(db, [...MIGRATIONS, slowAlter], { lockTimeoutMs: 200 }).catch((error: unknown) => error)
    expect(refused).toMatchObject({ code: '55P03' })
    await reader.release()
    expect(await migrate(db, [...MIGRATIONS, slowAlter], { lockTimeoutMs: 200 })).toEqual([90])

    const concurrent = {
      version: 91,
      name: 'an index built concurrently',
      transactional: false,
      statements: ['CREATE INDEX CONCURRENTLY IF NOT EXISTS patkit_test_by_note ON patkit_personal_access_tokens (note)'],
    }
    expect(await migrate(db, [...MIGRATIONS, slowAlter, concurrent])).toEqual([91])
    const { rows } = await admin.query(
      `SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relname = 'patkit_test_by_note' AND n.nspname = $1`,
      [schema],
    )
    expect(rows).toEqual([{ indisvalid: true }])
    expect(await migrate(db, [...MIGRATIONS, slowAlter, concurrent])).toEqual([])
  })

  it('migrates from several processes at once, a concurrent index build included, without a deadlock', async () => {
    // Two instances starting together on a fresh schema: one applies everything, the other waits and finds nothing to do.
    const fresh = `${schema}_fresh`
    await admin.query(`CREATE SCHEMA ${fresh}`)
    const pools = [1, 2].map(() => new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${fresh}`, application_name: APP }))
    try {
      const concurrent = {
        version: 92,
        name: 'an index built concurrently',
        transactional: false,
        statements: ['CREATE INDEX CONCURRENTLY IF NOT EXISTS patkit_test_by_start ON patkit_personal_access_tokens (start)'],
      }
      const results = await Promise.all(pools.map((pool) => migrate(pgPoolDatabase(pool), [...MIGRATIONS, concurrent])))
      const everyVersion = [...MIGRATIONS.map((migration) => migration.version), 92]
      expect(results.flat().sort((a, b) => a - b)).toEqual(everyVersion)
      expect(results.some((applied) => applied.length === 0)).toBe(true)
      const { rows } = await admin.query(`SELECT version FROM ${fresh}.patkit_migrations ORDER BY version`)
      expect(rows.map((row) => row.version)).toEqual(everyVersion)
    } finally {
      await Promise.all(pools.map((pool) => pool.end()))
      await admin.query(`DROP SCHEMA ${fresh} CASCADE`)
    }
  })
})
