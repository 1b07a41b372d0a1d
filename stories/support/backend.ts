/**
 * The reference backend running in the page (memory store) behind the real HTTP client, for stories
 * and browser tests: create, revoke and rotate work for real, and faults can be injected in front of
 * the handler to show every `handle()` outcome.
 */
import { QueryClient } from '@tanstack/react-query'
import { createHttpClient, type AuthFrontendApis, type KeyCreator, type KeyOwner, type PersonalApiKeyCapabilities, type PersonalApiKeyStatus } from '../../src/client/index.ts'
import {
  createReferenceServer,
  generateToken,
  hashToken,
  memoryStore,
  tokenStart,
  type MemoryStore,
  type ReferenceServer,
  type ServerPolicyOptions,
  type StoredKey,
} from '../../src/server/index.ts'

/** A QueryClient without retries, so a story or test about an error shows it at once, not after React Query's backoff. */
export function failFastQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } })
}

export type Fault =
  | 'unauthorized'
  | 'forbidden'
  | 'disabled'
  | 'notFound'
  | 'conflict'
  | 'rateLimited'
  | 'unavailable'
  | 'serverError'
  | 'htmlError'
  | 'malformed'
  | 'offline'
  | 'hang'

const PROBLEMS: Record<Exclude<Fault, 'htmlError' | 'malformed' | 'offline' | 'hang'>, [number, string, string]> = {
  unauthorized: [401, 'unauthorized', 'Your session has ended. Sign in again.'],
  forbidden: [403, 'no_personal_api_key_permission', 'Your role does not allow personal API keys. Ask an administrator.'],
  disabled: [403, 'personal_api_keys_disabled', 'Your organization has turned personal API keys off.'],
  notFound: [404, 'api_key_not_found', 'This API key no longer exists.'],
  conflict: [409, 'name_taken', 'You already have an active key with this name.'],
  rateLimited: [429, 'rate_limited', 'Too many requests.'],
  unavailable: [503, 'service_unavailable', 'The service is temporarily unavailable.'],
  serverError: [500, 'internal_error', 'Something went wrong on our side.'],
}

function faultResponse(fault: Fault, request: Request, retryAfterSeconds: number): Promise<Response> | Response {
  switch (fault) {
    case 'offline':
      throw new TypeError('Failed to fetch')
    case 'hang':
      return new Promise((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)))
    case 'htmlError':
      return new Response('<!doctype html><title>502</title><h1>Bad gateway</h1>', {
        status: 502,
        headers: { 'Content-Type': 'text/html' },
      })
    case 'malformed':
      return new Response('{"items": [', { status: 200, headers: { 'Content-Type': 'application/json' } })
    default: {
      const [status, code, detail] = PROBLEMS[fault]
      const headers: Record<string, string> = { 'Content-Type': 'application/problem+json' }
      if (status === 429 || status === 503) headers['Retry-After'] = String(retryAfterSeconds)
      if (status === 401) headers['WWW-Authenticate'] = 'Bearer'
      const errors = code === 'name_taken' ? [{ pointer: '/name', detail }] : undefined
      return new Response(JSON.stringify({ type: 'about:blank', title: code, status, detail, code, errors }), { status, headers })
    }
  }
}

export interface DemoBackendOptions {
  policy?: ServerPolicyOptions
  /** Start signed in as a user who may manage keys (default), one who may not, or signed out. */
  session?: 'manager' | 'viewer' | 'signedOut'
  /** Delay before every answer, to show pending states. */
  latencyMs?: number
  maxActiveKeys?: number
  /** The story user's organizations and role in each (the server lets `owner` and `admin` manage an organization's keys). */
  organizations?: { id: string; role: string }[]
  /** Manage this organization's keys instead of the user's own: `withBackend` and `renderWithBackend` give it to the provider. */
  organization?: { id: string; canManage?: boolean }
  /**
   * What the client declares its backend supports (default: everything), to show how the components
   * adapt to a smaller backend; the reference server behind it still implements all of it.
   */
  capabilities?: PersonalApiKeyCapabilities
}

export interface DemoBackend {
  client: AuthFrontendApis
  server: ReferenceServer
  store: MemoryStore
  userId: string
  /** Faults answered instead of the server, one per request, first in first out. */
  faults: Fault[]
  /** Faults answered to every request matching `method` (e.g. `'GET'`) until cleared. */
  stickyFaults: Map<string, Fault>
  latencyMs: number
  /** The `Retry-After` of the `rateLimited` and `unavailable` faults, in seconds (default 30). */
  retryAfterSeconds: number
  session: 'manager' | 'viewer' | 'signedOut'
  /** Requests the server saw, as `METHOD /path`. */
  requests: string[]
  /** The organization the provider should manage the keys of (`DemoBackendOptions.organization`). */
  organization?: { id: string; canManage?: boolean }
  /**
   * Inserts keys straight into the store (fast enough for 10,000), spread over the past year: the
   * user's own, or `owner`'s, made by `creators` in turn (default: the user, without a name).
   */
  seed(
    count: number,
    options?: { status?: PersonalApiKeyStatus | 'mixed'; namePrefix?: string; scopes?: string[]; owner?: KeyOwner; creators?: KeyCreator[] },
  ): Promise<StoredKey[]>
  /** Creates a key through the real API and returns its token, as a user would get it. */
  createKey(name: string, options?: { scopes?: string[] }): Promise<{ id: string; token: string }>
}

const DAY = 86_400_000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function createDemoBackend(options: DemoBackendOptions = {}): DemoBackend {
  const store = memoryStore()
  const userId = 'user_demo'
  const backend: DemoBackend = {
    client: undefined as unknown as AuthFrontendApis,
    server: undefined as unknown as ReferenceServer,
    store,
    userId,
    faults: [],
    stickyFaults: new Map(),
    latencyMs: options.latencyMs ?? 0,
    retryAfterSeconds: 30,
    session: options.session ?? 'manager',
    requests: [],
    organization: options.organization,
    seed: async (count, seedOptions = {}) => {
      const now = Date.now()
      const rows: StoredKey[] = []
      for (let i = 0; i < count; i++) {
        const status = seedOptions.status === 'mixed' || !seedOptions.status ? (['active', 'active', 'expired', 'revoked'] as const)[i % 4]! : seedOptions.status
        const createdAt = now - ((count - i) / count) * 360 * DAY - DAY
        const token = generateToken()
        rows.push({
          id: crypto.randomUUID(),
          owner: seedOptions.owner ?? { type: 'user', id: userId },
          createdBy: seedOptions.creators?.[i % seedOptions.creators.length] ?? { userId, name: null },
          description: null, replacedBy: null, replacedAt: null,
          name: `${seedOptions.namePrefix ?? 'Key'} ${String(i + 1).padStart(String(count).length, '0')}`,
          start: tokenStart(token),
          // Seeded keys are never used to authenticate, so a random unique hash is as good as a real one and far faster.
          hash: count > 50 ? randomHex() : await hashToken(token),
          scopes: seedOptions.scopes ?? (i % 3 === 0 ? ['read:projects'] : ['read:projects', 'write:projects']),
          createdAt: new Date(createdAt).toISOString(),
          expiresAt: status === 'expired' ? new Date(now - DAY).toISOString() : i % 5 === 0 ? null : new Date(now + ((i % 90) + 2) * DAY).toISOString(),
          lastUsedAt: i % 2 === 0 ? null : new Date(now - (i % 30) * 3_600_000).toISOString(),
          revokedAt: status === 'revoked' ? new Date(now - 2 * DAY).toISOString() : null,
        })
      }
      await store.transaction(async (tx) => {
        for (const row of rows) await tx.insertKey(row)
      })
      return rows
    },
    createKey: async (name, keyOptions = {}) => {
      const response = await backend.client.createPersonalApiKey({ name, expiration: 'OneMonth', scopes: keyOptions.scopes })
      if (!response.ok) throw new Error(`demo backend: could not create ${name}: ${response.error.userFacingError}`)
      return { id: response.data.apiKey.id, token: response.data.token }
    },
  }
  const server = createReferenceServer({
    store,
    authenticate: async () =>
      backend.session === 'signedOut'
        ? null
        : { userId, name: 'Dana Demo', canManagePersonalApiKeys: backend.session === 'manager', organizations: options.organizations ?? [] },
    policy: {
      scopes: [
        { id: 'read:projects', description: 'Read projects and their settings' },
        { id: 'write:projects', description: 'Create and change projects' },
        { id: 'admin:billing', description: 'Manage billing and invoices' },
      ],
      ...options.policy,
    },
    rateLimit: false,
    maxActiveKeys: options.maxActiveKeys ?? 1_000_000,
  })
  backend.server = server
  const client = createHttpClient({
    baseUrl: 'https://api.patkit.test',
    timeoutMs: 5_000,
    fetch: async (request) => {
      if (backend.latencyMs > 0) await sleep(backend.latencyMs)
      const fault = backend.faults.shift() ?? backend.stickyFaults.get(request.method)
      if (fault) return faultResponse(fault, request, backend.retryAfterSeconds)
      backend.requests.push(`${request.method} ${new URL(request.url).pathname}`)
      return server.fetch(request)
    },
  })
  backend.client = options.capabilities ? Object.assign(client, { capabilities: options.capabilities }) : client
  return backend
}

/** The long-named key of `seedKeyShowcase`, with a description. */
export const SHOWCASE_LONG_NAME = 'Nightly export of every project’s invoices to the finance warehouse'
export const SHOWCASE_DESCRIPTION = 'Used by the finance team’s nightly job; ask Dana before rotating it, the job has no retry'

/**
 * Keys showing everything a list row can say: `seed(4, mixed)` (Key 1 never expires, Key 2 expires
 * in 3 days, Key 3 has expired, Key 4 is revoked), a long name with a description, and "CI deploy"
 * (with a description) rotated with a one-hour grace period: the old one active and replaced.
 */
export async function seedKeyShowcase(backend: DemoBackend): Promise<void> {
  await backend.seed(4, { status: 'mixed' })
  const created = await backend.client.createPersonalApiKey({
    name: SHOWCASE_LONG_NAME,
    expiration: 'OneMonth',
    description: SHOWCASE_DESCRIPTION,
    scopes: ['read:projects', 'write:projects'],
  })
  if (!created.ok) throw new Error(created.error.userFacingError)
  const deploy = await backend.client.createPersonalApiKey({ name: 'CI deploy', expiration: 'OneMonth', description: 'GitHub Actions, main branch' })
  if (!deploy.ok) throw new Error(deploy.error.userFacingError)
  const rotated = await backend.client.rotatePersonalApiKey(deploy.data.apiKey.id, { gracePeriod: 'OneHour' })
  if (!rotated.ok) throw new Error(rotated.error.userFacingError)
}

function randomHex(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
