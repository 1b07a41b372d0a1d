import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createHttpClient, type AuthFrontendApis } from '../../src/client/index.ts'
import { referenceServerForAlice, startServer, type TestServer } from './http-server.ts'

/**
 * Success bodies are checked in full before they reach `success`. The reference server answers for
 * real; a proxy in front of it spoils one field of its success body, as an older server, a broken
 * adapter or a proxy rewriting JSON would.
 */
type Json = Record<string, unknown>
let spoil: ((body: Json) => void) | null = null
let server: TestServer
let api: AuthFrontendApis

beforeAll(async () => {
  const reference = referenceServerForAlice({ policy: { scopes: [{ id: 'read', description: 'Read' }] }, rateLimit: false })
  server = await startServer(async (request) => {
    const answer = await reference.fetch(request)
    if (!answer.ok || !spoil) return answer
    const body = (await answer.json()) as Json
    spoil(body)
    const headers = new Headers(answer.headers)
    headers.delete('Content-Length')
    return new Response(JSON.stringify(body), { status: answer.status, headers })
  })
  api = createHttpClient({ baseUrl: server.url })
})
afterAll(() => server.close())

beforeEach(() => {
  spoil = null
})

/** A new active key, created unspoiled: rotate and revoke use one up. */
async function freshKey(): Promise<string> {
  const spoiling = spoil
  spoil = null
  const created = await api.createPersonalApiKey({ name: `key ${crypto.randomUUID()}`, expiration: 'OneMonth', scopes: ['read'] })
  spoil = spoiling
  return created.data!.apiKey.id
}

/** The key inside each answer's body, whatever the call. */
const data = (body: Json) => body.data as Json
const CALLS_RETURNING_A_KEY: Record<string, { call: () => Promise<{ ok: boolean; error?: { code: string | null } }>; key: (body: Json) => Json }> = {
  createPersonalApiKey: { call: () => api.createPersonalApiKey({ name: `new ${crypto.randomUUID()}`, expiration: 'OneMonth' }), key: (b) => data(b).apiKey as Json },
  rotatePersonalApiKey: { call: async () => api.rotatePersonalApiKey(await freshKey()), key: (b) => data(b).apiKey as Json },
  revokePersonalApiKey: { call: async () => api.revokePersonalApiKey(await freshKey()), key: data },
  updatePersonalApiKey: { call: async () => api.updatePersonalApiKey(await freshKey(), { name: `renamed ${crypto.randomUUID()}` }), key: data },
  fetchPersonalApiKeys: { call: () => api.fetchPersonalApiKeys(), key: (b) => (b.items as Json[])[0]! },
}

const BAD_KEYS: [string, (key: Json) => void][] = [
  ['without id', (key) => delete key.id],
  ['with an empty id', (key) => (key.id = '')],
  ['with a numeric id', (key) => (key.id = 7)],
  ['without name', (key) => delete key.name],
  ['without start', (key) => delete key.start],
  ['without scopes', (key) => delete key.scopes],
  ['with scopes that are not strings', (key) => (key.scopes = [1])],
  ['with status "bogus"', (key) => (key.status = 'bogus')],
  ['without createdAt', (key) => delete key.createdAt],
  ['with createdAt null', (key) => (key.createdAt = null)],
  ['with createdAt "yesterday"', (key) => (key.createdAt = 'yesterday')],
  ['with createdAt on 30 February', (key) => (key.createdAt = '2030-02-30T00:00:00.000Z')],
  ['with createdAt in no time zone', (key) => (key.createdAt = '2030-01-01T00:00:00')],
  ['without expiresAt', (key) => delete key.expiresAt],
  ['with expiresAt as a number', (key) => (key.expiresAt = Date.now())],
  ['without lastUsedAt', (key) => delete key.lastUsedAt],
  ['without revokedAt', (key) => delete key.revokedAt],
  ['with revokedAt false', (key) => (key.revokedAt = false)],
  // The fields added later may be absent, but never of another type.
  ['with a numeric description', (key) => (key.description = 5)],
  ['with an owner of an unknown type', (key) => (key.owner = { type: 'team', id: 't1' })],
  ['with an owner without an id', (key) => (key.owner = { type: 'organization' })],
  ['with createdBy without userId', (key) => (key.createdBy = { name: 'Alice' })],
  ['with createdBy.name a number', (key) => (key.createdBy = { userId: 'alice', name: 5 })],
  ['with an empty replacedBy', (key) => (key.replacedBy = '')],
  ['with replacedAt "soon"', (key) => (key.replacedAt = 'soon')],
]

describe('a success body that lacks a field of the contract goes to unexpectedOrUnhandled', () => {
  for (const [name, { call, key }] of Object.entries(CALLS_RETURNING_A_KEY)) {
    it(`${name}: every field of the key, with its type`, async () => {
      for (const [what, change] of BAD_KEYS) {
        spoil = (body) => change(key(body))
        const response = await call()
        expect(response.error?.code, `${name}, a key ${what}`).toBe('invalid_response')
      }
    })
  }

  it('createPersonalApiKey and rotatePersonalApiKey: a token', async () => {
    for (const change of [(b: Json) => delete data(b).token, (b: Json) => (data(b).token = ''), (b: Json) => (data(b).token = 42)]) {
      spoil = change
      expect((await api.createPersonalApiKey('OneMonth')).error?.code).toBe('invalid_response')
      expect((await api.rotatePersonalApiKey(await freshKey())).error?.code).toBe('invalid_response')
    }
  })

  it('rotatePersonalApiKey: the previous key in full, with its grace period', async () => {
    const previous = (b: Json) => data(b).previous as Json
    for (const change of [
      (b: Json) => delete data(b).previous,
      (b: Json) => delete previous(b).id,
      (b: Json) => delete previous(b).revokedAt,
      (b: Json) => (previous(b).status = 'replaced'),
      (b: Json) => delete previous(b).gracePeriod,
      (b: Json) => (previous(b).gracePeriod = 'Forever'),
    ]) {
      spoil = change
      expect((await api.rotatePersonalApiKey(await freshKey())).error?.code).toBe('invalid_response')
    }
  })

  it('fetchPersonalApiKeys: totalCount, nextCursor and every status facet', async () => {
    const facets = (b: Json) => (b.facets as { status: Json }).status
    for (const change of [
      (b: Json) => (b.totalCount = '1'),
      (b: Json) => (b.totalCount = -1),
      (b: Json) => (b.totalCount = 1.5),
      (b: Json) => (b.nextCursor = 5),
      (b: Json) => delete b.nextCursor,
      (b: Json) => delete facets(b).revoked,
      (b: Json) => (facets(b).active = null),
      (b: Json) => (b.items = {}),
    ]) {
      spoil = change
      expect((await api.fetchPersonalApiKeys()).error?.code, String(change)).toBe('invalid_response')
    }
  })

  it('fetchPersonalApiKeyPolicy: every field, with known expiration options', async () => {
    for (const change of [
      (b: Json) => (data(b).defaultExpiration = 'Forever'),
      (b: Json) => (data(b).expirationOptions = ['OneMonth', 'Soon']),
      (b: Json) => (data(b).allowCustomExpiration = 'yes'),
      (b: Json) => (data(b).maxLifetimeDays = 0),
      (b: Json) => delete data(b).maxLifetimeDays,
      (b: Json) => (data(b).scopes = [{ id: 'read' }]),
      (b: Json) => delete data(b).nameMaxLength,
      (b: Json) => delete data(b).descriptionMaxLength,
      (b: Json) => (data(b).descriptionMaxLength = '500'),
      (b: Json) => delete data(b).gracePeriodOptions,
      (b: Json) => (data(b).gracePeriodOptions = ['OneHour', 'OneDay']),
      (b: Json) => (data(b).gracePeriodOptions = ['None', 'Soon']),
    ]) {
      spoil = change
      expect((await api.fetchPersonalApiKeyPolicy()).error?.code, String(change)).toBe('invalid_response')
    }
  })
})

describe('a success body of the contract reaches success', () => {
  it('as the reference server sends it, on every call', async () => {
    expect((await api.fetchPersonalApiKeyPolicy()).ok).toBe(true)
    expect((await api.fetchPersonalApiKeys()).ok).toBe(true)
    const keyId = await freshKey()
    expect((await api.updatePersonalApiKey(keyId, { name: `renamed ${crypto.randomUUID()}` })).ok).toBe(true)
    const rotated = await api.rotatePersonalApiKey(keyId)
    expect(rotated.ok).toBe(true)
    expect((await api.revokePersonalApiKey(rotated.data!.apiKey.id)).ok).toBe(true)
  })

  it('with fields the contract does not name (a newer server) and dates with an offset (another backend)', async () => {
    spoil = (body) => {
      const key = data(body)
      key.colour = 'added later'
      key.createdAt = '2030-01-01T09:00:00+09:00'
      key.expiresAt = '2030-02-01T00:00:00Z'
    }
    const response = await api.updatePersonalApiKey(await freshKey(), { name: `renamed ${crypto.randomUUID()}` })
    expect(response.data).toMatchObject({ colour: 'added later', createdAt: '2030-01-01T09:00:00+09:00' })
  })

  it('without the fields added later (a backend that predates descriptions, owners and rotation grace)', async () => {
    spoil = (body) => {
      for (const key of [data(body), data(body).apiKey as Json].filter(Boolean)) {
        for (const field of ['description', 'owner', 'createdBy', 'replacedBy', 'replacedAt']) delete key[field]
      }
    }
    const updated = await api.updatePersonalApiKey(await freshKey(), { name: `renamed ${crypto.randomUUID()}` })
    expect(updated.ok).toBe(true)
    expect(updated.data).not.toHaveProperty('owner')
    expect((await api.createPersonalApiKey({ name: `bare ${crypto.randomUUID()}` })).ok).toBe(true)
  })
})
