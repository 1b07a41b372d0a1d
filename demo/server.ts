/**
 * `npm start`: the keys' backend, Better Auth's sign-in and the demo page on one localhost URL. The
 * page is served by Vite in middleware mode (dev), the API and Better Auth by the Hono app in app.ts.
 *
 * Environment: PORT (default 5173; 0 picks a free port), HOST (default localhost),
 * DATABASE_URL (PostgreSQL; default embedded PGlite in .data/demo, or PATKIT_DATA_DIR),
 * PATKIT_DEMO_STORE=memory to keep keys in memory only, PATKIT_DEMO_BACKEND=reference|better-auth,
 * BETTER_AUTH_URL (the page's public URL when served behind a proxy; https makes cookies Secure),
 * BETTER_AUTH_SECRET (else one is made and kept in the database).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import react from '@vitejs/plugin-react'
import { createServer as createViteServer } from 'vite'
import { API_PREFIX, createDemoApp } from './app.ts'
import { DEMO_BACKENDS, prepareDemoAuth, type DemoBackend } from './auth.ts'
import { openDemoStore } from './store.ts'
import { prebundledDependencies } from '../config/peer-imports.ts'

const root = fileURLToPath(new URL('.', import.meta.url))
const src = fileURLToPath(new URL('../src/', import.meta.url))
const port = Number(process.env.PORT ?? 5173)
const host = process.env.HOST ?? 'localhost'
const backend = (process.env.PATKIT_DEMO_BACKEND || 'reference') as DemoBackend
if (!DEMO_BACKENDS.includes(backend)) {
  console.error(`patkit demo: PATKIT_DEMO_BACKEND must be one of ${DEMO_BACKENDS.join(', ')} (got "${backend}")`)
  process.exit(1)
}

const httpServer = createServer()

function startVite() {
  return createViteServer({
    configFile: false,
    root,
    // Dependencies are pre-bundled once and reused; keep them apart from Storybook's and vitest's.
    cacheDir: fileURLToPath(new URL('../node_modules/.vite/patkit-demo', import.meta.url)),
    plugins: [react()],
    resolve: {
      // Before a build the package names resolve to their sources, as tsconfig's `paths` does for tsc.
      alias: [
        { find: /^patkit$/, replacement: `${src}index.ts` },
        { find: /^patkit\/client$/, replacement: `${src}client/index.ts` },
        { find: /^patkit\/server$/, replacement: `${src}server/index.ts` },
        { find: /^patkit\/better-auth$/, replacement: `${src}better-auth/index.ts` },
        { find: /^patkit\/locales$/, replacement: `${src}locales.ts` },
        { find: /^patkit\/styles\.css$/, replacement: `${src}styles.css` },
      ],
    },
    // Bundled up front so the first page load does not trigger a re-optimisation and a reload.
    optimizeDeps: { include: [...prebundledDependencies(), 'better-auth/client', '@better-auth/api-key/client'] },
    server: { middlewareMode: true, hmr: { server: httpServer } },
    appType: 'spa',
    logLevel: 'warn',
    clearScreen: false,
  })
}

// Opening the database (a first PGlite start runs initdb), Better Auth's migrations and starting Vite
// take seconds each: overlap them.
const opening = openDemoStore()
const starting = startVite()
let store: Awaited<typeof opening>
try {
  store = await opening
} catch (error) {
  // A clear sentence and a non-zero exit, e.g. when another server holds the data folder.
  console.error(error instanceof Error ? error.message : error)
  await starting.then((vite) => vite.close()).catch(() => undefined)
  process.exit(1)
}
const preparing = prepareDemoAuth({
  database: store.authDatabase,
  backend,
  ...(process.env.BETTER_AUTH_SECRET ? { secret: process.env.BETTER_AUTH_SECRET } : {}),
})
// Handled where it is awaited below; until then a failure must not count as unhandled.
preparing.catch(() => undefined)
const vite = await starting

// Listening first: Better Auth must know the page's origin (the port may be picked now) for its
// origin check. Requests wait for `ready`; nothing can arrive before the URL is printed anyway.
const actualPort = await new Promise<number>((resolve) => httpServer.listen(port, host, () => resolve((httpServer.address() as AddressInfo).port)))
const ready = (async () => {
  const auth = await (await preparing)({
    baseURL: process.env.BETTER_AUTH_URL || `http://localhost:${actualPort}`,
    trustedOrigins: [`http://localhost:${actualPort}`, `http://127.0.0.1:${actualPort}`, `http://${host}:${actualPort}`],
  })
  const { app, close } = createDemoApp({ store: store.store, auth, backend })
  return { handle: getRequestListener(app.fetch), close }
})()

function isAppRoute(url: string): boolean {
  return url === API_PREFIX || url.startsWith(`${API_PREFIX}/`) || url.startsWith('/demo/')
}

httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
  if (isAppRoute(req.url ?? '/')) {
    void ready.then(({ handle }) => handle(req, res))
    return
  }
  vite.middlewares(req, res)
})

let app: Awaited<typeof ready>
try {
  app = await ready
} catch (error) {
  console.error('patkit demo: could not set up sign-in (Better Auth)', error)
  await vite.close()
  httpServer.close()
  await store.close()
  process.exit(1)
}
console.log(`patkit demo: http://localhost:${actualPort}`)
console.log(`  keys stored in ${store.description}; backend: ${backend} (PATKIT_DEMO_BACKEND)`)

let closing = false
async function shutdown(signal: string) {
  if (closing) return
  closing = true
  console.log(`patkit demo: ${signal}, shutting down`)
  // Stop taking requests, then let the open ones finish before the database goes away.
  const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()))
  httpServer.closeIdleConnections()
  // A browser tab may hold a keep-alive connection open indefinitely; don't wait for it forever.
  setTimeout(() => httpServer.closeAllConnections(), 2_000).unref()
  await vite.close()
  await closed
  await app.close()
  await store.close()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
