import type { GracePeriodOption, KeyCreator, KeyOwner, PersonalApiKey } from '../client/types.ts'
import type { ClaimedOutboxMessage, KeyStore, OutboxMessage, OutboxOutcome } from './store.ts'
import { randomBase62 } from './token.ts'

/**
 * Outgoing webhooks, signed per the Standard Webhooks spec (standardwebhooks.com): headers
 * `webhook-id`, `webhook-timestamp` (unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256 of
 * "{id}.{timestamp}.{body}">`, keyed with the base64-decoded secret after `whsec_`. WebCrypto only,
 * so this runs in Node, workers and browsers.
 */

export type WebhookEventType = 'personalAccessToken.created' | 'personalAccessToken.revoked' | 'personalAccessToken.rotated'

/**
 * The key as the API shows it (description, owner and creator included). Never the token, never its
 * hash. The event types keep their names for organization keys; `owner.type` tells them apart.
 */
export interface WebhookKeyData extends PersonalApiKey {
  owner: KeyOwner
  createdBy: KeyCreator | null
  /** The user a personal key belongs to (`owner.id`), as before owners; `null` for an organization's key. */
  userId: string | null
  /**
   * On `personalAccessToken.rotated`: the key the rotation replaced, as it is now. Revoked at once
   * (`gracePeriod: 'None'`, `revokedAt` set), or working until `expiresAt`, the end of its grace period.
   */
  previous?: { id: string; expiresAt: string | null; revokedAt: string | null; gracePeriod: GracePeriodOption }
}

export interface WebhookEvent {
  type: WebhookEventType
  /** When it happened, ISO 8601. */
  timestamp: string
  data: WebhookKeyData
}

export interface WebhookEndpoint {
  url: string
  /** `whsec_` + base64 of 24 to 64 random bytes. */
  secret: string
}

/** One attempt to deliver one event to one endpoint, as `onDelivery` is told. */
export interface WebhookDelivery {
  /** The `webhook-id`, the same on every attempt so receivers can drop duplicates. */
  messageId: string
  type: WebhookEventType
  url: string
  /** `delivered` (2xx), `retrying` (another attempt at `nextAttemptAt`), or `failed` (no attempts left). */
  outcome: 'delivered' | 'retrying' | 'failed'
  ok: boolean
  /** This attempt's number, 1 for the first. */
  attempts: number
  nextAttemptAt?: string
  /** The answer's status, if there was an answer. */
  status?: number
  /** Why the attempt failed, when it was not an answer (network error, timeout). */
  error?: string
}

/**
 * Waits between attempts, after the first, second…: Standard Webhooks' (Svix's) schedule, about 27
 * hours in all, so a receiver that is down for a day still gets every event.
 */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000].map((s) => s * 1000)

export interface WebhookOptions {
  endpoints: WebhookEndpoint[]
  /** Default `globalThis.fetch`. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>
  /** Waits before the 2nd, 3rd… attempt, in ms; after the last, the event is given up. Default `DEFAULT_RETRY_DELAYS_MS`. */
  retryDelaysMs?: readonly number[]
  /** Per attempt; default 10 s. */
  timeoutMs?: number
  /**
   * How long a worker holds a message it is delivering, in ms (default 60 s, at least `timeoutMs`).
   * Another instance delivers it once the lease runs out, so an instance that dies mid-delivery
   * (a SIGKILL, a crash) delays the event by this much and loses nothing.
   */
  leaseMs?: number
  /** How often each instance looks for due messages, in ms. Default 1,000. */
  pollIntervalMs?: number
  /** Told how each attempt ended. */
  onDelivery?: (delivery: WebhookDelivery) => void
}

const SECRET_PREFIX = 'whsec_'

function decodeSecret(secret: string): Uint8Array<ArrayBuffer> {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : ''
  let bytes: Uint8Array<ArrayBuffer> | undefined
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    try {
      bytes = Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0))
    } catch {
      bytes = undefined
    }
  }
  if (!bytes || bytes.length < 24 || bytes.length > 64) {
    throw new Error('patkit webhooks: each secret must be "whsec_" followed by base64 of 24 to 64 bytes')
  }
  return bytes
}

function toBase64(bytes: ArrayBuffer): string {
  let binary = ''
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** The `webhook-signature` value for one message: `v1,<base64 HMAC-SHA256>`. */
export async function signWebhook(secret: string, messageId: string, timestamp: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', decodeSecret(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${messageId}.${timestamp}.${body}`))
  return `v1,${toBase64(mac)}`
}

/** Checks the options up front, so a typo in a URL or secret fails at start-up rather than on the first event. */
export function checkWebhookOptions(options: WebhookOptions): void {
  const timeoutMs = options.timeoutMs ?? 10_000
  const leaseMs = options.leaseMs ?? 60_000
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS
  if (!delays.every((delay) => Number.isFinite(delay) && delay >= 0)) throw new Error('patkit webhooks: retryDelaysMs must be non-negative numbers')
  if (!(timeoutMs > 0) || !(leaseMs >= timeoutMs)) throw new Error('patkit webhooks: timeoutMs must be positive and leaseMs at least timeoutMs')
  if (!(options.pollIntervalMs === undefined || options.pollIntervalMs > 0)) throw new Error('patkit webhooks: pollIntervalMs must be positive')
  for (const endpoint of options.endpoints) {
    let protocol = ''
    try {
      protocol = new URL(endpoint.url).protocol
    } catch {
      // Reported below.
    }
    if (protocol !== 'https:' && protocol !== 'http:') throw new Error(`patkit webhooks: not an http(s) URL: ${endpoint.url}`)
    decodeSecret(endpoint.secret)
  }
  if (new Set(options.endpoints.map((endpoint) => endpoint.url)).size !== options.endpoints.length) {
    throw new Error('patkit webhooks: each endpoint URL may appear once')
  }
}

/** The outbox rows announcing `event`: one per endpoint, sharing one `webhook-id`, due at once. */
export function webhookMessages(options: Pick<WebhookOptions, 'endpoints'>, event: WebhookEvent): OutboxMessage[] {
  const messageId = `msg_${randomBase62(27)}`
  const payload = JSON.stringify({ type: event.type, timestamp: event.timestamp, data: event.data })
  return options.endpoints.map((endpoint) => ({
    id: crypto.randomUUID(),
    messageId,
    endpointUrl: endpoint.url,
    type: event.type,
    payload,
    createdAt: event.timestamp,
    attempts: 0,
    nextAttemptAt: event.timestamp,
  }))
}

export interface WebhookWorker {
  /** Claims and delivers every message due now, batch by batch; resolves with the number of attempts made. */
  runOnce(): Promise<number>
}

/**
 * Delivers the outbox: claims due messages (`FOR UPDATE SKIP LOCKED`, so instances never send the
 * same message at once), posts each signed, and records the outcome under its lease. A failed attempt
 * is retried after the next delay of `retryDelaysMs`; the last failure gives the event up.
 */
export function createWebhookWorker(store: Pick<KeyStore, 'claimWebhooks' | 'settleWebhook'>, options: WebhookOptions & { now?: () => Date }): WebhookWorker {
  checkWebhookOptions(options)
  const timeoutMs = options.timeoutMs ?? 10_000
  const leaseMs = options.leaseMs ?? 60_000
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS
  const now = options.now ?? (() => new Date())
  const doFetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init))
  const secrets = new Map(options.endpoints.map((endpoint) => [endpoint.url, endpoint.secret]))
  const BATCH = 10

  async function post(message: ClaimedOutboxMessage, secret: string): Promise<{ status?: number; error?: string }> {
    try {
      // Signed with the wall clock at sending: receivers reject timestamps far from their own clock.
      const timestamp = Math.floor(Date.now() / 1000)
      const response = await doFetch(message.endpointUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'webhook-id': message.messageId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': await signWebhook(secret, message.messageId, timestamp, message.payload),
        },
        body: message.payload,
        // A redirect is not a delivery; following it could send the event somewhere unintended.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      })
      await response.body?.cancel().catch(() => undefined)
      return { status: response.status }
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) }
    }
  }

  async function attempt(message: ClaimedOutboxMessage) {
    const secret = secrets.get(message.endpointUrl)
    const result = secret === undefined ? { error: 'The endpoint is no longer configured.' } : await post(message, secret)
    const at = now()
    const delivered = result.status !== undefined && result.status >= 200 && result.status < 300
    const delay = delivered || secret === undefined ? undefined : delays[message.attempts - 1]
    const retryAt = delay === undefined ? null : new Date(at.getTime() + delay).toISOString()
    const outcome: OutboxOutcome = delivered
      ? { delivered: true, at: at.toISOString(), status: result.status! }
      : { delivered: false, at: at.toISOString(), retryAt, ...result }
    // False when the lease ran out mid-attempt and another worker took the message over; it reports then.
    if (!(await store.settleWebhook(message.id, message.leaseId, outcome))) return
    try {
      options.onDelivery?.({
        messageId: message.messageId,
        type: message.type as WebhookEventType,
        url: message.endpointUrl,
        outcome: delivered ? 'delivered' : retryAt === null ? 'failed' : 'retrying',
        ok: delivered,
        attempts: message.attempts,
        ...(retryAt === null ? {} : { nextAttemptAt: retryAt }),
        ...result,
      })
    } catch {
      // A failing observer must not stop the worker.
    }
  }

  return {
    async runOnce() {
      let attempts = 0
      for (;;) {
        const claimed = await store.claimWebhooks({ now: now().toISOString(), limit: BATCH, leaseMs })
        await Promise.all(claimed.map(attempt))
        attempts += claimed.length
        if (claimed.length < BATCH) return attempts
      }
    },
  }
}

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>

export type WebhookVerification =
  | { ok: true; messageId: string; timestamp: number; event: WebhookEvent }
  | { ok: false; reason: 'missing_headers' | 'timestamp_out_of_tolerance' | 'invalid_signature' | 'invalid_body' }

export interface VerifyWebhookOptions {
  /** How far `webhook-timestamp` may be from now, either way, in seconds. Default 300 (Standard Webhooks). */
  toleranceSeconds?: number
  now?: () => Date
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined
  const value = headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1]
  return Array.isArray(value) ? value[0] : value
}

/**
 * For the receiving end: checks a webhook's `webhook-signature` (any of its space-separated `v1,`
 * signatures, compared in constant time by WebCrypto) over the raw body, and refuses a timestamp
 * outside the tolerance, so a captured request cannot be replayed later. Deduplicate on `messageId`.
 * `body` must be the exact text received, not re-serialized JSON.
 */
export async function verifyWebhook(secret: string, headers: WebhookHeaders, body: string, options: VerifyWebhookOptions = {}): Promise<WebhookVerification> {
  const key = await crypto.subtle.importKey('raw', decodeSecret(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
  const messageId = header(headers, 'webhook-id')
  const timestampText = header(headers, 'webhook-timestamp')
  const signatures = header(headers, 'webhook-signature')
  if (!messageId || !timestampText || !signatures || !/^\d{1,12}$/.test(timestampText)) return { ok: false, reason: 'missing_headers' }
  const timestamp = Number(timestampText)
  const tolerance = options.toleranceSeconds ?? 300
  const nowSeconds = (options.now?.() ?? new Date()).getTime() / 1000
  if (Math.abs(nowSeconds - timestamp) > tolerance) return { ok: false, reason: 'timestamp_out_of_tolerance' }
  const signed = new TextEncoder().encode(`${messageId}.${timestamp}.${body}`)
  let valid = false
  for (const entry of signatures.split(' ')) {
    const [version, value] = entry.split(',')
    if (version !== 'v1' || !value || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) continue
    let mac: Uint8Array<ArrayBuffer>
    try {
      mac = Uint8Array.from(atob(value), (char) => char.charCodeAt(0))
    } catch {
      continue
    }
    if (await crypto.subtle.verify('HMAC', key, mac, signed)) valid = true
  }
  if (!valid) return { ok: false, reason: 'invalid_signature' }
  try {
    return { ok: true, messageId, timestamp, event: JSON.parse(body) as WebhookEvent }
  } catch {
    return { ok: false, reason: 'invalid_body' }
  }
}
