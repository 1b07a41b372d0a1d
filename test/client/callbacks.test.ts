import { describe, expect, it } from 'vitest'
import { createHttpClient, type ApiError, type AuthFrontendApis } from '../../src/client/index.ts'
import {
  createReferenceServer,
  fixedWindowRateLimiter,
  memoryStore,
  type ReferenceServerOptions,
} from '../../src/server/index.ts'

/**
 * The client against the real reference handler, in process: every row of DESIGN.md's callback
 * table is produced by the server itself, not by a hand-written answer.
 */
function setup(session: string | null = 'alice', options: Partial<ReferenceServerOptions> = {}) {
  const store = memoryStore()
  const server = createReferenceServer({
    store,
    authenticate: async (request) => {
      const match = /^Bearer (noperm-)?(.+)$/.exec(request.headers.get('Authorization') ?? '')
      return match ? { userId: match[2]!, canManagePersonalApiKeys: !match[1] } : null
    },
    policy: { scopes: [{ id: 'read', description: 'Read' }] },
    ...options,
  })
  const as = (user: string | null): AuthFrontendApis =>
    createHttpClient({ baseUrl: 'https://api.test/', fetch: (request) => server.fetch(request), getAccessToken: () => user })
  return { server, store, client: as(session), as }
}

type Outcome = { callback: string; error?: ApiError; data?: unknown }

const record = {
  success: (data: unknown): Outcome => ({ callback: 'success', data }),
  unexpectedOrUnhandled: (error: ApiError): Outcome => ({ callback: 'unexpectedOrUnhandled', error }),
}
function specific(name: string) {
  return (error: ApiError): Outcome => ({ callback: name, error })
}

describe('handle() routes each answer of the reference server to its callback', () => {
  it('success: create resolves with the key and its token once', async () => {
    const { client, server } = setup()
    const response = await client.createPersonalApiKey({ name: 'CI deploys', expiration: 'OneMonth', scopes: ['read'] })
    const token = await response.handle({ success: (data) => data.token, unexpectedOrUnhandled: () => null })
    expect(token).toMatch(/^pat_[0-9A-Za-z]{38}$/)
    const me = await server.fetch(new Request('https://api.test/v1/me', { headers: { Authorization: `Bearer ${token}` } }))
    expect(me.status).toBe(200)
  })

  it("success: the seed's createPersonalApiKey('Never') works without a name", async () => {
    const { client } = setup()
    const response = await client.createPersonalApiKey('Never')
    const apiKey = await response.handle({ success: (data) => data.apiKey, unexpectedOrUnhandled: () => null })
    expect(apiKey?.expiresAt).toBeNull()
    expect(apiKey?.name).toMatch(/^API key pat_/)
  })

  it('invalidExpirationOption: 400 invalid_expiration_option on create', async () => {
    const { client } = setup('alice', { policy: { maxLifetimeDays: 30, expirationOptions: ['TwoWeeks', 'OneMonth'] } })
    const response = await client.createPersonalApiKey('Never')
    const outcome = await response.handle({ ...record, invalidExpirationOption: specific('invalidExpirationOption') })
    expect(outcome.callback).toBe('invalidExpirationOption')
    expect(outcome.error).toMatchObject({ status: 400, code: 'invalid_expiration_option' })
    expect(outcome.error?.userFacingError).toMatch(/\w+ \w+/)
  })

  it('invalidExpirationOption: on rotate, a custom date beyond the cap', async () => {
    const { client } = setup('alice', { policy: { maxLifetimeDays: 30, expirationOptions: ['TwoWeeks'] } })
    const created = await client.createPersonalApiKey({ name: 'k', expiration: 'TwoWeeks' })
    const far = new Date(Date.now() + 90 * 86_400_000).toISOString()
    const response = await client.rotatePersonalApiKey(created.data!.apiKey.id, { expiration: { expiresAt: far } })
    const outcome = await response.handle({ ...record, invalidExpirationOption: specific('invalidExpirationOption') })
    expect(outcome.callback).toBe('invalidExpirationOption')
  })

  it('badRequest: 400 with field errors, keyed by field name', async () => {
    const { client } = setup('alice', { policy: { nameMaxLength: 10 } })
    const response = await client.createPersonalApiKey({ name: 'x'.repeat(11), expiration: 'OneMonth' })
    const outcome = await response.handle({ ...record, badRequest: specific('badRequest') })
    expect(outcome.callback).toBe('badRequest')
    expect(outcome.error?.fieldErrors?.name).toMatch(/10/)
  })

  it('badRequest: on update (empty name) and on fetch (bad sort)', async () => {
    const { client } = setup()
    const created = await client.createPersonalApiKey({ name: 'k', expiration: 'OneMonth' })
    const update = await client.updatePersonalApiKey(created.data!.apiKey.id, { name: '   ' })
    expect(await update.handle({ ...record, badRequest: specific('badRequest') })).toMatchObject({ callback: 'badRequest' })
    const list = await client.fetchPersonalApiKeys({ sort: 'colour' as never })
    expect(await list.handle({ ...record, badRequest: specific('badRequest') })).toMatchObject({ callback: 'badRequest' })
  })

  it('unauthorized: 401 when signed out', async () => {
    const { client } = setup(null)
    const response = await client.fetchPersonalApiKeys()
    const outcome = await response.handle({ ...record, unauthorized: specific('unauthorized') })
    expect(outcome).toMatchObject({ callback: 'unauthorized', error: { status: 401 } })
  })

  it('noPersonalApiKeyPermission: 403 for a user without the permission', async () => {
    const { client } = setup('noperm-bob')
    const response = await client.createPersonalApiKey('OneMonth')
    const outcome = await response.handle({ ...record, noPersonalApiKeyPermission: specific('noPersonalApiKeyPermission') })
    expect(outcome).toMatchObject({ callback: 'noPersonalApiKeyPermission', error: { status: 403 } })
  })

  it('personalApiKeysDisabled: 403 personal_api_keys_disabled', async () => {
    const { client } = setup('alice', { policy: { enabled: false } })
    const response = await client.fetchPersonalApiKeyPolicy()
    const outcome = await response.handle({ ...record, personalApiKeysDisabled: specific('personalApiKeysDisabled') })
    expect(outcome).toMatchObject({ callback: 'personalApiKeysDisabled', error: { code: 'personal_api_keys_disabled' } })
  })

  it("apiKeyNotFound: 404 for another user's key on revoke, rotate and update", async () => {
    const { client, as } = setup()
    const created = await client.createPersonalApiKey({ name: 'mine', expiration: 'OneMonth' })
    const mallory = as('mallory')
    const id = created.data!.apiKey.id
    const notFound = { ...record, apiKeyNotFound: specific('apiKeyNotFound') }
    const expected = { callback: 'apiKeyNotFound', error: { status: 404 } }
    expect(await (await mallory.revokePersonalApiKey(id)).handle(notFound)).toMatchObject(expected)
    expect(await (await mallory.rotatePersonalApiKey(id)).handle(notFound)).toMatchObject(expected)
    expect(await (await mallory.updatePersonalApiKey(id, { name: 'stolen' })).handle(notFound)).toMatchObject(expected)
  })

  it('conflict: 409 name_taken on create', async () => {
    const { client } = setup()
    await client.createPersonalApiKey({ name: 'deploy', expiration: 'OneMonth' })
    const response = await client.createPersonalApiKey({ name: '  deploy ', expiration: 'OneMonth' })
    const outcome = await response.handle({ ...record, conflict: specific('conflict') })
    expect(outcome).toMatchObject({ callback: 'conflict', error: { code: 'name_taken' } })
  })

  it('conflict: 409 already_revoked on rotate', async () => {
    const { client } = setup()
    const created = await client.createPersonalApiKey({ name: 'old', expiration: 'OneMonth' })
    await client.revokePersonalApiKey(created.data!.apiKey.id)
    const response = await client.rotatePersonalApiKey(created.data!.apiKey.id)
    expect(await response.handle({ ...record, conflict: specific('conflict') })).toMatchObject({
      callback: 'conflict',
      error: { code: 'already_revoked' },
    })
  })

  it('conflict: 409 token_limit_reached', async () => {
    const { client } = setup('alice', { maxActiveKeys: 1 })
    await client.createPersonalApiKey({ name: 'one', expiration: 'OneMonth' })
    const response = await client.createPersonalApiKey({ name: 'two', expiration: 'OneMonth' })
    expect(await response.handle({ ...record, conflict: specific('conflict') })).toMatchObject({
      error: { code: 'token_limit_reached' },
    })
  })

  it('conflict: 409 on update to a name that is taken', async () => {
    const { client } = setup()
    await client.createPersonalApiKey({ name: 'a', expiration: 'OneMonth' })
    const b = await client.createPersonalApiKey({ name: 'b', expiration: 'OneMonth' })
    const response = await client.updatePersonalApiKey(b.data!.apiKey.id, { name: 'a' })
    expect(await response.handle({ ...record, conflict: specific('conflict') })).toMatchObject({ callback: 'conflict' })
  })

  it('rateLimited: 429 with retryAfterSeconds from the server', async () => {
    const { client } = setup('alice', { rateLimit: fixedWindowRateLimiter({ limit: 1, windowMs: 60_000 }) })
    await client.createPersonalApiKey({ name: 'first', expiration: 'OneMonth' })
    const response = await client.createPersonalApiKey({ name: 'second', expiration: 'OneMonth' })
    const outcome = await response.handle({ ...record, rateLimited: specific('rateLimited') })
    expect(outcome.callback).toBe('rateLimited')
    expect(outcome.error?.retryAfterSeconds).toBeGreaterThan(0)
    expect(outcome.error?.retryAfterSeconds).toBeLessThanOrEqual(60)
  })

  it('unexpectedOrUnhandled: a 500 from a failing store, without internals', async () => {
    const { client, store } = setup()
    store.listKeys = async () => {
      throw new Error('connection to db-7.internal refused')
    }
    const response = await client.fetchPersonalApiKeys()
    const outcome = await response.handle(record)
    expect(outcome.callback).toBe('unexpectedOrUnhandled')
    expect(outcome.error?.status).toBe(500)
    expect(outcome.error?.userFacingError).toBe('Something went wrong on our side. Try again in a moment.')
    expect(outcome.error?.requestId).toBeTruthy()
  })

  it('unexpectedOrUnhandled: a specific error without its callback falls back', async () => {
    const { client } = setup(null)
    const response = await client.revokePersonalApiKey('whatever')
    const outcome = await response.handle(record)
    expect(outcome).toMatchObject({ callback: 'unexpectedOrUnhandled', error: { kind: 'unauthorized', status: 401 } })
  })

  it('success: list, policy, revoke, rotate and rename round-trip', async () => {
    const { client } = setup()
    const created = await client.createPersonalApiKey({ name: 'ci', expiration: 'OneMonth' })
    const id = created.data!.apiKey.id
    const renamed = await client.updatePersonalApiKey(id, { name: 'ci-2' })
    expect(renamed.data?.name).toBe('ci-2')
    const rotated = await client.rotatePersonalApiKey(id, { expiration: 'TwoWeeks' })
    expect(rotated.data?.previous.id).toBe(id)
    expect(rotated.data?.apiKey.name).toBe('ci-2')
    const revoked = await client.revokePersonalApiKey(rotated.data!.apiKey.id)
    expect(revoked.data?.status).toBe('revoked')
    const page = await client.fetchPersonalApiKeys({ status: 'revoked' })
    expect(page.data?.items.map((key) => key.id).sort()).toEqual([id, rotated.data!.apiKey.id].sort())
    expect(page.data?.facets.status).toEqual({ active: 0, expired: 0, revoked: 2 })
    const policy = await client.fetchPersonalApiKeyPolicy()
    expect(policy.data?.scopes).toEqual([{ id: 'read', description: 'Read' }])
  })
})
