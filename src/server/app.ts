import { Hono, type Context } from 'hono'
import type { PersonalApiKey, PersonalApiKeyPage, WhoAmI } from '../client/types.ts'
import {
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
import { fixedWindowRateLimiter, type RateLimiter } from './rate-limit.ts'
import { keyStatus, type KeyStore, type StoredKey, type StoreTransaction } from './store.ts'
import { DEFAULT_TOKEN_PREFIX, generateToken, hashToken, isValidTokenPrefix, tokenStart, verifyTokenChecksum } from './token.ts'
import { createWebhookSender, type WebhookEventType, type WebhookOptions } from './webhooks.ts'

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
  /** Applied per user to create and rotate. Default: 60 per minute; `false` turns it off. */
  rateLimit?: false | RateLimiter
  /** Active keys one user may hold. Default 100. */
  maxActiveKeys?: number
  /** The clock; inject one in tests. */
  now?: () => Date
  /** Called with anything that became a 500, which never carries details to the client. */
  onUnexpectedError?: (error: unknown, request: Request) => void
  /** Signed events after a key is created, revoked or rotated; sent after the write commits, never affecting the answer. */
  webhooks?: WebhookOptions
}

type Env = { Variables: { requestId: string; user: AuthenticatedUser } }
export type ReferenceServer = Hono<Env> & {
  /** Resolves once every webhook delivery started so far has finished (delivered or given up), e.g. before shutdown or in tests. */
  settleWebhooks(): Promise<void>
}

const BASE = '/v1/personal-access-tokens'
const LAST_USED_INTERVAL_MS = 60_000
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000
const NO_STORE = { 'Cache-Control': 'no-store' }

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
  const rateLimiter = options.rateLimit === false ? null : (options.rateLimit ?? fixedWindowRateLimiter({ limit: 60, windowMs: 60_000, now }))
  const webhooks = options.webhooks && options.webhooks.endpoints.length > 0 ? createWebhookSender(options.webhooks) : null

  const app = new Hono<Env>()

  /** Fire and forget, after the commit; on workers the runtime is asked to keep running until delivery ends. */
  function announce(c: Context<Env>, type: WebhookEventType, row: StoredKey, at: string, previous?: { id: string; revokedAt: string }) {
    if (!webhooks) return
    const data = { ...toApiKey(row, at), userId: row.userId, ...(previous ? { previous } : {}) }
    const delivery = webhooks.send({ type, timestamp: at, data })
    try {
      c.executionCtx.waitUntil(delivery)
    } catch {
      // No execution context outside workers (Hono throws); the sender keeps track of the delivery itself.
    }
  }

  function answerError(error: unknown, c: Context<Env>): Response {
    const requestId = c.get('requestId')
    if (error instanceof ProblemError) return problemResponse(error.code, requestId, error.options)
    try {
      onUnexpectedError?.(error, c.req.raw)
    } catch {
      // A failing reporter must not turn a 500 problem into an unanswered request.
    }
    return problemResponse('internal_error', requestId)
  }

  app.use('*', async (c, next) => {
    const requestId = crypto.randomUUID()
    c.set('requestId', requestId)
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

  /** A replayed Idempotency-Key never creates another key; the plaintext of the first is gone, so say so. */
  async function refuseReplay(tx: StoreTransaction, userId: string, key: string | undefined, at: Date) {
    if (key === undefined) return
    await tx.deleteIdempotencyRecordsBefore(userId, new Date(at.getTime() - IDEMPOTENCY_TTL_MS).toISOString())
    const record = await tx.getIdempotencyRecord(userId, key)
    if (record) throw new ProblemError('idempotency_key_reused', { extensions: { apiKeyId: record.apiKeyId } })
  }

  async function rememberIdempotencyKey(tx: StoreTransaction, userId: string, key: string | undefined, operation: string, apiKeyId: string, at: string) {
    if (key !== undefined) await tx.putIdempotencyRecord({ userId, key, operation, apiKeyId, createdAt: at })
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
    const idempotencyKey = readIdempotencyKey(c.req.raw)
    const body = await readJsonObject(c.req.raw)
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
      await refuseReplay(tx, userId, idempotencyKey, at)
      await refuseOverLimit(tx, userId, createdAt)
      await refuseTakenName(tx, userId, row.name, createdAt)
      await tx.insertKey(row)
      await rememberIdempotencyKey(tx, userId, idempotencyKey, 'create', row.id, createdAt)
    })
    announce(c, 'personalAccessToken.created', row, createdAt)
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
    const at = now().toISOString()
    const { row, changed } = await store.transaction(async (tx) => {
      await tx.lockUser(userId)
      const key = await tx.getKeyForUpdate(userId, id)
      if (!key) throw new ProblemError('api_key_not_found')
      // Revoking twice is a success that keeps the first revocation time.
      if (key.revokedAt !== null) return { row: key, changed: false }
      // The row is locked (getKeyForUpdate), so the update finds it.
      return { row: (await tx.updateKey(id, { revokedAt: at }))!, changed: true }
    })
    if (changed) announce(c, 'personalAccessToken.revoked', row, at)
    return c.json({ data: toApiKey(row, at) })
  })

  app.patch(`${BASE}/:id`, async (c) => {
    const { userId } = c.get('user')
    const id = keyIdParam(c)
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
    const idempotencyKey = readIdempotencyKey(c.req.raw)
    const body = await readJsonObject(c.req.raw)
    const at = now()
    const createdAt = at.toISOString()
    const requested = parseRequestedExpiration(body, policy, at)
    const { token, ...secret } = await newSecret()
    const row = await store.transaction(async (tx) => {
      await tx.lockUser(userId)
      // Before the revoked check: a retried rotation must hear "already done", not "already revoked".
      await refuseReplay(tx, userId, idempotencyKey, at)
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
      await rememberIdempotencyKey(tx, userId, idempotencyKey, 'rotate', next.id, createdAt)
      return next
    })
    announce(c, 'personalAccessToken.rotated', row, createdAt, { id, revokedAt: createdAt })
    return c.json(
      { data: { apiKey: toApiKey(row, createdAt), token, previous: { id, revokedAt: createdAt } } },
      201,
      NO_STORE,
    )
  })

  app.get('/v1/me', async (c) => {
    const invalidToken = () =>
      new ProblemError('invalid_token', { headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })
    const match = /^Bearer +(\S+) *$/i.exec(c.req.header('Authorization') ?? '')
    const token = match?.[1]
    // The checksum turns away typos and random strings before any store lookup.
    if (!token || !verifyTokenChecksum(token, prefix)) throw invalidToken()
    const row = await store.findKeyByHash(await hashToken(token))
    const at = now()
    const atIso = at.toISOString()
    if (!row || keyStatus(row, atIso) !== 'active') throw invalidToken()
    // Skip the write transaction when the key was marked recently; the store re-checks under its lock.
    if (row.lastUsedAt === null || at.getTime() - Date.parse(row.lastUsedAt) >= LAST_USED_INTERVAL_MS) {
      await store.transaction((tx) => tx.touchLastUsed(row.id, atIso, LAST_USED_INTERVAL_MS))
    }
    const data: WhoAmI = { userId: row.userId, apiKeyId: row.id, scopes: [...row.scopes] }
    return c.json({ data })
  })

  return Object.assign(app, { settleWebhooks: async () => webhooks?.settled() })
}
