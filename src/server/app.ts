import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { GracePeriodOption, KeyCreator, KeyOwner, PersonalApiKey, PersonalApiKeyPage, PersonalApiKeyPolicy, WhoAmI } from '../client/types.ts'
import { createBackgroundWork, IDEMPOTENCY_TTL_MS } from './background.ts'
import { classifyDatabaseError } from './database-errors.ts'
import {
  MAX_BODY_BYTES,
  isKeyId,
  isOrganizationId,
  parseDescription,
  parseGracePeriod,
  parseListParameters,
  parseName,
  parseRequestedExpiration,
  parseScopes,
  readIdempotencyKey,
  readJsonObject,
  encodeCursor,
} from './input.ts'
import { positionOf } from './listing.ts'
import { defaultExpiresAt, gracePeriodMs, inheritedExpiresAt, resolvePolicy, type ServerPolicyOptions } from './policy.ts'
import { fieldProblem, ProblemError, problemResponse } from './problems.ts'
import { storeRateLimiter, type RateLimiter } from './rate-limit.ts'
import { keyStatus, type KeyStore, type StoredKey, type StoredKeyPatch, type StoreTransaction } from './store.ts'
import { DEFAULT_TOKEN_PREFIX, generateToken, hashToken, isValidTokenPrefix, tokenStart } from './token.ts'
import { personalAccessTokenVerifier, socketAddress } from './verify.ts'
import {
  checkWebhookOptions,
  createWebhookWorker,
  webhookMessages,
  type WebhookEventType,
  type WebhookKeyData,
  type WebhookOptions,
} from './webhooks.ts'

/** A user's place in an organization, as the app's own auth knows it. */
export interface OrganizationMembership {
  id: string
  /** Compared as is with `organizations.manageRoles` and `listRoles`. */
  role: string
}

export interface AuthenticatedUser {
  userId: string
  /** May the user manage their own (personal) keys. Organization keys go by role instead. */
  canManagePersonalApiKeys: boolean
  /** Shown as the creator of the keys this user makes (`createdBy.name`), kept if they leave or rename. */
  name?: string | null
  /**
   * The organizations the user belongs to, with their role in each. A list rather than a callback:
   * it is what sessions and tokens already carry (PropelAuth's org member info, Clerk's and WorkOS's
   * organization claims, Better Auth's members), so most apps have it without another query, and the
   * same object can tell the page which organizations to offer. Absent: a member of none.
   */
  organizations?: readonly OrganizationMembership[]
}

/** Who may do what with an organization's keys, and the rules for them. */
export interface OrganizationKeyOptions {
  /** Roles that may create, rotate, edit and revoke the organization's keys. Default `['owner', 'admin']`. */
  manageRoles?: readonly string[]
  /** Roles that may list the keys and read the policy; `'anyMember'` (the default) lets every member. Managers may always. */
  listRoles?: readonly string[] | 'anyMember'
  /**
   * The policy for organization keys, over the personal one: fields given here win, the rest are the
   * personal policy's (e.g. `{ maxLifetimeDays: null, expirationOptions: [..., 'Never'] }` lets an
   * organization's keys live forever while personal keys expire within a year).
   */
  policy?: Omit<ServerPolicyOptions, 'enabled'>
  /** Active keys one organization may hold. Default: `maxActiveKeys`. */
  maxActiveKeys?: number
}

/** Resolves the signed-in user of a management request (session cookie, session bearer token…), or null. */
export type Authenticate = (request: Request) => Promise<AuthenticatedUser | null>

export interface ReferenceServerOptions {
  store: KeyStore
  authenticate: Authenticate
  /** The policy for personal keys (and, unless `organizations.policy` says otherwise, for organizations'). */
  policy?: ServerPolicyOptions
  /**
   * Organization-owned keys under `/v1/organizations/:orgId/api-keys`, for the members
   * `authenticate` lists (`AuthenticatedUser.organizations`). On by default: with no memberships every
   * such route answers 404. `false` leaves the routes out.
   */
  organizations?: false | OrganizationKeyOptions
  /** Default `pat_`. */
  tokenPrefix?: string
  /**
   * Applied per owner and operation to every write: create, rotate, edit and revoke (keys
   * `user:<userId>:create`, `organization:<orgId>:rotate`, `…:edit`, `…:revoke`). Default: 60 a minute
   * each, counted in the store's database (`storeRateLimiter`), so instances sharing a PostgreSQL
   * share the budget. `false` turns it off.
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
  /** Active keys one user may hold (a key replaced by a rotation no longer counts). Default 100. */
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
   * Signed events after a key is created, revoked or rotated, naming its owner. Each event is written to the outbox in
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

/** The rules of one kind of owner: its policy, its cap, and how its errors speak of it. */
interface OwnerRules {
  policy: PersonalApiKeyPolicy
  maxActiveKeys: number
  nameTaken: string
  overLimit: (max: number) => string
}

/** Whose keys a request works on, who is asking, and the rules that apply. */
interface Scope {
  owner: KeyOwner
  actor: AuthenticatedUser
  rules: OwnerRules
}

type Env = { Variables: { requestId: string; scope: Scope } }
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

const PERSONAL_BASE = '/v1/personal-access-tokens'
const ORGANIZATION_BASE = '/v1/organizations/:orgId/api-keys'
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

/** The public shape of a stored row: fields listed one by one so `hash` can never slip out. */
export function toApiKey(row: StoredKey, now: string): PersonalApiKey {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    start: row.start,
    scopes: [...row.scopes],
    status: keyStatus(row, now),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
    owner: { ...row.owner },
    createdBy: row.createdBy && { ...row.createdBy },
    replacedBy: row.replacedBy,
    replacedAt: row.replacedAt,
  }
}

/** The creator to record for a key the signed-in user makes. */
function creatorOf(user: AuthenticatedUser): KeyCreator {
  return { userId: user.userId, name: typeof user.name === 'string' && user.name !== '' ? user.name : null }
}

/**
 * What a rotation does to the key it replaces: without a grace period it is revoked now; with one it
 * keeps working (status active) until the grace period ends, or until it would have expired anyway.
 * Either way it records its replacement.
 */
function retirement(old: StoredKey, replacedBy: string, gracePeriod: GracePeriodOption, at: Date): StoredKeyPatch {
  const replaced = { replacedBy, replacedAt: at.toISOString() }
  if (gracePeriod === 'None') return { ...replaced, revokedAt: at.toISOString() }
  const graceEnd = new Date(at.getTime() + gracePeriodMs(gracePeriod)).toISOString()
  return { ...replaced, expiresAt: old.expiresAt !== null && old.expiresAt < graceEnd ? old.expiresAt : graceEnd }
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
  const personalRules: OwnerRules = {
    policy,
    maxActiveKeys,
    nameTaken: 'You already have an active key with that name.',
    overLimit: (max) => `You can have at most ${max} active keys. Revoke one to create another.`,
  }
  const organizations = options.organizations === false ? null : (options.organizations ?? {})
  const organizationRules: OwnerRules | null = organizations && {
    policy: resolvePolicy({ ...options.policy, ...organizations.policy, enabled: true }, now()).policy,
    maxActiveKeys: organizations.maxActiveKeys ?? maxActiveKeys,
    nameTaken: 'This organization already has an active key with that name.',
    overLimit: (max) => `This organization can have at most ${max} active keys. Revoke one to create another.`,
  }
  const manageRoles = new Set(organizations?.manageRoles ?? ['owner', 'admin'])
  const listRoles = organizations?.listRoles ?? 'anyMember'
  if (organizationRules && !(Number.isInteger(organizationRules.maxActiveKeys) && organizationRules.maxActiveKeys >= 1)) {
    throw new Error('patkit createReferenceServer: organizations.maxActiveKeys must be a positive integer')
  }
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
    // "Who am I" answers for any key, saying whose it is.
    owner: 'any',
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
  async function announce(tx: StoreTransaction, type: WebhookEventType, row: StoredKey, at: string, previous?: WebhookKeyData['previous']) {
    if (!webhooks) return
    const data: WebhookKeyData = {
      ...toApiKey(row, at),
      owner: { ...row.owner },
      createdBy: row.createdBy && { ...row.createdBy },
      userId: row.owner.type === 'user' ? row.owner.id : null,
      ...(previous ? { previous } : {}),
    }
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

  async function signedIn(c: Context<Env>): Promise<AuthenticatedUser> {
    const user = await authenticate(c.req.raw)
    if (!user) throw new ProblemError('unauthorized', { headers: { 'WWW-Authenticate': 'Bearer' } })
    return user
  }

  // Who may manage their own keys: signed in (401), feature on (403), permitted (403), in that order
  // so anonymous callers learn nothing about the configuration. Hono's `/*` also matches the collection path itself.
  app.use(`${PERSONAL_BASE}/*`, async (c, next) => {
    const user = await signedIn(c)
    if (!enabled) throw new ProblemError('personal_api_keys_disabled')
    if (!user.canManagePersonalApiKeys) throw new ProblemError('no_personal_api_key_permission')
    c.set('scope', { owner: { type: 'user', id: user.userId }, actor: user, rules: personalRules })
    await next()
  })

  // An organization's keys: signed in (401), a member (404, the same answer as for an organization
  // that does not exist, as another user's key is 404), a role that may list (reads) or manage (writes) (403).
  if (organizationRules) {
    app.use(`${ORGANIZATION_BASE}/*`, async (c, next) => {
      const user = await signedIn(c)
      const orgId = c.req.param('orgId') ?? ''
      const membership = isOrganizationId(orgId) ? user.organizations?.find((member) => member.id === orgId) : undefined
      if (!membership) throw new ProblemError('organization_not_found')
      const reading = c.req.method === 'GET' || c.req.method === 'HEAD'
      const mayManage = manageRoles.has(membership.role)
      const mayList = mayManage || listRoles === 'anyMember' || listRoles.includes(membership.role)
      if (!(reading ? mayList : mayManage)) throw new ProblemError('no_org_api_key_permission')
      c.set('scope', { owner: { type: 'organization', id: orgId }, actor: user, rules: organizationRules })
      await next()
    })
  }

  async function enforceRateLimit({ owner }: Scope, operation: 'create' | 'rotate' | 'edit' | 'revoke') {
    if (!rateLimiter) return
    const result = await rateLimiter.check(`${owner.type}:${owner.id}:${operation}`)
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

  /** The row of a key that starts now: never used, not revoked or replaced, holding only the hash of its secret. */
  function newKeyRow(
    secret: { start: string; hash: string },
    { expiresAt, ...fields }: Pick<StoredKey, 'owner' | 'createdBy' | 'name' | 'description' | 'scopes' | 'createdAt'> & { expiresAt: Date | null },
  ): StoredKey {
    return {
      id: crypto.randomUUID(),
      ...fields,
      start: secret.start,
      hash: secret.hash,
      expiresAt: expiresAt?.toISOString() ?? null,
      lastUsedAt: null,
      revokedAt: null,
      replacedBy: null,
      replacedAt: null,
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
   * Records are the owner's: an organization's admins share them, as they share its keys.
   */
  async function refuseReplay(tx: StoreTransaction, owner: KeyOwner, idempotency: Idempotency, at: Date) {
    if (idempotency === undefined) return
    const record = await tx.getIdempotencyRecord(owner, idempotency.key)
    if (!record || Date.parse(record.createdAt) < at.getTime() - IDEMPOTENCY_TTL_MS) return
    if (record.fingerprint !== null && record.fingerprint !== idempotency.fingerprint) throw new ProblemError('idempotency_key_mismatch')
    const made = await tx.getKey(owner, record.apiKeyId)
    throw new ProblemError('idempotency_key_reused', {
      extensions: { apiKeyId: record.apiKeyId, ...(made ? { apiKey: toApiKey(made, at.toISOString()) } : {}) },
    })
  }

  async function rememberIdempotencyKey(tx: StoreTransaction, owner: KeyOwner, idempotency: Idempotency, apiKeyId: string, at: string) {
    if (idempotency === undefined) return
    const { key, operation, fingerprint } = idempotency
    await tx.putIdempotencyRecord({ owner, key, operation, apiKeyId, createdAt: at, fingerprint })
  }

  async function refuseTakenName(tx: StoreTransaction, { owner, rules }: Scope, name: string, at: string) {
    if (await tx.findLiveKeyByName(owner, name, at)) throw fieldProblem('name_taken', '/name', rules.nameTaken)
  }

  async function refuseOverLimit(tx: StoreTransaction, { owner, rules }: Scope, at: string) {
    if ((await tx.countLiveKeys(owner, at)) >= rules.maxActiveKeys) {
      throw new ProblemError('token_limit_reached', { detail: rules.overLimit(rules.maxActiveKeys) })
    }
  }

  /** The key named in the path, locked for this transaction, if it is the scope's owner's (else 404, whoever else's it is). */
  async function lockedKey(tx: StoreTransaction, { owner }: Scope, id: string): Promise<StoredKey> {
    await tx.lockOwner(owner)
    const key = await tx.getKeyForUpdate(owner, id)
    if (!key) throw new ProblemError('api_key_not_found')
    return key
  }

  // The same operations on a user's keys and on an organization's: the scope says whose.
  for (const base of organizationRules ? [PERSONAL_BASE, ORGANIZATION_BASE] : [PERSONAL_BASE]) {
    app.post(base, async (c) => {
      const scope = c.get('scope')
      const { owner, actor, rules } = scope
      await enforceRateLimit(scope, 'create')
      const body = await readJsonObject(c.req.raw)
      const idempotency = await idempotencyOf(c, 'create', null, body)
      const at = now()
      const createdAt = at.toISOString()
      const name = body.name === undefined || body.name === null ? undefined : parseName(body.name, rules.policy.nameMaxLength)
      const description = parseDescription(body.description, rules.policy.descriptionMaxLength)
      const requested = parseRequestedExpiration(body, rules.policy, at)
      const expiresAt = requested === undefined ? defaultExpiresAt(rules.policy, at) : requested
      const scopes = parseScopes(body.scopes, rules.policy)
      const { token, ...secret } = await newSecret()
      const row = newKeyRow(secret, {
        owner,
        createdBy: creatorOf(actor),
        // The seed's createPersonalApiKey('Never') sends no name; the start makes the default recognisable.
        name: name ?? [...`API key ${secret.start}`].slice(0, rules.policy.nameMaxLength).join(''),
        description,
        scopes,
        createdAt,
        expiresAt,
      })
      await store.transaction(async (tx) => {
        await tx.lockOwner(owner)
        await refuseReplay(tx, owner, idempotency, at)
        await refuseOverLimit(tx, scope, createdAt)
        await refuseTakenName(tx, scope, row.name, createdAt)
        await tx.insertKey(row)
        await rememberIdempotencyKey(tx, owner, idempotency, row.id, createdAt)
        await announce(tx, 'personalAccessToken.created', row, createdAt)
      })
      deliverSoon(c)
      return c.json({ data: { apiKey: toApiKey(row, createdAt), token } }, 201, NO_STORE)
    })

    app.get(base, async (c) => {
      const { owner } = c.get('scope')
      const { q, status, sort, limit, after } = parseListParameters(new URL(c.req.url).searchParams)
      const at = now().toISOString()
      // One row more than a page tells whether there is a next page without a second query.
      const result = await store.listKeys({ owner, q, status, sort, after, limit: limit + 1, now: at })
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

    app.get(`${base}/policy`, (c) => c.json({ data: c.get('scope').rules.policy }))

    app.delete(`${base}/:id`, async (c) => {
      const scope = c.get('scope')
      const id = keyIdParam(c)
      await enforceRateLimit(scope, 'revoke')
      const at = now().toISOString()
      const { row, changed } = await store.transaction(async (tx) => {
        const key = await lockedKey(tx, scope, id)
        // Revoking twice is a success that keeps the first revocation time. A key replaced with a
        // grace period is not revoked yet: revoking it ends the grace period now.
        if (key.revokedAt !== null) return { row: key, changed: false }
        // The row is locked (lockedKey), so the update finds it.
        const revoked = (await tx.updateKey(id, { revokedAt: at }))!
        await announce(tx, 'personalAccessToken.revoked', revoked, at)
        return { row: revoked, changed: true }
      })
      if (changed) deliverSoon(c)
      return c.json({ data: toApiKey(row, at) })
    })

    app.patch(`${base}/:id`, async (c) => {
      const scope = c.get('scope')
      const { policy } = scope.rules
      const id = keyIdParam(c)
      await enforceRateLimit(scope, 'edit')
      const body = await readJsonObject(c.req.raw)
      if (body.name === undefined && body.description === undefined) {
        throw fieldProblem('validation_failed', '/name', 'Give a new name or description.')
      }
      const name = body.name === undefined ? undefined : parseName(body.name, policy.nameMaxLength)
      const description = body.description === undefined ? undefined : parseDescription(body.description, policy.descriptionMaxLength)
      const at = now().toISOString()
      const row = await store.transaction(async (tx) => {
        const key = await lockedKey(tx, scope, id)
        if (key.revokedAt !== null) throw new ProblemError('already_revoked', { detail: 'A revoked key cannot be edited.' })
        // Its name is its replacement's now, and it is on its way out.
        if (key.replacedBy !== null) throw new ProblemError('already_replaced', { detail: 'A replaced key cannot be edited. Edit its replacement.' })
        const patch: StoredKeyPatch = {}
        if (name !== undefined && name !== key.name) {
          // The name differs from the key's own, so any live holder of it is another key.
          await refuseTakenName(tx, scope, name, at)
          patch.name = name
        }
        if (description !== undefined && description !== key.description) patch.description = description
        if (Object.keys(patch).length === 0) return key
        // The row is locked (lockedKey), so the update finds it.
        return (await tx.updateKey(id, patch))!
      })
      return c.json({ data: toApiKey(row, at) })
    })

    app.post(`${base}/:id/rotate`, async (c) => {
      const scope = c.get('scope')
      const { owner, actor, rules } = scope
      const id = keyIdParam(c)
      await enforceRateLimit(scope, 'rotate')
      const body = await readJsonObject(c.req.raw)
      const idempotency = await idempotencyOf(c, 'rotate', id, body)
      const at = now()
      const createdAt = at.toISOString()
      const requested = parseRequestedExpiration(body, rules.policy, at)
      const gracePeriod = parseGracePeriod(body.gracePeriod, rules.policy)
      const { token, ...secret } = await newSecret()
      const { next, previous } = await store.transaction(async (tx) => {
        await tx.lockOwner(owner)
        // Before the revoked check: a retried rotation must hear "already done", not "already revoked".
        await refuseReplay(tx, owner, idempotency, at)
        const old = await lockedKey(tx, scope, id)
        if (old.revokedAt !== null) throw new ProblemError('already_revoked', { detail: 'A revoked key cannot be rotated.' })
        // One replacement per key: rotating the old key of a grace period again would leave two live
        // successors under one name. Rotate the replacement instead; revoking the old key still works.
        if (old.replacedBy !== null) throw new ProblemError('already_replaced', { detail: 'This key was already rotated. Rotate its replacement instead.' })
        // Rotating an active key swaps one live key for another, under a name only it holds; an
        // expired one adds a live key, whose name another key may have taken since.
        if (keyStatus(old, createdAt) !== 'active') {
          await refuseOverLimit(tx, scope, createdAt)
          await refuseTakenName(tx, scope, old.name, createdAt)
        }
        const expiresAt = requested === undefined ? inheritedExpiresAt(old, rules.policy, at) : requested
        const next = newKeyRow(secret, {
          owner,
          createdBy: creatorOf(actor),
          name: old.name,
          description: old.description,
          scopes: [...old.scopes],
          createdAt,
          expiresAt,
        })
        // Same transaction: if the insert fails, the old key's change is rolled back and it keeps working as it did.
        const previous = (await tx.updateKey(old.id, retirement(old, next.id, gracePeriod, at)))!
        await tx.insertKey(next)
        await rememberIdempotencyKey(tx, owner, idempotency, next.id, createdAt)
        const { expiresAt: previousExpiresAt, revokedAt } = previous
        await announce(tx, 'personalAccessToken.rotated', next, createdAt, { id, expiresAt: previousExpiresAt, revokedAt, gracePeriod })
        return { next, previous }
      })
      deliverSoon(c)
      return c.json(
        { data: { apiKey: toApiKey(next, createdAt), token, previous: { ...toApiKey(previous, createdAt), gracePeriod } } },
        201,
        NO_STORE,
      )
    })
  }

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
