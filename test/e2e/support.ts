/**
 * Runs the demo exactly as `npm start` does (demo/server.ts in its own Node process) and drives it
 * with Debian's Chromium through playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'

const repo = fileURLToPath(new URL('../../', import.meta.url))

export interface DemoServer {
  url: string
  /** Everything the server printed, for failure messages and the no-token-in-logs check. */
  output: () => string
  /** SIGINT, as Ctrl-C would send; resolves with the exit code. */
  stop: () => Promise<number | null>
}

/** Vitest sets these in its workers (NODE_ENV=test, MODE, SSR…); the demo must see a shell's environment. */
const VITEST_VARIABLES = /^(VITEST.*|NODE_ENV|TEST|DEV|PROD|MODE|SSR|BASE_URL)$/

export function shellEnvironment(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !VITEST_VARIABLES.test(name)) env[name] = value
  return env
}

export async function startDemo(env: Record<string, string> = {}): Promise<DemoServer> {
  // `node --import tsx` rather than `npx tsx`: one process, so the signal reaches the server itself.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'demo/server.ts'], {
    cwd: repo,
    env: { ...shellEnvironment(), PORT: '0', HOST: 'localhost', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo server did not start in 75 s:\n${output}`)), 75_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /patkit demo: (http:\/\/localhost:\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`demo server exited with ${code} before printing its URL:\n${output}`))
    })
  })
  return {
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT')
      return exited
    },
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}

/** Calls `GET /api/v1/me` from the test process with a key, as a script would (no cookies). */
export async function whoAmI(url: string, token: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } })
  return { status: response.status, body: await response.json() }
}

/** The seeded accounts' password, as the sign-in screen shows it (demo/auth.ts). */
export const DEMO_PASSWORD = 'patkit-demo'

export const emailOf = (who: 'Alice' | 'Bob') => `${who.toLowerCase()}@example.com`

/** Signs in through the page's form as a visitor would: email, password, Enter (signing out first if need be). */
export async function signIn(page: Page, who: 'Alice' | 'Bob', password = DEMO_PASSWORD) {
  const signOut = page.getByRole('button', { name: 'Sign out' })
  const email = page.getByRole('textbox', { name: 'Email' })
  await Promise.race([signOut.waitFor(), email.waitFor()])
  if (await signOut.isVisible()) {
    await signOut.click()
    await email.waitFor()
  }
  await email.fill(emailOf(who))
  await page.getByLabel('Password').fill(password)
  await page.getByLabel('Password').press('Enter')
  if (password === DEMO_PASSWORD) await page.getByText(`Signed in as ${who}`).waitFor()
}

/**
 * Signs in over HTTP, as a script holding a password would, and returns the session cookie for a
 * `Cookie` header. The `Origin` is the demo's own: Better Auth refuses a sign-in from another site.
 */
export async function sessionCookie(url: string, who: 'Alice' | 'Bob'): Promise<string> {
  const response = await fetch(`${url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: url },
    body: JSON.stringify({ email: emailOf(who), password: DEMO_PASSWORD }),
  })
  if (!response.ok) throw new Error(`sign-in as ${who} answered ${response.status}: ${await response.text()}`)
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0]!)
    .join('; ')
}

interface AxeViolation {
  id: string
  help: string
  nodes: { target: string[] }[]
}

/** axe-core in the page (WCAG 2.1 A/AA, colour contrast included); returns the violations in a readable form. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') })
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: object, options: object): Promise<{ violations: AxeViolation[] }> } }).axe
    // react-aria's LiveAnnouncer region holds recent announcements as `role="img"` pointers to elements
    // that may be gone by now (it clears them after a few seconds); it is not part of the page's content.
    const context = { include: [['body']], exclude: [['[role="log"][aria-live]']] }
    return (await axe.run(context, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] })).violations
  })
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
}
