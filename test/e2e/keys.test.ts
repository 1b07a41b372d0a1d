import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { axeViolations, launchChromium, signIn, startDemo, whoAmI, type DemoServer } from './support.ts'

const TOKEN = /^pat_[A-Za-z0-9]{38}$/

let server: DemoServer
let browser: Browser
let context: BrowserContext
let page: Page

beforeAll(async () => {
  // Memory keeps this file fast; restart.test.ts covers the database.
  ;[server, browser] = await Promise.all([startDemo({ PATKIT_DEMO_STORE: 'memory' }), launchChromium()])
  context = await browser.newContext()
  page = await context.newPage()
  // Shorter than the test timeout, so a failure names the step that waited.
  page.setDefaultTimeout(10_000)
  await page.goto(server.url)
  await signIn(page, 'Alice')
})

afterAll(async () => {
  await browser?.close()
  expect(await server?.stop()).toBe(0)
})

/** Presses Tab until `target` has focus, as a keyboard user would; fails if it never gets there. */
async function tabTo(target: Locator, maxPresses = 40) {
  for (let i = 0; i < maxPresses; i++) {
    if (await target.evaluate((element) => element === document.activeElement)) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`Tab never reached ${target}`)
}

const keysTable = () => page.getByRole('grid', { name: 'Personal API keys' })
const row = (name: string) => keysTable().getByRole('row', { name: new RegExp(name) })

/** Reads the one-time token from the reveal, acknowledges it and presses Done, all by keyboard. */
async function takeTokenFromReveal(): Promise<string> {
  const field = page.getByRole('textbox', { name: 'Your new API key' })
  await field.waitFor()
  const token = await field.inputValue()
  expect(token).toMatch(TOKEN)
  await tabTo(page.getByRole('checkbox', { name: 'I have saved this key' }))
  await page.keyboard.press('Space')
  await tabTo(page.getByRole('button', { name: 'Done' }))
  await page.keyboard.press('Enter')
  await field.waitFor({ state: 'detached' })
  // Once the reveal is dismissed the token is nowhere in the page.
  expect(await page.content()).not.toContain(token)
  return token
}

const hasFocusWithin = (locator: Locator) => locator.evaluate((element) => element.contains(document.activeElement))

/**
 * Opens a row's action menu and picks an action, by keyboard: the table is one Tab stop (a grid),
 * arrows move between rows and cells, and the last cell holds the row's menu button.
 */
async function rowAction(name: string, action: 'Rotate' | 'Revoke' | 'Rename') {
  for (let i = 0; i < 40 && !(await hasFocusWithin(keysTable())); i++) await page.keyboard.press('Tab')
  // The grid puts focus back where it last was, which may be below the row we want.
  for (const arrow of ['ArrowDown', 'ArrowUp']) {
    for (let i = 0; i < 10 && !(await hasFocusWithin(row(name))); i++) await page.keyboard.press(arrow)
  }
  const menuButton = page.getByRole('button', { name: `Actions for ${name}` })
  for (let i = 0; i < 12 && !(await hasFocusWithin(menuButton)); i++) await page.keyboard.press('ArrowRight')
  expect(await hasFocusWithin(menuButton)).toBe(true)
  await page.keyboard.press('Enter')
  const item = page.getByRole('menuitem', { name: action })
  await item.waitFor()
  for (let i = 0; i < 5 && !(await hasFocusWithin(item)); i++) await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
}

async function createKey(name: string): Promise<string> {
  await tabTo(page.getByRole('textbox', { name: 'Name' }))
  await page.keyboard.type(name)
  await page.keyboard.press('Enter')
  return takeTokenFromReveal()
}

describe('keys in the demo, end to end', () => {
  let revokedToken: string

  it('creates a key by keyboard alone, and the revealed token works against /api/v1/me', async () => {
    await tabTo(page.getByRole('textbox', { name: 'Name' }))
    await page.keyboard.type('CI deploy')
    // Expiration: the radio group starts on the policy default; move to the next preset.
    await page.keyboard.press('Tab')
    await page.keyboard.press('ArrowDown')
    // Scopes come grouped by resource, one radio group each (None, read, write): arrow from None to read.
    const projects = page.getByRole('radiogroup', { name: 'projects' })
    await tabTo(projects.getByRole('radio', { checked: true }))
    await page.keyboard.press('ArrowDown')
    expect(await projects.getByRole('radio', { name: 'read' }).isChecked()).toBe(true)
    await tabTo(page.getByRole('button', { name: 'Create key' }))
    await page.keyboard.press('Enter')
    revokedToken = await takeTokenFromReveal()

    const answer = await whoAmI(server.url, revokedToken)
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ data: { userId: 'alice', scopes: ['read:projects'] } })
    await row('CI deploy').waitFor()
  })

  it('shows 200 for the key in the try-your-key panel', async () => {
    await page.getByLabel('Personal access token').fill(revokedToken)
    await page.getByRole('button', { name: 'Call /api/v1/me' }).click()
    await expect.poll(() => page.getByTestId('try-status').textContent()).toBe('200')
    expect(await page.getByTestId('try-body').textContent()).toContain('"userId": "alice"')
  })

  it('shows 200 on the app’s own scoped route for a key with read:projects', async () => {
    await page.getByRole('button', { name: 'Call /api/projects' }).click()
    await expect.poll(() => page.getByTestId('try-answer').textContent()).toContain('GET /api/projects')
    await expect.poll(() => page.getByTestId('try-status').textContent()).toBe('200')
    expect(await page.getByTestId('try-body').textContent()).toContain('"name": "Website"')
  })

  it('revokes the key in the UI, after which it answers 401', async () => {
    await rowAction('CI deploy', 'Revoke')
    const dialog = page.getByRole('alertdialog')
    await dialog.waitFor()
    await tabTo(dialog.getByRole('button', { name: 'Revoke key' }))
    await page.keyboard.press('Enter')
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(() => row('CI deploy').getAttribute('data-status')).toBe('revoked')
    expect((await whoAmI(server.url, revokedToken)).status).toBe(401)
  })

  it('rotates another key: the old token answers 401, the new one 200', async () => {
    const oldToken = await createKey('Nightly export')
    expect((await whoAmI(server.url, oldToken)).status).toBe(200)
    await rowAction('Nightly export', 'Rotate')
    const dialog = page.getByRole('dialog', { name: 'Rotate “Nightly export”?' })
    await dialog.waitFor()
    await tabTo(dialog.getByRole('button', { name: 'Rotate key' }))
    await page.keyboard.press('Enter')
    const newToken = await takeTokenFromReveal()
    await dialog.waitFor({ state: 'detached' })
    expect(newToken).not.toBe(oldToken)
    expect((await whoAmI(server.url, oldToken)).status).toBe(401)
    expect(await whoAmI(server.url, newToken)).toMatchObject({ status: 200, body: { data: { userId: 'alice' } } })

    // This key has no scopes: the scoped route says which one it lacks.
    await page.getByLabel('Personal access token').fill(newToken)
    await page.getByRole('button', { name: 'Call /api/projects' }).click()
    await expect.poll(() => page.getByTestId('try-status').textContent()).toBe('403')
    expect(await page.getByTestId('try-challenge').textContent()).toBe('Bearer error="insufficient_scope", scope="read:projects"')
    expect(await page.getByTestId('try-body').textContent()).toContain('"code": "insufficient_scope"')
    await page.getByLabel('Personal access token').fill('')
  })

  it('passes axe (WCAG 2.1 AA, colour contrast included) with keys listed', async () => {
    expect(await axeViolations(page)).toEqual([])
  })
})

describe('sessions in the demo', () => {
  it('tells Bob, who may not manage keys, so', async () => {
    await signIn(page, 'Bob')
    await page.getByText('You do not have permission to manage personal API keys.').first().waitFor()
    expect(await page.getByRole('textbox', { name: 'Name' }).count()).toBe(0)
    expect(await axeViolations(page)).toEqual([])
  })

  it('tells a signed-out visitor to sign in', async () => {
    await tabTo(page.getByRole('button', { name: 'Sign out' }))
    await page.keyboard.press('Enter')
    await page.getByText('Signed out', { exact: true }).waitFor()
    // Both the form and the list say so.
    await page.getByText('You are signed out. Sign in again to manage your API keys.').first().waitFor()
    await page.getByRole('textbox', { name: 'Email' }).waitFor()
    expect(await axeViolations(page)).toEqual([])
  })

  it('answers 401 in the try-your-key panel for a made-up key', async () => {
    await page.getByLabel('Personal access token').fill('pat_notarealkey')
    await page.getByRole('button', { name: 'Call /api/v1/me' }).click()
    await expect.poll(() => page.getByTestId('try-status').textContent()).toBe('401')
  })
})
