import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { PersonalApiKey, PersonalApiKeyPage, WhoAmI } from '../client/types.ts'
import { createBackgroundWork, IDEMPOTENCY_TTL_MS } from './background.ts'
import { classifyDatabaseError } from './database-errors.ts'
import {
  MAX_BODY_BYTES,
  isKeyId,
  parseListParameters,
  parseName,
  parseRequestedExpiration,
  parseScopes,
  readIdempotencyKey,
  readJsonObject,
  encodeCursor,
} from './input.ts'
import { positionOf } from './listing.ts'
import { defaultExpiresAt, inheritedExpiresAt, resolvePolicy, type ServerPolicyOptions } from './policy.ts'
import { fieldProblem, ProblemError, problemResponse } from './problems.ts'
import { storeRateLimiter, type RateLimiter } from './rate-limit.ts'
import { keyStatus, type KeyStore, type StoredKey, type StoreTransaction } from './store.ts'
import { DEFAULT_TOKEN_PREFIX, generateToken, hashToken, isValidTokenPrefix, tokenStart } from './token.ts'
import { personalAccessTokenVerifier, socketAddress } from './verify.ts'
import { checkWebhookOptions, createWebhookWorker, webhookMessages, type WebhookEventType, type WebhookOptions } from './webhooks.ts'

export interface AuthenticatedUser {
  userId: string
  canManagePersonalApiKeys: boolean
}

/** Resolves the signed-in user of a management request (session cookie, session bearer token…), or null. */
export type Authenticate = (request: Request) => Promise<AuthenticatedUser | null>

export interface ReferenceServerOptions {
  store: KeyStore
  authenticate: Authenticate
  policy?: ServerPolicyOptions
  /** Default `pat_`. */
  tokenPrefix?: string
  /**
   * Applied per user and operation to every write: create, rotate, rename and revoke (keys
   * `${userId}:create`, `:rotate`, `:rename`, `:revoke`). Default: 60 a minute each, counted in the
   * store's database (`storeRateLimiter`), so instances sharing a PostgreSQL share the budget.
   * `false` turns it off.
   */
  rateLimit?: false | RateLimiter
  /**
   * Failed `/v1/me` verifications per client address; see `personalAccessTokenAuth`. Default 60 a
   * minute in the store's database; `false` turns it off.
   */
  failedVerificationLimit?: false | Required<RateLimiter>
  /**
   * The client's address for that limit. Default: the TCP peer on `@hono/node-server`, else unknown
   * (not limited). Behind a proxy, return the address your proxy appended to `X-Forwarded-For`.
   */
  clientAddress?: (request: Request) => string | null | undefined
  /** Active keys one user may hold. Default 100. */
  maxActiveKeys?: number
  /** The clock; inject one in tests. */
  now?: () => Date
  /**
   * Called with anything that became a 500 (never carrying details to the client), a 503 (the
   * database away or busy) or a 400 `invalid_value` (a value the database refused, which input checks missed).
   */
  onUnexpectedError?: (error: unknown, request: Request) => void
  /** Called when a pass of the background work fails (the database away, say); the next pass tries again. */
  onBackgroundError?: (error: unknown) => void
  /**
   * Signed events after a key is created, revoked or rotated. Each event is written to the outbox in
   * the transaction of the change and delivered by the background work of whichever instance gets to
   * it first, with retries over about a day.
   */
  webhooks?: WebhookOptions
  /**
   * Delivers the webhook outbox and purges expired idempotency records and rate-limit windows on a
   * timer, started by the first request. `false`: no timer; call `runBackgroundWork()` yourself (a
   * cron trigger on serverless platforms). Default true.
   */
  backgroundWork?: boolean
}

type Env = { Variables: { requestId: string; user: AuthenticatedUser } }
export type ReferenceServer = Hono<Env> & {
  /** One pass of the background work now: delivers what is due, purges what expired. */
  runBackgroundWork(): Promise<void>
  /**
   * Resolves once the work started so far has finished: `lastUsedAt` writes, and a pass of the
   * background work (so webhooks due now are delivered). For tests and before shutdown.
   */
  settle(): Promise<void>
  /** Stops the background timer and waits for its pass; the store stays open (close it yourself). */
  close(): Promise<void>
}

const BASE = '/v1/personal-access-tokens'
const NO_STORE = { 'Cache-Control': 'no-store' }

/** Object keys sorted at every depth, so `{a, b}` and `{b, a}` are one request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** The public shape of a stored row: fields listed one by one so `hash` and `userId` can never slip out. */
export function toApiKey(row: StoredKey, now: string): PersonalApiKey {
  return {
    id: row.id,
    name: row.name,
    start: row.start,
    scopes: [...row.scopes],
    status: keyStatus(row, now),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  }
}

/**
 * The reference backend: the REST contract of DESIGN.md as a Fetch-API handler (`app.fetch(request)`),
 * usable in Node, workers and browsers.
 */
export function createReferenceServer(options: ReferenceServerOptions): ReferenceServer {
  const { store, authenticate, onUnexpectedError } = options
  const now = options.now ?? (() => new Date())
  const prefix = options.tokenPrefix ?? DEFAULT_TOKEN_PREFIX
  const maxActiveKeys = options.maxActiveKeys ?? 100
  if (!isValidTokenPrefix(prefix)) throw new Error('patkit createReferenceServer: tokenPrefix must be 1-16 of A-Z a-z 0-9 _ -')
  if (!(Number.isInteger(maxActiveKeys) && maxActiveKeys >= 1)) throw new Error('patkit createReferenceServer: maxActiveKeys must be a positive integer')
  const { policy, enabled } = resolvePolicy(options.policy, now())
  const rateLimiter = options.rateLimit === false ? null : (options.rateLimit ?? storeRateLimiter(store, { limit: 60, windowMs: 60_000, now }))
  const webhooks = options.webhooks && options.webhooks.endpoints.length > 0 ? options.webhooks : null
  if (webhooks) checkWebhookOptions(webhooks)
  /** A failing reporter must not turn a problem answer into an unanswered request, or stop the background work. */
  const safely = (report: () => void) => {
    try {
      report()
    } catch {
      // Swallowed, see above.
    }
  }
  const background = createBackgroundWork({
    store,
    now,
    worker: webhooks ? createWebhookWorker(store, { ...webhooks, now }) : null,
    pollIntervalMs: webhooks ? (webhooks.pollIntervalMs ?? 1_000) : undefined,
    onError: (error) => safely(() => options.onBackgroundError?.(error)),
  })
  const verifyToken = personalAccessTokenVerifier({
    store,
    tokenPrefix: prefix,
    now,
    failedVerificationLimit: options.failedVerificationLimit,
    clientAddress: options.clientAddress,
  })

  const app = new Hono<Env>()

  /** Hands work that outlives the answer to the runtime (workers) and to `settle()`. */
  function keepAlive(c: Context<Env>, work: Promise<unknown>) {
    background.track(work)
    try {
      c.executionCtx.waitUntil(work)
    } catch {
      // No execution context outside workers (Hono throws); the process keeps running anyway.
    }
  }

  /** The outbox rows of an event, written in the same transaction as the change they announce. */
  async function announce(tx: StoreTransaction, type: WebhookEventType, row: StoredKey, at: string, previous?: { id: string; revokedAt: string }) {
    if (!webhooks) return
    const data = { ...toApiKey(row, at), userId: row.userId, ...(previous ? { previous } : {}) }
    await tx.enqueueWebhooks(webhookMessages(webhooks, { type, timestamp: at, data }))
  }

  /** After a commit that enqueued an event: deliver now rather than at the next poll. */
  function deliverSoon(c: Context<Env>) {
    if (webhooks) keepAlive(c, background.run())
  }

  function answerError(error: unknown, c: Context<Env>): Response {
    const requestId = c.get('requestId')
    if (error instanceof ProblemError) return problemResponse(error.code, requestId, error.options)
    const fault = classifyDatabaseError(error)
    safely(() => onUnexpectedError?.(error, c.req.raw))
    // The database being away is the service's state, not a bug: the client may try again.
    if (fault?.kind === 'unavailable') {
      return problemResponse('service_unavailable', requestId, { headers: { 'Retry-After': String(fault.retryAfterSeconds) } })
    }
    if (fault?.kind === 'invalidInput') return problemResponse('invalid_value', requestId)
    return problemResponse('internal_error', requestId)
  }

  app.use('*', async (c, next) => {
    const requestId = crypto.randomUUID()
    c.set('requestId', requestId)
    if (options.backgroundWork !== false) background.start()
    try {
      await next()
    } catch (error) {
      // Hono's onError sees only Error instances; anything else thrown lands here.
      c.res = answerError(error, c)
    }
    c.res.headers.set('X-Request-Id', requestId)
    // Answers are per user and may carry secrets: no shared or browser cache should keep them.
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store')
  })
  app.onError(answerError)
  app.notFound((c) => problemResponse('not_found', c.get('requestId')))
  // Refused before a byte more than the limit is read (Content-Length, or counting a streamed body).
  app.use('*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => problemResponse('body_too_large', c.get('requestId')) }))

  // Who may manage keys: signed in (401), feature on (403), permitted (403), in that order so
  // anonymous callers learn nothing about the configuration.
  const requireManager = async (c: Context<Env>, next: () => Promise<void>) => {
    const user = await authenticate(c.req.raw)
    if (!user) throw new ProblemError('unauthorized', { headers: { 'WWW-Authenticate': 'Bearer' } })
    if (!enabled) throw new ProblemError('personal_api_keys_disabled')
    if (!user.canManagePersonalApiKeys) throw new ProblemError('no_personal_api_key_permission')
    c.set('user', user)
    await next()
  }
  // Hono's `/*` also matches the collection path itself.
  app.use(`${BASE}/*`, requireManager)

  async function enforceRateLimit(key: string) {
    if (!rateLimiter) return
    const result = await rateLimiter.check(key)
    if (!result.ok) {
      const seconds = Number.isFinite(result.retryAfterSeconds) ? Math.max(1, Math.ceil(result.retryAfterSeconds)) : 1
      throw new ProblemError('rate_limited', {
        detail: `Too many requests. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
        headers: { 'Retry-After': String(seconds) },
      })
    }
  }

  function keyIdParam(c: Context<Env>): string {
    const id = c.req.param('id') ?? ''
    if (!isKeyId(id)) throw new ProblemError('api_key_not_found')
    return id
  }

  async function newSecret() {
    const token = generateToken(prefix)
    return { token, start: tokenStart(token, prefix), hash: await hashToken(token) }
  }

  /** The row of a key that starts now: never used, not revoked, holding only the hash of its secret. */
  function newKeyRow(
    secret: { start: string; hash: string },
    { expiresAt, ...fields }: Pick<StoredKey, 'userId' | 'name' | 'scopes' | 'createdAt'> & { expiresAt: Date | null },
  ): StoredKey {
    return {
      id: crypto.randomUUID(),
      ...fields,
      start: secret.start,
      hash: secret.hash,
      expiresAt: expiresAt?.toISOString() ?? null,
      lastUsedAt: null,
      revokedAt: null,
    }
  }

  /** An `Idempotency-Key` with what it must match: the operation, its target key and the canonical body. */
  async function idempotencyOf(c: Context<Env>, operation: string, target: string | null, body: Record<string, unknown>) {
    const key = readIdempotencyKey(c.req.raw)
    if (key === undefined) return undefined
    return { key, operation, fingerprint: await hashToken(canonicalJson([operation, target, body])) }
  }
  type Idempotency = Awaited<ReturnType<typeof idempotencyOf>>

  /**
   * A replayed Idempotency-Key never creates another key. The same request again is answered 409
   * `idempotency_key_reused` with the key it made as it is now (the plaintext was shown once and is
   * not stored, so the original 201 cannot be replayed); another request under the same key is 422,
   * as Stripe does. Records older than a day no longer count (the background work deletes them).
   */
  async function refuseReplay(tx: StoreTransaction, userId: string, idempotency: Idempotency, at: Date) {
    if (idempotency === undefined) return
    const record = await tx.getIdempotencyRecord(userId, idempotency.key)
    if (!record || Date.parse(record.createdAt) < at.getTime() - IDEMPOTENCY_TTL_MS) return
    if (record.fingerprint !== null && record.fingerprint !== idempotency.fingerprint) throw new ProblemError('idempotency_key_mismatch')
    const made = await tx.getKey(userId, record.apiKeyId)
    throw new ProblemError('idempotency_key_reused', {
      extensions: { apiKeyId: record.apiKeyId, ...(made ? { apiKey: toApiKey(made, at.toISOString()) } : {}) },
    })
  }

  async function rememberIdempotencyKey(tx: StoreTransaction, userId: string, idempotency: Idempotency, apiKeyId: string, at: string) {
    if (idempotency === undefined) return
    const { key, operation, fingerprint } = idempotency
    await tx.putIdempotencyRecord({ userId, key, operation, apiKeyId, createdAt: at, fingerprint })
  }

  async function refuseTakenName(tx: StoreTransaction, userId: string, name: string, at: string) {
    if (await tx.findActiveKeyByName(userId, name, at)) throw fieldProblem('name_taken', '/name', 'You already have an active key with that name.')
  }

  async function refuseOverLimit(tx: StoreTransaction, userId: string, at: string) {
    if ((await tx.countActiveKeys(userId, at)) >= maxActiveKeys) {
      throw new ProblemError('token_limit_reached', {
        detail: `You can have at most ${maxActiveKeys} active keys. Revoke one to create another.`,
      })
    }
  }

  app.post(BASE, async (c) => {
    const { userId } = c.get('user')
    await enforceRateLimit(`${userId}:create`)
    const body = await readJsonObject(c.req.raw)
    const idempotency = await idempotencyOf(c, 'create', null, body)
    const at = now()
    const createdAt = at.toISOString()
    const name = body.name === undefined || body.name === null ? undefined : parseName(body.name, policy.nameMaxLength)
    const requested = parseRequestedExpiration(body, policy, at)
    const expiresAt = requested === undefined ? defaultExpiresAt(policy, at) : requested
    const scopes = parseScopes(body.scopes, policy)
    const { token, ...secret } = await newSecret()
    const row = newKeyRow(secret, {
      userId,
      // The seed's createPersonalApiKey('Never') sends no name; the start makes the default recognisable.
      name: name ?? [...`API key ${secret.start}`].slice(0, policy.nameMaxLength).join(''),
      scopes,
      createdAt,
      expiresAt,
    })
    await store.transaction(async (tx) => {
      await tx.lockUser(userId)
      await refuseReplay(tx, userId, idempotency, at)
      await refuseOverLimit(tx, userId, createdAt)
      await refuseTakenName(tx, userId, row.name, createdAt)
      await tx.insertKey(row)
      await rememberIdempotencyKey(tx, userId, idempotency, row.id, createdAt)
      await announce(tx, 'personalAccessToken.created', row, createdAt)
    })
    deliverSoon(c)
    return c.json({ data: { apiKey: toApiKey(row, createdAt), token } }, 201, NO_STORE)
  })

  app.get(BASE, async (c) => {
    const { userId } = c.get('user')
    const { q, status, sort, limit, after } = parseListParameters(new URL(c.req.url).searchParams)
    const at = now().toISOString()
    // One row more than a page tells whether there is a next page without a second query.
    const result = await store.listKeys({ userId, q, status, sort, after, limit: limit + 1, now: at })
    const rows = result.rows.slice(0, limit)
    const last = rows.at(-1)
    const page: PersonalApiKeyPage = {
      items: rows.map((row) => toApiKey(row, at)),
      totalCount: result.totalCount,
      nextCursor: result.rows.length > limit && last ? encodeCursor(sort, positionOf(last, sort)) : null,
      facets: { status: { ...result.facets } },
    }
    return c.json(page)
  })

  app.get(`${BASE}/policy`, (c) => c.json({ data: policy }))

  app.delete(`${BASE}/:id`, async (c) => {
    const { userId } = c.get('user')
    const id = keyIdParam(c)
    await enforceRateLimit(`${userId}:revoke`)
    const at = now().toISOString()
    const { row, changed } = await store.transaction(async (tx) => {
      await tx.lockUser(userId)
      const key = await tx.getKeyForUpdate(userId, id)
      if (!key) throw new ProblemError('api_key_not_found')
      // Revoking twice is a success that keeps the first revocation time.
      if (key.revokedAt !== null) return { row: key, changed: false }
      // The row is locked (getKeyForUpdate), so the update finds it.
      const revoked = (await tx.updateKey(id, { revokedAt: at }))!
      await announce(tx, 'personalAccessToken.revoked', revoked, at)
      return { row: revoked, changed: true }
    })
    if (changed) deliverSoon(c)
    return c.json({ data: toApiKey(row, at) })
  })

  app.patch(`${BASE}/:id`, async (c) => {
    const { userId } = c.get('user')
    const id = keyIdParam(c)
    await enforceRateLimit(`${userId}:rename`)
    const body = await readJsonObject(c.req.raw)
    const name = parseName(body.name, policy.nameMaxLength)
    const at = now().toISOString()
    const row = await store.transaction(async (tx) => {
      await tx.lockUser(userId)
      const key = await tx.getKeyForUpdate(userId, id)
      if (!key) throw new ProblemError('api_key_not_found')
      if (key.revokedAt !== null) throw new ProblemError('already_revoked', { detail: 'A revoked key cannot be renamed.' })
      if (key.name === name) return key
      // The name differs from the key's own, so any active holder of it is another key.
      await refuseTakenName(tx, userId, name, at)
      // The row is locked (getKeyForUpdate), so the update finds it.
      return (await tx.updateKey(id, { name }))!
    })
    return c.json({ data: toApiKey(row, at) })
  })

  app.post(`${BASE}/:id/rotate`, async (c) => {
    const { userId } = c.get('user')
    const id = keyIdParam(c)
    await enforceRateLimit(`${userId}:rotate`)
    const body = await readJsonObject(c.req.raw)
    const idempotency = await idempotencyOf(c, 'rotate', id, body)
    const at = now()
    const createdAt = at.toISOString()
    const requested = parseRequestedExpiration(body, policy, at)
    const { token, ...secret } = await newSecret()
    const row = await store.transaction(async (tx) => {
      await tx.lockUser(userId)
      // Before the revoked check: a retried rotation must hear "already done", not "already revoked".
      await refuseReplay(tx, userId, idempotency, at)
      const old = await tx.getKeyForUpdate(userId, id)
      if (!old) throw new ProblemError('api_key_not_found')
      if (old.revokedAt !== null) throw new ProblemError('already_revoked', { detail: 'A revoked key cannot be rotated.' })
      // Rotating an active key swaps one active key for another, under a name only it holds; an
      // expired one adds an active key, whose name another key may have taken since.
      if (keyStatus(old, createdAt) !== 'active') {
        await refuseOverLimit(tx, userId, createdAt)
        await refuseTakenName(tx, userId, old.name, createdAt)
      }
      const expiresAt = requested === undefined ? inheritedExpiresAt(old, policy, at) : requested
      const next = newKeyRow(secret, { userId, name: old.name, scopes: [...old.scopes], createdAt, expiresAt })
      // Same transaction: if the insert fails, the revocation is rolled back and the old key keeps working.
      await tx.updateKey(old.id, { revokedAt: createdAt })
      await tx.insertKey(next)
      await rememberIdempotencyKey(tx, userId, idempotency, next.id, createdAt)
      await announce(tx, 'personalAccessToken.rotated', next, createdAt, { id, revokedAt: createdAt })
      return next
    })
    deliverSoon(c)
    return c.json(
      { data: { apiKey: toApiKey(row, createdAt), token, previous: { id, revokedAt: createdAt } } },
      201,
      NO_STORE,
    )
  })

  // The same verification as the app's own routes get from personalAccessTokenAuth.
  app.get('/v1/me', async (c) => {
    const result = await verifyToken(c.req.raw, {
      requestId: c.get('requestId'),
      clientAddress: options.clientAddress ? undefined : socketAddress(c.env),
      waitUntil: (work) => keepAlive(c, work),
    })
    if (!result.ok) return result.response
    const data: WhoAmI = result.auth
    return c.json({ data })
  })

  return Object.assign(app, {
    runBackgroundWork: () => background.run(),
    settle: () => background.settle(),
    close: () => background.stop(),
  })
}
