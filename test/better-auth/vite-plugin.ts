/**
 * A running Better Auth inside a Vite dev server (the browser tests', Storybook's, the demo's): its
 * routes (`/api/auth/*`, `GET /v1/me`, see server.ts) are mounted as middleware, so the page reaches
 * Better Auth on its own origin, with real cookies and the Origin header the browser itself sends.
 * Better Auth and its PGlite database start on the first request, so projects that never call it pay nothing.
 */
import { PGlite } from '@electric-sql/pglite'
import { getRequestListener } from '@hono/node-server'
import type { Plugin } from 'vite'
import { createBetterAuthServer, pglitePool, type BetterAuthServerOptions } from './server.ts'

export const BETTER_AUTH_PATHS = ['/api/auth/', '/v1/me']

export function betterAuthDevServer(options: Omit<BetterAuthServerOptions, 'database'> = {}): Plugin {
  return {
    name: 'patkit:better-auth-dev-server',
    apply: 'serve',
    configureServer(server) {
      let started: ReturnType<typeof start> | undefined
      async function start() {
        const pglite = await PGlite.create()
        const betterAuth = await createBetterAuthServer({
          canManageApiKeys: (user) => !user.email.startsWith('noperm-'),
          // Every test (and story) signs a user up from 127.0.0.1: Better Auth's 3 per 10 s would refuse the fourth.
          signUpsPerTenSeconds: 1000,
          ...options,
          database: pglitePool(pglite),
        })
        server.httpServer?.once('close', () => void pglite.close())
        return { betterAuth, listener: getRequestListener(betterAuth.fetch) }
      }
      server.middlewares.use((req, res, next) => {
        if (!BETTER_AUTH_PATHS.some((path) => req.url?.startsWith(path))) return next()
        started ??= start()
        started
          .then(({ betterAuth, listener }) => {
            // The page's own origin, whatever port the dev server got. Trusting the request's Host still
            // refuses cross-site requests: a browser sends another site's page's Origin, which differs from it.
            const host = req.headers.host
            if (host) betterAuth.trustOrigin(`http://${host}`)
            return listener(req, res)
          })
          .catch(next)
      })
    },
  }
}
