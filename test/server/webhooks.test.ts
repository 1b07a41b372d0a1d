import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createReferenceServer, memoryStore, signWebhook, type WebhookDelivery } from '../../src/server/index.ts'
import { sessionAuthenticate, setupWithStore } from './helpers.ts'

const PATH = '/v1/personal-access-tokens'
const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`

/** Standard Webhooks verification written independently of the server, with node:crypto. */
function verify(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const id = headers['webhook-id']
  const timestamp = headers['webhook-timestamp']
  const signatures = headers['webhook-signature']
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 5 * 60) return false
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64')
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest()
  return signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',')
    const given = Buffer.from(value ?? '', 'base64')
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected)
  })
}

interface Received {
  headers: IncomingHttpHeaders
  body: string
  verified: boolean
}

const receivers: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()))
})

/** A webhook receiver on 127.0.0.1 that verifies every request and answers `status(n)` to the n-th one (1-based). */
async function receiver(secret: string, status: (n: number) => number = () => 204) {
  const received: Received[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => (body += chunk))
    request.on('end', () => {
      const verified = verify(secret, request.headers, body)
      received.push({ headers: request.headers, body, verified })
      // A real receiver refuses what it cannot verify.
      response.statusCode = verified ? status(received.length) : 400
      response.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const handle = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
  receivers.push(handle)
  return handle
}

function serverWith(webhooks: Parameters<typeof createReferenceServer>[0]['webhooks']) {
  const deliveries: WebhookDelivery[] = []
  const env = setupWithStore(memoryStore(), {
    webhooks: webhooks && { ...webhooks, onDelivery: (delivery) => deliveries.push(delivery) },
  })
  return { ...env, deliveries }
}

describe('webhooks', () => {
  it('signs like the Standard Webhooks reference vector', async () => {
    const signature = await signWebhook(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    )
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=')
  })

  it('posts signed created, revoked and rotated events with the key but never its token or hash', async () => {
    const secret = newSecret()
    const hook = await receiver(secret)
    const { app, create, call, store, clock, deliveries } = serverWith({ endpoints: [{ url: hook.url, secret }] })
    const { apiKey, token } = await create('alice', { name: 'deploy' })
    await call('alice', 'DELETE', `${PATH}/${apiKey.id}`)
    await call('alice', 'DELETE', `${PATH}/${apiKey.id}`) // already revoked: no second event
    const other = await create('alice', { name: 'other' })
    const rotated = await call('alice', 'POST', `${PATH}/${other.apiKey.id}/rotate`)
    await app.settleWebhooks()

    expect(hook.received.every((r) => r.verified)).toBe(true)
    const events = hook.received.map((r) => JSON.parse(r.body))
    expect(events.map((e) => e.type)).toEqual([
      'personalAccessToken.created',
      'personalAccessToken.revoked',
      'personalAccessToken.created',
      'personalAccessToken.rotated',
    ])
    const at = clock.now().toISOString()
    expect(events[0]).toEqual({
      type: 'personalAccessToken.created',
      timestamp: at,
      data: { ...apiKey, userId: 'alice' },
    })
    expect(events[1].data).toMatchObject({ id: apiKey.id, status: 'revoked', revokedAt: at, userId: 'alice' })
    expect(events[3].data).toEqual({ ...rotated.body.data.apiKey, userId: 'alice', previous: { id: other.apiKey.id, revokedAt: at } })

    const everything = hook.received.map((r) => JSON.stringify(r)).join('\n')
    const hashes = store.snapshot().keys.map((k) => k.hash)
    for (const secretText of [token, other.token, rotated.body.data.token, ...hashes]) expect(everything).not.toContain(secretText)

    const ids = hook.received.map((r) => r.headers['webhook-id'])
    expect(ids.every((id) => /^msg_[0-9A-Za-z]+$/.test(String(id)))).toBe(true)
    expect(new Set(ids).size).toBe(4)
    expect(hook.received[0]!.headers['content-type']).toBe('application/json')
    expect(deliveries.map((d) => [d.ok, d.attempts, d.status])).toEqual(Array(4).fill([true, 1, 204]))
  })

  it('is refused by the receiver when the body or the secret differs', async () => {
    const secret = newSecret()
    const hook = await receiver(secret)
    const { app, create } = serverWith({ endpoints: [{ url: hook.url, secret }] })
    await create('alice', { name: 'a' })
    await app.settleWebhooks()
    const [{ headers, body }] = hook.received as [Received]
    expect(verify(secret, headers, body)).toBe(true)
    expect(verify(secret, headers, body.replace('"alice"', '"mallory"'))).toBe(false)
    expect(verify(newSecret(), headers, body)).toBe(false)
    expect(verify(secret, { ...headers, 'webhook-id': 'msg_other' }, body)).toBe(false)
    expect(verify(secret, { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) + 1) }, body)).toBe(false)
  })

  it('retries with the same webhook-id until the receiver accepts, backing off exponentially', async () => {
    const secret = newSecret()
    const hook = await receiver(secret, (n) => (n <= 2 ? 503 : 200))
    const started = Date.now()
    const { app, create, deliveries } = serverWith({ endpoints: [{ url: hook.url, secret }], retry: { attempts: 5, baseDelayMs: 40 } })
    await create('alice', { name: 'a' })
    await app.settleWebhooks()
    expect(Date.now() - started).toBeGreaterThanOrEqual(40 + 80)
    expect(hook.received).toHaveLength(3)
    expect(hook.received.every((r) => r.verified)).toBe(true)
    expect(new Set(hook.received.map((r) => r.headers['webhook-id'])).size).toBe(1)
    expect(deliveries).toEqual([expect.objectContaining({ ok: true, attempts: 3, status: 200 })])
  })

  it('gives up after the last attempt, and the API answer never depends on delivery', async () => {
    const secret = newSecret()
    const down = await receiver(secret)
    await down.close() // nothing listens on that port any more
    const failing = await receiver(secret, () => 500)
    const { app, call, deliveries } = serverWith({
      endpoints: [{ url: down.url, secret }, { url: failing.url, secret }],
      retry: { attempts: 3, baseDelayMs: 5 },
    })
    const response = await call('alice', 'POST', PATH, { name: 'a' })
    expect(response.status).toBe(201)
    await app.settleWebhooks()
    expect(failing.received).toHaveLength(3)
    const byUrl = Object.fromEntries(deliveries.map((d) => [d.url, d]))
    expect(byUrl[down.url]).toMatchObject({ ok: false, attempts: 3, error: expect.any(String) })
    expect(byUrl[failing.url]).toMatchObject({ ok: false, attempts: 3, status: 500 })
  })

  it('answers before a slow receiver has answered', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    let calls = 0
    const slowFetch = async () => {
      calls++
      await gate
      return new Response(null, { status: 204 })
    }
    const { app, call, deliveries } = serverWith({ endpoints: [{ url: 'https://hooks.example/x', secret: newSecret() }], fetch: slowFetch })
    const response = await call('alice', 'POST', PATH, { name: 'a' })
    expect(response.status).toBe(201)
    // Signing is asynchronous, so the request may leave a moment after the answer.
    await vi.waitFor(() => expect(calls).toBe(1))
    expect(deliveries).toEqual([])
    release()
    await app.settleWebhooks()
    expect(deliveries).toEqual([expect.objectContaining({ ok: true })])
  })

  it('sends only after the write committed, and nothing for a refused write', async () => {
    const store = memoryStore()
    const seenInStore: boolean[] = []
    const fetchAfterCommit = async (_url: string, init: RequestInit) => {
      const { data } = JSON.parse(String(init.body))
      seenInStore.push((await store.getKey(data.userId, data.id)) !== null)
      return new Response(null, { status: 200 })
    }
    const app = createReferenceServer({
      store,
      authenticate: sessionAuthenticate,
      webhooks: { endpoints: [{ url: 'https://hooks.example/x', secret: newSecret() }], fetch: fetchAfterCommit },
    })
    const post = (name: string) =>
      app.fetch(new Request(`http://test${PATH}`, { method: 'POST', headers: { Authorization: 'Bearer session-alice' }, body: JSON.stringify({ name }) }))
    expect((await post('a')).status).toBe(201)
    expect((await post('a')).status).toBe(409) // name taken: rolled back, no event
    await app.settleWebhooks()
    expect(seenInStore).toEqual([true])
  })

  it.each([
    ['a secret without the whsec_ prefix', { url: 'https://hooks.example/x', secret: randomBytes(32).toString('base64') }],
    ['a secret that is too short', { url: 'https://hooks.example/x', secret: `whsec_${randomBytes(8).toString('base64')}` }],
    ['a secret that is not base64', { url: 'https://hooks.example/x', secret: 'whsec_not base64!' }],
    ['a URL that is not http(s)', { url: 'ftp://hooks.example/x', secret: newSecret() }],
    ['something that is not a URL', { url: 'hooks', secret: newSecret() }],
  ])('refuses %s at start-up', (_, endpoint) => {
    expect(() => createReferenceServer({ store: memoryStore(), authenticate: sessionAuthenticate, webhooks: { endpoints: [endpoint] } })).toThrow(
      /patkit webhooks/,
    )
  })
})
