/**
 * A real Better Auth server with the API-key plugin, for the adapter's tests, the demo and stories:
 * `betterAuth({ database, plugins: [apiKey()] })` with Better Auth's own migrations, on a PostgreSQL
 * server (a `pg` Pool) or embedded PGlite (through `pglitePool`), served by a Hono app:
 *
 * - `/api/auth/*`: Better Auth itself (sign-up, sign-in, sessions, `/api/auth/api-key/*`);
 * - `GET /v1/me`: the owner of the API key in `Authorization: Bearer <key>` (Better Auth's
 *   `verifyApiKey`), answered like the reference server's `/v1/me`, so "try your key" works on either backend.
 *
 * `listen()` puts it on a free localhost port for anything that needs real HTTP (a browser test, the
 * demo); `signedInClient()` signs a user up with email and password and returns a Better Auth client
 * holding that session, with the `Origin` header Better Auth's CSRF check requires.
 */
import { apiKey, type ApiKeyConfigurationOptions } from '@better-auth/api-key'
import { apiKeyClient } from '@better-auth/api-key/client'
import { serve, type ServerType } from '@hono/node-server'
import { betterAuth, type BetterAuthOptions } from 'better-auth'
import { APIError, createAuthMiddleware, getSessionFromCtx } from 'better-auth/api'
import { createAuthClient } from 'better-auth/client'
import { getMigrations } from 'better-auth/db/migration'
import { organization } from 'better-auth/plugins/organization'
import { adminAc, defaultStatements, memberAc, ownerAc } from 'better-auth/plugins/organization/access'
import { createAccessControl } from 'better-auth/plugins/access'
import { Hono } from 'hono'
import type { AddressInfo } from 'node:net'

/** What Kysely's PostgresDialect needs of a pool; both `pg.Pool` and `pglitePool()` are one. */
export interface PostgresPool {
  connect(): Promise<{ query(sql: string, params?: readonly unknown[]): Promise<unknown>; release(): void }>
  end(): Promise<void>
}

interface PGliteLike {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[]; affectedRows?: number }>
}

/**
 * PGlite as the one-connection `pg` pool Better Auth's Kysely adapter expects: callers take turns (a
 * transaction holds the connection until it is released), and results carry the `command` and
 * `rowCount` Kysely reads the number of updated rows from.
 */
export function pglitePool(pglite: PGliteLike): PostgresPool {
  let queue: Promise<void> = Promise.resolve()
  return {
    async connect() {
      let release!: () => void
      const turn = new Promise<void>((resolve) => (release = resolve))
      const previous = queue
      queue = previous.then(() => turn)
      await previous
      return {
        async query(sql: string, params: readonly unknown[] = []) {
          const result = await pglite.query(sql, [...params])
          const command = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? ''
          return { ...result, command, rowCount: result.affectedRows ?? result.rows.length }
        },
        release,
      }
    },
    async end() {
      await queue
    },
  }
}

/** The `apiKey()` configuration of organizations' keys (`references: 'organization'`); the users' keys are the default one. */
export const ORGANIZATION_KEYS = 'organization'

/**
 * Who may do what with an organization's keys: the organization plugin's access control with an
 * `apiKey` statement, which the API-key plugin checks (create, read, update, delete). Owners and
 * admins manage the keys; members may list them.
 */
const accessControl = createAccessControl({ ...defaultStatements, apiKey: ['create', 'read', 'update', 'delete'] } as const)
const API_KEY_MANAGER = { apiKey: ['create', 'read', 'update', 'delete'] } as const
const roles = {
  owner: accessControl.newRole({ ...ownerAc.statements, ...API_KEY_MANAGER }),
  admin: accessControl.newRole({ ...adminAc.statements, ...API_KEY_MANAGER }),
  member: accessControl.newRole({ ...memberAc.statements, apiKey: ['read'] }),
}
export type OrganizationRole = keyof typeof roles

export interface BetterAuthServerOptions {
  database: PostgresPool
  /** Options of `apiKey()` for the users' own keys. */
  apiKey?: ApiKeyConfigurationOptions
  /** Options of `apiKey()` for organizations' keys (configuration `ORGANIZATION_KEYS`). */
  organizationApiKey?: Omit<ApiKeyConfigurationOptions, 'configId' | 'references'>
  /** Creates of API keys one client IP may make per minute (Better Auth's rate limiter, kept in the database). Default 100. */
  apiKeyCreatesPerMinute?: number
  /**
   * Sign-ups one client IP may make per 10 s. Default Better Auth's own 3: the browser tests, which
   * all come from 127.0.0.1 and sign a user up each, raise it.
   */
  signUpsPerTenSeconds?: number
  /** Who may manage API keys; the others get Better Auth's 403 from `/api-key/*`. Default everyone. */
  canManageApiKeys?: (user: { id: string; email: string }) => boolean
  /** Better Auth's log; off by default, since a refused key is logged as an error. */
  logger?: BetterAuthOptions['logger']
}

export interface BetterAuthServer {
  auth: ReturnType<typeof createAuth>
  /** The Hono app: Better Auth under `/api/auth`, `GET /v1/me`. */
  fetch(request: Request): Promise<Response>
  /** Serves `fetch` on a free localhost port; `close()` stops it. */
  listen(): Promise<{ url: string; close(): Promise<void> }>
  /** Lets pages of another origin (a dev server that mounts `fetch`) use their sessions: Better Auth's CSRF check. */
  trustOrigin(origin: string): void
  /** Whose a key is, as `GET /v1/me` tells it (`userId` null for an organization's); `null` when Better Auth refuses the key. */
  whoAmI(key: string): Promise<{ userId: string | null; owner: { type: 'user' | 'organization'; id: string } } | null>
  /** A new organization owned by `ownerId`, with these other members: its id. Done by the server, as an app's admin would. */
  createOrganization(ownerId: string, members?: { userId: string; role: OrganizationRole }[]): Promise<string>
}

function createAuth(options: BetterAuthServerOptions, baseURL: string, listening: Set<string>) {
  const canManage = options.canManageApiKeys
  return betterAuth({
    baseURL,
    // The origins `listen()` serves on and `trustOrigin()` names, beside baseURL's: pages there may use their cookies.
    trustedOrigins: async () => [...listening],
    // Better Auth turns its CSRF origin check off when it sees a test runner (NODE_ENV=test); these
    // tests are about the real thing, so it stays on.
    advanced: { disableOriginCheck: false, disableCSRFCheck: false },
    // A fresh secret per server: sessions of a test server are worth nothing outside it.
    secret: crypto.getRandomValues(new Uint8Array(32)).reduce((text, byte) => text + byte.toString(16).padStart(2, '0'), ''),
    database: options.database,
    emailAndPassword: { enabled: true, autoSignIn: true },
    logger: options.logger ?? { disabled: true },
    rateLimit: {
      enabled: true,
      storage: 'database',
      window: 60,
      max: 10_000,
      customRules: {
        '/api-key/create': { window: 60, max: options.apiKeyCreatesPerMinute ?? 100 },
        ...(options.signUpsPerTenSeconds !== undefined ? { '/sign-up/email': { window: 10, max: options.signUpsPerTenSeconds } } : {}),
      },
    },
    plugins: [
      apiKey([{ configId: 'default', ...options.apiKey }, { ...options.organizationApiKey, configId: ORGANIZATION_KEYS, references: 'organization' }]),
      organization({ ac: accessControl, roles }),
    ],
    hooks: {
      // How an app limits the API-key plugin to some users: Better Auth's own before-hook.
      before: createAuthMiddleware(async (ctx) => {
        if (!canManage || !ctx.path.startsWith('/api-key/')) return
        const session = await getSessionFromCtx(ctx)
        if (session && !canManage(session.user)) {
          throw new APIError('FORBIDDEN', { message: 'You do not have permission to manage API keys.', code: 'FORBIDDEN' })
        }
      }),
    },
  })
}

/** Creates the tables (Better Auth's own migrations) and the server; nothing listens until `listen()`. */
export async function createBetterAuthServer(options: BetterAuthServerOptions, baseURL = 'http://localhost'): Promise<BetterAuthServer> {
  const listening = new Set<string>()
  const auth = createAuth(options, baseURL, listening)
  const { runMigrations } = await getMigrations(auth.options)
  await runMigrations()

  async function whoAmI(key: string) {
    const result = await auth.api.verifyApiKey({ body: { key } })
    if (!result.valid || !result.key) return null
    const { referenceId, configId } = result.key as { referenceId: string; configId?: string | null }
    return configId === ORGANIZATION_KEYS
      ? { userId: null, owner: { type: 'organization' as const, id: referenceId } }
      : { userId: referenceId, owner: { type: 'user' as const, id: referenceId } }
  }

  async function createOrganization(ownerId: string, members: { userId: string; role: OrganizationRole }[] = []) {
    const slug = `org-${crypto.randomUUID()}`
    const created = await auth.api.createOrganization({ body: { name: slug, slug, userId: ownerId } })
    if (!created) throw new Error('createOrganization answered nothing')
    for (const { userId, role } of members) await auth.api.addMember({ body: { userId, organizationId: created.id, role } })
    return created.id
  }

  const app = new Hono()
  app.on(['GET', 'POST'], '/api/auth/*', (c) => auth.handler(c.req.raw))
  app.get('/v1/me', async (c) => {
    const match = /^Bearer +(\S+) *$/i.exec(c.req.header('Authorization') ?? '')
    const me = match ? await whoAmI(match[1]!) : null
    if (!me) return c.json({ title: 'Invalid token', status: 401, code: 'invalid_token' }, 401, { 'WWW-Authenticate': 'Bearer error="invalid_token"' })
    return c.json({ data: me })
  })

  return {
    auth,
    fetch: async (request) => app.fetch(request),
    whoAmI,
    createOrganization,
    trustOrigin: (origin) => void listening.add(origin),
    listen: () =>
      new Promise((resolve) => {
        const server: ServerType = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
          const url = `http://127.0.0.1:${info.port}`
          listening.add(url)
          resolve({
            url,
            close: () =>
              new Promise<void>((done) =>
                server.close(() => {
                  listening.delete(url)
                  done()
                }),
              ),
          })
        })
      }),
  }
}

export interface ClientOptions {
  /** Where Better Auth is reached: a `listen()` URL, or `http://localhost` with `fetch` set to the server's. */
  baseURL: string
  /** The transport; default the global fetch (real HTTP). */
  fetch?: (request: Request) => Promise<Response>
  /** The IP the requests come from (`X-Forwarded-For`): Better Auth rate-limits per IP. Default a random one. */
  ip?: string
}

/**
 * A Better Auth client as a browser holds one: a cookie jar for the session and the page's `Origin`
 * (Better Auth refuses a cookie POST without one: 403 MISSING_OR_NULL_ORIGIN).
 */
export function betterAuthClient({ baseURL, fetch = globalThis.fetch, ip = randomIp() }: ClientOptions) {
  const jar = new Map<string, string>()
  return createAuthClient({
    baseURL,
    plugins: [apiKeyClient()],
    fetchOptions: {
      customFetchImpl: async (input: string | URL | Request, init?: RequestInit) => {
        const request = new Request(input, init)
        request.headers.set('Origin', new URL(baseURL).origin)
        request.headers.set('X-Forwarded-For', ip)
        if (jar.size > 0) request.headers.set('Cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '))
        const response = await fetch(request)
        for (const cookie of response.headers.getSetCookie()) {
          const [pair = ''] = cookie.split(';')
          const at = pair.indexOf('=')
          if (at > 0) jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim())
        }
        return response
      },
    },
  })
}

function randomIp(): string {
  const [a = 0, b = 0, c = 0] = crypto.getRandomValues(new Uint8Array(3))
  return `10.${a}.${b}.${c}`
}

/** Signs a new user up (email + password; Better Auth signs them in) and returns their client and id. */
export async function signedInClient(options: ClientOptions & { email?: string; name?: string; password?: string }) {
  const client = betterAuthClient(options)
  const email = options.email ?? `user-${crypto.randomUUID()}@example.com`
  const result = await client.signUp.email({ email, password: options.password ?? 'correct horse battery', name: options.name ?? 'Test user' })
  if (result.error) throw new Error(`sign-up failed: ${result.error.status} ${result.error.message}`)
  return { client, userId: result.data.user.id, email }
}
