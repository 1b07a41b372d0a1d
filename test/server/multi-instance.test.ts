import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyWebhook } from '../../src/server/index.ts'
import { findRealPostgres, startThrowawayCluster, type Cluster } from './pg-cluster.ts'

/**
 * Two server processes (scripts/instance.ts) on one real PostgreSQL, as behind a load balancer:
 * the rate limit holds across both, an event is delivered exactly once after the instance delivering
 * it is SIGKILLed, and a PostgreSQL restart in the middle of a stream of creates kills no process,
 * answers only 201 or 503, and loses no acknowledged key. Figures are printed for the closing note.
 */

const PATH = '/v1/personal-access-tokens'
const repo = fileURLToPath(new URL('../../', import.meta.url))
const real = findRealPostgres()
// A restart needs a cluster of our own: a PATKIT_TEST_DATABASE_URL server is not ours to restart, so
// that setup skips this file; without any PostgreSQL it fails where CI requires one.
const unavailable = real.kind === 'url' || (real.kind === 'none' && !process.env.PATKIT_REQUIRE_REAL_POSTGRES)
if (real.kind === 'url') console.warn('multi-instance: skipped, it needs PostgreSQL binaries to run (and restart) a cluster of its own')

interface Instance {
  name: string
  base: string
  child: ChildProcess
  exited: () => boolean
  output: () => string
}

let cluster: Cluster
let schema: string
let admin: pg.Client
const instances: Instance[] = []
const secret = `whsec_${randomBytes(32).toString('base64')}`

/** A webhook receiver that verifies each attempt; `hold` decides which attempts it never answers. */
function webhookReceiver() {
  const attempts: { messageId: string; from: string; name: string; answered: number | null }[] = []
  let hold: (name: string, attemptsSoFar: number) => boolean = () => false
  const held: ServerResponse[] = []
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => (body += chunk))
    request.on('end', async () => {
      const verified = await verifyWebhook(secret, request.headers as Record<string, string>, body)
      if (!verified.ok) {
        response.statusCode = 400
        response.end()
        return
      }
      const name = verified.event.data.name
      const attempt = { messageId: verified.messageId, from: String(request.headers['x-patkit-instance']), name, answered: null as number | null }
      attempts.push(attempt)
      if (hold(name, attempts.filter((a) => a.name === name).length)) {
        held.push(response)
        return
      }
      attempt.answered = 200
      response.statusCode = 200
      response.end()
    })
  })
  return {
    attempts,
    setHold(rule: typeof hold) {
      hold = rule
    },
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`))),
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of held) response.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const receiver = webhookReceiver()

async function startInstance(name: string, webhookUrl: string): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/instance.ts'], {
    cwd: repo,
    env: {
      ...process.env,
      DATABASE_URL: cluster.url,
      PGSCHEMA: schema,
      INSTANCE: name,
      WEBHOOK_URL: webhookUrl,
      WEBHOOK_SECRET: secret,
      WEBHOOK_LEASE_MS: '3000',
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_POLL_MS: '500',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  let exited = false
  child.once('exit', () => (exited = true))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const base = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`instance ${name} exited (${code ?? signal}) before listening:\n${output}`)))
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening (http:\/\/\S+)/.exec(output)
      if (match) resolve(match[1]!)
    })
  })
  const instance = { name, base, child, exited: () => exited, output: () => output }
  instances.push(instance)
  return instance
}

async function call(instance: Instance, user: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  try {
    const response = await fetch(instance.base + path, {
      method,
      headers: { Authorization: `Bearer session-${user}`, 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : undefined }
  } catch (error) {
    return { status: 0, body: String(error) }
  }
}

let webhookUrl: string

/** The test's own connection; the restart cuts it, so it listens for that and is opened anew after. */
async function connectAdmin() {
  const client = new pg.Client({ connectionString: cluster.url })
  client.on('error', () => undefined)
  await client.connect()
  return client
}


const count = async (sql: string, params: unknown[] = []) => Number((await admin.query(`SELECT count(*) AS n FROM ${schema}.${sql}`, params)).rows[0].n)

describe.skipIf(unavailable)('two instances on one PostgreSQL', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    if (real.kind !== 'binaries') throw new Error('the multi-instance test starts its own PostgreSQL cluster from /usr/lib/postgresql/*/bin')
    ;[cluster, webhookUrl] = await Promise.all([startThrowawayCluster(real.bin), receiver.listen()])
    schema = `patkit_multi_${crypto.randomUUID().replace(/-/g, '')}`
    admin = await connectAdmin()
    await admin.query(`CREATE SCHEMA ${schema}`)
    // The first migrates; starting both at once also exercises migrate's advisory lock.
    await Promise.all([startInstance('a', webhookUrl), startInstance('b', webhookUrl)])
  }, 120_000)

  afterAll(async () => {
    for (const instance of instances) if (!instance.exited()) instance.child.kill('SIGKILL')
    await admin?.end().catch(() => undefined)
    await receiver.close()
    await cluster?.stop()
  }, 60_000)

  it('share one rate limit: 60 creates a minute per user across both, not 60 each', async () => {
    const [a, b] = instances as [Instance, Instance]
    const statuses: number[] = []
    for (let i = 0; i < 64; i++) statuses.push((await call(i % 2 ? a : b, 'limited', 'POST', PATH, { name: `k${i}` })).status)
    expect(statuses.slice(0, 60)).toEqual(Array(60).fill(201))
    expect(statuses.slice(60)).toEqual([429, 429, 429, 429])
    expect(await count(`patkit_personal_access_tokens WHERE user_id = 'limited'`)).toBe(60)
  })

  it('delivers an event exactly once after the instance delivering it is SIGKILLed', async () => {
    const [a] = instances as [Instance]
    // The receiver never answers the first attempt: the instance that sent it is killed mid-delivery.
    receiver.setHold((name, attemptsSoFar) => name === 'kill-me' && attemptsSoFar === 1)
    expect((await call(a, 'hooks', 'POST', PATH, { name: 'kill-me' })).status).toBe(201)
    await expect.poll(() => receiver.attempts.filter((x) => x.name === 'kill-me').length, { timeout: 20_000 }).toBe(1)
    const first = receiver.attempts.find((x) => x.name === 'kill-me')!
    const sender = instances.find((instance) => instance.name === first.from)!
    sender.child.kill('SIGKILL')
    await expect.poll(() => sender.exited()).toBe(true)
    // The survivor takes the message over once the dead instance's lease (3 s) runs out.
    await expect
      .poll(() => count(`patkit_webhook_outbox WHERE message_id = $1 AND delivered_at IS NOT NULL`, [first.messageId]), { timeout: 30_000 })
      .toBe(1)
    const attempts = receiver.attempts.filter((x) => x.messageId === first.messageId)
    expect(attempts.map((x) => x.answered)).toEqual([null, 200])
    expect(attempts[1]!.from).not.toBe(sender.name)
    console.log(`multi-instance: event written by ${a.name}, first attempt by ${sender.name} (killed), delivered once by ${attempts[1]!.from}`)
    // Bring the pair back for the next test.
    instances.splice(instances.indexOf(sender), 1)
    await startInstance(`${sender.name}2`, webhookUrl)
  })

  it('keeps both processes up through a PostgreSQL restart mid-stream of creates: 201 or 503 only, every 201 stored, retries succeed', async () => {
    const [a, b] = instances as [Instance, Instance]
    const TOTAL = 160
    const firstAnswers: number[] = []
    const retryAnswers: number[] = []
    const acknowledged: string[] = []
    let next = 0
    let restarted: Promise<void> | undefined
    const started = performance.now()
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        while (next < TOTAL) {
          const i = next++
          const headers = { 'Idempotency-Key': `stream-${i}` }
          const target = i % 2 ? a : b
          const user = `stream-${worker}`
          let answer = await call(target, user, 'POST', PATH, { name: `stream ${i}` }, headers)
          firstAnswers.push(answer.status)
          // Retry with the same key, as a client does after a 503, until the key is known to exist.
          for (let attempt = 1; answer.status === 503 && attempt <= 200; attempt++) {
            await new Promise((resolve) => setTimeout(resolve, 50))
            answer = await call(attempt % 2 ? b : a, user, 'POST', PATH, { name: `stream ${i}` }, headers)
            retryAnswers.push(answer.status)
          }
          if (answer.status === 201) acknowledged.push(answer.body.data.apiKey.id)
          if (next >= 40 && !restarted) restarted = cluster.restart()
        }
      }),
    )
    await restarted
    await admin.end().catch(() => undefined)
    admin = await connectAdmin()
    const elapsed = performance.now() - started
    const tally = (values: number[]) => Object.entries(values.reduce<Record<number, number>>((t, v) => ((t[v] = (t[v] ?? 0) + 1), t), {})).map(([s, n]) => `${s}×${n}`).join(' ')
    console.log(`multi-instance restart: ${TOTAL} creates in ${elapsed.toFixed(0)} ms; first answers ${tally(firstAnswers)}; retries ${tally(retryAnswers)}`)

    expect(instances.every((instance) => !instance.exited())).toBe(true)
    expect(firstAnswers.every((status) => status === 201 || status === 503)).toBe(true)
    expect(firstAnswers).toContain(503) // the restart did land mid-stream
    // A retry ends in 201, or in 409 idempotency_key_reused when the 503 hid a commit that went through.
    expect(retryAnswers.every((status) => status === 201 || status === 503 || status === 409)).toBe(true)
    const rows = (await admin.query<{ id: string; name: string }>(`SELECT id, name FROM ${schema}.patkit_personal_access_tokens WHERE user_id LIKE 'stream-%'`)).rows
    const ids = new Set(rows.map((row) => row.id))
    expect(acknowledged.filter((id) => !ids.has(id))).toEqual([])
    // Every create landed exactly once, whatever its client saw.
    expect(rows).toHaveLength(TOTAL)
    expect(new Set(rows.map((row) => row.name)).size).toBe(TOTAL)
    // And the instances serve normally afterwards.
    expect((await call(a, 'after', 'POST', PATH, { name: 'after' })).status).toBe(201)
    expect((await call(b, 'after', 'GET', PATH)).status).toBe(200)
  })
})
