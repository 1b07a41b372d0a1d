/**
 * `npm start`: the reference server and the demo page on one localhost URL. The page is served by
 * Vite in middleware mode (dev), the API and the fake sign-in by the Hono app in app.ts.
 *
 * Environment: PORT (default 5173; 0 picks a free port), HOST (default localhost),
 * DATABASE_URL (PostgreSQL; default embedded PGlite in .data/demo, or PATKIT_DATA_DIR),
 * PATKIT_DEMO_STORE=memory to keep keys in memory only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import react from '@vitejs/plugin-react'
import { createServer as createViteServer } from 'vite'
import { API_PREFIX, createDemoApp } from './app.ts'
import { openDemoStore } from './store.ts'
import { prebundledDependencies } from '../config/peer-imports.ts'

const root = fileURLToPath(new URL('.', import.meta.url))
const src = fileURLToPath(new URL('../src/', import.meta.url))
const port = Number(process.env.PORT ?? 5173)
const host = process.env.HOST ?? 'localhost'

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
        { find: /^patkit\/locales$/, replacement: `${src}locales.ts` },
        { find: /^patkit\/styles\.css$/, replacement: `${src}styles.css` },
      ],
    },
    // Bundled up front so the first page load does not trigger a re-optimisation and a reload.
    optimizeDeps: { include: prebundledDependencies() },
    server: { middlewareMode: true, hmr: { server: httpServer } },
    appType: 'spa',
    logLevel: 'warn',
    clearScreen: false,
  })
}

// Opening the database (a first PGlite start runs initdb) and starting Vite take seconds each: overlap them.
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
const vite = await starting
const { app, close: closeApp } = createDemoApp(store.store)
const handleApp = getRequestListener(app.fetch)

function isAppRoute(url: string): boolean {
  return url === API_PREFIX || url.startsWith(`${API_PREFIX}/`) || url.startsWith('/demo/')
}

httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
  if (isAppRoute(req.url ?? '/')) {
    void handleApp(req, res)
    return
  }
  vite.middlewares(req, res)
})

httpServer.listen(port, host, () => {
  const { port: actual } = httpServer.address() as AddressInfo
  console.log(`patkit demo: http://localhost:${actual}`)
  console.log(`  keys stored in ${store.description}`)
})

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
  await closeApp()
  await store.close()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
