/**
 * The demo with PATKIT_DEMO_BACKEND=better-auth: the same page manages keys kept by Better Auth's
 * API-key plugin, through patkit/better-auth's adapter, and the app's routes verify them with Better
 * Auth's `verifyApiKey`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { axeViolations, launchChromium, signIn, startDemo, whoAmI, type DemoServer } from './support.ts'

let server: DemoServer
let browser: Browser
let page: Page

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startDemo({ PATKIT_DEMO_STORE: 'memory', PATKIT_DEMO_BACKEND: 'better-auth' }), launchChromium()])
  page = await (await browser.newContext()).newPage()
  page.setDefaultTimeout(10_000)
  await page.goto(server.url)
  await signIn(page, 'Alice')
})

afterAll(async () => {
  await browser?.close()
  expect(await server?.stop()).toBe(0)
})

const row = (name: string) => page.getByRole('grid').getByRole('row', { name: new RegExp(name) })

async function createKey(name: string): Promise<string> {
  await page.getByRole('textbox', { name: 'Name' }).fill(name)
  await page.getByRole('textbox', { name: 'Name' }).press('Enter')
  return takeToken()
}

async function takeToken(): Promise<string> {
  const field = page.getByRole('textbox', { name: 'Your new API key' })
  await field.waitFor()
  const token = await field.inputValue()
  await page.getByRole('checkbox', { name: 'I have saved this key' }).check()
  await page.getByRole('button', { name: 'Done' }).click()
  await field.waitFor({ state: 'detached' })
  expect(await page.content()).not.toContain(token)
  return token
}

async function rowAction(name: string, action: 'Rotate' | 'Revoke') {
  await page.getByRole('button', { name: `Actions for ${name}` }).click()
  await page.getByRole('menuitem', { name: action }).click()
}

async function tryKey(token: string, path: '/api/v1/me' | '/api/projects') {
  await page.getByLabel('Personal access token').fill(token)
  await page.getByRole('button', { name: `Call ${path}` }).click()
  await expect.poll(() => page.getByTestId('try-answer').textContent()).toContain(`GET ${path}`)
  return { status: await page.getByTestId('try-status').textContent(), body: await page.getByTestId('try-body').textContent() }
}

describe('keys on the Better Auth backend', () => {
  let token: string

  it('says which backend it runs, and creates a key that Better Auth verifies', async () => {
    expect(await page.getByTestId('backend').textContent()).toContain('Better Auth API keys')
    token = await createKey('CI deploy')
    expect(token).toMatch(/^pat_[A-Za-z]{64}$/)
    await row('CI deploy').waitFor()
    expect(await whoAmI(server.url, token)).toMatchObject({ status: 200, body: { data: { userId: 'alice', scopes: ['projects:read'] } } })
  })

  it('answers 200 in the try-your-key panel, on /api/v1/me and on the app’s own route', async () => {
    expect(await tryKey(token, '/api/v1/me')).toMatchObject({ status: '200', body: expect.stringContaining('"userId": "alice"') })
    expect(await tryKey(token, '/api/projects')).toMatchObject({ status: '200', body: expect.stringContaining('"name": "Website"') })
  })

  it('revokes the key (Better Auth disables it; it stays listed as revoked), after which it answers 401', async () => {
    await rowAction('CI deploy', 'Revoke')
    const dialog = page.getByRole('alertdialog')
    await dialog.getByRole('button', { name: 'Revoke key' }).click()
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(() => row('CI deploy').getAttribute('data-status')).toBe('revoked')
    expect((await whoAmI(server.url, token)).status).toBe(401)
    expect((await tryKey(token, '/api/v1/me')).status).toBe('401')
  })

  it('rotates a key (emulated: a new key, the old one disabled): the old token answers 401, the new one 200', async () => {
    const oldToken = await createKey('Nightly export')
    await rowAction('Nightly export', 'Rotate')
    const dialog = page.getByRole('dialog', { name: 'Rotate “Nightly export”?' })
    await dialog.getByRole('button', { name: 'Rotate key' }).click()
    const newToken = await takeToken()
    await dialog.waitFor({ state: 'detached' })
    expect(newToken).not.toBe(oldToken)
    expect((await whoAmI(server.url, oldToken)).status).toBe(401)
    expect(await whoAmI(server.url, newToken)).toMatchObject({ status: 200, body: { data: { userId: 'alice' } } })
    await page.getByLabel('Personal access token').fill('')
    expect(await axeViolations(page)).toEqual([])
  })

  it('tells Bob, whom a Better Auth hook forbids API keys, so', async () => {
    await signIn(page, 'Bob')
    const refusal = page.getByText('You do not have permission to manage personal API keys.')
    await refusal.first().waitFor()
    // The adapter's policy comes from its options, so the form cannot know up front (the reference
    // backend's policy call is refused and the form hides): Better Auth refuses the creation itself.
    const before = await refusal.count()
    await page.getByRole('textbox', { name: 'Name' }).fill('Not allowed')
    await page.getByRole('textbox', { name: 'Name' }).press('Enter')
    await expect.poll(() => refusal.count()).toBeGreaterThan(before)
    expect(await page.getByRole('textbox', { name: 'Your new API key' }).count()).toBe(0)
  })
})
