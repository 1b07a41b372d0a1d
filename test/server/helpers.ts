import type { KeyOwner } from '../../src/client/index.ts'
import {
  createReferenceServer,
  memoryStore,
  type KeyStore,
  type MemoryStore,
  type OrganizationMembership,
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

/** A user as a key owner. */
export const user = (id: string): KeyOwner => ({ type: 'user', id })
/** An organization as a key owner. */
export const organization = (id: string): KeyOwner => ({ type: 'organization', id })

/** A key row for tests that call a store directly: user u1's, made by u1, active, never used, with a unique id and hash. */
export function storedKey(overrides: Partial<StoredKey> = {}): StoredKey {
  const id = overrides.id ?? crypto.randomUUID()
  return {
    id,
    owner: user('u1'),
    createdBy: { userId: 'u1', name: null },
    name: `key ${id.slice(0, 8)}`,
    description: null,
    start: 'pat_abcd',
    hash: `hash-${id}`,
    scopes: [],
    createdAt: '2030-01-01T00:00:00.000Z',
    expiresAt: null,
    lastUsedAt: null,
    revokedAt: null,
    replacedBy: null,
    replacedAt: null,
    ...overrides,
  }
}

export const MINUTE = 60_000
export const DAY = 86_400_000

/**
 * Who belongs to which organization in the tests: Alice administers Acme and is a plain member of
 * Globex, Olivia owns Acme, Bob is a member (and Vera a viewer) of Acme, Gina administers Globex only;
 * Mallory, Carol and everyone else belong to none.
 */
export const MEMBERSHIPS: Record<string, OrganizationMembership[]> = {
  alice: [{ id: 'acme', role: 'admin' }, { id: 'globex', role: 'member' }],
  olivia: [{ id: 'acme', role: 'owner' }],
  bob: [{ id: 'acme', role: 'member' }],
  vera: [{ id: 'acme', role: 'viewer' }],
  gina: [{ id: 'globex', role: 'admin' }],
}

/**
 * Test sessions: `Authorization: Bearer session-<userId>`; `session-noperm-<userId>` lacks the
 * personal permission. Each user is named after their id ("alice" → "Alice") and belongs to the
 * organizations of `MEMBERSHIPS`.
 */
export async function sessionAuthenticate(request: Request) {
  const match = /^Bearer session-(noperm-)?(.+)$/.exec(request.headers.get('Authorization') ?? '')
  if (!match) return null
  const userId = match[2]!
  return {
    userId,
    canManagePersonalApiKeys: !match[1],
    name: userId.charAt(0).toUpperCase() + userId.slice(1),
    organizations: MEMBERSHIPS[userId] ?? [],
  }
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
