import type { PersonalApiKey } from '../client/types.ts'
import { randomBase62 } from './token.ts'

/**
 * Outgoing webhooks, signed per the Standard Webhooks spec (standardwebhooks.com): headers
 * `webhook-id`, `webhook-timestamp` (unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256 of
 * "{id}.{timestamp}.{body}">`, keyed with the base64-decoded secret after `whsec_`. WebCrypto only,
 * so this runs in Node, workers and browsers.
 */

export type WebhookEventType = 'personalAccessToken.created' | 'personalAccessToken.revoked' | 'personalAccessToken.rotated'

/** The key as the API shows it, plus its owner. Never the token, never its hash. */
export interface WebhookKeyData extends PersonalApiKey {
  userId: string
  /** On `personalAccessToken.rotated`: the key the rotation revoked. */
  previous?: { id: string; revokedAt: string }
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

export interface WebhookDelivery {
  /** The `webhook-id`, the same on every attempt so receivers can drop duplicates. */
  messageId: string
  type: WebhookEventType
  url: string
  ok: boolean
  attempts: number
  /** The last answer's status, if there was an answer. */
  status?: number
  /** Why the last attempt failed, when it was not an answer (network error, timeout). */
  error?: string
}

export interface WebhookOptions {
  endpoints: WebhookEndpoint[]
  /** Default `globalThis.fetch`. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>
  /** Attempts in all (default 5), waiting `baseDelayMs` (default 1000) × 2^(attempt − 1) between them. */
  retry?: { attempts?: number; baseDelayMs?: number }
  /** Per attempt; default 10 s. */
  timeoutMs?: number
  /** Told how each delivery ended, after its last attempt. */
  onDelivery?: (delivery: WebhookDelivery) => void
}

export interface WebhookSender {
  /** Starts delivering to every endpoint and returns at once; the promise it returns settles when all are done. */
  send(event: WebhookEvent): Promise<WebhookDelivery[]>
  /** Resolves once every delivery started so far has finished (delivered or given up). */
  settled(): Promise<void>
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
export function createWebhookSender(options: WebhookOptions): WebhookSender {
  const attempts = options.retry?.attempts ?? 5
  const baseDelayMs = options.retry?.baseDelayMs ?? 1000
  const timeoutMs = options.timeoutMs ?? 10_000
  if (!(Number.isInteger(attempts) && attempts >= 1)) throw new Error('patkit webhooks: retry.attempts must be a positive integer')
  if (!(baseDelayMs >= 0) || !(timeoutMs > 0)) throw new Error('patkit webhooks: retry.baseDelayMs and timeoutMs must be positive')
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
  const doFetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init))
  const inFlight = new Set<Promise<unknown>>()

  async function deliver(endpoint: WebhookEndpoint, messageId: string, event: WebhookEvent, body: string): Promise<WebhookDelivery> {
    const result: WebhookDelivery = { messageId, type: event.type, url: endpoint.url, ok: false, attempts: 0 }
    for (;;) {
      result.attempts++
      delete result.status
      delete result.error
      try {
        // Each attempt is signed afresh: receivers reject timestamps far from their clock.
        const timestamp = Math.floor(Date.now() / 1000)
        const response = await doFetch(endpoint.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'webhook-id': messageId,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': await signWebhook(endpoint.secret, messageId, timestamp, body),
          },
          body,
          // A redirect is not a delivery; following it could send the event somewhere unintended.
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        })
        result.status = response.status
        await response.body?.cancel().catch(() => undefined)
        if (response.status >= 200 && response.status < 300) {
          result.ok = true
          return result
        }
      } catch (error) {
        result.error = error instanceof Error ? error.message : String(error)
      }
      if (result.attempts >= attempts) return result
      await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (result.attempts - 1)))
    }
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise)
    void promise.finally(() => inFlight.delete(promise)).catch(() => undefined)
    return promise
  }

  return {
    send(event) {
      const messageId = `msg_${randomBase62(27)}`
      const body = JSON.stringify({ type: event.type, timestamp: event.timestamp, data: event.data })
      return track(
        Promise.all(
          options.endpoints.map(async (endpoint) => {
            const delivery = await deliver(endpoint, messageId, event, body)
            try {
              options.onDelivery?.(delivery)
            } catch {
              // A failing observer must not turn into an unhandled rejection.
            }
            return delivery
          }),
        ),
      )
    },
    async settled() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight])
    },
  }
}
