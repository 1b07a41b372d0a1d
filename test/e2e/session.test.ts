import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, signIn, startDemo, whoAmI, type DemoServer } from './support.ts'

let server: DemoServer
let browser: Browser
let page: Page

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startDemo({ PATKIT_DEMO_STORE: 'memory' }), launchChromium()])
  page = await browser.newPage()
  await page.goto(server.url)
})

afterAll(async () => {
  await browser?.close()
  expect(await server?.stop()).toBe(0)
})

describe('demo sessions', () => {
  it('shows a signed-out visitor the sign-in message', async () => {
    await page.getByText('Signed out').waitFor()
  })

  it('tells Bob he may not manage keys', async () => {
    await signIn(page, 'Bob')
  })

  it('refuses a cross-site sign-in and a cross-site key creation', async () => {
    const signInFromElsewhere = await fetch(`${server.url}/demo/sign-in`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
      body: JSON.stringify({ user: 'alice' }),
    })
    expect(signInFromElsewhere.status).toBe(403)
    const create = await fetch(`${server.url}/api/v1/personal-access-tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: 'patkit_demo_session=alice', Origin: 'https://evil.example' },
      body: JSON.stringify({ name: 'forged' }),
    })
    expect(create.status).toBe(401)
  })

  it('answers 401 in the try-your-key panel for a made-up key', async () => {
    await page.getByLabel('Personal access token').fill('pat_notarealkey')
    await page.getByRole('button', { name: 'Call /api/v1/me' }).click()
    await expect.poll(() => page.getByTestId('try-status').textContent()).toBe('401')
    expect((await whoAmI(server.url, 'pat_notarealkey')).status).toBe(401)
  })
})
