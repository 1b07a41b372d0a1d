/**
 * The demo's HTTP routes as a Fetch-API handler: the reference server under `/api`, and the fake
 * sign-in under `/demo`. Everything else (the page itself) is Vite's, see server.ts.
 */
import { Hono } from 'hono'
import { createReferenceServer, isSameOriginOrNonBrowser, personalAccessTokenAuth, type KeyStore, type PersonalAccessTokenVariables } from 'patkit/server'
import { DEMO_ORGANIZATIONS, DEMO_USERS, authenticate, isDemoUserName, sessionCookie, sessionUser } from './session.ts'

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

export function createDemoApp(store: KeyStore): { app: Hono; close(): Promise<void> } {
  const api = createReferenceServer({
    store,
    authenticate,
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

  const app = new Hono()

  // An app route of its own, guarded by a personal access token with the read:projects scope: what
  // the keys are for. Registered before the catch-all below, which would answer it 404.
  const projects = new Hono<{ Variables: PersonalAccessTokenVariables }>()
  projects.get('/', personalAccessTokenAuth({ store, scopes: ['read:projects'] }), (c) => {
    const { userId } = c.get('personalAccessToken')
    return c.json({ data: PROJECTS[userId] ?? [] }, 200, { 'Cache-Control': 'no-store' })
  })
  app.route(`${API_PREFIX}/projects`, projects)

  // The same for an organization's keys: a key of Acme's reads Acme's projects, whoever made it;
  // a personal key gets 403 key_owner_not_accepted here, as an organization's key does above.
  const organizationProjects = new Hono<{ Variables: PersonalAccessTokenVariables<'organization'> }>()
  organizationProjects.get('/', personalAccessTokenAuth({ store, owner: 'organization', scopes: ['read:projects'] }), (c) => {
    const { owner } = c.get('personalAccessToken')
    return c.json({ data: ORGANIZATION_PROJECTS[owner.id] ?? [] }, 200, { 'Cache-Control': 'no-store' })
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

  app.get('/demo/session', (c) => {
    const user = sessionUser(c.req.raw)
    c.header('Cache-Control', 'no-store')
    // The page offers the user's organizations by name, with their role in each.
    const organizations = (user?.organizations ?? []).map((membership) => ({ ...DEMO_ORGANIZATIONS[membership.id as keyof typeof DEMO_ORGANIZATIONS], role: membership.role }))
    return c.json({ user, organizations })
  })

  app.post('/demo/sign-in', async (c) => {
    // Login CSRF: another site must not be able to sign the visitor in as someone else.
    if (!isSameOriginOrNonBrowser(c.req.raw)) return c.json({ error: 'cross-site request refused' }, 403)
    const body: unknown = await c.req.json().catch(() => null)
    const name = typeof body === 'object' && body !== null ? (body as { user?: unknown }).user : undefined
    if (!isDemoUserName(name)) return c.json({ error: `user must be one of ${Object.keys(DEMO_USERS).join(', ')}` }, 400)
    c.header('Set-Cookie', sessionCookie(name))
    return c.json({ user: DEMO_USERS[name] })
  })

  app.post('/demo/sign-out', (c) => {
    if (!isSameOriginOrNonBrowser(c.req.raw)) return c.json({ error: 'cross-site request refused' }, 403)
    c.header('Set-Cookie', sessionCookie(null))
    return c.json({ user: null })
  })

  return { app, close: () => api.close() }
}
