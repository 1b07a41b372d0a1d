/**
 * The demo behind an https proxy: `BETTER_AUTH_URL=https://…` makes Better Auth's session cookie
 * `Secure` (and `__Secure-` prefixed), and that origin is the trusted one.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { DEMO_PASSWORD, emailOf, startDemo, type DemoServer } from './support.ts'

const PUBLIC_URL = 'https://keys.example'
let server: DemoServer

beforeAll(async () => {
  server = await startDemo({ PATKIT_DEMO_STORE: 'memory', BETTER_AUTH_URL: PUBLIC_URL })
})

afterAll(async () => {
  expect(await server?.stop()).toBe(0)
})

const signIn = (origin: string) =>
  fetch(`${server.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: origin },
    body: JSON.stringify({ email: emailOf('Alice'), password: DEMO_PASSWORD }),
  })

it('sets a Secure, HttpOnly, SameSite=Lax session cookie for a sign-in from the public https origin', async () => {
  const response = await signIn(PUBLIC_URL)
  expect(response.status).toBe(200)
  const session = response.headers.getSetCookie().find((cookie) => cookie.includes('session_token='))
  expect(session).toMatch(/^__Secure-better-auth\.session_token=/)
  expect(session).toMatch(/; Secure/i)
  expect(session).toMatch(/; HttpOnly/i)
  expect(session).toMatch(/; SameSite=Lax/i)
})

it('refuses a sign-in from another origin', async () => {
  expect((await signIn('https://evil.example')).status).toBe(403)
})
