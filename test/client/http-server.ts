/**
 * A real HTTP server on 127.0.0.1 (a free port) answering with a Fetch-API handler, so the client
 * under test goes through the platform's `fetch`, sockets and header handling as it does in an app.
 * It records what reached it: a request the client should have refused must not appear here.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import { createReferenceServer, memoryStore, type ReferenceServerOptions } from '../../src/server/index.ts'

export type Handler = (request: Request) => Response | Promise<Response>

export interface Received {
  method: string
  /** The path and query as sent on the wire, before any server-side normalisation. */
  target: string
  headers: Headers
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  received: Received[]
  /** Answer from now on with `handler`, and forget what was received so far. */
  answer(handler: Handler): void
  /** Forget what was received so far. */
  forget(): void
  close(): Promise<void>
}

export async function startServer(handler: Handler = () => new Response(null, { status: 500 })): Promise<TestServer> {
  let current = handler
  const received: Received[] = []
  const listener = getRequestListener((request) => current(request))
  const server = createServer((req, res) => {
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value)
    received.push({ method: req.method ?? '', target: req.url ?? '', headers })
    void listener(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answer(next) {
      current = next
      received.length = 0
    },
    forget() {
      received.length = 0
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Handlers that never answer hold their sockets open; close them rather than wait.
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

/** The reference server on a fresh memory store, with alice signed in and allowed to manage keys. */
export function referenceServerForAlice(options: Partial<ReferenceServerOptions> = {}) {
  return createReferenceServer({
    store: memoryStore(),
    authenticate: async () => ({ userId: 'alice', canManagePersonalApiKeys: true }),
    ...options,
  })
}
