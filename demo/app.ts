/**
 * The demo's HTTP routes as a Fetch-API handler: the reference server under `/api`, and the fake
 * sign-in under `/demo`. Everything else (the page itself) is Vite's, see server.ts.
 */
import { Hono } from 'hono'
import { createReferenceServer, isSameOriginOrNonBrowser, type KeyStore } from 'patkit/server'
import { DEMO_USERS, authenticate, isDemoUserName, sessionCookie, sessionUser } from './session.ts'

export const API_PREFIX = '/api'

export function createDemoApp(store: KeyStore): Hono {
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
      console.error(`patkit demo: 500 on ${request.method} ${new URL(request.url).pathname}`, error)
    },
  })

  const app = new Hono()

  // The reference server speaks the contract at its root (`/v1/...`); the page's client uses
  // `baseUrl: '/api'`, so strip the prefix and hand the request over unchanged otherwise.
  app.all(`${API_PREFIX}/*`, (c) => {
    const url = new URL(c.req.url)
    url.pathname = url.pathname.slice(API_PREFIX.length)
    return api.fetch(new Request(url, c.req.raw))
  })

  app.get('/demo/session', (c) => {
    const user = sessionUser(c.req.raw)
    c.header('Cache-Control', 'no-store')
    return c.json({ user })
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

  return app
}
