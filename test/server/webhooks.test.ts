import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  createReferenceServer,
  DEFAULT_RETRY_DELAYS_MS,
  memoryStore,
  signWebhook,
  verifyWebhook,
  type WebhookDelivery,
} from '../../src/server/index.ts'
import { DAY, sessionAuthenticate, setup, setupWithStore, testClock } from './helpers.ts'

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
    await app.settle()

    expect(hook.received.every((r) => r.verified)).toBe(true)
    const events = hook.received.map((r) => JSON.parse(r.body))
    expect(events.map((e) => e.type).sort()).toEqual([
      'personalAccessToken.created',
      'personalAccessToken.created',
      'personalAccessToken.revoked',
      'personalAccessToken.rotated',
    ])
    const at = clock.now().toISOString()
    const byType = (type: string) => events.filter((e) => e.type === type)
    expect(byType('personalAccessToken.created')).toContainEqual({
      type: 'personalAccessToken.created',
      timestamp: at,
      data: { ...apiKey, userId: 'alice' },
    })
    expect(byType('personalAccessToken.revoked')[0].data).toMatchObject({ id: apiKey.id, status: 'revoked', revokedAt: at, userId: 'alice' })
    expect(byType('personalAccessToken.rotated')[0].data).toEqual({
      ...rotated.body.data.apiKey,
      userId: 'alice',
      previous: { id: other.apiKey.id, expiresAt: other.apiKey.expiresAt, revokedAt: at, gracePeriod: 'None' },
    })

    const everything = hook.received.map((r) => JSON.stringify(r)).join('\n')
    const hashes = store.snapshot().keys.map((k) => k.hash)
    for (const secretText of [token, other.token, rotated.body.data.token, ...hashes]) expect(everything).not.toContain(secretText)

    const ids = hook.received.map((r) => r.headers['webhook-id'])
    expect(ids.every((id) => /^msg_[0-9A-Za-z]+$/.test(String(id)))).toBe(true)
    expect(new Set(ids).size).toBe(4)
    expect(hook.received[0]!.headers['content-type']).toBe('application/json')
    expect(deliveries.map((d) => [d.outcome, d.attempts, d.status])).toEqual(Array(4).fill(['delivered', 1, 204]))
  })

  it('names the owner and creator of an organization’s key, and says how a rotation with a grace period left the old key', async () => {
    const secret = newSecret()
    const hook = await receiver(secret)
    const { app, call, clock } = serverWith({ endpoints: [{ url: hook.url, secret }] })
    const ORG = '/v1/organizations/acme/api-keys'
    const created = (await call('alice', 'POST', ORG, { name: 'deploy', description: 'Acme CI' })).body.data.apiKey
    const rotated = (await call('olivia', 'POST', `${ORG}/${created.id}/rotate`, { gracePeriod: 'OneDay' })).body.data
    await app.settle()
    const events = hook.received.map((r) => JSON.parse(r.body))
    expect(events.map((e) => e.type).sort()).toEqual(['personalAccessToken.created', 'personalAccessToken.rotated'])
    const byType = (type: string) => events.find((e) => e.type === type).data
    expect(byType('personalAccessToken.created')).toEqual({ ...created, userId: null })
    expect(byType('personalAccessToken.created')).toMatchObject({
      owner: { type: 'organization', id: 'acme' },
      createdBy: { userId: 'alice', name: 'Alice' },
      description: 'Acme CI',
    })
    expect(byType('personalAccessToken.rotated')).toEqual({
      ...rotated.apiKey,
      userId: null,
      previous: {
        id: created.id,
        expiresAt: new Date(clock.now().getTime() + DAY).toISOString(),
        revokedAt: null,
        gracePeriod: 'OneDay',
      },
    })
    expect(byType('personalAccessToken.rotated').createdBy).toEqual({ userId: 'olivia', name: 'Olivia' })
  })

  it('is verified by verifyWebhook, which refuses another body, secret, id or a timestamp outside the window', async () => {
    const secret = newSecret()
    const hook = await receiver(secret)
    const { app, create } = serverWith({ endpoints: [{ url: hook.url, secret }] })
    await create('alice', { name: 'a' })
    await app.settle()
    const [{ headers, body }] = hook.received as [Received]
    const plain = headers as Record<string, string>
    expect(verify(secret, headers, body)).toBe(true)
    const verified = await verifyWebhook(secret, plain, body)
    expect(verified).toMatchObject({ ok: true, messageId: headers['webhook-id'], event: { type: 'personalAccessToken.created' } })
    // A Headers object works too.
    expect((await verifyWebhook(secret, new Headers(plain), body)).ok).toBe(true)
    expect(await verifyWebhook(secret, plain, body.replace('"alice"', '"mallory"'))).toEqual({ ok: false, reason: 'invalid_signature' })
    expect(await verifyWebhook(newSecret(), plain, body)).toEqual({ ok: false, reason: 'invalid_signature' })
    expect(await verifyWebhook(secret, { ...plain, 'webhook-id': 'msg_other' }, body)).toEqual({ ok: false, reason: 'invalid_signature' })
    expect(await verifyWebhook(secret, { ...plain, 'webhook-signature': undefined }, body)).toEqual({ ok: false, reason: 'missing_headers' })
    expect(await verifyWebhook(secret, { ...plain, 'webhook-signature': 'v1,not base64!' }, body)).toEqual({ ok: false, reason: 'invalid_signature' })
    // During a secret rotation a sender signs twice; either signature suffices.
    const twice = `v1,${Buffer.alloc(32).toString('base64')} ${plain['webhook-signature']}`
    expect((await verifyWebhook(secret, { ...plain, 'webhook-signature': twice }, body)).ok).toBe(true)
    // The replay window: a captured request is refused five minutes and a second later, either way.
    const sent = Number(plain['webhook-timestamp']) * 1000
    const at = (ms: number) => ({ now: () => new Date(sent + ms) })
    expect((await verifyWebhook(secret, plain, body, at(300_000))).ok).toBe(true)
    expect(await verifyWebhook(secret, plain, body, at(301_000))).toEqual({ ok: false, reason: 'timestamp_out_of_tolerance' })
    expect(await verifyWebhook(secret, plain, body, at(-301_000))).toEqual({ ok: false, reason: 'timestamp_out_of_tolerance' })
    expect((await verifyWebhook(secret, plain, body, { ...at(3_600_000), toleranceSeconds: 3_600 })).ok).toBe(true)
  })

  it('retries with the same webhook-id on the Standard Webhooks schedule until the receiver accepts', async () => {
    const secret = newSecret()
    const hook = await receiver(secret, (n) => (n <= 2 ? 503 : 200))
    const { app, create, clock, deliveries } = serverWith({ endpoints: [{ url: hook.url, secret }] })
    await create('alice', { name: 'a' })
    await app.settle()
    expect(deliveries).toEqual([expect.objectContaining({ outcome: 'retrying', attempts: 1, status: 503 })])
    expect(deliveries[0]!.nextAttemptAt).toBe(new Date(clock.now().getTime() + 5_000).toISOString())
    // Not due yet: nothing is sent.
    clock.advance(4_999)
    await app.settle()
    expect(hook.received).toHaveLength(1)
    clock.advance(1)
    await app.settle()
    expect(deliveries.at(-1)).toMatchObject({ outcome: 'retrying', attempts: 2, status: 503 })
    clock.advance(5 * 60_000 - 1)
    await app.settle()
    expect(hook.received).toHaveLength(2)
    clock.advance(1)
    await app.settle()
    expect(deliveries.at(-1)).toMatchObject({ outcome: 'delivered', ok: true, attempts: 3, status: 200 })
    expect(hook.received.every((r) => r.verified)).toBe(true)
    expect(new Set(hook.received.map((r) => r.headers['webhook-id'])).size).toBe(1)
    // Delivered: never sent again.
    clock.advance(DAY)
    await app.settle()
    expect(hook.received).toHaveLength(3)
  })

  it('keeps trying for about a day by default, then gives up; the API answer never depends on delivery', () => {
    const total = DEFAULT_RETRY_DELAYS_MS.reduce((sum, delay) => sum + delay, 0)
    expect(DEFAULT_RETRY_DELAYS_MS[0]).toBe(5_000)
    expect(DEFAULT_RETRY_DELAYS_MS.at(-1)).toBe(10 * 3_600_000)
    expect(total).toBeGreaterThan(DAY)
    expect(total).toBeLessThan(1.5 * DAY)
  })

  it('gives up after the last attempt, reporting each', async () => {
    const secret = newSecret()
    const down = await receiver(secret)
    await down.close() // nothing listens on that port any more
    const failing = await receiver(secret, () => 500)
    const { app, call, clock, deliveries, store } = serverWith({
      endpoints: [{ url: down.url, secret }, { url: failing.url, secret }],
      retryDelaysMs: [1_000, 2_000],
    })
    const response = await call('alice', 'POST', PATH, { name: 'a' })
    expect(response.status).toBe(201)
    for (const step of [0, 1_000, 2_000, 10_000]) {
      clock.advance(step)
      await app.settle()
    }
    expect(failing.received).toHaveLength(3)
    const last = (url: string) => deliveries.filter((d) => d.url === url).at(-1)
    expect(last(down.url)).toMatchObject({ outcome: 'failed', ok: false, attempts: 3, error: expect.any(String) })
    expect(last(failing.url)).toMatchObject({ outcome: 'failed', ok: false, attempts: 3, status: 500 })
    expect(store.snapshot().webhooks.every((row) => row.failedAt !== null && row.deliveredAt === null)).toBe(true)
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
    await app.settle()
    expect(deliveries).toEqual([expect.objectContaining({ ok: true, outcome: 'delivered' })])
  })

  it('writes the event with the change, so nothing is sent for a refused write', async () => {
    const store = memoryStore()
    const sent: string[] = []
    const app = createReferenceServer({
      store,
      authenticate: sessionAuthenticate,
      webhooks: {
        endpoints: [{ url: 'https://hooks.example/x', secret: newSecret() }],
        fetch: async (_url, init) => {
          sent.push(JSON.parse(String(init.body)).data.name)
          return new Response(null, { status: 200 })
        },
      },
    })
    const post = (name: string) =>
      app.fetch(new Request(`http://test${PATH}`, { method: 'POST', headers: { Authorization: 'Bearer session-alice', 'Content-Type': 'application/json' }, body: JSON.stringify({ name }) }))
    expect((await post('a')).status).toBe(201)
    expect((await post('a')).status).toBe(409) // name taken: rolled back with its event
    await app.settle()
    expect(sent).toEqual(['a'])
    expect(store.snapshot().webhooks).toHaveLength(1)
    await app.close()
  })

  it('is delivered by another instance once the one that claimed it is gone, exactly once', async () => {
    const secret = newSecret()
    const hook = await receiver(secret)
    const store = memoryStore()
    const clock = testClock()
    const endpoints = [{ url: hook.url, secret }]
    // The first instance "dies" mid-delivery: its request never leaves, so it never settles the message.
    const dying = createReferenceServer({
      store, authenticate: sessionAuthenticate, now: clock.now, backgroundWork: false,
      webhooks: { endpoints, leaseMs: 30_000, fetch: () => new Promise<Response>(() => undefined) },
    })
    const survivor = createReferenceServer({ store, authenticate: sessionAuthenticate, now: clock.now, backgroundWork: false, webhooks: { endpoints, leaseMs: 30_000 } })
    const created = await dying.fetch(new Request(`http://test${PATH}`, {
      method: 'POST', headers: { Authorization: 'Bearer session-alice', 'Content-Type': 'application/json' }, body: '{"name":"a"}',
    }))
    expect(created.status).toBe(201)
    await vi.waitFor(() => expect(store.snapshot().webhooks[0]!.leaseId).not.toBeNull())
    // While the lease holds, the survivor leaves the message alone.
    await survivor.settle()
    expect(hook.received).toHaveLength(0)
    clock.advance(30_000)
    await survivor.settle()
    expect(hook.received).toHaveLength(1)
    expect(store.snapshot().webhooks[0]).toMatchObject({ attempts: 2, deliveredAt: clock.now().toISOString() })
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

describe('background work', () => {
  it('purges expired Idempotency-Key records without waiting for the user’s next write', async () => {
    const { app, create, clock, store } = setup()
    await create('alice', { name: 'a' }, { 'Idempotency-Key': 'k1' })
    await app.runBackgroundWork()
    expect(store.snapshot().idempotencyRecords).toHaveLength(1)
    clock.advance(DAY + 10 * 60_000)
    await app.runBackgroundWork()
    expect(store.snapshot().idempotencyRecords).toEqual([])
  })
})
