import { PGlite } from '@electric-sql/pglite'
import { serve } from '@hono/node-server'
import type { ApiKeyConfigurationOptions } from '@better-auth/api-key'
import { Hono } from 'hono'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createBetterAuthApis, type BetterAuthApiKeyClient, type BetterAuthApisOptions } from '../../src/better-auth/index.ts'
import { forOrganization, resolveCapabilities, type ApiError, type ApiResponse, type SpecificErrorKind } from '../../src/client/index.ts'
import { betterAuthClient, createBetterAuthServer, ORGANIZATION_KEYS, pglitePool, signedInClient, type BetterAuthServer } from './server.ts'

/**
 * What patkit/better-auth does with each Better Auth call and answer, against a real Better Auth
 * server on PGlite (in process: its handler is the client's fetch). The conformance kit covers the
 * contract; these cover the mapping itself.
 */

const DAY_MS = 86_400_000

type Harness = { server: BetterAuthServer; close(): Promise<void> }

async function startServer(apiKey?: ApiKeyConfigurationOptions, extra: { apiKeyCreatesPerMinute?: number } = {}): Promise<Harness> {
  const pglite = await PGlite.create()
  const server = await createBetterAuthServer({
    database: pglitePool(pglite),
    apiKey,
    canManageApiKeys: (user) => !user.email.startsWith('noperm-'),
    ...extra,
  })
  return { server, close: () => pglite.close() }
}

async function signIn(harness: Harness, email?: string) {
  return signedInClient({ baseURL: 'http://localhost', fetch: harness.server.fetch, ...(email ? { email } : {}) })
}

/** Which callback ran, and the error it got. */
async function outcome(response: ApiResponse<unknown, SpecificErrorKind>) {
  return response.handle({
    success: (data: unknown) => ({ callback: 'success', data, error: undefined as ApiError | undefined }),
    invalidExpirationOption: (error: ApiError) => ({ callback: 'invalidExpirationOption', data: undefined, error }),
    badRequest: (error: ApiError) => ({ callback: 'badRequest', data: undefined, error }),
    unauthorized: (error: ApiError) => ({ callback: 'unauthorized', data: undefined, error }),
    noPersonalApiKeyPermission: (error: ApiError) => ({ callback: 'noPersonalApiKeyPermission', data: undefined, error }),
    apiKeyNotFound: (error: ApiError) => ({ callback: 'apiKeyNotFound', data: undefined, error }),
    conflict: (error: ApiError) => ({ callback: 'conflict', data: undefined, error }),
    rateLimited: (error: ApiError) => ({ callback: 'rateLimited', data: undefined, error }),
    unexpectedOrUnhandled: (error: ApiError) => ({ callback: 'unexpectedOrUnhandled', data: undefined, error }),
  } as never) as Promise<{ callback: string; data: unknown; error: ApiError | undefined }>
}
const as = (response: unknown) => response as ApiResponse<unknown, SpecificErrorKind>

/**
 * The client's apiKey methods with some replaced. Better Auth's client is a Proxy without own keys,
 * so spreading it copies nothing: each method is passed through by name.
 */
function overriding(client: BetterAuthApiKeyClient, overrides: Partial<BetterAuthApiKeyClient['apiKey']>): BetterAuthApiKeyClient {
  const { apiKey } = client
  return {
    apiKey: {
      create: (input) => apiKey.create(input),
      list: (input) => apiKey.list(input),
      get: (input) => apiKey.get(input),
      update: (input) => apiKey.update(input),
      delete: (input) => apiKey.delete(input),
      ...overrides,
    },
  }
}

/** A local HTTP server that answers every request with `answer`. */
async function hostileServer(answer: (request: Request) => Response | Promise<Response>) {
  const app = new Hono()
  app.all('*', (c) => answer(c.req.raw))
  return new Promise<{ url: string; close(): Promise<void> }>((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
      resolve({ url: `http://127.0.0.1:${info.port}`, close: () => new Promise((done) => server.close(() => done())) }),
    )
  })
}

describe('createBetterAuthApis on Better Auth defaults', () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startServer()
  }, 60_000)
  afterAll(() => harness?.close())
  afterEach(() => void vi.useRealTimers())

  it('declares what Better Auth lacks: no scopes; rotation, search and status filter are emulated', async () => {
    const { client } = await signIn(harness)
    expect(resolveCapabilities(createBetterAuthApis(client))).toMatchObject({
      rotate: true,
      rename: true,
      scopes: false,
      customExpiration: true,
      search: true,
      statusFilter: true,
    })
    expect(resolveCapabilities(createBetterAuthApis(client, { rotate: false })).rotate).toBe(false)
  })

  it('answers the policy Better Auth is configured with by default, without a request', async () => {
    const calls: string[] = []
    const { client } = await signIn(harness)
    const counting = new Proxy(client.apiKey, { get: (target, name) => (calls.push(String(name)), Reflect.get(target, name)) })
    const policy = await createBetterAuthApis({ apiKey: counting } as BetterAuthApiKeyClient).fetchPersonalApiKeyPolicy()
    expect(policy.data).toEqual({
      expirationOptions: ['TwoWeeks', 'OneMonth', 'ThreeMonths', 'SixMonths', 'OneYear', 'Never'],
      defaultExpiration: 'OneMonth',
      allowCustomExpiration: true,
      maxLifetimeDays: null,
      scopes: [],
      nameMaxLength: 32,
      descriptionMaxLength: 500,
      gracePeriodOptions: ['None'],
    })
    expect(calls).toEqual([])
  })

  it('creates with expiresIn in seconds: a preset by the calendar, a custom date to the second', async () => {
    const { client } = await signIn(harness)
    const apis = createBetterAuthApis(client)
    const month = await apis.createPersonalApiKey({ name: 'month', expiration: 'OneMonth' })
    const lifetime = Date.parse(month.data!.apiKey.expiresAt!) - Date.parse(month.data!.apiKey.createdAt)
    // A calendar month, counted from the adapter's clock a few milliseconds before Better Auth's createdAt.
    expect(lifetime / DAY_MS).toBeGreaterThanOrEqual(28 - 1 / 1440)
    expect(lifetime / DAY_MS).toBeLessThanOrEqual(31 + 1 / 1440)
    const wanted = new Date(Date.now() + 3 * DAY_MS + 12_345)
    const custom = await apis.createPersonalApiKey({ name: 'custom', expiration: { expiresAt: wanted.toISOString() } })
    expect(Math.abs(Date.parse(custom.data!.apiKey.expiresAt!) - wanted.getTime())).toBeLessThan(2_000)
    const never = await apis.createPersonalApiKey({ name: 'never', expiration: 'Never' })
    expect(never.data!.apiKey.expiresAt).toBeNull()
  })

  it("shortens 'OneYear' to Better Auth's 365-day cap when the year holds 29 February", async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2027-06-01T12:00:00.000Z'))
    const { client } = await signIn(harness)
    const created = await createBetterAuthApis(client).createPersonalApiKey({ name: 'year', expiration: 'OneYear' })
    expect(created.ok, created.error?.userFacingError).toBe(true)
    expect(Date.parse(created.data!.apiKey.expiresAt!) - Date.parse('2027-06-01T12:00:00.000Z')).toBe(365 * DAY_MS)
  })

  it('refuses a custom date beyond 365 days or under a day itself, with a sentence, before asking Better Auth', async () => {
    const { client } = await signIn(harness)
    const apis = createBetterAuthApis(client)
    const far = await outcome(as(await apis.createPersonalApiKey({ name: 'far', expiration: { expiresAt: new Date(Date.now() + 400 * DAY_MS).toISOString() } })))
    expect(far).toMatchObject({ callback: 'invalidExpirationOption', error: { userFacingError: 'Keys must expire within 365 days, or never.' } })
    const soon = await outcome(as(await apis.createPersonalApiKey({ name: 'soon', expiration: { expiresAt: new Date(Date.now() + 3_600_000).toISOString() } })))
    expect(soon).toMatchObject({ callback: 'invalidExpirationOption', error: { userFacingError: 'Keys must last at least 1 day.', fieldErrors: { expiresAt: expect.any(String) } } })
  })

  it("maps Better Auth's own refusal of a lifetime (the adapter told a larger cap) to invalidExpirationOption", async () => {
    const { client } = await signIn(harness)
    const apis = createBetterAuthApis(client, { keyExpiration: { maxExpiresIn: 500 } })
    const response = await apis.createPersonalApiKey({ name: 'far', expiration: { expiresAt: new Date(Date.now() + 400 * DAY_MS).toISOString() } })
    expect(await outcome(as(response))).toMatchObject({
      callback: 'invalidExpirationOption',
      error: { status: 400, code: 'EXPIRES_IN_IS_TOO_LARGE', userFacingError: 'Keys must expire within 500 days, or never.' },
    })
  })

  it("maps Better Auth's name-length refusal to badRequest on the name field", async () => {
    const { client } = await signIn(harness)
    // The adapter believes 40 characters are fine; the server (default 32) says no.
    const response = await createBetterAuthApis(client, { maximumNameLength: 40 }).createPersonalApiKey({ name: 'n'.repeat(35), expiration: 'OneMonth' })
    expect(await outcome(as(response))).toMatchObject({
      callback: 'badRequest',
      error: { status: 400, code: 'INVALID_NAME_LENGTH', fieldErrors: { name: 'Names must be 1 to 40 characters long.' } },
    })
  })

  it('refuses scopes with badRequest and sends nothing: Better Auth lets only the server set permissions', async () => {
    const { client } = await signIn(harness)
    const response = await createBetterAuthApis(client).createPersonalApiKey({ name: 'scoped', expiration: 'OneMonth', scopes: ['files:read'] })
    expect(await outcome(as(response))).toMatchObject({ callback: 'badRequest', error: { fieldErrors: { scopes: expect.stringMatching(/only the server/) } } })
    expect((await client.apiKey.list({})).data?.apiKeys).toEqual([])
  })

  it('shows permissions the server gave a key as resource:action scopes', async () => {
    const { client, userId } = await signIn(harness)
    await harness.server.auth.api.createApiKey({ body: { userId, name: 'server-made', permissions: { files: ['read', 'write'], projects: ['read'] } } })
    const page = await createBetterAuthApis(client).fetchPersonalApiKeys()
    expect(page.data!.items[0]).toMatchObject({ name: 'server-made', scopes: ['files:read', 'files:write', 'projects:read'] })
  })

  it('names an unnamed key after its first characters, as the reference server does', async () => {
    const { client } = await signIn(harness)
    const created = await createBetterAuthApis(client).createPersonalApiKey('Never')
    expect(created.data!.apiKey.name).toBe(`API key ${created.data!.apiKey.start}`)
    expect(created.data!.token.startsWith(created.data!.apiKey.start)).toBe(true)
  })

  it('revokes by disabling: Better Auth keeps the key, disabled, and its updatedAt is the revocation time', async () => {
    const { client } = await signIn(harness)
    const apis = createBetterAuthApis(client)
    const { apiKey } = (await apis.createPersonalApiKey({ name: 'old', expiration: 'OneMonth' })).data!
    const revoked = (await apis.revokePersonalApiKey(apiKey.id)).data!
    const stored = (await client.apiKey.get({ query: { id: apiKey.id } })).data!
    expect(stored.enabled).toBe(false)
    expect(revoked.revokedAt).toBe(new Date(stored.updatedAt).toISOString())
  })

  it('records use: lastUsedAt follows Better Auth’s lastRequest, and the list sorts by it', async () => {
    const { client } = await signIn(harness)
    const apis = createBetterAuthApis(client)
    const used = (await apis.createPersonalApiKey({ name: 'used', expiration: 'OneMonth' })).data!
    await apis.createPersonalApiKey({ name: 'unused', expiration: 'OneMonth' })
    expect(await harness.server.whoAmI(used.token)).not.toBeNull()
    const page = (await apis.fetchPersonalApiKeys({ sort: '-lastUsedAt' })).data!
    expect(page.items.map((key) => key.name)).toEqual(['used', 'unused'])
    expect(page.items[0]!.lastUsedAt).not.toBeNull()
  })

  describe('rotation (emulated: create, then disable the old key)', () => {
    it('gives the new key the old one’s name and lifetime, and the old token stops working', async () => {
      const { client } = await signIn(harness)
      const apis = createBetterAuthApis(client)
      const old = (await apis.createPersonalApiKey({ name: 'deploy', expiration: 'TwoWeeks' })).data!
      const rotated = (await apis.rotatePersonalApiKey(old.apiKey.id)).data!
      expect(rotated.apiKey.name).toBe('deploy')
      const lifetime = Date.parse(rotated.apiKey.expiresAt!) - Date.parse(rotated.apiKey.createdAt)
      expect(Math.abs(lifetime - 14 * DAY_MS)).toBeLessThan(5_000)
      expect(rotated.previous.id).toBe(old.apiKey.id)
      expect(await harness.server.whoAmI(old.token)).toBeNull()
      expect(await harness.server.whoAmI(rotated.token)).not.toBeNull()
    })

    it('deletes the new key again when the old one cannot be disabled, so the old key keeps working alone', async () => {
      const { client } = await signIn(harness)
      const old = (await createBetterAuthApis(client).createPersonalApiKey({ name: 'keep', expiration: 'OneMonth' })).data!
      // The real server, but the network fails on the second step of the rotation.
      const failing = overriding(client, {
        update: (input) => (input.enabled === false ? Promise.reject(new TypeError('fetch failed')) : client.apiKey.update(input)),
      })
      const result = await outcome(as(await createBetterAuthApis(failing).rotatePersonalApiKey(old.apiKey.id)))
      expect(result).toMatchObject({ callback: 'unexpectedOrUnhandled', error: { userFacingError: 'The key could not be rotated, so your old key still works. Try again.' } })
      const keys = (await client.apiKey.list({})).data!.apiKeys
      expect(keys.map((key) => [key.id, key.enabled])).toEqual([[old.apiKey.id, true]])
      expect(await harness.server.whoAmI(old.token)).not.toBeNull()
    })

    it('says a new key may be left behind when undoing fails too', async () => {
      const { client } = await signIn(harness)
      const old = (await createBetterAuthApis(client).createPersonalApiKey({ name: 'keep', expiration: 'OneMonth' })).data!
      const offline = () => Promise.reject(new TypeError('fetch failed'))
      const failing = overriding(client, { update: (input) => (input.enabled === false ? offline() : client.apiKey.update(input)), delete: offline })
      const result = await outcome(as(await createBetterAuthApis(failing).rotatePersonalApiKey(old.apiKey.id)))
      expect(result.error?.userFacingError).toMatch(/new key named “keep” may have been left behind/)
      expect((await client.apiKey.list({})).data!.apiKeys).toHaveLength(2)
    })

    it('counts a lost answer to the disable as done when the old key is in fact disabled', async () => {
      const { client } = await signIn(harness)
      const old = (await createBetterAuthApis(client).createPersonalApiKey({ name: 'lost', expiration: 'OneMonth' })).data!
      const losing = overriding(client, {
        update: async (input) => {
          const answer = await client.apiKey.update(input)
          if (input.enabled === false) throw new TypeError('connection reset after the write')
          return answer
        },
      })
      const rotated = await createBetterAuthApis(losing).rotatePersonalApiKey(old.apiKey.id)
      expect(rotated.ok).toBe(true)
      expect(await harness.server.whoAmI(rotated.data!.token)).not.toBeNull()
      expect(await harness.server.whoAmI(old.token)).toBeNull()
    })

    it('with rotate: false, answers unexpectedOrUnhandled and changes nothing', async () => {
      const { client } = await signIn(harness)
      const apis = createBetterAuthApis(client, { rotate: false })
      const old = (await apis.createPersonalApiKey({ name: 'fixed', expiration: 'OneMonth' })).data!
      expect(await outcome(as(await apis.rotatePersonalApiKey(old.apiKey.id)))).toMatchObject({ callback: 'unexpectedOrUnhandled', error: { code: 'not_supported' } })
      expect((await apis.fetchPersonalApiKeys()).data!.items).toHaveLength(1)
    })
  })

  describe('errors', () => {
    it('UNAUTHORIZED and UNAUTHORIZED_SESSION: unauthorized, with patkit’s sentence', async () => {
      const apis = createBetterAuthApis(betterAuthClient({ baseURL: 'http://localhost', fetch: harness.server.fetch }))
      expect(await outcome(as(await apis.fetchPersonalApiKeys()))).toMatchObject({ callback: 'unauthorized', error: { status: 401, code: 'UNAUTHORIZED' } })
      expect(await outcome(as(await apis.createPersonalApiKey({ name: 'x', expiration: 'OneMonth' })))).toMatchObject({
        callback: 'unauthorized',
        error: { code: 'UNAUTHORIZED_SESSION', userFacingError: 'You are signed out. Sign in again to manage your API keys.' },
      })
    })

    it("FORBIDDEN from the app's own hook: noPersonalApiKeyPermission with the app's sentence", async () => {
      const { client } = await signIn(harness, `noperm-${crypto.randomUUID()}@example.com`)
      expect(await outcome(as(await createBetterAuthApis(client).fetchPersonalApiKeys()))).toMatchObject({
        callback: 'noPersonalApiKeyPermission',
        error: { status: 403, userFacingError: 'You do not have permission to manage API keys.' },
      })
    })

    it('KEY_NOT_FOUND: apiKeyNotFound on revoke, rename and rotate', async () => {
      const { client } = await signIn(harness)
      const apis = createBetterAuthApis(client)
      for (const response of [await apis.revokePersonalApiKey('nope'), await apis.updatePersonalApiKey('nope', { name: 'x' }), await apis.rotatePersonalApiKey('nope')]) {
        expect(await outcome(as(response))).toMatchObject({ callback: 'apiKeyNotFound', error: { status: 404, code: 'KEY_NOT_FOUND' } })
      }
    })

    it('MISSING_OR_NULL_ORIGIN (a cookie POST without Origin): unexpectedOrUnhandled, not a permission problem', async () => {
      // A transport that drops the Origin header the browser would send.
      const withoutOrigin = betterAuthClient({
        baseURL: 'http://localhost',
        fetch: (request) => {
          const copy = new Request(request)
          copy.headers.delete('Origin')
          return harness.server.fetch(copy)
        },
      })
      const signUp = await withoutOrigin.signUp.email({ email: `o-${crypto.randomUUID()}@example.com`, password: 'correct horse battery', name: 'O' })
      expect(signUp.error).toBeNull()
      const response = await createBetterAuthApis(withoutOrigin).createPersonalApiKey({ name: 'x', expiration: 'OneMonth' })
      expect(await outcome(as(response))).toMatchObject({
        callback: 'unexpectedOrUnhandled',
        error: { status: 403, code: 'MISSING_OR_NULL_ORIGIN', userFacingError: expect.stringMatching(/refused a request from this page/) },
      })
    })

    it('a connection refused, an HTML page, a 500 page and a hung server: unexpectedOrUnhandled with a sentence, never a rejection', async () => {
      const html = await hostileServer(() => new Response('<html>Sign in to the proxy</html>', { headers: { 'Content-Type': 'text/html' } }))
      const crash = await hostileServer(() => new Response('Error: boom\n    at stack (file.js:1:1)', { status: 500 }))
      const hung = await hostileServer(() => new Promise<Response>(() => {}))
      const refused = await hostileServer(() => new Response(null))
      await refused.close()
      try {
        const cases: [url: string, code: string | null, timeoutMs?: number][] = [
          [refused.url, 'network_error'],
          [html.url, 'invalid_response'],
          [crash.url, null],
          [hung.url, 'timeout', 300],
        ]
        for (const [url, code, timeoutMs] of cases) {
          const apis = createBetterAuthApis(betterAuthClient({ baseURL: url }), timeoutMs ? { timeoutMs } : {})
          const result = await outcome(as(await apis.fetchPersonalApiKeys()))
          expect(result, url).toMatchObject({ callback: 'unexpectedOrUnhandled', error: { code } })
          expect(result.error!.userFacingError).toMatch(/^[A-Z].+\.$/)
          expect(result.error!.userFacingError).not.toMatch(/boom|stack|</)
        }
      } finally {
        await Promise.all([html.close(), crash.close(), hung.close()])
      }
    })

    it("a caller's abort: unexpectedOrUnhandled with code aborted", async () => {
      const { client } = await signIn(harness)
      const controller = new AbortController()
      controller.abort()
      const result = await outcome(as(await createBetterAuthApis(client).fetchPersonalApiKeys({}, { signal: controller.signal })))
      expect(result).toMatchObject({ callback: 'unexpectedOrUnhandled', error: { code: 'aborted' } })
    })

    it('a client configured to throw (better-fetch throw: true) still resolves with the mapped error', async () => {
      const { client } = await signIn(harness)
      // As if the app's client had fetchOptions: { throw: true } and overrode the adapter's throw: false.
      const throwing = overriding(client, {
        get: (input) => client.apiKey.get({ ...input, fetchOptions: { ...input.fetchOptions, throw: true } }),
        update: (input) => client.apiKey.update({ ...input, fetchOptions: { ...input.fetchOptions, throw: true } }),
      })
      const apis = createBetterAuthApis(throwing)
      expect(await outcome(as(await apis.revokePersonalApiKey('nope')))).toMatchObject({ callback: 'apiKeyNotFound', error: { status: 404 } })
      const { apiKey } = (await apis.createPersonalApiKey({ name: 'thrown', expiration: 'OneMonth' })).data!
      expect((await apis.revokePersonalApiKey(apiKey.id)).data).toMatchObject({ id: apiKey.id, status: 'revoked' })
    })
  })
})

describe('createBetterAuthApis with a server that caps lifetimes and rate-limits', () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startServer({ keyExpiration: { maxExpiresIn: 100 } }, { apiKeyCreatesPerMinute: 2 })
  }, 60_000)
  afterAll(() => harness?.close())

  const options: BetterAuthApisOptions = { keyExpiration: { maxExpiresIn: 100 } }

  it('offers only the presets within the cap', async () => {
    const { client } = await signIn(harness)
    expect((await createBetterAuthApis(client, options).fetchPersonalApiKeyPolicy()).data!.expirationOptions).toEqual(['TwoWeeks', 'OneMonth', 'ThreeMonths', 'Never'])
  })

  it("429 from Better Auth's rate limiter: rateLimited, with the wait from X-Retry-After", async () => {
    const { client } = await signIn(harness)
    const apis = createBetterAuthApis(client, options)
    for (const name of ['one', 'two']) expect((await apis.createPersonalApiKey({ name, expiration: 'OneMonth' })).ok).toBe(true)
    const result = await outcome(as(await apis.createPersonalApiKey({ name: 'three', expiration: 'OneMonth' })))
    expect(result).toMatchObject({ callback: 'rateLimited', error: { status: 429 } })
    expect(result.error!.retryAfterSeconds).toBeGreaterThan(0)
    expect(result.error!.retryAfterSeconds).toBeLessThanOrEqual(60)
  })
})

describe('createBetterAuthApis with a server that sets every expiry itself (disableCustomExpiresTime)', () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startServer({ keyExpiration: { disableCustomExpiresTime: true, defaultExpiresIn: 7 * 86_400 } })
  }, 60_000)
  afterAll(() => harness?.close())

  it('offers one option, declares no custom dates, and lets the server apply its default', async () => {
    const { client } = await signIn(harness)
    const apis = createBetterAuthApis(client, { keyExpiration: { disableCustomExpiresTime: true }, expirationOptions: ['OneMonth'] })
    expect(resolveCapabilities(apis).customExpiration).toBe(false)
    expect((await apis.fetchPersonalApiKeyPolicy()).data).toMatchObject({ expirationOptions: ['OneMonth'], defaultExpiration: 'OneMonth', allowCustomExpiration: false })
    const created = (await apis.createPersonalApiKey({ name: 'server default', expiration: 'OneMonth' })).data!
    const lifetime = Date.parse(created.apiKey.expiresAt!) - Date.parse(created.apiKey.createdAt)
    expect(Math.abs(lifetime - 7 * DAY_MS)).toBeLessThan(5_000)
  })

  it("maps KEY_DISABLED_EXPIRATION (the adapter was not told) to invalidExpirationOption", async () => {
    const { client } = await signIn(harness)
    const response = await createBetterAuthApis(client).createPersonalApiKey({ name: 'mine', expiration: 'TwoWeeks' })
    expect(await outcome(as(response))).toMatchObject({ callback: 'invalidExpirationOption', error: { code: 'KEY_DISABLED_EXPIRATION' } })
  })
})

describe('createBetterAuthApis options', () => {
  const client = { apiKey: {} } as BetterAuthApiKeyClient
  it('refuses at once options that could never work', () => {
    expect(() => createBetterAuthApis(client, { expirationOptions: [] })).toThrow(/expirationOptions/)
    expect(() => createBetterAuthApis(client, { expirationOptions: ['OneMonth'], defaultExpiration: 'Never' })).toThrow(/defaultExpiration/)
    expect(() => createBetterAuthApis(client, { keyExpiration: { minExpiresIn: 30, maxExpiresIn: 7 } })).toThrow(/keyExpiration/)
    expect(() => createBetterAuthApis(client, { organizations: { configId: '' } })).toThrow(/organizations.configId/)
    expect(() => createBetterAuthApis(client, { organizations: { configId: 'organization', expirationOptions: [] } })).toThrow(/expirationOptions/)
  })

  it('has organization keys only when told the configuration: without it, no org methods and forOrganization refuses', () => {
    const personal = createBetterAuthApis(client)
    expect(resolveCapabilities(personal).organizations).toBe(false)
    expect(personal.createOrgApiKey).toBeUndefined()
    expect(() => forOrganization(personal, 'acme')).toThrow(/no organization API key methods/)
    expect(resolveCapabilities(createBetterAuthApis(client, { organizations: { configId: 'organization' } })).organizations).toBe(true)
  })
})

describe('createBetterAuthApis on organization keys (the organization plugin decides)', () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startServer()
  }, 60_000)
  afterAll(() => harness?.close())

  const withOrganizations = (client: BetterAuthApiKeyClient) => createBetterAuthApis(client, { organizations: { configId: ORGANIZATION_KEYS } })

  it("maps Better Auth's refusals: USER_NOT_MEMBER_OF_ORGANIZATION to orgNotFound, INSUFFICIENT_API_KEY_PERMISSIONS to noOrgApiKeyPermission", async () => {
    const [owner, member, stranger] = await Promise.all([signIn(harness), signIn(harness), signIn(harness)])
    const orgId = await harness.server.createOrganization(owner.userId, [{ userId: member.userId, role: 'member' }])
    const created = await withOrganizations(owner.client).createOrgApiKey!(orgId, { name: 'deploy', expiration: 'OneMonth' })
    expect(created.data?.apiKey.owner).toEqual({ type: 'organization', id: orgId })
    const refusedMember = await withOrganizations(member.client).revokeOrgApiKey!(orgId, created.data!.apiKey.id)
    expect(refusedMember.error).toMatchObject({
      kind: 'noOrgApiKeyPermission',
      status: 403,
      code: 'INSUFFICIENT_API_KEY_PERMISSIONS',
      userFacingError: 'You do not have permission to manage this organization’s API keys.',
    })
    const refusedStranger = await withOrganizations(stranger.client).fetchOrgApiKeys!(orgId)
    expect(refusedStranger.error).toMatchObject({ kind: 'orgNotFound', status: 403, code: 'USER_NOT_MEMBER_OF_ORGANIZATION' })
    // An organization's key is none of its creator's personal keys, whatever the call.
    const asPersonal = await withOrganizations(owner.client).revokePersonalApiKey(created.data!.apiKey.id)
    expect(asPersonal.error?.kind).toBe('apiKeyNotFound')
    expect((await harness.server.whoAmI(created.data!.token))?.owner).toEqual({ type: 'organization', id: orgId })
    // Three sign-ups hash three passwords (scrypt, slow on purpose): seconds on a loaded machine.
  }, 60_000)

  it('a key of an organization the user does not belong to, named under their own: apiKeyNotFound (one list call tells it from a non-member)', async () => {
    const [alice, gina] = await Promise.all([signIn(harness), signIn(harness)])
    const [acme, globex] = await Promise.all([harness.server.createOrganization(alice.userId), harness.server.createOrganization(gina.userId)])
    const acmeKey = (await withOrganizations(alice.client).createOrgApiKey!(acme, { name: 'acme key', expiration: 'OneMonth' })).data!.apiKey
    const ginas = withOrganizations(gina.client)
    expect((await ginas.revokeOrgApiKey!(globex, acmeKey.id)).error?.kind).toBe('apiKeyNotFound')
    expect((await ginas.updateOrgApiKey!(globex, acmeKey.id, { name: 'mine' })).error?.kind).toBe('apiKeyNotFound')
    expect((await ginas.revokeOrgApiKey!(acme, acmeKey.id)).error?.kind).toBe('orgNotFound')
    const listed = await withOrganizations(alice.client).fetchOrgApiKeys!(acme)
    expect(listed.data?.items.map((key) => [key.name, key.status])).toEqual([['acme key', 'active']])
  }, 60_000)
})
