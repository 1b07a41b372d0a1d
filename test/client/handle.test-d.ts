import { describe, expectTypeOf, it } from 'vitest'
import type { ApiError, AuthFrontendApis, CreatedPersonalApiKey, GracePeriodOption, OrgApiKeyMethods } from '../../src/client/index.ts'
import { createHttpClient, forOrganization } from '../../src/client/index.ts'

declare const api: AuthFrontendApis
declare const orgApi: AuthFrontendApis & OrgApiKeyMethods

describe('handle()', () => {
  it('infers its return from the callbacks, as a union when they differ', async () => {
    const response = await api.createPersonalApiKey('Never')
    const token = response.handle({
      success: (data) => data.token,
      unexpectedOrUnhandled: () => null,
    })
    expectTypeOf(token).toEqualTypeOf<Promise<string | null>>()

    const mixed = await response.handle({
      success: async (data) => data.apiKey.id.length,
      invalidExpirationOption: (error) => error.userFacingError,
      unexpectedOrUnhandled: () => false as const,
    })
    expectTypeOf(mixed).toEqualTypeOf<number | string | false>()
  })

  it('types each callback argument', async () => {
    const response = await api.rotatePersonalApiKey('id')
    await response.handle({
      success: (data) => {
        // Null while the old key lives out its grace period.
        expectTypeOf(data.previous.revokedAt).toEqualTypeOf<string | null>()
        expectTypeOf(data.previous.gracePeriod).toEqualTypeOf<GracePeriodOption>()
      },
      conflict: (error) => expectTypeOf(error.kind).toEqualTypeOf<'conflict'>(),
      rateLimited: (error) => expectTypeOf(error.retryAfterSeconds).toEqualTypeOf<number | undefined>(),
      unexpectedOrUnhandled: (error) => expectTypeOf(error).toEqualTypeOf<ApiError>(),
    })
  })

  it('narrows the response on ok', async () => {
    const response = await api.createPersonalApiKey('Never')
    if (response.ok) expectTypeOf(response.data).toEqualTypeOf<CreatedPersonalApiKey>()
    else expectTypeOf(response.error.kind).toEqualTypeOf<
      | 'invalidExpirationOption' | 'badRequest' | 'unauthorized' | 'noPersonalApiKeyPermission'
      | 'personalApiKeysDisabled' | 'conflict' | 'rateLimited' | 'unexpectedOrUnhandled'
    >()
  })

  it('rejects handlers without unexpectedOrUnhandled', async () => {
    const response = await api.createPersonalApiKey('Never')
    // @ts-expect-error unexpectedOrUnhandled is the required fallback
    await response.handle({ success: () => 1 })
  })

  it('rejects a callback the call cannot reach or a misspelt one', async () => {
    const created = await api.createPersonalApiKey('Never')
    await created.handle({
      success: () => 1,
      unexpectedOrUnhandled: () => 2,
      // @ts-expect-error create never answers apiKeyNotFound
      apiKeyNotFound: () => 3,
    })
    const revoked = await api.revokePersonalApiKey('id')
    await revoked.handle({
      success: () => 1,
      unexpectedOrUnhandled: () => 2,
      // @ts-expect-error misspelt callback name
      unauthorised: () => 3,
    })
  })

  it('offers badRequest on every call that names a key, for an id the client refuses to send', async () => {
    const handlers = {
      success: () => 1,
      badRequest: (error: ApiError<'badRequest'>) => expectTypeOf(error.kind).toEqualTypeOf<'badRequest'>(),
      unexpectedOrUnhandled: () => 2,
    }
    await (await api.revokePersonalApiKey('..')).handle(handlers)
    await (await api.rotatePersonalApiKey('..')).handle(handlers)
    await (await api.updatePersonalApiKey('..', { name: 'n' })).handle(handlers)
  })

  it('gives an organization’s calls their own permission and not-found callbacks, not the personal ones', async () => {
    const created = await orgApi.createOrgApiKey('org_1', { name: 'deploy' })
    await created.handle({
      success: () => 1,
      noOrgApiKeyPermission: (error) => expectTypeOf(error.kind).toEqualTypeOf<'noOrgApiKeyPermission'>(),
      orgNotFound: (error) => expectTypeOf(error.kind).toEqualTypeOf<'orgNotFound'>(),
      unexpectedOrUnhandled: () => 2,
    })
    await created.handle({
      success: () => 1,
      unexpectedOrUnhandled: () => 2,
      // @ts-expect-error an organization's call never says noPersonalApiKeyPermission
      noPersonalApiKeyPermission: () => 3,
    })
    const personal = await orgApi.createPersonalApiKey({ name: 'mine' })
    await personal.handle({
      success: () => 1,
      unexpectedOrUnhandled: () => 2,
      // @ts-expect-error a personal call never says orgNotFound
      orgNotFound: () => 3,
    })
  })

  it('keeps the organization methods optional on AuthFrontendApis, and present on createHttpClient', () => {
    expectTypeOf(api.createOrgApiKey).toEqualTypeOf<OrgApiKeyMethods['createOrgApiKey'] | undefined>()
    expectTypeOf(createHttpClient({ baseUrl: '/api' }).createOrgApiKey).toEqualTypeOf<OrgApiKeyMethods['createOrgApiKey']>()
    expectTypeOf(forOrganization(api, 'org_1')).toEqualTypeOf<AuthFrontendApis>()
  })

  it('requires success', async () => {
    const response = await api.fetchPersonalApiKeys()
    // @ts-expect-error success is required
    await response.handle({ unexpectedOrUnhandled: () => 1 })
  })
})
