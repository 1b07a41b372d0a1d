import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { launchChromium, sessionCookie, signIn, startDemo, whoAmI, type DemoServer } from './support.ts'

let dataDir: string
let server: DemoServer | undefined
let browser: Browser

// A fresh PGlite folder runs initdb, which takes seconds (far more on a busy machine).
const START_TIMEOUT = 90_000

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'patkit-e2e-'))
  ;[server, browser] = await Promise.all([startDemo({ PATKIT_DATA_DIR: dataDir }), launchChromium()])
}, START_TIMEOUT)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

/** Creates a key over HTTP with Alice's session cookie, as a non-browser client may. */
async function createKey(url: string, name: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/personal-access-tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: await sessionCookie(url, 'Alice') },
    body: JSON.stringify({ name }),
  })
  expect(response.status).toBe(201)
  return ((await response.json()) as { data: { token: string } }).data.token
}

describe('the demo on its default store (PGlite in a data folder)', () => {
  it('keeps keys across a Ctrl-C and restart: still listed, still working', async () => {
    const token = await createKey(server!.url, 'Survives restarts')
    const cookie = await sessionCookie(server!.url, 'Alice')
    expect(await server!.stop()).toBe(0)
    server = await startDemo({ PATKIT_DATA_DIR: dataDir })

    // Sessions live in the database, signed with a secret kept there: still signed in after the restart.
    const session = await fetch(`${server.url}/demo/session`, { headers: { Cookie: cookie } })
    expect(await session.json()).toMatchObject({ user: { id: 'alice' } })

    expect(await whoAmI(server.url, token)).toMatchObject({ status: 200, body: { data: { userId: 'alice' } } })
    const page = await browser.newPage()
    await page.goto(server.url)
    await signIn(page, 'Alice')
    await page.getByRole('grid', { name: 'Personal API keys' }).getByRole('row', { name: /Survives restarts/ }).waitFor()
    // The server never prints a token or an Authorization header.
    expect(server.output()).not.toContain(token)
  }, START_TIMEOUT)

  it('refuses a second server on the same data folder with a clear message, and the first keeps its keys', async () => {
    const token = await createKey(server!.url, 'Not lost to a second server')
    const second = await startDemo({ PATKIT_DATA_DIR: dataDir }).then(
      () => null,
      (error: Error) => error.message,
    )
    expect(second).toMatch(/exited with 1 before printing its URL/)
    expect(second).toContain(`the data folder ${dataDir} is in use by another process (pid `)
    expect(await whoAmI(server!.url, token)).toMatchObject({ status: 200 })
    // Once the first stops, the folder is free again and the key is still there.
    expect(await server!.stop()).toBe(0)
    server = await startDemo({ PATKIT_DATA_DIR: dataDir })
    expect(await whoAmI(server.url, token)).toMatchObject({ status: 200 })
  }, START_TIMEOUT)
})
