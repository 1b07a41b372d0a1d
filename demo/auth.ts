/**
 * The demo's sign-in: Better Auth with email and password, database sessions, its CSRF (origin) check
 * and the organization plugin, on the demo's own database (its tables beside patkit's), with Better
 * Auth's migrations run on start and two example users seeded so a first visitor can sign in at once.
 *
 * With `backend: 'better-auth'` the API-key plugin is on too, and the page manages keys through it
 * (patkit/better-auth's adapter) instead of through patkit/server.
 */
import { apiKey } from '@better-auth/api-key'
import { betterAuth } from 'better-auth'
import { APIError, createAuthMiddleware, getSessionFromCtx } from 'better-auth/api'
import { getMigrations } from 'better-auth/db/migration'
import { organization } from 'better-auth/plugins/organization'
import { isSameOriginOrNonBrowser, type Authenticate, type AuthenticatedUser } from 'patkit/server'
import type { PostgresPool } from './shared-pglite.ts'

export type DemoBackend = 'reference' | 'better-auth'

export const DEMO_BACKENDS: readonly DemoBackend[] = ['reference', 'better-auth']

/** Shown on the sign-in screen: these are example accounts, not secrets. */
export const DEMO_PASSWORD = 'patkit-demo'

/**
 * Alice manages her own keys, administers Acme (may create, rotate, edit and revoke its keys) and is a
 * plain member of Globex (may list its keys). Bob may not manage personal keys and is a member of Acme,
 * so he sees Acme's keys but cannot change them. Readable ids, so API answers are easy to follow.
 */
export const DEMO_ACCOUNTS = [
  { id: 'alice', name: 'Alice', email: 'alice@example.com', canManagePersonalApiKeys: true, about: 'manages her keys; admin of Acme, member of Globex' },
  { id: 'bob', name: 'Bob', email: 'bob@example.com', canManagePersonalApiKeys: false, about: 'may not manage personal keys; member of Acme' },
] as const

const DEMO_ORGANIZATIONS = [
  { id: 'acme', name: 'Acme', slug: 'acme' },
  { id: 'globex', name: 'Globex', slug: 'globex' },
] as const

const DEMO_MEMBERSHIPS = [
  { userId: 'alice', organizationId: 'acme', role: 'admin' },
  { userId: 'alice', organizationId: 'globex', role: 'member' },
  { userId: 'bob', organizationId: 'acme', role: 'member' },
] as const

export interface DemoAuthOptions {
  database: PostgresPool
  /** Where the page is served: Better Auth's baseURL; https makes its cookies `Secure`. */
  baseURL: string
  /** Other origins the page may be opened on (127.0.0.1 beside localhost). */
  trustedOrigins?: string[]
  backend: DemoBackend
  /** `BETTER_AUTH_SECRET`; without it one is made once and kept in the database, shared by every instance. */
  secret?: string
}

/** A new random secret, or the one the database already has: sessions stay valid across restarts and instances. */
async function storedSecret(database: PostgresPool): Promise<string> {
  const connection = await database.connect()
  try {
    await connection.query('CREATE TABLE IF NOT EXISTS patkit_demo_secret (id int PRIMARY KEY, secret text NOT NULL)')
    const fresh = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex')
    await connection.query('INSERT INTO patkit_demo_secret (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [fresh])
    const { rows } = (await connection.query('SELECT secret FROM patkit_demo_secret WHERE id = 1')) as { rows: { secret: string }[] }
    return rows[0]!.secret
  } finally {
    connection.release()
  }
}

function createAuth(options: DemoAuthOptions, secret: string, validateSchema = true) {
  const keys = options.backend === 'better-auth'
  return betterAuth({
    baseURL: options.baseURL,
    basePath: '/api/auth',
    secret,
    database: options.database,
    trustedOrigins: options.trustedOrigins ?? [],
    // Better Auth turns its origin check off when it sees NODE_ENV=test; the demo keeps it on always.
    advanced: {
      disableOriginCheck: false,
      disableCSRFCheck: false,
      useSecureCookies: options.baseURL.startsWith('https:'),
      database: { validateSchema },
    },
    // The seeded accounts only: a public demo takes no sign-ups.
    emailAndPassword: { enabled: true, disableSignUp: true },
    user: {
      additionalFields: {
        // What patkit/server's authenticate reports as canManagePersonalApiKeys; set by the app, never by the user.
        canManagePersonalApiKeys: { type: 'boolean', required: false, defaultValue: true, input: false },
      },
    },
    // Failed sign-ins are limited per IP, in the database so every instance shares the count.
    rateLimit: { enabled: true, storage: 'database', window: 60, max: 300, customRules: { '/sign-in/email': { window: 60, max: 20 } } },
    logger: { level: 'error' },
    plugins: [
      // The organizations and memberships are seeded; visitors do not create their own.
      organization({ allowUserToCreateOrganization: false }),
      ...(keys
        ? [
            apiKey({
              defaultPrefix: 'pat_',
              // Keys cannot be given permissions from the page (Better Auth allows it on the server only):
              // each gets projects:read, so the app's own route takes them.
              permissions: { defaultPermissions: { projects: ['read'] } },
              // Better Auth's default is 10 verifications a day per key, too few to try a key out.
              rateLimit: { enabled: true, timeWindow: 60_000, maxRequests: 100 },
            }),
          ]
        : []),
    ],
    hooks: {
      // Bob may not manage personal keys: the same rule as the reference backend's, as a Better Auth hook.
      before: createAuthMiddleware(async (ctx) => {
        if (!ctx.path.startsWith('/api-key/') || ctx.path === '/api-key/verify') return
        const session = await getSessionFromCtx(ctx)
        if (session && (session.user as { canManagePersonalApiKeys?: boolean }).canManagePersonalApiKeys === false) {
          throw new APIError('FORBIDDEN', { message: 'You do not have permission to manage personal API keys.', code: 'FORBIDDEN' })
        }
      }),
    },
  })
}

type Auth = ReturnType<typeof createAuth>

/** Creates a row unless one with its id is there; a concurrent start that wins the race is fine too. */
async function ensureRow(auth: Auth, model: string, data: Record<string, unknown> & { id: string }, after?: () => Promise<void>) {
  const { adapter } = await auth.$context
  if (await adapter.findOne({ model, where: [{ field: 'id', value: data.id }] })) return
  try {
    await adapter.create({ model, data, forceAllowId: true })
  } catch (error) {
    if (!(await adapter.findOne({ model, where: [{ field: 'id', value: data.id }] }))) throw error
    return
  }
  await after?.()
}

async function seed(auth: Auth) {
  const context = await auth.$context
  const now = new Date()
  for (const account of DEMO_ACCOUNTS) {
    const { id, name, email, canManagePersonalApiKeys } = account
    await ensureRow(auth, 'user', { id, name, email, emailVerified: true, canManagePersonalApiKeys, createdAt: now, updatedAt: now }, async () => {
      await context.internalAdapter.linkAccount({ userId: id, providerId: 'credential', accountId: id, password: await context.password.hash(DEMO_PASSWORD) })
    })
  }
  for (const org of DEMO_ORGANIZATIONS) await ensureRow(auth, 'organization', { ...org, createdAt: now })
  for (const member of DEMO_MEMBERSHIPS) {
    await ensureRow(auth, 'member', { id: `${member.organizationId}-${member.userId}`, ...member, createdAt: now })
  }
}

export interface DemoOrganization {
  id: string
  name: string
  role: string
}

export interface DemoAuth {
  auth: Auth
  /** patkit/server's `authenticate`: the Better Auth session's user with their memberships, or null. */
  authenticate: Authenticate
  /** The signed-in user and their organizations (with names), for the page. */
  session(request: Request): Promise<{ user: { id: string; name: string; email: string } | null; organizations: DemoOrganization[] }>
}

/** Where the page is served, known once the server listens (the port may be picked at start). */
export type DemoAuthLocation = Pick<DemoAuthOptions, 'baseURL' | 'trustedOrigins'>

/**
 * What needs no URL, done while Vite starts: the secret, Better Auth's migrations and the seeded rows.
 * Better Auth checks the schema as soon as an instance exists, and would log a mismatch on a fresh
 * database: this migrates with an instance that does not check; the one that serves (made by the
 * returned function, with the page's URL) checks a schema that is already there.
 */
export async function prepareDemoAuth(options: Omit<DemoAuthOptions, keyof DemoAuthLocation>): Promise<(location: DemoAuthLocation) => Promise<DemoAuth>> {
  const secret = options.secret ?? (await storedSecret(options.database))
  const setup = createAuth({ ...options, baseURL: 'http://localhost' }, secret, false)
  const { runMigrations } = await getMigrations(setup.options)
  await runMigrations()
  await seed(setup)
  return (location) => serveDemoAuth(createAuth({ ...options, ...location }, secret))
}

async function serveDemoAuth(auth: Auth): Promise<DemoAuth> {
  const { adapter } = await auth.$context

  async function memberships(userId: string): Promise<DemoOrganization[]> {
    const members = await adapter.findMany<{ organizationId: string; role: string }>({ model: 'member', where: [{ field: 'userId', value: userId }] })
    const organizations = await Promise.all(
      members.map(async (member) => {
        const org = await adapter.findOne<{ id: string; name: string }>({ model: 'organization', where: [{ field: 'id', value: member.organizationId }] })
        return org ? { id: org.id, name: org.name, role: member.role } : null
      }),
    )
    return organizations.filter((org) => org !== null).sort((a, b) => a.name.localeCompare(b.name))
  }

  async function signedIn(request: Request) {
    // Better Auth checks the cookie's signature and the session row: a forged or expired cookie is no one.
    const session = await auth.api.getSession({ headers: request.headers })
    return session?.user ?? null
  }

  return {
    auth,
    async authenticate(request): Promise<AuthenticatedUser | null> {
      // Cookie sessions need a CSRF check on patkit's routes too: refuse requests another site made.
      if (!isSameOriginOrNonBrowser(request)) return null
      const user = await signedIn(request)
      if (!user) return null
      return {
        userId: user.id,
        name: user.name,
        canManagePersonalApiKeys: (user as { canManagePersonalApiKeys?: boolean }).canManagePersonalApiKeys !== false,
        organizations: (await memberships(user.id)).map(({ id, role }) => ({ id, role })),
      }
    },
    async session(request) {
      const user = await signedIn(request)
      if (!user) return { user: null, organizations: [] }
      return { user: { id: user.id, name: user.name, email: user.email }, organizations: await memberships(user.id) }
    },
  }
}
