import { Hono } from 'hono'
import { describe, expectTypeOf, it } from 'vitest'
import {
  personalAccessTokenAuth,
  personalAccessTokenVerifier,
  type KeyStore,
  type PersonalAccessTokenVariables,
} from '../../src/server/index.ts'

declare const store: KeyStore

describe('what a route learns about a valid key', () => {
  it('is a user’s id by default, as routes written before organization keys expect', () => {
    const app = new Hono<{ Variables: PersonalAccessTokenVariables }>()
    app.get('/', personalAccessTokenAuth({ store }), (c) => {
      expectTypeOf(c.get('personalAccessToken').userId).toEqualTypeOf<string>()
      return c.text('')
    })
  })

  it('is an organization, with no user, for owner: organization', async () => {
    const result = await personalAccessTokenVerifier({ store, owner: 'organization' })(new Request('http://x'))
    if (result.ok) {
      expectTypeOf(result.auth.owner).toEqualTypeOf<{ type: 'organization'; id: string }>()
      expectTypeOf(result.auth.userId).toEqualTypeOf<null>()
    }
  })

  it('is either for owner: any, told apart by userId (TypeScript narrows on it, not on owner.type)', async () => {
    const result = await personalAccessTokenVerifier({ store, owner: 'any' })(new Request('http://x'))
    if (result.ok) {
      expectTypeOf(result.auth.userId).toEqualTypeOf<string | null>()
      if (result.auth.userId !== null) expectTypeOf(result.auth.owner).toEqualTypeOf<{ type: 'user'; id: string }>()
      else expectTypeOf(result.auth.owner).toEqualTypeOf<{ type: 'organization'; id: string }>()
    }
  })
})
