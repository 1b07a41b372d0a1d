/**
 * patkit/server in a plain Node app: @hono/node-server, an embedded PGlite database, an async
 * `authenticate` over the app's own sessions, the contract mounted under /api, and one route of the
 * app's own that takes a personal access token. README "Serving patkit/server from a plain Node app"
 * shows this file; test/server/node-example.test.ts runs it.
 *
 *   npx tsx examples/node-server/server.ts     # PORT (default 3000), DATA_DIR (default ./.data/node-example)
 */
import { serve } from '@hono/node-server'
import { PGlite } from '@electric-sql/pglite'
import { Hono } from 'hono'
import {
  createReferenceServer,
  personalAccessTokenAuth,
  pgliteDatabase,
  postgresStore,
  type AuthenticatedUser,
  type PersonalAccessTokenVariables,
} from 'patkit/server'

// Your app's session lookup: a database or a session service, so it is asynchronous. Here, a table of one.
const sessions = new Map([['dev-session', { userId: 'user_1', name: 'Dev User' }]])
async function findSession(id: string | undefined) {
  return id === undefined ? undefined : sessions.get(id)
}

// One database for the keys and everything patkit shares between instances (rate limits, webhooks).
// Migrations run here; a PostgreSQL server works the same way through pgPoolDatabase(new pg.Pool(…)).
const store = await postgresStore(pgliteDatabase(await PGlite.create(process.env.DATA_DIR ?? '.data/node-example')))

const patkit = createReferenceServer({
  store,
  // Called on every request to the contract; null answers 401.
  async authenticate(request): Promise<AuthenticatedUser | null> {
    const cookie = request.headers.get('Cookie') ?? ''
    const session = await findSession(/(?:^|;\s*)session=([^;]+)/.exec(cookie)?.[1])
    return session ? { userId: session.userId, name: session.name, canManagePersonalApiKeys: true } : null
  },
  policy: { scopes: [{ id: 'read:projects', description: 'Read projects' }] },
})

const app = new Hono<{ Variables: PersonalAccessTokenVariables }>()
// The contract under a prefix: the page's client uses createHttpClient({ baseUrl: '/api' }).
app.route('/api', patkit)
// An app route of its own, for keys with read:projects.
app.get('/projects', personalAccessTokenAuth({ store, scopes: ['read:projects'] }), (c) => {
  const { userId } = c.get('personalAccessToken')
  return c.json({ data: [{ id: 'proj_1', owner: userId }] })
})
app.get('/', (c) => c.text('patkit example: the contract is under /api/v1/personal-access-tokens\n'))

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) }, (info) => {
  console.log(`listening on http://localhost:${info.port}`)
})

// Stop cleanly: finish the background work (webhooks, lastUsedAt), then close the database.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(async () => {
      await patkit.close()
      await store.close()
      process.exit(0)
    })
  })
}
