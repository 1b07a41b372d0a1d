/**
 * Load and fault checks of the reference server on Postgres, over real HTTP on 127.0.0.1:
 *
 *   npx tsx scripts/load.ts            PGlite in a temporary directory, and a throwaway PostgreSQL cluster
 *                                      when Debian's server binaries are installed (/usr/lib/postgresql/<version>/bin)
 *   DATABASE_URL=postgres://… npx tsx scripts/load.ts   that server instead (in a schema of its own, dropped afterwards)
 *
 * Prints figures; writes nothing outside the temporary directory. Exits 1 if a check fails.
 * `--serve <dataDir>` is the child-process mode the crash check kills.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { serve } from '@hono/node-server'
import pg from 'pg'
import {
  createReferenceServer,
  pgliteDatabase,
  pgPoolDatabase,
  postgresStore,
  type KeyStore,
  type ReferenceServerOptions,
  type SqlDatabase,
} from '../src/server/index.ts'
import { findRealPostgres, startThrowawayCluster } from '../test/server/pg-cluster.ts'

const PATH = '/v1/personal-access-tokens'

const ORGANIZATION = 'load-org'

/** Everyone manages their own keys and administers one organization. */
async function authenticate(request: Request) {
  const match = /^Bearer session-(.+)$/.exec(request.headers.get('Authorization') ?? '')
  return match ? { userId: match[1]!, canManagePersonalApiKeys: true, organizations: [{ id: ORGANIZATION, role: 'admin' }] } : null
}

/** The server over HTTP on a free port, limits raised for load unless `options` say otherwise. */
async function listen(store: KeyStore, options: Partial<ReferenceServerOptions> = {}) {
  const app = createReferenceServer({ store, authenticate, rateLimit: false, maxActiveKeys: 10_000, ...options })
  let server!: ReturnType<typeof serve>
  const { port } = await new Promise<AddressInfo>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, resolve)
  })
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise<void>((done) => server.close(() => done())) }
}

interface Timed {
  status: number
  ms: number
  body: any
}

async function request(base: string, user: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Timed> {
  const started = performance.now()
  try {
    const response = await fetch(base + path, {
      method,
      headers: { Authorization: `Bearer session-${user}`, 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    return { status: response.status, ms: performance.now() - started, body: text ? JSON.parse(text) : undefined }
  } catch (error) {
    return { status: 0, ms: performance.now() - started, body: String(error) }
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
}

function countBy<T>(items: T[], key: (item: T) => string | number): string {
  const counts = new Map<string, number>()
  for (const item of items) counts.set(String(key(item)), (counts.get(String(key(item))) ?? 0) + 1)
  return [...counts].sort().map(([k, n]) => `${k}×${n}`).join(' ')
}

interface Row {
  backend: string
  check: string
  result: string
  ok: boolean
  ms: number
  p50?: number
  p99?: number
}

const rows: Row[] = []

function record(row: Row, timings: Timed[] = []) {
  if (timings.length > 0) {
    row.p50 = percentile(timings.map((t) => t.ms), 50)
    row.p99 = percentile(timings.map((t) => t.ms), 99)
  }
  rows.push(row)
}

async function me(base: string, token: string): Promise<Timed> {
  const started = performance.now()
  const response = await fetch(`${base}/v1/me`, { headers: { Authorization: `Bearer ${token}` } })
  await response.arrayBuffer()
  return { status: response.status, ms: performance.now() - started, body: undefined }
}

/** `count` sequential calls of `fn`, timed. */
async function sequence(count: number, fn: () => Promise<Timed>): Promise<Timed[]> {
  const timings: Timed[] = []
  for (let i = 0; i < count; i++) timings.push(await fn())
  return timings
}

const p50 = (timings: Timed[]) => percentile(timings.map((t) => t.ms), 50).toFixed(1)

/**
 * One user's storm of writes against another user's token checks, with the default limits: 200
 * concurrent renames are mostly refused 429 at once, and the other user's /v1/me stays fast.
 */
async function stormCheck(backend: string, store: KeyStore) {
  const { base, close } = await listen(store, { rateLimit: undefined })
  try {
    const victim = await request(base, 'victim', 'POST', PATH, { name: 'victim key' })
    const stormer = await request(base, 'stormer', 'POST', PATH, { name: 'storm 0' })
    const token: string = victim.body.data.token
    const before = await sequence(50, () => me(base, token))
    const started = performance.now()
    const [renames, during] = await Promise.all([
      Promise.all(Array.from({ length: 200 }, (_, i) => request(base, 'stormer', 'PATCH', `${PATH}/${stormer.body.data.apiKey.id}`, { name: `storm ${i + 1}` }))),
      sequence(50, () => me(base, token)),
    ])
    record(
      {
        backend,
        check: '200 concurrent renames by one user, default limits',
        result: `${countBy(renames, (r) => r.status)}; another user's /v1/me p50 ${p50(before)} ms before, ${p50(during)} ms during`,
        ok: renames.every((r) => r.status === 200 || r.status === 429) && renames.filter((r) => r.status === 200).length <= 60,
        ms: performance.now() - started,
      },
      during,
    )
  } finally {
    await close()
  }
}

/**
 * A transaction elsewhere holds one user's lock for 8 s (a stuck request on another instance). That
 * user's rename gives up after lock_timeout with 503; other users' checks, lists and creates go on.
 */
async function heldLockCheck(backend: string, store: KeyStore, holdLock: (userId: string) => Promise<() => Promise<void>>) {
  const { base, close } = await listen(store)
  try {
    const held = await request(base, 'held', 'POST', PATH, { name: 'held key' })
    const other = await request(base, 'other', 'POST', PATH, { name: 'other key' })
    const release = await holdLock('held')
    const started = performance.now()
    const [rename, checks, lists, creates] = await Promise.all([
      request(base, 'held', 'PATCH', `${PATH}/${held.body.data.apiKey.id}`, { name: 'renamed' }),
      sequence(30, () => me(base, held.body.data.token)),
      sequence(30, () => request(base, 'other', 'GET', PATH)),
      sequence(30, () => request(base, `other-${Math.random()}`, 'POST', PATH, { name: 'k' })),
    ])
    const elapsed = performance.now() - started
    await release()
    record(
      {
        backend,
        check: "one user's lock held elsewhere",
        result:
          `that user's rename: ${rename.status} in ${rename.ms.toFixed(0)} ms; their /v1/me p50 ${p50(checks)} ms; ` +
          `another user's list p50 ${p50(lists)} ms, creates p50 ${p50(creates)} ms (other id ${other.status})`,
        ok: rename.status === 503 && [...checks, ...lists].every((t) => t.status === 200) && creates.every((t) => t.status === 201),
        ms: elapsed,
      },
      [...checks, ...lists, ...creates],
    )
  } finally {
    await close()
  }
}

/** The concurrency and hostile-input checks against one backend. */
async function runChecks(backend: string, open: () => Promise<SqlDatabase>, holdLock?: (userId: string) => Promise<() => Promise<void>>) {
  const opened = performance.now()
  const db = await open()
  const store = await postgresStore(db)
  record({ backend, check: 'open + migrate', result: 'ready', ok: true, ms: performance.now() - opened })
  const { base, close } = await listen(store)
  try {
    // 50 concurrent rotations of one key: exactly one may win.
    const key = await request(base, 'rotator', 'POST', PATH, { name: 'contended' })
    let started = performance.now()
    const rotations = await Promise.all(Array.from({ length: 50 }, () => request(base, 'rotator', 'POST', `${PATH}/${key.body.data.apiKey.id}/rotate`)))
    const winners = rotations.filter((r) => r.status === 201).length
    const losers = rotations.filter((r) => r.status === 409 && r.body.code === 'already_revoked').length
    const active = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM patkit_personal_access_tokens WHERE user_id = 'rotator' AND revoked_at IS NULL",
    )
    record(
      {
        backend,
        check: '50 concurrent rotates of one key',
        result: `201×${winners}, 409×${losers}, active keys ${active.rows[0]!.n}`,
        ok: winners === 1 && losers === 49 && active.rows[0]!.n === 1,
        ms: performance.now() - started,
      },
      rotations,
    )

    // 50 concurrent rotations of one organization key with a grace period, by 50 of its admins: exactly
    // one may win, and the old key keeps working beside the new one.
    const ORG_PATH = `/v1/organizations/${ORGANIZATION}/api-keys`
    const orgKey = await request(base, 'admin-0', 'POST', ORG_PATH, { name: 'shared' })
    started = performance.now()
    const graceRotations = await Promise.all(
      Array.from({ length: 50 }, (_, i) => request(base, `admin-${i}`, 'POST', `${ORG_PATH}/${orgKey.body.data.apiKey.id}/rotate`, { gracePeriod: 'OneHour' })),
    )
    const graceWinners = graceRotations.filter((r) => r.status === 201)
    const replacedAnswers = graceRotations.filter((r) => r.status === 409 && r.body.code === 'already_replaced').length
    const working = await Promise.all([orgKey.body.data.token, graceWinners[0]?.body.data.token].map((token) => me(base, token ?? '')))
    record(
      {
        backend,
        check: '50 concurrent grace rotates of one organization key',
        result: `201×${graceWinners.length}, 409 already_replaced×${replacedAnswers}; old and new key on /v1/me: ${working.map((r) => r.status).join(', ')}`,
        ok: graceWinners.length === 1 && replacedAnswers === 49 && working.every((r) => r.status === 200),
        ms: performance.now() - started,
      },
      graceRotations,
    )

    // 1,000 concurrent creates, spread over 20 users.
    started = performance.now()
    const creates = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => request(base, `loader-${i % 20}`, 'POST', PATH, { name: `key ${i}`, expirationOption: 'Never' })),
    )
    const tokens = new Set(creates.filter((r) => r.status === 201).map((r) => r.body.data.token))
    const stored = await db.query<{ n: number; hashes: number }>(
      "SELECT count(*)::int AS n, count(DISTINCT hash)::int AS hashes FROM patkit_personal_access_tokens WHERE user_id LIKE 'loader-%'",
    )
    const { n, hashes } = stored.rows[0]!
    record(
      {
        backend,
        check: '1,000 concurrent creates (20 users)',
        result: `${countBy(creates, (r) => r.status)}; rows ${n}, distinct hashes ${hashes}, distinct tokens ${tokens.size}`,
        ok: n === 1000 && hashes === 1000 && tokens.size === 1000,
        ms: performance.now() - started,
      },
      creates,
    )

    // Hostile listing parameters: 400, never 500.
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
    const uuid = '00000000-0000-4000-8000-000000000000'
    const sqlish = "' OR 1=1; DROP TABLE patkit_personal_access_tokens; --"
    const hostile = [
      `q=${'x'.repeat(300)}`,
      `q=${encodeURIComponent('\u0000')}`,
      `sort=${encodeURIComponent(sqlish)}`,
      'sort=hash',
      'sort=-id',
      'sort=name%20DESC',
      `status=${encodeURIComponent(sqlish)}`,
      'limit=1e9',
      'limit=-5',
      `cursor=${encodeURIComponent(sqlish)}`,
      `cursor=${b64(['-createdAt', sqlish, uuid])}`,
      `cursor=${b64(['-createdAt', '2030-01-01T00:00:00.000Z', sqlish])}`,
      `cursor=${b64(['-createdAt', '99999-01-01T00:00:00.000Z', uuid])}`,
      `cursor=${b64(['-createdAt', '2030-02-30T00:00:00.000Z', uuid])}`,
      `cursor=${b64(['name', 'x\u0000', uuid])}`,
      `cursor=${b64(['createdAt', null, uuid])}`,
      `cursor=${b64(['expiresAt', 12, uuid])}`,
      `cursor=${b64(['expiresAt', { $gt: '' }, uuid])}`,
      `cursor=${'A'.repeat(9000)}`,
      'cursor=%FF%FE',
    ]
    started = performance.now()
    const answers = await Promise.all(hostile.map((query) => request(base, 'loader-0', 'GET', `${PATH}?${query}`)))
    const literal = await request(base, 'loader-0', 'GET', `${PATH}?q=${encodeURIComponent(sqlish)}`)
    record(
      {
        backend,
        check: `${hostile.length} hostile q/sort/status/limit/cursor values`,
        result: `${countBy(answers, (r) => r.status)}; SQL-looking q → ${literal.status} with ${literal.body.totalCount} rows`,
        ok: answers.every((r) => r.status === 400) && literal.status === 200 && literal.body.totalCount === 0,
        ms: performance.now() - started,
      },
      answers,
    )
    await stormCheck(backend, store)
    if (holdLock) await heldLockCheck(backend, store, holdLock)
  } finally {
    await close()
    await store.close()
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/**
 * A server process on a PGlite data directory, killed with SIGKILL mid-stream of creates. After
 * reopening the directory: every create answered 201 is there with the hash of the token it
 * returned, and no half-created key exists (each key has its Idempotency-Key record, each record its key).
 */
async function crashCheck(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--serve', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const base = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server child exited early (${code})`)))
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (text: string) => {
      const match = /listening (http:\/\/\S+)/.exec(text)
      if (match) resolve(match[1]!)
    })
  })
  const started = performance.now()
  const acknowledged: { id: string; token: string }[] = []
  const answers: Timed[] = []
  let killedAfter = -1
  let next = 0
  // 16 requests in flight at a time; SIGKILL once 150 creates succeeded, with others mid-write.
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (killedAfter < 0 && next < 5000) {
        const i = next++
        const answer = await request(base, 'crash', 'POST', PATH, { name: `crash ${i}` }, { 'Idempotency-Key': `crash-${i}` })
        answers.push(answer)
        if (answer.status === 201) acknowledged.push({ id: answer.body.data.apiKey.id, token: answer.body.data.token })
        if (acknowledged.length >= 150 && killedAfter < 0) {
          killedAfter = acknowledged.length
          child.kill('SIGKILL')
        }
      }
    }),
  )
  await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)))

  const reopened = performance.now()
  const pglite = await PGlite.create(dataDir)
  const reopenMs = performance.now() - reopened
  const keys = await pglite.query<{ id: string; hash: string }>("SELECT id, hash FROM patkit_personal_access_tokens WHERE user_id = 'crash'")
  const orphanKeys = await pglite.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM patkit_personal_access_tokens k WHERE user_id = 'crash'
     AND NOT EXISTS (SELECT 1 FROM patkit_idempotency_records r WHERE r.user_id = k.user_id AND r.api_key_id = k.id)`,
  )
  const orphanRecords = await pglite.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM patkit_idempotency_records r WHERE user_id = 'crash'
     AND NOT EXISTS (SELECT 1 FROM patkit_personal_access_tokens k WHERE k.id = r.api_key_id)`,
  )
  await pglite.close()
  const byId = new Map(keys.rows.map((row) => [row.id, row.hash]))
  const missing = acknowledged.filter((key) => byId.get(key.id) !== sha256(key.token)).length
  const badHashes = keys.rows.filter((row) => !/^[0-9a-f]{64}$/.test(row.hash)).length
  record(
    {
      backend: 'PGlite child',
      check: 'SIGKILL mid-stream of creates, reopen',
      result:
        `killed after ${killedAfter} 201s (${countBy(answers, (r) => r.status)}; 0 = cut off); ` +
        `rows ${keys.rows.length}, acknowledged missing ${missing}, keys without record ${orphanKeys.rows[0]!.n}, ` +
        `records without key ${orphanRecords.rows[0]!.n}, bad hashes ${badHashes}; reopen ${reopenMs.toFixed(0)} ms`,
      ok: missing === 0 && orphanKeys.rows[0]!.n === 0 && orphanRecords.rows[0]!.n === 0 && badHashes === 0 && keys.rows.length >= acknowledged.length,
      ms: performance.now() - started,
    },
    answers,
  )
}

async function serveChild(dataDir: string) {
  const store = await postgresStore(pgliteDatabase(await PGlite.create(dataDir)))
  const { base } = await listen(store)
  console.log(`listening ${base}`)
}

function printTable() {
  const format = (ms: number | undefined) => (ms === undefined ? '' : ms < 10 ? ms.toFixed(1) : ms.toFixed(0))
  const table = rows.map((row) => ({
    backend: row.backend,
    check: row.check,
    ok: row.ok ? 'ok' : 'FAIL',
    'total ms': format(row.ms),
    'p50 ms': format(row.p50),
    'p99 ms': format(row.p99),
    result: row.result,
  }))
  const columns = Object.keys(table[0]!) as (keyof (typeof table)[number])[]
  const widths = columns.map((c) => Math.max(c.length, ...table.map((r) => r[c].length)))
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')
  console.log(line(columns))
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'))
  for (const row of table) console.log(line(columns.map((c) => row[c])))
}

async function main() {
  const serveIndex = process.argv.indexOf('--serve')
  if (serveIndex >= 0) return serveChild(process.argv[serveIndex + 1]!)

  const dir = await mkdtemp(join(tmpdir(), 'patkit-load-'))
  try {
    await runChecks('PGlite', async () => pgliteDatabase(await PGlite.create(join(dir, 'pglite'))))
    // Without DATABASE_URL, a throwaway cluster from the PostgreSQL binaries on this machine, as the tests use.
    const real = findRealPostgres()
    const cluster = !process.env.DATABASE_URL && real.kind === 'binaries' ? await startThrowawayCluster(real.bin) : undefined
    const url = process.env.DATABASE_URL ?? cluster?.url
    if (url) {
      const schema = `patkit_load_${process.pid}`
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      await admin.query(`CREATE SCHEMA ${schema}`)
      const holdLock = async (userId: string) => {
        const holder = new pg.Client({ connectionString: url })
        await holder.connect()
        await holder.query('BEGIN')
        await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [userId])
        return async () => {
          await holder.query('ROLLBACK')
          await holder.end()
        }
      }
      try {
        await runChecks('PostgreSQL', async () => pgPoolDatabase(new pg.Pool({ connectionString: url, max: 20, options: `-c search_path=${schema}` })), holdLock)
      } finally {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`)
        await admin.end()
        await cluster?.stop()
      }
    } else {
      console.log('(no PostgreSQL binaries: set DATABASE_URL to run the same checks against a real PostgreSQL server)')
    }
    await crashCheck(join(dir, 'crash'))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  printTable()
  if (rows.some((row) => !row.ok)) process.exitCode = 1
}

await main()
