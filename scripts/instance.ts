/**
 * One instance of the reference server on a real PostgreSQL, as a process of its own: what the
 * multi-instance test (test/server/multi-instance.test.ts) and `npm run load` start two of.
 *
 *   DATABASE_URL=postgres://… [PGSCHEMA=…] [INSTANCE=a] [WEBHOOK_URL=… WEBHOOK_SECRET=whsec_…]
 *   [WEBHOOK_LEASE_MS=…] [WEBHOOK_TIMEOUT_MS=…] [WEBHOOK_POLL_MS=…] node --import tsx scripts/instance.ts
 *
 * Prints `listening http://127.0.0.1:<port>` once it serves. Sessions are `Authorization: Bearer
 * session-<userId>`. It installs no uncaughtException handler on purpose: a fault that would crash a
 * production process crashes this one too, and the test sees the exit.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import pg from 'pg'
import { createReferenceServer, pgPoolDatabase, postgresStore } from '../src/server/index.ts'

const env = process.env
const name = env.INSTANCE ?? String(process.pid)
const log = (message: string) => process.stderr.write(`instance ${name}: ${message}\n`)

const pool = new pg.Pool({
  connectionString: env.DATABASE_URL,
  max: 10,
  options: env.PGSCHEMA ? `-c search_path=${env.PGSCHEMA}` : undefined,
  application_name: `patkit-instance-${name}`,
})
const db = pgPoolDatabase(pool, { onConnectionError: (error) => log(`connection error: ${error.message}`) })
const store = await postgresStore(db)

const number = (value: string | undefined) => (value === undefined ? undefined : Number(value))
const app = createReferenceServer({
  store,
  authenticate: async (request) => {
    const match = /^Bearer session-(.+)$/.exec(request.headers.get('Authorization') ?? '')
    return match ? { userId: match[1]!, canManagePersonalApiKeys: true } : null
  },
  maxActiveKeys: 10_000,
  webhooks:
    env.WEBHOOK_URL && env.WEBHOOK_SECRET
      ? {
          endpoints: [{ url: env.WEBHOOK_URL, secret: env.WEBHOOK_SECRET }],
          leaseMs: number(env.WEBHOOK_LEASE_MS),
          timeoutMs: number(env.WEBHOOK_TIMEOUT_MS),
          pollIntervalMs: number(env.WEBHOOK_POLL_MS),
          // Says which instance sent an attempt, so a test can kill that one.
          fetch: (url, init) => fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-patkit-instance': name } }),
        }
      : undefined,
  onUnexpectedError: (error) => log(`answered 5xx: ${error instanceof Error ? error.message : String(error)}`),
  onBackgroundError: (error) => log(`background work failed: ${error instanceof Error ? error.message : String(error)}`),
})

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  console.log(`listening http://127.0.0.1:${info.port}`)
})

process.on('SIGTERM', () => {
  server.close(async () => {
    await app.close()
    await store.close()
    process.exit(0)
  })
})
