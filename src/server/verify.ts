import type { MiddlewareHandler } from 'hono'
import type { KeyCreator } from '../client/types.ts'
import { classifyDatabaseError } from './database-errors.ts'
import { problemResponse, type ProblemCode, type ProblemOptions } from './problems.ts'
import { storeRateLimiter, type RateLimiter } from './rate-limit.ts'
import { keyStatus, type KeyStore } from './store.ts'
import { DEFAULT_TOKEN_PREFIX, hashToken, verifyTokenChecksum } from './token.ts'

/** How often `lastUsedAt` is written per key, at most. */
export const LAST_USED_INTERVAL_MS = 60_000

interface KeyAuthFields {
  /** Who made the key; for an organization's key, not whom it speaks for (they may have left). */
  createdBy: KeyCreator | null
  apiKeyId: string
  scopes: string[]
}

/** A valid personal key: it speaks for its user. */
export interface UserKeyAuth extends KeyAuthFields {
  owner: { type: 'user'; id: string }
  /** `owner.id`. */
  userId: string
}

/** A valid organization key: it speaks for the organization, whoever created it. */
export interface OrganizationKeyAuth extends KeyAuthFields {
  owner: { type: 'organization'; id: string }
  /** No user: an organization's key must never act as its creator. */
  userId: null
}

/** Who a valid token speaks for. */
export type PersonalAccessTokenAuth = UserKeyAuth | OrganizationKeyAuth

/** The keys a route takes: a user's (the default), an organization's, or either. */
export type KeyOwnerRequirement = 'user' | 'organization' | 'any'

/** What a route that takes `O` keys learns about a valid one. */
export type PersonalAccessTokenAuthFor<O extends KeyOwnerRequirement> = O extends 'user'
  ? UserKeyAuth
  : O extends 'organization'
    ? OrganizationKeyAuth
    : PersonalAccessTokenAuth

/** Why a token was refused: not a token of this format, never issued, revoked, or past its expiry. */
export type VerificationFailure = 'malformed' | 'unknown' | 'revoked' | 'expired'

export type PersonalAccessTokenVerification = ({ ok: true } & PersonalAccessTokenAuth) | { ok: false; reason: VerificationFailure }

export interface VerifyPersonalAccessTokenOptions {
  /** Default `pat_`. */
  tokenPrefix?: string
  /** The instant to judge expiry at; default the current time. */
  now?: Date
  /**
   * Handed the `lastUsedAt` write, which runs after the answer and is never waited for. On workers
   * pass the runtime's `waitUntil` so the write is not cut off; elsewhere it may be left out.
   */
  waitUntil?: (work: Promise<unknown>) => void
}

/**
 * Checks a personal access token as `/v1/me` does: the checksum first (typos and random strings
 * cost no lookup), then the SHA-256 lookup, then the key's status. On success `lastUsedAt` is
 * written at most once a minute, off the answer's path: skipped, never waited for, when another
 * transaction holds the key's row, and never failing the verification.
 */
export async function verifyPersonalAccessToken(
  store: Pick<KeyStore, 'findKeyByHash' | 'markKeyUsed'>,
  token: string,
  options: VerifyPersonalAccessTokenOptions = {},
): Promise<PersonalAccessTokenVerification> {
  if (!verifyTokenChecksum(token, options.tokenPrefix ?? DEFAULT_TOKEN_PREFIX)) return { ok: false, reason: 'malformed' }
  const row = await store.findKeyByHash(await hashToken(token))
  if (!row) return { ok: false, reason: 'unknown' }
  const at = options.now ?? new Date()
  const status = keyStatus(row, at.toISOString())
  if (status !== 'active') return { ok: false, reason: status }
  if (row.lastUsedAt === null || at.getTime() - Date.parse(row.lastUsedAt) >= LAST_USED_INTERVAL_MS) {
    // Bookkeeping: a failure here (database busy, store closed) must not turn a valid token away.
    const marking = store.markKeyUsed(row.id, at.toISOString(), LAST_USED_INTERVAL_MS).catch(() => false)
    options.waitUntil?.(marking)
  }
  const fields = { createdBy: row.createdBy && { ...row.createdBy }, apiKeyId: row.id, scopes: [...row.scopes] }
  return row.owner.type === 'user'
    ? { ok: true, owner: { type: 'user', id: row.owner.id }, userId: row.owner.id, ...fields }
    : { ok: true, owner: { type: 'organization', id: row.owner.id }, userId: null, ...fields }
}

/** The bearer token of an `Authorization` header, or null. */
export function bearerToken(request: Request): string | null {
  const match = /^Bearer +(\S+) *$/i.exec(request.headers.get('Authorization') ?? '')
  return match?.[1] ?? null
}

export interface PersonalAccessTokenAuthOptions<O extends KeyOwnerRequirement = 'user'> {
  store: KeyStore
  /** Scopes the route needs; a key must hold every one (403 `insufficient_scope` otherwise). */
  scopes?: string[]
  /**
   * Whose keys the route takes (403 `key_owner_not_accepted` for another's). Default `'user'`: a route
   * written for personal keys reads `userId`, and an organization's key must not pass as its creator.
   * `'organization'` for routes that act for an organization (`owner.id`), `'any'` for both.
   */
  owner?: O
  /** Default `pat_`. */
  tokenPrefix?: string
  /**
   * Limits failed verifications per client address, because anyone can make well-formed tokens (the
   * checksum is public) and each costs a lookup. Needs `peek`, to refuse before the lookup. Default:
   * 60 failures a minute per address, counted in the store's database. `false` turns it off.
   */
  failedVerificationLimit?: false | Required<RateLimiter>
  /**
   * The client's address, for the failure limit. Default: the TCP peer where the runtime exposes it
   * (the Hono middleware on `@hono/node-server`), else unknown. Behind a proxy or load balancer the
   * peer is the proxy: return the address your own proxy appended (the rightmost `X-Forwarded-For`
   * entry it adds), never one the client could write. Unknown (null) addresses are not limited.
   */
  clientAddress?: (request: Request) => string | null | undefined
  now?: () => Date
}

export type PersonalAccessTokenRequestResult<O extends KeyOwnerRequirement = 'user'> =
  | { ok: true; auth: PersonalAccessTokenAuthFor<O> }
  /** A ready answer: 401, 403, 429 or 503 problem+json with the right `WWW-Authenticate`/`Retry-After`. */
  | { ok: false; response: Response }

export interface PersonalAccessTokenRequestContext {
  /** Overrides `options.clientAddress` for this request (e.g. Express's `req.ip`). */
  clientAddress?: string | null
  /** Passed on to `verifyPersonalAccessToken`. */
  waitUntil?: (work: Promise<unknown>) => void
  /** The request id to put in problem answers; default a new UUID. */
  requestId?: string
}

/** `scope="…"` is a quoted-string: scope ids with a quote or backslash are escaped, per RFC 9110. */
const quoted = (text: string) => `"${text.replace(/["\\]/g, '\\$&')}"`

/**
 * The Fetch-API form of `personalAccessTokenAuth`, for any framework whose handlers see a `Request`
 * (Next.js route handlers, workers, Express through a `Request`): answers who the bearer token speaks
 * for, or the response to send instead.
 */
export function personalAccessTokenVerifier<O extends KeyOwnerRequirement = 'user'>(options: PersonalAccessTokenAuthOptions<O>) {
  const { store } = options
  const accepted: KeyOwnerRequirement = options.owner ?? 'user'
  const required = [...new Set(options.scopes ?? [])]
  const now = options.now ?? (() => new Date())
  const limiter =
    options.failedVerificationLimit === false
      ? null
      : (options.failedVerificationLimit ?? storeRateLimiter(store, { limit: 60, windowMs: 60_000, now }))

  return async function verifyRequest(request: Request, context: PersonalAccessTokenRequestContext = {}): Promise<PersonalAccessTokenRequestResult<O>> {
    const requestId = context.requestId ?? crypto.randomUUID()
    const refuse = (code: ProblemCode, problem: ProblemOptions = {}) => {
      const response = problemResponse(code, requestId, problem)
      response.headers.set('Cache-Control', 'no-store')
      response.headers.set('X-Request-Id', requestId)
      return { ok: false as const, response }
    }
    const invalidToken = () => refuse('invalid_token', { headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })
    const rateLimited = (seconds: number) =>
      refuse('rate_limited', {
        detail: `Too many failed attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
        headers: { 'Retry-After': String(seconds) },
      })

    const token = bearerToken(request)
    if (token === null || !verifyTokenChecksum(token, options.tokenPrefix ?? DEFAULT_TOKEN_PREFIX)) return invalidToken()
    const address = context.clientAddress !== undefined ? context.clientAddress : (options.clientAddress?.(request) ?? null)
    const limitKey = address ? `verify-failed:${address}` : null
    try {
      if (limiter && limitKey) {
        const allowed = await limiter.peek(limitKey)
        if (!allowed.ok) return rateLimited(allowed.retryAfterSeconds)
      }
      const result = await verifyPersonalAccessToken(store, token, { tokenPrefix: options.tokenPrefix, now: now(), waitUntil: context.waitUntil })
      if (!result.ok) {
        if (limiter && limitKey) await limiter.check(limitKey)
        return invalidToken()
      }
      if (accepted !== 'any' && result.owner.type !== accepted) {
        // A valid key, the wrong kind for this route: not a failed verification, so not counted.
        return refuse('key_owner_not_accepted', {
          detail: accepted === 'user' ? 'This route takes personal API keys, not an organization’s.' : 'This route takes an organization’s API keys, not personal ones.',
          extensions: { acceptedOwner: accepted },
          headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' },
        })
      }
      const missing = required.filter((scope) => !result.scopes.includes(scope))
      if (missing.length > 0) {
        return refuse('insufficient_scope', {
          detail: `This key lacks the scope${missing.length === 1 ? '' : 's'} ${missing.join(', ')}.`,
          extensions: { requiredScopes: required },
          headers: { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope=${quoted(required.join(' '))}` },
        })
      }
      const { ok: _, ...auth } = result
      // Checked above: the owner is the kind O names.
      return { ok: true, auth: auth as PersonalAccessTokenAuthFor<O> }
    } catch (error) {
      const fault = classifyDatabaseError(error)
      if (fault?.kind === 'unavailable') return refuse('service_unavailable', { headers: { 'Retry-After': String(fault.retryAfterSeconds) } })
      throw error
    }
  }
}

/** What `personalAccessTokenAuth` puts on the Hono context: `c.get('personalAccessToken')`. */
export type PersonalAccessTokenVariables<O extends KeyOwnerRequirement = 'user'> = { personalAccessToken: PersonalAccessTokenAuthFor<O> }

/** The TCP peer, where the runtime puts it on the Hono context (`@hono/node-server`: `env.incoming`). */
export function socketAddress(env: unknown): string | null {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: unknown } } } | undefined)?.incoming
  const address = incoming?.socket?.remoteAddress
  return typeof address === 'string' ? address : null
}

/**
 * Hono middleware for the app's own routes: a valid `Authorization: Bearer <personal access token>`
 * of the owner kind the route takes (`owner`, default a user's), holding every scope in `scopes`, puts
 * `{ owner, userId, createdBy, apiKeyId, scopes }` on the context (`c.get('personalAccessToken')`);
 * otherwise it answers 401 `invalid_token`, 403 `key_owner_not_accepted` or `insufficient_scope`
 * (RFC 6750 §3.1), 429 or 503 itself.
 */
export function personalAccessTokenAuth<O extends KeyOwnerRequirement = 'user'>(
  options: PersonalAccessTokenAuthOptions<O>,
): MiddlewareHandler<{ Variables: PersonalAccessTokenVariables<O> }> {
  const verifyRequest = personalAccessTokenVerifier(options)
  return async (c, next) => {
    let waitUntil: ((work: Promise<unknown>) => void) | undefined
    try {
      const context = c.executionCtx
      waitUntil = (work) => context.waitUntil(work)
    } catch {
      // No execution context outside workers (Hono throws): the write runs on its own.
    }
    const clientAddress = options.clientAddress ? options.clientAddress(c.req.raw) : socketAddress(c.env)
    const result = await verifyRequest(c.req.raw, { clientAddress: clientAddress ?? null, waitUntil })
    if (!result.ok) return result.response
    c.set('personalAccessToken', result.auth)
    await next()
  }
}
