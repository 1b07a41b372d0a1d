import {
  createReferenceServer,
  memoryStore,
  type KeyStore,
  type MemoryStore,
  type ReferenceServerOptions,
  type StoredKey,
} from '../../src/server/index.ts'

/** A clock the tests move by hand. */
export function testClock(start = '2030-01-15T12:00:00.000Z') {
  let current = new Date(start)
  return {
    now: () => new Date(current.getTime()),
    advance(ms: number) {
      current = new Date(current.getTime() + ms)
    },
    set(iso: string) {
      current = new Date(iso)
    },
  }
}

/** A key row for tests that call a store directly: user u1, active, never used, with a unique id and hash. */
export function storedKey(overrides: Partial<StoredKey> = {}): StoredKey {
  const id = overrides.id ?? crypto.randomUUID()
  return {
    id,
    userId: 'u1',
    name: `key ${id.slice(0, 8)}`,
    start: 'pat_abcd',
    hash: `hash-${id}`,
    scopes: [],
    createdAt: '2030-01-01T00:00:00.000Z',
    expiresAt: null,
    lastUsedAt: null,
    revokedAt: null,
    ...overrides,
  }
}

export const MINUTE = 60_000
export const DAY = 86_400_000

/** Test sessions: `Authorization: Bearer session-<userId>`; `session-noperm-<userId>` lacks the permission. */
export async function sessionAuthenticate(request: Request) {
  const match = /^Bearer session-(noperm-)?(.+)$/.exec(request.headers.get('Authorization') ?? '')
  if (!match) return null
  return { userId: match[2]!, canManagePersonalApiKeys: !match[1] }
}

type ServerOptions = Partial<Omit<ReferenceServerOptions, 'store'>>

interface SetupOptions extends ServerOptions {
  /** Puts something between the app and the memory store (e.g. a store that fails on purpose). */
  wrapStore?: (store: MemoryStore) => KeyStore
}

/** The reference server on a fresh memory store, with a test clock and helpers to call it. */
export function setup({ wrapStore, ...options }: SetupOptions = {}) {
  const store = memoryStore()
  return { ...setupWithStore(wrapStore ? wrapStore(store) : store, options), store }
}

/** The same on any store (the store contract suite runs the endpoints against each one). */
export function setupWithStore<S extends KeyStore>(store: S, options: ServerOptions = {}) {
  const clock = testClock()
  const app = createReferenceServer({
    store,
    authenticate: sessionAuthenticate,
    now: clock.now,
    ...options,
  })

  async function call(user: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const init: RequestInit = { method, headers: { ...headers } }
    if (user !== null) (init.headers as Record<string, string>).Authorization = `Bearer session-${user}`
    if (body !== undefined) {
      ;(init.headers as Record<string, string>)['Content-Type'] = 'application/json'
      init.body = typeof body === 'string' ? body : JSON.stringify(body)
    }
    const response = await app.fetch(new Request(`http://test${path}`, init))
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) }
  }

  async function create(user: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    const response = await call(user, 'POST', '/v1/personal-access-tokens', body, headers)
    if (response.status !== 201) throw new Error(`create failed: ${response.status} ${JSON.stringify(response.body)}`)
    return response.body.data as { apiKey: { id: string; name: string; start: string; [k: string]: unknown }; token: string }
  }

  async function me(token: string) {
    const response = await app.fetch(new Request('http://test/v1/me', { headers: { Authorization: `Bearer ${token}` } }))
    return { status: response.status, headers: response.headers, body: await response.json() }
  }

  return { app, store, clock, call, create, me }
}
