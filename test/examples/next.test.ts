/**
 * examples/next as a user runs it: patkit packed and installed from its tarball, `next build` with
 * Turbopack (Next.js 16's default) and with `--webpack`, `next start`, and Chromium creating, revealing,
 * listing and revoking a key — with no console error or hydration warning, and the components'
 * markup already in the server's HTML.
 *
 * The app is copied to a folder of the OS temp dir kept between runs, so npm only swaps the tarball.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { ROOT } from '../../bench/common.ts'
import { launchChromium, shellEnvironment } from '../e2e/support.ts'
import { installWithTarball, packPatkit, run, stepTimer, workDir } from '../support/packed.ts'

const EXAMPLE = join(ROOT, 'examples/next')
const WORK = workDir('next-example')
const APP = join(WORK, 'app')
/** What the example's own .gitignore leaves out: never copied, and kept in APP between runs. */
const NOT_COPIED = new Set(['node_modules', '.next', '.data', 'next-env.d.ts'])
const TOKEN = /^pat_[A-Za-z0-9]{38}$/

const { timings, step: timed } = stepTimer()

/** The example's files in APP, with patkit taken from the tarball; node_modules stays. */
function copyExample(tarball: string) {
  for (const entry of readdirSync(APP, { withFileTypes: true })) {
    if (entry.name !== 'node_modules') rmSync(join(APP, entry.name), { recursive: true, force: true })
  }
  cpSync(EXAMPLE, APP, { recursive: true, filter: (source) => !NOT_COPIED.has(source.slice(EXAMPLE.length + 1).split('/')[0]!) })
  const manifest = JSON.parse(readFileSync(join(APP, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
  manifest.dependencies.patkit = `file:${tarball}`
  writeFileSync(join(APP, 'package.json'), JSON.stringify(manifest, null, 2))
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

interface NextServer {
  url: string
  output: () => string
  stop: () => Promise<void>
}

/** Servers started here, stopped in afterAll even when a step after the start failed. */
const started = new Set<ChildProcess>()

async function nextStart(dataDir: string): Promise<NextServer> {
  const port = await freePort()
  const child: ChildProcess = spawn(join(APP, 'node_modules/.bin/next'), ['start', '--port', String(port), '--hostname', 'localhost'], {
    cwd: APP,
    env: { ...shellEnvironment(), NEXT_TELEMETRY_DISABLED: '1', PATKIT_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  started.add(child)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`next start printed no "Ready" in 60 s:\n${output}`)), 60_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (/\bReady\b/.test(output)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    void exited.then(() => {
      clearTimeout(timer)
      reject(new Error(`next start exited before it was ready:\n${output}`))
    })
  })
  return {
    url: `http://localhost:${port}`,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
      started.delete(child)
    },
  }
}

/** The cookies of a browser context as one Cookie header, for requests made from the test itself. */
async function cookieHeader(page: Page): Promise<string> {
  return (await page.context().cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ')
}

let browser: Browser
/** One database for both builds: a fresh PGlite folder costs an initdb, and keys outliving a rebuild is what users see. */
let dataDir: string
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'patkit-next-data-'))
  const [tarball, launched] = await Promise.all([timed('build and pack patkit', () => packPatkit(WORK)), launchChromium()])
  browser = launched
  mkdirSync(APP, { recursive: true })
  copyExample(tarball)
  await timed('npm install', () => installWithTarball(APP))
}, 600_000)

afterAll(async () => {
  await browser?.close()
  for (const child of started) child.kill('SIGTERM')
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  console.info(`Next.js example timings (ms): ${JSON.stringify(timings)}`)
})

describe.each([
  { bundler: 'Turbopack', args: ['build'] },
  { bundler: 'webpack', args: ['build', '--webpack'] },
])('examples/next built with $bundler', ({ bundler, args }) => {
  let server: NextServer
  let page: Page
  const browserMessages: string[] = []
  const keyName = `Deploy from ${bundler}`
  let token = ''

  beforeAll(async () => {
    const output = await timed(`next build (${bundler})`, () => run(join(APP, 'node_modules/.bin/next'), args, APP, { NEXT_TELEMETRY_DISABLED: '1' }))
    // The catch-all route is dynamic (ƒ), never prerendered at build time.
    expect(output).toMatch(/ƒ \/api\/\[\.\.\.path\]/)
    server = await timed(`next start (${bundler})`, () => nextStart(dataDir))
    // The first API request opens the embedded database (seconds, more on a busy machine); signed out, it then answers 401.
    const first = await timed(`first API answer, store opened (${bundler})`, () => fetch(`${server.url}/api/v1/personal-access-tokens/policy`))
    expect(first.status).toBe(401)
    page = await browser.newPage()
    page.setDefaultTimeout(15_000)
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') browserMessages.push(`${message.type()}: ${message.text()}`)
    })
    page.on('pageerror', (error) => browserMessages.push(`pageerror: ${error.message}`))
  }, 600_000)

  afterAll(async () => {
    await page?.close()
    await server?.stop()
  })

  it('renders the signed-out page on the server, and signs in through a server action', async () => {
    const html = await (await fetch(server.url)).text()
    expect(html).toContain('Sign in as Ada')
    await page.goto(server.url)
    await page.getByRole('button', { name: 'Sign in as Ada' }).click()
    await page.getByText('Signed in as ada').waitFor()
  })

  it("sends the components' initial markup in the server HTML, the list keeping its default class", async () => {
    const html = await (await fetch(server.url, { headers: { Cookie: await cookieHeader(page) } })).text()
    expect(html).toMatch(/class="patkit-CreatePersonalApiKey"/)
    // KeyList's className function composes with defaultClassName, so the starter theme still applies.
    expect(html).toMatch(/class="patkit-TokenList keys keys--loading"[^>]*data-loading="true"/)
  })

  it('creates a key and reveals its token once', async () => {
    await page.goto(server.url)
    await page.getByRole('textbox', { name: 'Name' }).fill(keyName)
    await page.getByRole('button', { name: 'Create key' }).click()
    const field = page.getByRole('textbox', { name: 'Your new API key' })
    token = await field.inputValue()
    expect(token).toMatch(TOKEN)
    // react-aria's checkbox input is visually hidden under its indicator: check it as a keyboard user does.
    await page.getByRole('checkbox', { name: 'I have saved this key' }).focus()
    await page.keyboard.press('Space')
    await page.getByRole('button', { name: 'Done' }).click()
    await field.waitFor({ state: 'detached' })
    expect(await page.content()).not.toContain(token)
  })

  it('lists the key, whose token authenticates against /api/v1/me', async () => {
    const row = page.getByRole('row', { name: new RegExp(keyName) })
    await row.waitFor()
    expect(await row.getAttribute('data-status')).toBe('active')
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ data: { userId: 'ada' } })
  })

  it('revokes the key, after which its token answers 401', async () => {
    await page.getByRole('button', { name: `Actions for ${keyName}` }).click()
    await page.getByRole('menuitem', { name: 'Revoke' }).click()
    const dialog = page.getByRole('alertdialog')
    await dialog.getByRole('button', { name: 'Revoke key' }).click()
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(() => page.getByRole('row', { name: new RegExp(keyName) }).getAttribute('data-status')).toBe('revoked')
    expect((await fetch(`${server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401)
  })

  it('refuses a key creation from another site, cookie and all', async () => {
    const response = await fetch(`${server.url}/api/v1/personal-access-tokens`, {
      method: 'POST',
      headers: { Cookie: await cookieHeader(page), Origin: 'https://evil.test', 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'forged', expirationOption: 'OneMonth' }),
    })
    expect(response.status).toBe(401)
  })

  it('logged no console error or warning (hydration mismatches among them) in the browser', () => {
    expect(browserMessages).toEqual([])
    expect(server.output()).not.toMatch(/error/i)
  })
})
