import { apiKeyClient } from '@better-auth/api-key/client'
import { createAuthClient } from 'better-auth/client'
import { beforeAll, describe, expect, it } from 'vitest'
import { createBetterAuthApis } from '../../src/better-auth/index.ts'

/**
 * patkit/better-auth in Chromium against a running Better Auth, mounted on the test page's own origin
 * by vite-plugin.ts: the browser keeps the session cookie and sends the Origin header itself.
 */
const client = () => createAuthClient({ baseURL: location.origin, plugins: [apiKeyClient()] })
const whoAmI = (token: string) => fetch('/v1/me', { headers: { Authorization: `Bearer ${token}` }, credentials: 'omit' })

describe('patkit/better-auth in the browser', () => {
  // The first request starts Better Auth and its database (migrations included): seconds on a loaded machine.
  beforeAll(async () => {
    expect((await fetch('/api/auth/ok')).status).toBe(200)
  }, 60_000)

  it('signs in, creates a key that works until it is revoked, and keeps the token out of storage', async () => {
    const auth = client()
    const signUp = await auth.signUp.email({ email: `browser-${crypto.randomUUID()}@example.com`, password: 'correct horse battery', name: 'Browser' })
    expect(signUp.error).toBeNull()
    const apis = createBetterAuthApis(auth)

    const created = await apis.createPersonalApiKey({ name: 'from Chromium', expiration: 'OneMonth' })
    expect(created.ok, created.error?.userFacingError).toBe(true)
    const { apiKey, token } = created.data!
    expect((await whoAmI(token)).status).toBe(200)

    const listed = await apis.fetchPersonalApiKeys()
    expect(listed.data!.items.map((key) => [key.name, key.status])).toEqual([['from Chromium', 'active']])

    expect((await apis.revokePersonalApiKey(apiKey.id)).data!.status).toBe('revoked')
    expect((await whoAmI(token)).status).toBe(401)
    expect((await apis.fetchPersonalApiKeys({ status: 'revoked' })).data!.totalCount).toBe(1)

    const stored = [document.cookie, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })].join('\n')
    expect(stored).not.toContain(token)
  })

  it('answers unauthorized once the page has signed out', async () => {
    const auth = client()
    // The page may hold a session from the test before: sign it out as a user would.
    await auth.signOut()
    const response = await createBetterAuthApis(auth).fetchPersonalApiKeys()
    expect(await response.handle({ success: () => 'success', unauthorized: () => 'unauthorized', unexpectedOrUnhandled: (error) => error.code })).toBe('unauthorized')
  })
})
