import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient, forOrganization, type ApiError, type AuthFrontendApis } from '../../src/client/index.ts'
import { referenceServerForAlice, startServer, type TestServer } from './http-server.ts'

/**
 * Ids that would not stay the key's own path segment, against the reference server on a real socket:
 * `revoke('..')` used to send `DELETE /v1/`, and `rotate('..')` `POST /v1/rotate`.
 */
let server: TestServer
let api: AuthFrontendApis
beforeAll(async () => {
  const reference = referenceServerForAlice()
  server = await startServer((request) => reference.fetch(request))
  api = createHttpClient({ baseUrl: server.url })
})
afterAll(() => server.close())

const LONE_SURROGATE = 'key-\uD800'
const UNSENDABLE = ['', '.', '..', LONE_SURROGATE]

/** Which callback ran: `badRequest` is in each of these calls' tables. */
const ROUTE = {
  success: () => 'success',
  badRequest: (error: ApiError<'badRequest'>) => error,
  unexpectedOrUnhandled: (error: ApiError) => error,
}

const KEY_CALLS = {
  revokePersonalApiKey: async (id: string) => (await api.revokePersonalApiKey(id)).handle(ROUTE),
  rotatePersonalApiKey: async (id: string) => (await api.rotatePersonalApiKey(id)).handle(ROUTE),
  updatePersonalApiKey: async (id: string) => (await api.updatePersonalApiKey(id, { name: 'renamed' })).handle(ROUTE),
}

describe('key ids the client refuses to send', () => {
  for (const [name, call] of Object.entries(KEY_CALLS)) {
    it(`${name} answers badRequest for "", ".", ".." and ill-formed text, sending nothing`, async () => {
      server.forget()
      for (const id of UNSENDABLE) {
        expect(await call(id), JSON.stringify(id)).toMatchObject({
          kind: 'badRequest',
          status: null,
          code: 'invalid_api_key_id',
          userFacingError: 'That is not the id of an API key.',
          fieldErrors: { id: 'That is not the id of an API key.' },
        })
      }
      expect(server.received).toEqual([])
    })
  }

  it('leaves the keys alone: a refused revoke changes nothing on the server', async () => {
    server.forget()
    const created = await api.createPersonalApiKey({ name: 'keep me', expiration: 'OneMonth' })
    expect(created.ok).toBe(true)
    await api.revokePersonalApiKey('..')
    await api.rotatePersonalApiKey('.')
    const page = await api.fetchPersonalApiKeys()
    expect(page.data?.items.map((key) => [key.name, key.status])).toEqual([['keep me', 'active']])
    expect(server.received.map((request) => request.method)).toEqual(['POST', 'GET'])
  })

  it('refuses the same organization ids on every organization call, sending nothing', async () => {
    server.forget()
    const ORG_CALLS = [
      (orgId: string) => api.createOrgApiKey!(orgId, { name: 'k' }),
      (orgId: string) => api.fetchOrgApiKeys!(orgId),
      (orgId: string) => api.fetchOrgApiKeyPolicy!(orgId),
      (orgId: string) => api.revokeOrgApiKey!(orgId, 'key-1'),
      (orgId: string) => api.rotateOrgApiKey!(orgId, 'key-1'),
      (orgId: string) => api.updateOrgApiKey!(orgId, 'key-1', { name: 'n' }),
    ]
    for (const call of ORG_CALLS) {
      for (const orgId of UNSENDABLE) {
        expect((await call(orgId)).error, JSON.stringify(orgId)).toMatchObject({
          kind: 'badRequest',
          status: null,
          code: 'invalid_organization_id',
          fieldErrors: { orgId: 'That is not the id of an organization.' },
        })
      }
    }
    // A good organization and a bad key id: the key id is refused.
    expect((await api.revokeOrgApiKey!('acme', '..')).error).toMatchObject({ code: 'invalid_api_key_id' })
    expect(server.received).toEqual([])
  })

  it('sends organization ids encoded as one segment, also through forOrganization', async () => {
    server.forget()
    await api.fetchOrgApiKeys!('a/b?c#d')
    await forOrganization(api, 'é ..').revokePersonalApiKey('...')
    expect(server.received.map((request) => `${request.method} ${request.target}`)).toEqual([
      'GET /v1/organizations/a%2Fb%3Fc%23d/api-keys',
      'DELETE /v1/organizations/%C3%A9%20../api-keys/...',
    ])
  })

  it('still sends ids with dots that are not dot segments, encoded', async () => {
    server.forget()
    const response = await api.revokePersonalApiKey('...')
    expect(response.error).toMatchObject({ kind: 'apiKeyNotFound', status: 404 })
    expect(server.received.map((request) => request.target)).toEqual(['/v1/personal-access-tokens/...'])
  })
})
