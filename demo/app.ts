/**
 * The demo's HTTP routes as a Fetch-API handler: Better Auth under `/api/auth` (sign-in, sessions,
 * organizations; its API-key plugin in `better-auth` mode), the keys' backend under `/api`, and the
 * page's session summary under `/demo`. Everything else (the page itself) is Vite's, see server.ts.
 */
import type { IncomingMessage } from 'node:http'
import { Hono, type Context } from 'hono'
import { createReferenceServer, personalAccessTokenAuth, type KeyStore, type PersonalAccessTokenVariables } from 'patkit/server'
import { permissionsToScopes } from 'patkit/better-auth'
import { DEMO_ACCOUNTS, DEMO_PASSWORD, type DemoAuth, type DemoBackend } from './auth.ts'

export const API_PREFIX = '/api'

/** The demo app's own data, which a key with `read:projects` may read: a user's, or an organization's. */
const PROJECTS: Record<string, { id: string; name: string }[]> = {
  alice: [
    { id: 'proj_website', name: 'Website' },
    { id: 'proj_billing', name: 'Billing service' },
  ],
}
const ORGANIZATION_PROJECTS: Record<string, { id: string; name: string }[]> = {
  acme: [{ id: 'proj_acme_shop', name: 'Acme shop' }],
  globex: [{ id: 'proj_globex_api', name: 'Globex API' }],
}

const NO_STORE = { 'Cache-Control': 'no-store' }

/**
 * Better Auth limits sign-in attempts per client IP, read from `X-Forwarded-For`; without one, every
 * visitor shares one bucket. The demo is reached directly, so it puts the socket's address there,
 * replacing whatever the client sent (a client-chosen address would dodge the limit). Behind a proxy,
 * set Better Auth's `advanced.ipAddress` instead.
 */
function withClientAddress(c: Context): Request {
  const address = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress
  const headers = new Headers(c.req.raw.headers)
  if (address) headers.set('X-Forwarded-For', address)
  else headers.delete('X-Forwarded-For')
  return new Request(c.req.raw, { headers })
}

export interface DemoAppOptions {
  store: KeyStore
  auth: DemoAuth
  backend: DemoBackend
}

export function createDemoApp({ store, auth, backend }: DemoAppOptions): { app: Hono; close(): Promise<void> } {
  const app = new Hono()

  // Better Auth answers its own routes; its origin check refuses cookie requests from other sites.
  app.on(['GET', 'POST'], `${API_PREFIX}/auth/*`, (c) => auth.auth.handler(withClientAddress(c)))

  app.get('/demo/session', async (c) => {
    const { user, organizations } = await auth.session(c.req.raw)
    // The example accounts are shown on the sign-in screen, so a first visitor can try at once.
    const accounts = DEMO_ACCOUNTS.map(({ name, email, about }) => ({ name, email, about }))
    return c.json({ user, organizations, backend, accounts, password: DEMO_PASSWORD }, 200, NO_STORE)
  })

  const close = backend === 'reference' ? mountReferenceServer(app, store, auth) : mountBetterAuthVerification(app, auth)
  return { app, close }
}

/** patkit/server under `/api`, with Better Auth's session as its `authenticate`, and the app's own key-guarded routes. */
function mountReferenceServer(app: Hono, store: KeyStore, auth: DemoAuth): () => Promise<void> {
  const api = createReferenceServer({
    store,
    authenticate: auth.authenticate,
    policy: {
      scopes: [
        { id: 'read:projects', description: 'Read projects and their settings' },
        { id: 'write:projects', description: 'Create and change projects' },
      ],
    },
    onUnexpectedError: (error, request) => {
      // Method and path only: the URL never carries a token, but headers might.
      console.error(`patkit demo: unexpected error (answered 500, or 503 while the database is away) on ${request.method} ${new URL(request.url).pathname}`, error)
    },
    onBackgroundError: (error) => console.error('patkit demo: background work failed', error),
  })

  // An app route of its own, guarded by a personal access token with the read:projects scope: what
  // the keys are for. Registered before the catch-all below, which would answer it 404.
  const projects = new Hono<{ Variables: PersonalAccessTokenVariables }>()
  projects.get('/', personalAccessTokenAuth({ store, scopes: ['read:projects'] }), (c) => {
    const { userId } = c.get('personalAccessToken')
    return c.json({ data: PROJECTS[userId] ?? [] }, 200, NO_STORE)
  })
  app.route(`${API_PREFIX}/projects`, projects)

  // The same for an organization's keys: a key of Acme's reads Acme's projects, whoever made it;
  // a personal key gets 403 key_owner_not_accepted here, as an organization's key does above.
  const organizationProjects = new Hono<{ Variables: PersonalAccessTokenVariables<'organization'> }>()
  organizationProjects.get('/', personalAccessTokenAuth({ store, owner: 'organization', scopes: ['read:projects'] }), (c) => {
    const { owner } = c.get('personalAccessToken')
    return c.json({ data: ORGANIZATION_PROJECTS[owner.id] ?? [] }, 200, NO_STORE)
  })
  app.route(`${API_PREFIX}/organization-projects`, organizationProjects)

  // The reference server speaks the contract at its root (`/v1/...`); the page's client uses
  // `baseUrl: '/api'`, so strip the prefix and hand the request over unchanged otherwise.
  app.all(`${API_PREFIX}/*`, (c) => {
    const url = new URL(c.req.url)
    url.pathname = url.pathname.slice(API_PREFIX.length)
    // c.env carries the Node request, whose socket address limits failed token checks per client.
    return api.fetch(new Request(url, c.req.raw), c.env)
  })
  return () => api.close()
}

/** A problem answer in the reference server's shape, so the "Try your key" panel reads both backends alike. */
function problem(c: Context, status: 401 | 403 | 429, code: string, title: string, challenge?: string) {
  const headers: Record<string, string> = { ...NO_STORE }
  if (challenge) headers['WWW-Authenticate'] = challenge
  return c.json({ title, status, code }, status, headers)
}

/**
 * `better-auth` mode: the keys live in Better Auth's API-key plugin (the page manages them through
 * patkit/better-auth), and the app's routes verify them with Better Auth's `verifyApiKey`.
 */
function mountBetterAuthVerification(app: Hono, { auth }: DemoAuth): () => Promise<void> {
  type Verified = { ok: true; key: { id: string; referenceId: string; permissions?: unknown } } | { ok: false; answer: Response }

  async function verify(c: Context, permissions?: Record<string, string[]>): Promise<Verified> {
    const match = /^Bearer +(\S+) *$/i.exec(c.req.header('Authorization') ?? '')
    if (!match) return { ok: false, answer: problem(c, 401, 'invalid_token', 'Invalid token', 'Bearer error="invalid_token"') }
    const result = await auth.api.verifyApiKey({ body: { key: match[1]!, ...(permissions ? { permissions } : {}) } })
    if (result.valid && result.key) return { ok: true, key: result.key }
    const code = (result.error as { code?: string } | null)?.code
    if (code === 'RATE_LIMITED') return { ok: false, answer: problem(c, 429, 'rate_limited', 'Too many requests with this key') }
    return { ok: false, answer: problem(c, 401, 'invalid_token', 'Invalid token', 'Bearer error="invalid_token"') }
  }

  app.get(`${API_PREFIX}/v1/me`, async (c) => {
    const verified = await verify(c)
    if (!verified.ok) return verified.answer
    const { key } = verified
    return c.json({ data: { userId: key.referenceId, apiKeyId: key.id, scopes: permissionsToScopes(key.permissions) } }, 200, NO_STORE)
  })

  app.get(`${API_PREFIX}/projects`, async (c) => {
    const verified = await verify(c)
    if (!verified.ok) return verified.answer
    // A valid key without the permission: say which one it lacks, as the reference backend does.
    const allowed = await verify(c, { projects: ['read'] })
    if (!allowed.ok) return problem(c, 403, 'insufficient_scope', 'Insufficient scope', 'Bearer error="insufficient_scope", scope="projects:read"')
    return c.json({ data: PROJECTS[verified.key.referenceId] ?? [] }, 200, NO_STORE)
  })

  app.all(`${API_PREFIX}/*`, (c) => c.json({ title: 'Not found', status: 404, code: 'not_found' }, 404, NO_STORE))
  return async () => undefined
}
