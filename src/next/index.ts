/**
 * `patkit/next`: the reference server as Next.js App Router route handlers, for one catch-all route
 * file:
 *
 * ```ts
 * // app/api/[...path]/route.ts
 * export const { GET, POST, PATCH, DELETE } = createRouteHandlers({ store, authenticate })
 * ```
 *
 * No Next.js import: route handlers are plain `(request: Request) => Response` functions, so this
 * entry works with any Next version that has the App Router, and in tests without Next.
 */
import { createReferenceServer, type Authenticate, type ReferenceServerOptions } from '../server/app.ts'
import { problemResponse } from '../server/problems.ts'
import { isSameOriginOrNonBrowser } from '../server/same-origin.ts'
import type { KeyStore } from '../server/store.ts'

export interface RouteHandlersOptions extends Omit<ReferenceServerOptions, 'store' | 'authenticate'> {
  /**
   * The store, or a function that opens it. A function is called on the first request, not when the
   * route module loads (`next build` loads it, and must not open a database), and its store is kept on
   * `globalThis` under `storeKey`, so the module reloads of `next dev` reuse it: an embedded PGlite
   * folder cannot be opened twice. If opening fails, the request answers 503 and the next one tries again.
   */
  store: KeyStore | (() => KeyStore | Promise<KeyStore>)
  /**
   * The signed-in user from the app's own session (a cookie, a header), or `null`. Called only for
   * requests that are not cross-site: a state-changing request whose `Origin` or `Sec-Fetch-Site` names
   * another site is answered 401 without asking, which is the CSRF check a cookie session needs.
   */
  authenticate: Authenticate
  /** The path the catch-all route is under, with the app's `basePath` if it has one. Default `/api`, for `app/api/[...path]/route.ts`. */
  prefix?: string
  /** Names the store kept on `globalThis`. Default `default`; two route files with two stores need two names. */
  storeKey?: string
}

/** A route handler as Next.js calls it; the second argument (`{ params }`) is not needed. */
export type RouteHandler = (request: Request) => Promise<Response>

export interface RouteHandlers {
  GET: RouteHandler
  POST: RouteHandler
  PATCH: RouteHandler
  DELETE: RouteHandler
}

const STORES = Symbol.for('patkit.next.stores')

/** Stores opened in this process, by `storeKey`: on `globalThis`, which outlives a reloaded module. */
function openedStores(): Map<string, Promise<KeyStore>> {
  const holder = globalThis as { [STORES]?: Map<string, Promise<KeyStore>> }
  return (holder[STORES] ??= new Map())
}

function lazyStore(store: RouteHandlersOptions['store'], key: string): () => Promise<KeyStore> {
  if (typeof store !== 'function') return () => Promise.resolve(store)
  return () => {
    const stores = openedStores()
    let opened = stores.get(key)
    if (!opened) {
      opened = Promise.resolve().then(store)
      stores.set(key, opened)
      // A failed open is not kept: the next request tries again (the database may be starting).
      opened.catch(() => stores.delete(key))
    }
    return opened
  }
}

const unavailable = () =>
  withNoStore(problemResponse('service_unavailable', crypto.randomUUID(), { headers: { 'Retry-After': '5' } }))

const notFound = () => withNoStore(problemResponse('not_found', crypto.randomUUID()))

function withNoStore(response: Response): Response {
  response.headers.set('Cache-Control', 'no-store')
  return response
}

/**
 * `GET`, `POST`, `PATCH` and `DELETE` for `app/api/[...path]/route.ts`: the REST contract under
 * `prefix`, so the page's client uses `baseUrl: '/api'`.
 */
export function createRouteHandlers(options: RouteHandlersOptions): RouteHandlers {
  const { store, authenticate, prefix: rawPrefix = '/api', storeKey = 'default', ...serverOptions } = options
  const prefix = `/${rawPrefix.replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '')
  const getStore = lazyStore(store, storeKey)
  // One reference server per module load (options may change on a dev reload); the store outlives it.
  let server: ReturnType<typeof createReferenceServer> | null = null

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url)
    if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) return notFound()
    if (!server) {
      let opened: KeyStore
      try {
        opened = await getStore()
      } catch (error) {
        report(error, request)
        return unavailable()
      }
      server ??= createReferenceServer({
        ...serverOptions,
        store: opened,
        authenticate: async (req) => (isSameOriginOrNonBrowser(req) ? authenticate(req) : null),
      })
    }
    // The reference server speaks the contract at its root (`/v1/…`).
    url.pathname = url.pathname.slice(prefix.length) || '/'
    return server.fetch(new Request(url, request))
  }

  function report(error: unknown, request: Request) {
    if (serverOptions.onUnexpectedError) serverOptions.onUnexpectedError(error, request)
    else console.error('patkit/next: could not open the store', error)
  }

  return { GET: handle, POST: handle, PATCH: handle, DELETE: handle }
}
