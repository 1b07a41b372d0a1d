import { apiKeyClient } from '@better-auth/api-key/client'
import { createAuthClient as createVanillaClient } from 'better-auth/client'
import { createAuthClient as createReactClient } from 'better-auth/react'
import { describe, expectTypeOf, it } from 'vitest'
import { createBetterAuthApis } from '../../src/better-auth/index.ts'
import type { AuthFrontendApis } from '../../src/client/index.ts'

describe('createBetterAuthApis accepts the Better Auth clients apps have', () => {
  it('takes a vanilla or React client with apiKeyClient(), and returns AuthFrontendApis', () => {
    expectTypeOf(createBetterAuthApis(createVanillaClient({ plugins: [apiKeyClient()] }))).toEqualTypeOf<AuthFrontendApis>()
    expectTypeOf(createBetterAuthApis(createReactClient({ plugins: [apiKeyClient()] }))).toEqualTypeOf<AuthFrontendApis>()
    // A client that throws on errors fits too: the adapter asks each call not to.
    createBetterAuthApis(createVanillaClient({ plugins: [apiKeyClient()], fetchOptions: { throw: true } }))
  })

  it('refuses a client without the API-key plugin', () => {
    // @ts-expect-error apiKey is missing without apiKeyClient()
    createBetterAuthApis(createVanillaClient({}))
  })
})
