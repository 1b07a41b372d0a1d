import { describe, expect, it } from 'vitest'
import { createHttpClient, forOrganization, type ApiError } from '../../src/client/index.ts'
import { createReferenceServer, fixedWindowRateLimiter, memoryStore, type ReferenceServerOptions } from '../../src/server/index.ts'
import { sessionAuthenticate } from '../server/helpers.ts'

/**
 * An organization's keys through the client, against the real reference handler in process: Alice
 * administers Acme and is a member of Globex, Bob is a member of Acme, Carol belongs to none, Gina
 * administers Globex (test/server/helpers.ts).
 */
function setup(options: Partial<ReferenceServerOptions> = {}) {
  const server = createReferenceServer({
    store: memoryStore(),
    authenticate: sessionAuthenticate,
    policy: { scopes: [{ id: 'read', description: 'Read' }] },
    ...options,
  })
  const as = (user: string | null) =>
    createHttpClient({ baseUrl: 'https://api.test', fetch: (request) => server.fetch(request), getAccessToken: () => (user ? `session-${user}` : null) })
  return { server, as }
}

type Outcome = { callback: string; error?: ApiError; data?: unknown }
const record = {
  success: (data: unknown): Outcome => ({ callback: 'success', data }),
  unexpectedOrUnhandled: (error: ApiError): Outcome => ({ callback: 'unexpectedOrUnhandled', error }),
}
const specific = (name: string) => (error: ApiError): Outcome => ({ callback: name, error })

describe('the organization methods route each answer to its callback', () => {
  it('success: an admin creates, lists, edits, rotates with a grace period and revokes; the key says whose it is', async () => {
    const alice = setup().as('alice')
    const created = await alice.createOrgApiKey('acme', { name: 'deploy', description: 'Deploys\nproduction', expiration: 'OneMonth', scopes: ['read'] })
    expect(created.data?.apiKey).toMatchObject({
      owner: { type: 'organization', id: 'acme' },
      createdBy: { userId: 'alice', name: 'Alice' },
      description: 'Deploys\nproduction',
    })
    const id = created.data!.apiKey.id
    expect((await alice.fetchOrgApiKeys('acme', { q: 'PRODUCTION' })).data?.items.map((key) => key.id)).toEqual([id])
    expect((await alice.updateOrgApiKey('acme', id, { description: null })).data).toMatchObject({ name: 'deploy', description: null })
    const rotated = await alice.rotateOrgApiKey('acme', id, { gracePeriod: 'OneDay' })
    expect(rotated.data?.previous).toMatchObject({ id, status: 'active', revokedAt: null, replacedBy: rotated.data?.apiKey.id, gracePeriod: 'OneDay' })
    expect((await alice.revokeOrgApiKey('acme', id)).data?.status).toBe('revoked')
    expect((await alice.fetchOrgApiKeyPolicy('acme')).data?.gracePeriodOptions).toEqual(['None', 'OneHour', 'OneDay', 'SevenDays'])
    // Her own keys are elsewhere.
    expect((await alice.fetchPersonalApiKeys()).data?.totalCount).toBe(0)
  })

  it('noOrgApiKeyPermission: a member may list but not create, edit, rotate or revoke', async () => {
    const { as } = setup()
    const { id } = (await as('alice').createOrgApiKey('acme', { name: 'deploy' })).data!.apiKey
    const bob = as('bob')
    expect((await bob.fetchOrgApiKeys('acme')).data?.items).toHaveLength(1)
    const refused = { ...record, noOrgApiKeyPermission: specific('noOrgApiKeyPermission') }
    const expected = {
      callback: 'noOrgApiKeyPermission',
      error: { status: 403, code: 'no_org_api_key_permission', userFacingError: 'You do not have permission to manage this organization’s API keys.' },
    }
    expect(await (await bob.createOrgApiKey('acme', { name: 'mine now' })).handle(refused)).toMatchObject(expected)
    expect(await (await bob.updateOrgApiKey('acme', id, { name: 'x' })).handle(refused)).toMatchObject(expected)
    expect(await (await bob.rotateOrgApiKey('acme', id)).handle(refused)).toMatchObject(expected)
    expect(await (await bob.revokeOrgApiKey('acme', id)).handle(refused)).toMatchObject(expected)
  })

  it('orgNotFound: a non-member, an organization that does not exist, and another organization’s admin', async () => {
    const { as } = setup()
    const { id } = (await as('alice').createOrgApiKey('acme', { name: 'deploy' })).data!.apiKey
    const notFound = { ...record, orgNotFound: specific('orgNotFound') }
    for (const [user, orgId] of [['carol', 'acme'], ['carol', 'initech'], ['gina', 'acme']] as const) {
      const outcome = await (await as(user).fetchOrgApiKeys(orgId)).handle(notFound)
      expect(outcome, `${user} ${orgId}`).toMatchObject({ callback: 'orgNotFound', error: { status: 404, code: 'organization_not_found' } })
      expect(await (await as(user).revokeOrgApiKey(orgId, id)).handle(notFound)).toMatchObject({ callback: 'orgNotFound' })
    }
  })

  it('apiKeyNotFound: another organization’s key named under one’s own', async () => {
    const { as } = setup()
    const { id } = (await as('alice').createOrgApiKey('acme', { name: 'deploy' })).data!.apiKey
    const response = await as('gina').revokeOrgApiKey('globex', id)
    expect(await response.handle({ ...record, apiKeyNotFound: specific('apiKeyNotFound') })).toMatchObject({ callback: 'apiKeyNotFound' })
  })

  it('conflict, invalidExpirationOption, badRequest, unauthorized and rateLimited, as for personal keys', async () => {
    const { as } = setup({
      organizations: { policy: { maxLifetimeDays: 30, expirationOptions: ['TwoWeeks', 'OneMonth'] } },
      rateLimit: fixedWindowRateLimiter({ limit: 3, windowMs: 60_000 }),
    })
    const alice = as('alice')
    const { id } = (await alice.createOrgApiKey('acme', { name: 'deploy' })).data!.apiKey
    expect(await (await alice.createOrgApiKey('acme', { name: 'deploy' })).handle({ ...record, conflict: specific('conflict') })).toMatchObject({
      callback: 'conflict',
      error: { code: 'name_taken', userFacingError: 'This organization already has an active key with that name.' },
    })
    expect(await (await alice.createOrgApiKey('acme', 'Never')).handle({ ...record, invalidExpirationOption: specific('invalidExpirationOption') })).toMatchObject({
      callback: 'invalidExpirationOption',
    })
    expect(await (await alice.rotateOrgApiKey('acme', id, { gracePeriod: 'Fortnight' as never })).handle({ ...record, badRequest: specific('badRequest') })).toMatchObject({
      callback: 'badRequest',
      error: { fieldErrors: { gracePeriod: 'The grace period must be one of None, OneHour, OneDay, SevenDays.' } },
    })
    expect(await (await alice.createOrgApiKey('acme', { name: 'x' })).handle({ ...record, rateLimited: specific('rateLimited') })).toMatchObject({
      callback: 'rateLimited',
    })
    expect(await (await as(null).fetchOrgApiKeys('acme')).handle({ ...record, unauthorized: specific('unauthorized') })).toMatchObject({
      callback: 'unauthorized',
    })
  })
})

describe('organization ids', () => {
  it('reach their own keys whatever they hold (/, ?, #, %, spaces, dots, accents), over a real URL', async () => {
    const odd = ['Acme Inc. / EU?#%', 'é ..', '%2F']
    const { as } = setup({ authenticate: async () => ({ userId: 'u', canManagePersonalApiKeys: true, organizations: odd.map((id) => ({ id, role: 'admin' })) }) })
    const api = as('u')
    for (const orgId of odd) {
      const created = await api.createOrgApiKey(orgId, { name: 'k' })
      expect(created.data?.apiKey.owner, orgId).toEqual({ type: 'organization', id: orgId })
      expect((await api.fetchOrgApiKeys(orgId)).data?.items.map((key) => key.id)).toEqual([created.data!.apiKey.id])
      expect((await api.revokeOrgApiKey(orgId, created.data!.apiKey.id)).data?.status).toBe('revoked')
    }
  })
})

describe('forOrganization: the personal methods, on one organization’s keys', () => {
  it('creates, lists, edits, rotates and revokes the organization’s keys through the personal calls', async () => {
    const { as } = setup()
    const acme = forOrganization(as('alice'), 'acme')
    expect(acme.owner).toEqual({ type: 'organization', id: 'acme' })
    const created = await acme.createPersonalApiKey({ name: 'deploy', expiration: 'OneMonth' })
    expect(created.data?.apiKey.owner).toEqual({ type: 'organization', id: 'acme' })
    const id = created.data!.apiKey.id
    expect((await acme.fetchPersonalApiKeys()).data?.items.map((key) => key.id)).toEqual([id])
    expect((await acme.updatePersonalApiKey(id, { name: 'renamed' })).data?.name).toBe('renamed')
    const rotated = await acme.rotatePersonalApiKey(id, { gracePeriod: 'OneHour' })
    expect(rotated.data?.previous.gracePeriod).toBe('OneHour')
    expect((await acme.revokePersonalApiKey(rotated.data!.apiKey.id)).data?.status).toBe('revoked')
    expect((await acme.fetchPersonalApiKeyPolicy()).ok).toBe(true)
    // Bob sees them through his own view of Acme; Alice's personal list stays empty.
    expect((await forOrganization(as('bob'), 'acme').fetchPersonalApiKeys()).data?.totalCount).toBe(2)
    expect((await as('alice').fetchPersonalApiKeys()).data?.totalCount).toBe(0)
  })

  it('answers a member’s writes and a non-member’s reads at noPersonalApiKeyPermission, in the organization’s words', async () => {
    const { as } = setup()
    const permission = { ...record, noPersonalApiKeyPermission: specific('noPersonalApiKeyPermission') }
    const member = await (await forOrganization(as('bob'), 'acme').createPersonalApiKey({ name: 'x' })).handle(permission)
    expect(member).toMatchObject({
      callback: 'noPersonalApiKeyPermission',
      error: { kind: 'noPersonalApiKeyPermission', code: 'no_org_api_key_permission', userFacingError: 'You do not have permission to manage this organization’s API keys.' },
    })
    const outsider = await (await forOrganization(as('carol'), 'acme').fetchPersonalApiKeys()).handle(permission)
    expect(outsider).toMatchObject({
      callback: 'noPersonalApiKeyPermission',
      error: { status: 404, code: 'organization_not_found', userFacingError: 'That organization does not exist, or you are not a member of it.' },
    })
    // Everything else reaches the same callback as on the personal calls.
    const signedOut = await (await forOrganization(as(null), 'acme').fetchPersonalApiKeys()).handle({ ...record, unauthorized: specific('unauthorized') })
    expect(signedOut).toMatchObject({ callback: 'unauthorized' })
  })
})

describe('problems the server answers for any owner', () => {
  it('422 idempotency_key_mismatch: conflict, with a sentence for the person at the form', async () => {
    const alice = setup().as('alice')
    await alice.createPersonalApiKey({ name: 'first' }, { idempotencyKey: 'submission-1' })
    const response = await alice.createPersonalApiKey({ name: 'changed my mind' }, { idempotencyKey: 'submission-1' })
    expect(await response.handle({ ...record, conflict: specific('conflict') })).toMatchObject({
      callback: 'conflict',
      error: { status: 422, code: 'idempotency_key_mismatch', userFacingError: 'This was already submitted with other details. Submit again to send the new ones.' },
    })
  })

  it('413 body_too_large: badRequest, before the server reads the body', async () => {
    const alice = setup().as('alice')
    const response = await alice.createPersonalApiKey({ name: 'big', description: 'x'.repeat(70_000) })
    expect(await response.handle({ ...record, badRequest: specific('badRequest') })).toMatchObject({
      callback: 'badRequest',
      error: { status: 413, code: 'body_too_large', userFacingError: 'That is more text than the server accepts. Shorten it and try again.' },
    })
  })

  it('400 with a description the policy refuses: badRequest with the field’s sentence', async () => {
    const alice = setup({ policy: { descriptionMaxLength: 10 } }).as('alice')
    const response = await alice.createPersonalApiKey({ name: 'k', description: 'far too long a note' })
    expect(await response.handle({ ...record, badRequest: specific('badRequest') })).toMatchObject({
      error: { fieldErrors: { description: 'The description must be at most 10 characters.' } },
    })
  })

  it('400 invalid_expiration_option on a custom date past the cap: the sentence names the last date', async () => {
    const alice = setup({ policy: { maxLifetimeDays: 90 } }).as('alice')
    const response = await alice.createPersonalApiKey({ name: 'k', expiration: { expiresAt: '2999-01-01T00:00:00Z' } })
    const outcome = await response.handle({ ...record, invalidExpirationOption: specific('invalidExpirationOption') })
    expect(outcome.error?.fieldErrors?.expiresAt).toMatch(/^Keys can last at most 90 days: choose a date by \w{3} \d{1,2}, \d{4}, .* UTC\.$/)
    expect(outcome.error?.userFacingError).toBe(outcome.error?.fieldErrors?.expiresAt)
  })
})
