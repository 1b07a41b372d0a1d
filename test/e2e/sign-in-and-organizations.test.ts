import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { DEMO_PASSWORD, axeViolations, emailOf, launchChromium, sessionCookie, signIn, startDemo, type DemoServer } from './support.ts'

let server: DemoServer
let browser: Browser
let page: Page

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startDemo({ PATKIT_DEMO_STORE: 'memory' }), launchChromium()])
  page = await (await browser.newContext()).newPage()
  page.setDefaultTimeout(10_000)
  await page.goto(server.url)
})

afterAll(async () => {
  await browser?.close()
  expect(await server?.stop()).toBe(0)
})

const createKeyOverHttp = (cookie: string, path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/v1/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie, ...headers },
    body: JSON.stringify({ name: `over http ${crypto.randomUUID().slice(0, 8)}` }),
  })

async function sessionUserId(cookie: string): Promise<string | null> {
  const response = await fetch(`${server.url}/demo/session`, { headers: { Cookie: cookie } })
  return ((await response.json()) as { user: { id: string } | null }).user?.id ?? null
}

describe('signing in (Better Auth)', () => {
  it('shows the example accounts and their password to a first visitor', async () => {
    await page.getByRole('heading', { name: 'Example accounts' }).waitFor()
    expect(await page.getByTestId('demo-password').textContent()).toBe(DEMO_PASSWORD)
    expect(await page.getByText(emailOf('Alice')).count()).toBe(1)
    expect(await page.getByText(emailOf('Bob')).count()).toBe(1)
    expect(await axeViolations(page)).toEqual([])
  })

  it('refuses a wrong password, and the visitor stays signed out', async () => {
    await signIn(page, 'Alice', 'not-the-password')
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).count()).toBe(1)
    expect(await page.getByText('Signed out', { exact: true }).count()).toBe(1)
    const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: server.url },
      body: JSON.stringify({ email: emailOf('Alice'), password: 'not-the-password' }),
    })
    expect(response.status).toBe(401)
    expect(response.headers.getSetCookie()).toEqual([])
  })

  it('signs in with the password, by the form; the session cookie is HttpOnly and SameSite=Lax', async () => {
    await page.getByRole('button', { name: 'Fill in Alice' }).click()
    expect(await page.getByRole('textbox', { name: 'Email' }).inputValue()).toBe(emailOf('Alice'))
    // Filling in moves focus to Sign in, so Enter signs in.
    await page.keyboard.press('Enter')
    await page.getByText('Signed in as Alice').waitFor()
    const [cookie] = (await page.context().cookies()).filter((c) => c.name.includes('session_token'))
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false })
    // Served over plain http here; behind https (BETTER_AUTH_URL=https://…) Better Auth sets Secure.
  })

  it('refuses forged session cookies: a made-up one and a real one with its signature changed', async () => {
    const real = await sessionCookie(server.url, 'Alice')
    expect(await sessionUserId(real)).toBe('alice')
    const tampered = real.replace(/\.([^.;]+)(;|$)/, (_, signature: string, end: string) => `.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}${end}`)
    expect(tampered).not.toBe(real)
    for (const forged of ['better-auth.session_token=alice', 'patkit_demo_session=alice', tampered]) {
      expect(await sessionUserId(forged)).toBeNull()
      expect((await createKeyOverHttp(forged, 'personal-access-tokens')).status).toBe(401)
    }
  })

  it('refuses cross-site requests (CSRF): a sign-in and a key creation with a real session', async () => {
    const signInFromElsewhere = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
      body: JSON.stringify({ email: emailOf('Alice'), password: DEMO_PASSWORD }),
    })
    expect(signInFromElsewhere.status).toBe(403)
    expect(signInFromElsewhere.headers.getSetCookie()).toEqual([])

    const cookie = await sessionCookie(server.url, 'Alice')
    const crossSite = await createKeyOverHttp(cookie, 'personal-access-tokens', { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' })
    expect(crossSite.status).toBe(401)
    const signOutFromElsewhere = await fetch(`${server.url}/api/auth/sign-out`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie, Origin: 'https://evil.example' },
      body: '{}',
    })
    expect(signOutFromElsewhere.status).toBe(403)
    expect(await sessionUserId(cookie)).toBe('alice')
    // The same request from the page's own origin goes through.
    expect((await createKeyOverHttp(cookie, 'personal-access-tokens', { Origin: server.url })).status).toBe(201)
  })
})

const grid = () => page.getByRole('grid')
// The components' sentence for a member who may see an organization's keys and not change them.
const readOnlySentence = () => page.getByText('You can see this organization’s API keys, but you do not have permission to create, rotate, edit or revoke them.')
const chooseOwner = (label: string) => page.getByRole('group', { name: 'Whose keys' }).getByRole('radio', { name: label }).check()

describe('organizations in the demo', () => {
  let acmeToken: string

  it('lets Alice, an admin of Acme, switch to Acme and create a key that speaks for Acme', async () => {
    await chooseOwner('Acme (admin)')
    await page.getByRole('heading', { name: 'Acme’s API keys' }).waitFor()
    await page.getByRole('textbox', { name: 'Name' }).fill('Acme deploy')
    await page.getByRole('button', { name: 'Create key' }).click()
    const field = page.getByRole('textbox', { name: 'Your new API key' })
    acmeToken = await field.inputValue()
    expect(acmeToken).toMatch(/^pat_/)
    await page.getByRole('checkbox', { name: 'I have saved this key' }).check()
    await page.getByRole('button', { name: 'Done' }).click()
    await grid().getByRole('row', { name: /Acme deploy/ }).waitFor()

    const me = await fetch(`${server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${acmeToken}` } })
    expect(await me.json()).toMatchObject({ data: { owner: { type: 'organization', id: 'acme' } } })
  })

  it('shows only Alice’s own keys under My keys, and Globex’s read-only to her, a member', async () => {
    await chooseOwner('My keys')
    await page.getByRole('heading', { name: 'Your keys' }).waitFor()
    // Not Acme's keys, not even for a moment from a cache while the list loads…
    expect(await grid().getByRole('row', { name: /Acme deploy/ }).count()).toBe(0)
    // …but hers: her personal key from the CSRF test above.
    await grid().getByRole('row', { name: /over http/ }).waitFor()
    expect(await grid().getByRole('row', { name: /Acme deploy/ }).count()).toBe(0)

    await chooseOwner('Globex (member)')
    await page.getByRole('heading', { name: 'Globex’s API keys' }).waitFor()
    await readOnlySentence().waitFor()
    expect(await page.getByRole('textbox', { name: 'Name' }).count()).toBe(0)
    expect(await axeViolations(page)).toEqual([])
  })

  it('shows Bob, a member of Acme, its keys read-only: the one sentence, no form, no action he may not take', async () => {
    await signIn(page, 'Bob')
    await chooseOwner('Acme (member)')
    await readOnlySentence().waitFor()
    expect(await readOnlySentence().count(), 'one sentence for the state').toBe(1)
    await grid().getByRole('row', { name: /Acme deploy/ }).waitFor()
    expect(await page.getByRole('textbox', { name: 'Name' }).count()).toBe(0)

    await page.getByRole('button', { name: 'Actions for Acme deploy' }).click()
    for (const name of ['Rotate', 'Edit', 'Revoke']) {
      expect(await page.getByRole('menuitem', { name }).getAttribute('aria-disabled')).toBe('true')
    }
    await page.keyboard.press('Escape')
    expect(await axeViolations(page)).toEqual([])
    // Still working: nothing changed (the server refuses his writes too: the next test).
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${acmeToken}` } })
    expect(me.status).toBe(200)
  })

  it('answers Bob 403 for creating Acme’s keys and 404 for Globex’s, which he is not a member of', async () => {
    const cookie = await sessionCookie(server.url, 'Bob')
    expect((await createKeyOverHttp(cookie, 'organizations/acme/api-keys')).status).toBe(403)
    const globex = await fetch(`${server.url}/api/v1/organizations/globex/api-keys`, { headers: { Cookie: cookie } })
    expect(globex.status).toBe(404)
  })
})

describe('guessing passwords', () => {
  // Last in the file: it uses up this client's sign-in budget for the minute.
  it('is limited per client address (Better Auth’s limiter, kept in the database), whatever X-Forwarded-For claims', async () => {
    const statuses: number[] = []
    for (let attempt = 0; attempt < 25 && !statuses.includes(429); attempt++) {
      const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: server.url, 'X-Forwarded-For': `203.0.113.${attempt}` },
        body: JSON.stringify({ email: emailOf('Bob'), password: `guess-${attempt}` }),
      })
      statuses.push(response.status)
    }
    expect(statuses.at(-1)).toBe(429)
    expect(new Set(statuses.slice(0, -1))).toEqual(new Set([401]))
  })
})
