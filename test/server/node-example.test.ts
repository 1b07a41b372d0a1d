import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// README's "Serving patkit/server from a plain Node app" is examples/node-server/server.ts: run it as a
// user would (tsx, its own process, an embedded database in a fresh folder) and use it over HTTP.
describe('examples/node-server', () => {
  let child: ChildProcess
  let dataDir: string
  let base: string
  let output = ''

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'patkit-node-example-'))
    child = spawn(process.execPath, ['--import', 'tsx', 'examples/node-server/server.ts'], {
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    base = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString()
        const match = /listening on (http:\/\/\S+)/.exec(output)
        if (match) resolve(match[1]!)
      }
      child.stdout!.on('data', onData)
      child.stderr!.on('data', onData)
      child.once('exit', (code) => reject(new Error(`the example exited (${code}) before listening:\n${output}`)))
    })
  }, 120_000)

  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    await rm(dataDir, { recursive: true, force: true })
  })

  it('creates a key under /api for a signed-in session, which then opens the app route that needs its scope', async () => {
    const session = { Cookie: 'session=dev-session', 'Content-Type': 'application/json' }
    const created = await fetch(`${base}/api/v1/personal-access-tokens`, {
      method: 'POST',
      headers: session,
      body: JSON.stringify({ name: 'example', expirationOption: 'OneMonth', scopes: ['read:projects'] }),
    })
    expect(created.status).toBe(201)
    const { data: { token, apiKey } } = (await created.json()) as { data: { token: string; apiKey: { id: string } } }

    const projects = await fetch(`${base}/projects`, { headers: { Authorization: `Bearer ${token}` } })
    expect(projects.status).toBe(200)
    expect(await projects.json()).toEqual({ data: [{ id: 'proj_1', owner: 'user_1' }] })

    const revoked = await fetch(`${base}/api/v1/personal-access-tokens/${apiKey.id}`, { method: 'DELETE', headers: session })
    expect(revoked.status).toBe(200)
    expect((await fetch(`${base}/projects`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401)
  })

  it('answers 401 to a request without a session, and stops cleanly on SIGTERM', async () => {
    expect((await fetch(`${base}/api/v1/personal-access-tokens`)).status).toBe(401)
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })
})
