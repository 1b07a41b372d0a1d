/**
 * The reference server with 100,000 keys for one user, on the memory store and on PGlite (in-memory
 * database, the Postgres store with its migrations and indexes). Requests go in process through the
 * Hono app's `fetch` (no sockets), so the figures are the handler and the store, not HTTP.
 *  - token verifications per second through `GET /v1/me` (SHA-256, hash lookup, status; a first use per
 *    key also writes lastUsedAt), 8 in flight, over 200 real tokens;
 *  - list latency p50/p99 for the first page, a page deep in the list (by cursor), a search and a status filter.
 * Loops are bounded by count and time.
 */
import { PGlite } from '@electric-sql/pglite'
import { KEYS_TABLE } from '../src/server/migrations.ts'
import {
  createReferenceServer,
  generateToken,
  hashToken,
  memoryStore,
  pgliteDatabase,
  postgresStore,
  tokenStart,
  type KeyStore,
  type StoredKey,
} from '../src/server/index.ts'
import { isMain, ms, percentile, table } from './common.ts'

const KEYS = Number(process.env.BENCH_SERVER_KEYS ?? 100_000)
const TOKENS = 200
const USER = 'user_bench'
const BASE = 'https://api.patkit.test/v1/personal-access-tokens'
const DAY = 86_400_000

export interface ServerRow {
  store: string
  keys: number
  seedMs: number
  verifyPerSecond: number
  verifyP50: number
  verifyP99: number
  list: Record<string, { p50: number; p99: number; count: number }>
}

function backgroundKey(i: number, now: number): StoredKey {
  return {
    id: crypto.randomUUID(),
    owner: { type: 'user', id: USER }, createdBy: null, description: null, replacedBy: null, replacedAt: null,
    name: `Key ${String(i).padStart(6, '0')}`,
    start: 'pat_Ab3x',
    // Never used to authenticate, so any unique hash will do.
    hash: `bench${i.toString(16).padStart(59, '0')}`,
    scopes: ['read:projects'],
    createdAt: new Date(now - (i % 360) * DAY - i).toISOString(),
    expiresAt: i % 5 === 0 ? null : new Date(now + ((i % 90) + 2) * DAY).toISOString(),
    lastUsedAt: i % 2 === 0 ? null : new Date(now - (i % 30) * 3_600_000).toISOString(),
    revokedAt: i % 4 === 3 ? new Date(now - 2 * DAY).toISOString() : null,
  }
}

async function realKeys(now: number): Promise<{ rows: StoredKey[]; tokens: string[] }> {
  const tokens: string[] = []
  const rows: StoredKey[] = []
  for (let i = 0; i < TOKENS; i++) {
    const token = generateToken()
    tokens.push(token)
    rows.push({ ...backgroundKey(KEYS + i, now), name: `Real ${i}`, start: tokenStart(token), hash: await hashToken(token), expiresAt: null, revokedAt: null, lastUsedAt: null })
  }
  return { rows, tokens }
}

/** Memory: through the store's own insert. */
async function seedMemory(store: KeyStore, now: number) {
  await store.transaction(async (tx) => {
    for (let i = 0; i < KEYS; i++) await tx.insertKey(backgroundKey(i, now))
  })
}

/** PGlite: one INSERT … SELECT over generate_series (100,000 single inserts would take most of a minute). */
async function seedPglite(pglite: PGlite, now: number) {
  await pglite.query(
    `INSERT INTO ${KEYS_TABLE} (id, user_id, name, name_lower, start, hash, scopes, created_at, expires_at, last_used_at, revoked_at)
     SELECT gen_random_uuid(), $1, 'Key ' || lpad(i::text, 6, '0'), 'key ' || lpad(i::text, 6, '0'), 'pat_Ab3x',
            'bench' || lpad(to_hex(i), 59, '0'), ARRAY['read:projects'],
            to_timestamp(($2::bigint - (i % 360) * ${DAY}::bigint - i) / 1000.0),
            CASE WHEN i % 5 = 0 THEN NULL ELSE to_timestamp(($2::bigint + ((i % 90) + 2) * ${DAY}::bigint) / 1000.0) END,
            CASE WHEN i % 2 = 0 THEN NULL ELSE to_timestamp(($2::bigint - (i % 30) * 3600000::bigint) / 1000.0) END,
            CASE WHEN i % 4 = 3 THEN to_timestamp(($2::bigint - 2 * ${DAY}::bigint) / 1000.0) ELSE NULL END
     FROM generate_series(0, $3::int - 1) AS i`,
    [USER, now, KEYS],
  )
  await pglite.query(`ANALYZE ${KEYS_TABLE}`)
}

async function measure(name: string, store: KeyStore, seed: (now: number) => Promise<void>): Promise<ServerRow> {
  const now = Date.now()
  const seedStarted = performance.now()
  await seed(now)
  const { rows, tokens } = await realKeys(now)
  await store.transaction(async (tx) => {
    for (const row of rows) await tx.insertKey(row)
  })
  const seedMs = performance.now() - seedStarted
  const server = createReferenceServer({
    store,
    authenticate: async () => ({ userId: USER, canManagePersonalApiKeys: true }),
    rateLimit: false,
    maxActiveKeys: 10_000_000,
  })

  // Verifications: warm up (and mark every key used once), then 8 in flight for up to 5 s or 20,000 requests.
  const verify = async (token: string) => {
    const started = performance.now()
    const response = await server.fetch(new Request('https://api.patkit.test/v1/me', { headers: { Authorization: `Bearer ${token}` } }))
    if (response.status !== 200) throw new Error(`/v1/me answered ${response.status}`)
    await response.arrayBuffer()
    return performance.now() - started
  }
  for (const token of tokens) await verify(token)
  const latencies: number[] = []
  let next = 0
  const started = performance.now()
  const deadline = started + 5_000
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < 20_000 && performance.now() < deadline) latencies.push(await verify(tokens[next++ % tokens.length]!))
    }),
  )
  const verifyPerSecond = latencies.length / ((performance.now() - started) / 1000)
  latencies.sort((a, b) => a - b)

  // Lists, one at a time.
  const get = async (query: string) => {
    const t0 = performance.now()
    const response = await server.fetch(new Request(`${BASE}${query}`))
    const body = (await response.json()) as { nextCursor?: string | null }
    if (response.status !== 200) throw new Error(`list ${query} answered ${response.status}`)
    return { ms: performance.now() - t0, body }
  }
  let cursor: string | null | undefined = null
  for (let page = 0; page < 40 && cursor !== undefined; page++) cursor = (await get(cursor ? `?cursor=${encodeURIComponent(cursor)}` : '')).body.nextCursor ?? undefined
  const deepCursor = cursor ?? null
  const kinds: Record<string, string> = {
    'first page (newest first, 50)': '',
    'page 41 by cursor': deepCursor ? `?cursor=${encodeURIComponent(deepCursor)}` : '',
    'search q=0999': '?q=0999',
    'status=revoked': '?status=revoked',
    'sort=name': '?sort=name',
  }
  const list: ServerRow['list'] = {}
  for (const [label, query] of Object.entries(kinds)) {
    await get(query)
    const times: number[] = []
    const until = performance.now() + 5_000
    while (times.length < 200 && performance.now() < until) times.push((await get(query)).ms)
    times.sort((a, b) => a - b)
    list[label] = { p50: percentile(times, 50), p99: percentile(times, 99), count: times.length }
  }
  await store.close()
  return {
    store: name,
    keys: KEYS + TOKENS,
    seedMs,
    verifyPerSecond,
    verifyP50: percentile(latencies, 50),
    verifyP99: percentile(latencies, 99),
    list,
  }
}

export async function runServer(): Promise<ServerRow[]> {
  const rows: ServerRow[] = []
  const memory = memoryStore()
  rows.push(await measure('memory', memory, (now) => seedMemory(memory, now)))
  const pglite = new PGlite()
  const postgres = await postgresStore(pgliteDatabase(pglite))
  rows.push(await measure('PGlite (in-memory)', postgres, (now) => seedPglite(pglite, now)))
  return rows
}

export function formatServer(rows: ServerRow[]): string {
  const labels = Object.keys(rows[0]?.list ?? {})
  return [
    table(
      ['store', 'keys', 'seed', '/v1/me verifications/s', 'verify p50 / p99'],
      rows.map((r) => [r.store, r.keys.toLocaleString('en-US'), ms(r.seedMs), Math.round(r.verifyPerSecond).toLocaleString('en-US'), `${ms(r.verifyP50)} / ${ms(r.verifyP99)}`]),
    ),
    '',
    table(
      ['list request', ...rows.map((r) => `${r.store} p50 / p99`)],
      labels.map((label) => [label, ...rows.map((r) => `${ms(r.list[label]!.p50)} / ${ms(r.list[label]!.p99)}`)]),
    ),
  ].join('\n')
}

if (isMain(import.meta.url)) {
  console.log(formatServer(await runServer()))
}
