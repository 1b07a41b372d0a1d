import { describe, expect, it, type TestContext } from 'vitest'
import { resolveCapabilities, type ResolvedCapabilities } from '../client/capabilities.ts'
import { availableExpirationOptions } from '../client/expiration.ts'
import { forOrganization } from '../client/organizations.ts'
import {
  CALL_ERRORS,
  EXPIRATION_OPTIONS,
  type ApiError,
  type ApiResponse,
  type AuthFrontendApis,
  type ErrorKind,
  type KeyOwner,
  type OrgApiKeyMethods,
  type PersonalApiKey,
  type PersonalApiKeyPolicy,
  type SortKey,
  type SpecificErrorKind,
} from '../client/types.ts'

/**
 * What the kit gets for one test: a backend with a freshly signed-in user who has no keys, and
 * whatever else the setup can provide. Anything optional that is missing skips the checks that need
 * it, with the reason in the test report.
 */
export interface ConformanceSubject {
  /** The signed-in user's client. Each call of the setup must give a user with no keys. */
  apis: AuthFrontendApis
  /** The id `whoAmI` reports for the signed-in user's tokens. Without it, only "some user" is checked. */
  userId?: string
  /** Another signed-in user of the same backend: checks that keys are private to their owner. */
  otherUser?: AuthFrontendApis
  /** A signed-in user who may not manage keys: checks `noPersonalApiKeyPermission`. */
  withoutPermission?: AuthFrontendApis
  /** A client with no session: checks `unauthorized`. */
  signedOut?: AuthFrontendApis
  /** A client whose transport cannot reach the backend (the fetch rejects): checks `unexpectedOrUnhandled`. */
  unreachable?: AuthFrontendApis
  /**
   * Authenticates with a token as the app's own API would: the user it speaks for (`null` for an
   * organization's key) and, where the backend says, whose key it is; `null` when the backend refuses
   * the token. Checks that a created token works, that revoking (or rotating) stops it, and whose it is.
   */
  whoAmI?: (token: string) => Promise<{ userId: string | null; owner?: KeyOwner } | null>
  /**
   * Organization keys, checked when the client declares `capabilities.organizations` (and implements
   * the `…OrgApiKey…` methods); without this field those checks skip with the reason.
   */
  organization?: ConformanceOrganization
  /** The backend answers 429 to creates once this many were made in a row by one user. Checks `rateLimited`. */
  createsBeforeRateLimit?: number
  /** Run after the test, pass or fail (sign the user out, close a database…). */
  cleanup?: () => Promise<void> | void
}

/** An organization for the kit's organization checks. Each call of the setup must give one with no keys. */
export interface ConformanceOrganization {
  /** The organization, whose keys `apis`' user may create, list, rotate, edit and revoke. */
  id: string
  /** A member of it who may list its keys but not manage them: checks `noOrgApiKeyPermission`. */
  member?: AuthFrontendApis
  /** A signed-in user who is not a member: checks `orgNotFound`. */
  outsider?: AuthFrontendApis
  /** Another organization whose keys `apis`' user also manages: checks that one's key is not found under the other. */
  otherId?: string
}

export type ConformanceSetup = () => ConformanceSubject | Promise<ConformanceSubject>

type Call = keyof typeof CALL_ERRORS

/** Which callback `handle()` ran, and with what. */
interface Outcome {
  callback: 'success' | ErrorKind
  data?: unknown
  error?: ApiError
}

/**
 * Runs `handle()` with every callback and reports which one ran. Also the contract's rules that hold
 * for any answer: an error's kind is one the call may produce, and its message is a sentence.
 */
async function outcomeOf(call: Call, response: ApiResponse<unknown, SpecificErrorKind>): Promise<Outcome> {
  expect(typeof response.ok, 'the response has a boolean ok').toBe('boolean')
  let calls = 0
  const error = (kind: ErrorKind) => (value: ApiError): Outcome => (calls++, { callback: kind, error: value })
  const handlers = Object.fromEntries(CALL_ERRORS[call].map((kind) => [kind, error(kind)]))
  const outcome = (await response.handle({
    ...handlers,
    success: (data: unknown): Outcome => (calls++, { callback: 'success', data }),
    unexpectedOrUnhandled: error('unexpectedOrUnhandled'),
  })) as Outcome
  expect(calls, 'handle() runs exactly one callback').toBe(1)
  if (outcome.error) {
    expect([...CALL_ERRORS[call], 'unexpectedOrUnhandled'], `${call} may not answer ${outcome.error.kind}`).toContain(outcome.error.kind)
    expect(outcome.error.kind).toBe(outcome.callback)
    expect(outcome.error.userFacingError, 'userFacingError is a readable sentence').toMatch(/\p{L}+\s+\p{L}+/u)
    expect(outcome.error.userFacingError).not.toMatch(/<[a-z!/]/i)
  }
  return outcome
}

async function succeed<T>(call: Call, response: ApiResponse<T, SpecificErrorKind>): Promise<T> {
  const outcome = await outcomeOf(call, response)
  if (outcome.callback !== 'success') {
    throw new Error(`expected ${call} to succeed, got ${outcome.callback}: ${outcome.error?.userFacingError} (code ${outcome.error?.code})`)
  }
  return outcome.data as T
}

async function expectCallback(call: Call, response: ApiResponse<unknown, SpecificErrorKind>, callback: Outcome['callback']) {
  const outcome = await outcomeOf(call, response)
  expect(outcome.callback, `${call}: ${outcome.error?.userFacingError ?? 'success'}`).toBe(callback)
  return outcome
}

const isInstant = (value: string | null) => value === null || !Number.isNaN(Date.parse(value))
const DAY_MS = 86_400_000

function expectKeyShape(key: PersonalApiKey) {
  expect(key).toEqual(
    expect.objectContaining({
      id: expect.any(String),
      name: expect.any(String),
      start: expect.any(String),
      scopes: expect.any(Array),
      status: expect.stringMatching(/^(active|expired|revoked)$/),
      createdAt: expect.any(String),
    }),
  )
  for (const field of ['createdAt', 'expiresAt', 'lastUsedAt', 'revokedAt'] as const) {
    expect(isInstant(key[field]), `${field} is an ISO instant or null: ${key[field]}`).toBe(true)
  }
  expect(key).not.toHaveProperty('token')
}

/** Short, distinct names: some backends cap names at 32 characters. */
const keyName = (label: string) => `${label} ${Math.random().toString(36).slice(2, 8)}`

interface Fixture {
  subject: ConformanceSubject
  apis: AuthFrontendApis
  capabilities: ResolvedCapabilities
  policy: PersonalApiKeyPolicy
  /** Creates a key with the policy's default expiration; fails the test if it cannot. */
  create(name?: string): Promise<{ apiKey: PersonalApiKey; token: string }>
  list(params?: Parameters<AuthFrontendApis['fetchPersonalApiKeys']>[0]): ReturnType<typeof listAll>
}

async function listAll(apis: AuthFrontendApis, params: Parameters<AuthFrontendApis['fetchPersonalApiKeys']>[0] = {}) {
  return succeed('fetch', await apis.fetchPersonalApiKeys({ limit: 100, ...params }))
}

/**
 * The conformance suite for an `AuthFrontendApis` implementation (an adapter to your backend), for
 * vitest. `setup` is called once per test and must give a signed-in user with no keys; start servers
 * in your own `beforeAll`. Checks the declared capabilities exclude are skipped with the reason, as are
 * checks that need something the setup does not provide.
 *
 * ```ts
 * describeAuthFrontendApisConformance('my adapter', async () => ({ apis: createMyApis(await signUp()) }))
 * ```
 */
export function describeAuthFrontendApisConformance(name: string, setup: ConformanceSetup): void {
  /** Runs `body` with a fresh subject and cleans up after it, however the test ends (skips included). */
  function test(title: string, body: (fixture: Fixture, context: TestContext) => Promise<void>) {
    it(title, async (context) => {
      const subject = await setup()
      try {
        const apis = subject.apis
        const policy = await succeed('fetch', await apis.fetchPersonalApiKeyPolicy())
        const fixture: Fixture = {
          subject,
          apis,
          capabilities: resolveCapabilities(apis),
          policy,
          async create(keyLabel = 'key') {
            return succeed('create', await apis.createPersonalApiKey({ name: keyName(keyLabel), expiration: policy.defaultExpiration }))
          },
          list: (params) => listAll(apis, params),
        }
        await body(fixture, context)
      } finally {
        await subject.cleanup?.()
      }
    })
  }

  function requireCapability(fixture: Fixture, context: TestContext, capability: Exclude<keyof ResolvedCapabilities, 'sort'>) {
    if (!fixture.capabilities[capability]) context.skip(`the client declares capabilities.${capability}: false`)
  }

  function requireSubject<K extends keyof ConformanceSubject>(fixture: Fixture, context: TestContext, field: K): NonNullable<ConformanceSubject[K]> {
    const value = fixture.subject[field]
    if (value === undefined || value === null) context.skip(`the setup gives no ${String(field)}`)
    return value as NonNullable<ConformanceSubject[K]>
  }

  describe(`AuthFrontendApis conformance: ${name}`, () => {
    describe('policy and capabilities', () => {
      test('the policy is well formed and agrees with the declared capabilities', async ({ policy, capabilities }) => {
        expect(policy.expirationOptions.length).toBeGreaterThan(0)
        for (const option of policy.expirationOptions) expect(EXPIRATION_OPTIONS).toContain(option)
        expect(policy.expirationOptions).toContain(policy.defaultExpiration)
        expect(Number.isInteger(policy.nameMaxLength) && policy.nameMaxLength > 0).toBe(true)
        expect(policy.maxLifetimeDays === null || policy.maxLifetimeDays > 0).toBe(true)
        if (!capabilities.customExpiration) expect(policy.allowCustomExpiration, 'customExpiration: false but the policy allows custom dates').toBe(false)
        if (!capabilities.scopes) expect(policy.scopes, 'scopes: false but the policy offers scopes').toEqual([])
      })
    })

    describe('create', () => {
      test('creates a key, shows its token once, and lists it without the token', async ({ apis, policy, list }) => {
        const name = keyName('created')
        const created = await succeed('create', await apis.createPersonalApiKey({ name, expiration: policy.defaultExpiration }))
        expectKeyShape(created.apiKey)
        expect(created.apiKey).toMatchObject({ name, status: 'active', revokedAt: null })
        expect(created.token.length).toBeGreaterThanOrEqual(16)
        expect(created.token.startsWith(created.apiKey.start), 'start is the first characters of the token').toBe(true)
        expect(created.apiKey.start.length).toBeLessThan(created.token.length / 2)

        const page = await list()
        const listed = page.items.find((key) => key.id === created.apiKey.id)
        expect(listed).toMatchObject({ name, status: 'active', start: created.apiKey.start })
        expect(page.totalCount).toBe(1)
        expect(JSON.stringify(page), 'a list never carries a token').not.toContain(created.token)
        const policyAgain = await succeed('fetch', await apis.fetchPersonalApiKeyPolicy())
        expect(JSON.stringify(policyAgain)).not.toContain(created.token)
      })

      test("accepts the seed's createPersonalApiKey(expirationOption) without a name", async ({ apis, policy, list }) => {
        const created = await succeed('create', await apis.createPersonalApiKey(policy.defaultExpiration))
        expect(created.apiKey.name.trim().length).toBeGreaterThan(0)
        expect((await list()).items.map((key) => key.id)).toEqual([created.apiKey.id])
      })

      test("sets the expiry a preset asks for, and none for 'Never' when the policy offers it", async ({ apis, policy }) => {
        const presets = availableExpirationOptions(policy)
        for (const option of presets) {
          const created = await succeed('create', await apis.createPersonalApiKey({ name: keyName(option), expiration: option }))
          if (option === 'Never') {
            expect(created.apiKey.expiresAt).toBeNull()
            continue
          }
          const days = option === 'TwoWeeks' ? 14 : { OneMonth: 30, ThreeMonths: 91, SixMonths: 182, OneYear: 365 }[option]
          const lifetime = (Date.parse(created.apiKey.expiresAt!) - Date.parse(created.apiKey.createdAt)) / DAY_MS
          // Calendar months vary by up to three days, and a backend may count a year as 365 days.
          expect(Math.abs(lifetime - days), `${option} lasts ${lifetime} days`).toBeLessThanOrEqual(3)
        }
      })

      test('sets a custom expiry date', async (fixture, context) => {
        requireCapability(fixture, context, 'customExpiration')
        const wanted = new Date(Date.now() + 10 * DAY_MS)
        const created = await succeed(
          'create',
          await fixture.apis.createPersonalApiKey({ name: keyName('custom'), expiration: { expiresAt: wanted.toISOString() } }),
        )
        expect(Math.abs(Date.parse(created.apiKey.expiresAt!) - wanted.getTime())).toBeLessThan(60_000)
      })

      test('gives a key the scopes the policy offers', async (fixture, context) => {
        requireCapability(fixture, context, 'scopes')
        const scope = fixture.policy.scopes[0]
        if (!scope) context.skip('the policy offers no scopes')
        const created = await succeed(
          'create',
          await fixture.apis.createPersonalApiKey({ name: keyName('scoped'), expiration: fixture.policy.defaultExpiration, scopes: [scope!.id] }),
        )
        expect(created.apiKey.scopes).toEqual([scope!.id])
      })

      test('refuses scopes it cannot give with badRequest, instead of dropping them', async ({ apis, policy, capabilities, list }, context) => {
        if (capabilities.scopes) context.skip('the client supports scopes')
        const response = await apis.createPersonalApiKey({ name: keyName('scoped'), expiration: policy.defaultExpiration, scopes: ['read'] })
        await expectCallback('create', response, 'badRequest')
        expect((await list()).totalCount).toBe(0)
      })
    })

    describe('tokens', () => {
      test('a created token authenticates as its owner', async (fixture, context) => {
        const { subject } = fixture
        const whoAmI = requireSubject(fixture, context, 'whoAmI')
        const { token } = await fixture.create()
        const me = await whoAmI(token)
        expect(me, 'whoAmI accepts the new token').not.toBeNull()
        if (subject.userId !== undefined) expect(me!.userId).toBe(subject.userId)
        expect(await whoAmI(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`), 'a changed token is refused').toBeNull()
      })
    })

    describe('revoke', () => {
      test('revokes a key, keeps it listed as revoked, and the token stops working', async ({ subject, apis, create, list }) => {
        const { apiKey, token } = await create()
        const revoked = await succeed('revoke', await apis.revokePersonalApiKey(apiKey.id))
        expectKeyShape(revoked)
        expect(revoked).toMatchObject({ id: apiKey.id, status: 'revoked' })
        expect(revoked.revokedAt).not.toBeNull()
        expect((await list()).items.find((key) => key.id === apiKey.id)).toMatchObject({ status: 'revoked' })
        if (subject.whoAmI) expect(await subject.whoAmI(token), 'a revoked token is refused').toBeNull()
      })

      test('revoking a revoked key succeeds again and keeps the first revocation time', async ({ apis, create }) => {
        const { apiKey } = await create()
        const first = await succeed('revoke', await apis.revokePersonalApiKey(apiKey.id))
        const second = await succeed('revoke', await apis.revokePersonalApiKey(apiKey.id))
        expect(second).toMatchObject({ status: 'revoked', revokedAt: first.revokedAt })
      })
    })

    describe('rename', () => {
      test('renames a key', async (fixture, context) => {
        requireCapability(fixture, context, 'rename')
        const { apiKey } = await fixture.create()
        const name = keyName('renamed')
        const renamed = await succeed('update', await fixture.apis.updatePersonalApiKey(apiKey.id, { name }))
        expect(renamed).toMatchObject({ id: apiKey.id, name, status: 'active' })
        expect((await fixture.list()).items.find((key) => key.id === apiKey.id)?.name).toBe(name)
      })

      test('refuses a name longer than the policy allows with badRequest, keeping the old name', async (fixture, context) => {
        requireCapability(fixture, context, 'rename')
        const { apiKey } = await fixture.create()
        const response = await fixture.apis.updatePersonalApiKey(apiKey.id, { name: 'n'.repeat(fixture.policy.nameMaxLength + 1) })
        await expectCallback('update', response, 'badRequest')
        expect((await fixture.list()).items[0]?.name).toBe(apiKey.name)
      })

      test('refuses to rename a revoked key with conflict', async (fixture, context) => {
        requireCapability(fixture, context, 'rename')
        const { apiKey } = await fixture.create()
        await succeed('revoke', await fixture.apis.revokePersonalApiKey(apiKey.id))
        const response = await fixture.apis.updatePersonalApiKey(apiKey.id, { name: keyName('late') })
        await expectCallback('update', response, 'conflict')
      })
    })

    describe('rotate', () => {
      test('rotates a key: a new token under the same name, the old key revoked', async (fixture, context) => {
        requireCapability(fixture, context, 'rotate')
        const { apiKey, token } = await fixture.create()
        const rotated = await succeed('rotate', await fixture.apis.rotatePersonalApiKey(apiKey.id))
        expectKeyShape(rotated.apiKey)
        expect(rotated.apiKey).toMatchObject({ name: apiKey.name, status: 'active' })
        expect(rotated.apiKey.id).not.toBe(apiKey.id)
        expect(rotated.token).not.toBe(token)
        expect(rotated.previous.id).toBe(apiKey.id)
        const items = (await fixture.list()).items
        expect(items.find((key) => key.id === apiKey.id)).toMatchObject({ status: 'revoked' })
        expect(items.find((key) => key.id === rotated.apiKey.id)).toMatchObject({ status: 'active' })
        expect(JSON.stringify(items)).not.toContain(rotated.token)
        if (fixture.subject.whoAmI) {
          expect(await fixture.subject.whoAmI(token), 'the old token is refused').toBeNull()
          expect(await fixture.subject.whoAmI(rotated.token), 'the new token works').not.toBeNull()
        }
      })

      test('refuses to rotate a revoked key with conflict', async (fixture, context) => {
        requireCapability(fixture, context, 'rotate')
        const { apiKey } = await fixture.create()
        await succeed('revoke', await fixture.apis.revokePersonalApiKey(apiKey.id))
        await expectCallback('rotate', (await fixture.apis.rotatePersonalApiKey(apiKey.id)), 'conflict')
        expect((await fixture.list()).totalCount).toBe(1)
      })
    })

    describe('list', () => {
      test('pages through every key without gaps or repeats, in each declared sort order', async ({ apis, capabilities, create }) => {
        const ids = new Set<string>()
        for (const label of ['delta', 'alpha', 'echo', 'charlie', 'bravo', 'golf', 'foxtrot']) ids.add((await create(label)).apiKey.id)
        const sorts: (SortKey | undefined)[] = [undefined, ...capabilities.sort]
        for (const sort of sorts) {
          const seen: PersonalApiKey[] = []
          let cursor: string | undefined
          for (let pages = 0; pages < 10; pages++) {
            const page = await succeed('fetch', await apis.fetchPersonalApiKeys({ sort, limit: 3, cursor }))
            expect(page.totalCount).toBe(ids.size)
            expect(page.items.length).toBeLessThanOrEqual(3)
            seen.push(...page.items)
            if (page.nextCursor === null) break
            cursor = page.nextCursor
          }
          const seenIds = seen.map((key) => key.id)
          expect(new Set(seenIds).size, `sort ${sort ?? '(default)'}: no key twice`).toBe(seenIds.length)
          expect(new Set(seenIds), `sort ${sort ?? '(default)'}: every key once`).toEqual(ids)
          if (sort === 'name' || sort === '-name') {
            const names = seen.map((key) => key.name.toLowerCase())
            const sorted = [...names].sort()
            expect(names).toEqual(sort === 'name' ? sorted : sorted.reverse())
          }
          if (sort === undefined || sort === 'createdAt' || sort === '-createdAt') {
            const times = seen.map((key) => Date.parse(key.createdAt))
            const ascending = sort === 'createdAt'
            times.slice(1).forEach((time, i) => expect(ascending ? time >= times[i]! : time <= times[i]!).toBe(true))
          }
        }
      })

      test('finds keys by a case-insensitive part of the name', async (fixture, context) => {
        requireCapability(fixture, context, 'search')
        const [deploy, nightly] = [await fixture.create('Deploy prod'), await fixture.create('ci deploy')]
        await fixture.create('backup')
        const page = await fixture.list({ q: 'DEPLOY' })
        expect(page.items.map((key) => key.id).sort()).toEqual([deploy.apiKey.id, nightly.apiKey.id].sort())
        expect(page.totalCount).toBe(2)
      })

      test('filters by status and counts each status for the tabs', async (fixture, context) => {
        requireCapability(fixture, context, 'statusFilter')
        const kept = await fixture.create('kept')
        const gone = await fixture.create('gone')
        await succeed('revoke', await fixture.apis.revokePersonalApiKey(gone.apiKey.id))
        const revoked = await fixture.list({ status: 'revoked' })
        expect(revoked.items.map((key) => key.id)).toEqual([gone.apiKey.id])
        expect(revoked.totalCount).toBe(1)
        expect(revoked.facets.status).toEqual({ active: 1, expired: 0, revoked: 1 })
        expect((await fixture.list({ status: 'active' })).items.map((key) => key.id)).toEqual([kept.apiKey.id])
      })

      test('answers a cursor it never gave with badRequest', async ({ apis }) => {
        await expectCallback('fetch', (await apis.fetchPersonalApiKeys({ cursor: 'not-a-cursor' })), 'badRequest')
      })
    })

    describe('ownership', () => {
      test("another user cannot see, revoke, rename or rotate a user's key: not found", async (fixture, context) => {
        const other = requireSubject(fixture, context, 'otherUser')
        const { apiKey, token } = await fixture.create()
        const theirs = await listAll(other)
        expect(theirs.items.map((key) => key.id)).not.toContain(apiKey.id)
        await expectCallback('revoke', (await other.revokePersonalApiKey(apiKey.id)), 'apiKeyNotFound')
        if (fixture.capabilities.rename) {
          await expectCallback('update', (await other.updatePersonalApiKey(apiKey.id, { name: 'stolen' })), 'apiKeyNotFound')
        }
        if (fixture.capabilities.rotate) {
          await expectCallback('rotate', (await other.rotatePersonalApiKey(apiKey.id)), 'apiKeyNotFound')
        }
        expect((await fixture.list()).items[0]).toMatchObject({ id: apiKey.id, name: apiKey.name, status: 'active' })
        if (fixture.subject.whoAmI) expect(await fixture.subject.whoAmI(token)).not.toBeNull()
      })
    })

    describe('errors reach their callbacks', () => {
      test('apiKeyNotFound: a key id that never existed', async ({ apis, capabilities }) => {
        for (const id of ['no-such-key', '../policy', 'x/y?z#w', '🔑']) {
          await expectCallback('revoke', (await apis.revokePersonalApiKey(id)), 'apiKeyNotFound')
          if (capabilities.rename) {
            await expectCallback('update', (await apis.updatePersonalApiKey(id, { name: 'x' })), 'apiKeyNotFound')
          }
        }
      })

      test('badRequest: a name longer than the policy allows, and nothing is created', async ({ apis, policy, list }) => {
        const response = await apis.createPersonalApiKey({ name: 'n'.repeat(policy.nameMaxLength + 1), expiration: policy.defaultExpiration })
        const outcome = await expectCallback('create', response, 'badRequest')
        expect(outcome.error?.status).toBe(400)
        expect((await list()).totalCount).toBe(0)
      })

      test('invalidExpirationOption: an expiration the policy does not allow', async ({ apis, policy, capabilities, list }, context) => {
        const notOffered = EXPIRATION_OPTIONS.find((option) => !policy.expirationOptions.includes(option))
        const expiration = capabilities.customExpiration && policy.allowCustomExpiration
          ? { expiresAt: new Date(Date.now() - DAY_MS).toISOString() }
          : notOffered
        if (expiration === undefined) context.skip('the policy offers every preset and no custom dates: nothing to refuse')
        const response = await apis.createPersonalApiKey({ name: keyName('bad expiry'), expiration: expiration! })
        await expectCallback('create', response, 'invalidExpirationOption')
        expect((await list()).totalCount).toBe(0)
      })

      test('unauthorized: every call without a session', async (fixture, context) => {
        const signedOut = requireSubject(fixture, context, 'signedOut')
        const created = await fixture.create()
        await expectCallback('fetch', (await signedOut.fetchPersonalApiKeys()), 'unauthorized')
        await expectCallback('create', (await signedOut.createPersonalApiKey({ name: 'x', expiration: fixture.policy.defaultExpiration })), 'unauthorized')
        await expectCallback('revoke', (await signedOut.revokePersonalApiKey(created.apiKey.id)), 'unauthorized')
        if (fixture.capabilities.rename) {
          await expectCallback('update', (await signedOut.updatePersonalApiKey(created.apiKey.id, { name: 'x' })), 'unauthorized')
        }
        if (fixture.capabilities.rotate) {
          await expectCallback('rotate', (await signedOut.rotatePersonalApiKey(created.apiKey.id)), 'unauthorized')
        }
        expect((await fixture.list()).items[0]).toMatchObject({ id: created.apiKey.id, status: 'active' })
      })

      test('a missing specific callback falls back to unexpectedOrUnhandled', async (fixture, context) => {
        const signedOut = requireSubject(fixture, context, 'signedOut')
        const response = await signedOut.fetchPersonalApiKeys()
        const fallback = await response.handle({ success: () => 'success', unexpectedOrUnhandled: (error) => error.kind })
        expect(fallback).toBe('unauthorized')
      })

      test('noPersonalApiKeyPermission: a user who may not manage keys', async (fixture, context) => {
        const withoutPermission = requireSubject(fixture, context, 'withoutPermission')
        await expectCallback('fetch', (await withoutPermission.fetchPersonalApiKeys()), 'noPersonalApiKeyPermission')
        await expectCallback(
          'create',
          (await withoutPermission.createPersonalApiKey({ name: 'x', expiration: fixture.policy.defaultExpiration })),
          'noPersonalApiKeyPermission',
        )
      })

      test('rateLimited: creating faster than the backend allows, with a wait when the backend says one', async (fixture, context) => {
        const allowed = requireSubject(fixture, context, 'createsBeforeRateLimit')
        for (let i = 0; i < allowed; i++) await fixture.create(`burst ${i}`)
        const response = await fixture.apis.createPersonalApiKey({ name: keyName('one too many'), expiration: fixture.policy.defaultExpiration })
        const outcome = await expectCallback('create', response, 'rateLimited')
        expect(outcome.error?.status).toBe(429)
        if (outcome.error?.retryAfterSeconds !== undefined) expect(outcome.error.retryAfterSeconds).toBeGreaterThanOrEqual(0)
      })

      test('unexpectedOrUnhandled: every call resolves when the backend cannot be reached', async (fixture, context) => {
        const unreachable = requireSubject(fixture, context, 'unreachable')
        // The policy may be the client's own configuration (an adapter whose backend cannot tell it): then it still answers.
        const policy = await outcomeOf('fetch', await unreachable.fetchPersonalApiKeyPolicy())
        expect(['success', 'unexpectedOrUnhandled']).toContain(policy.callback)
        const calls: [Call, Promise<ApiResponse<unknown, SpecificErrorKind>>][] = [
          ['fetch', unreachable.fetchPersonalApiKeys()],
          ['create', unreachable.createPersonalApiKey({ name: 'x', expiration: fixture.policy.defaultExpiration })],
          ['revoke', unreachable.revokePersonalApiKey('some-key')],
          ['update', unreachable.updatePersonalApiKey('some-key', { name: 'x' })],
          ['rotate', unreachable.rotatePersonalApiKey('some-key')],
        ]
        for (const [call, pending] of calls) {
          const outcome = await expectCallback(call, await pending, 'unexpectedOrUnhandled')
          expect(outcome.error?.status).toBeNull()
        }
      })
    })

    describe('organization keys', () => {
      /** The organization the setup gives, once the client declares organization keys; skips otherwise. */
      function organizationOf(fixture: Fixture, context: TestContext) {
        if (!fixture.capabilities.organizations) {
          context.skip(
            fixture.apis.capabilities?.organizations === false
              ? 'the client declares capabilities.organizations: false'
              : 'the client has no organization API key methods (createOrgApiKey, …)',
          )
        }
        const organization = requireSubject(fixture, context, 'organization')
        return { organization, apis: fixture.apis as AuthFrontendApis & OrgApiKeyMethods }
      }

      async function createOrgKey(apis: OrgApiKeyMethods, orgId: string, policy: PersonalApiKeyPolicy, label = 'org key') {
        return succeed('orgCreate', await apis.createOrgApiKey(orgId, { name: keyName(label), expiration: policy.defaultExpiration }))
      }

      async function orgPolicy(apis: OrgApiKeyMethods, orgId: string) {
        return succeed('orgFetch', await apis.fetchOrgApiKeyPolicy(orgId))
      }

      test("creates, lists, renames and revokes an organization's keys, apart from the user's own", async (fixture, context) => {
        const { organization, apis } = organizationOf(fixture, context)
        const policy = await orgPolicy(apis, organization.id)
        expect(policy.expirationOptions).toContain(policy.defaultExpiration)
        const { apiKey, token } = await createOrgKey(apis, organization.id, policy)
        expectKeyShape(apiKey)
        expect(apiKey.status).toBe('active')
        if (apiKey.owner !== undefined) expect(apiKey.owner).toEqual({ type: 'organization', id: organization.id })
        const listed = await succeed('orgFetch', await apis.fetchOrgApiKeys(organization.id, { limit: 100 }))
        expect(listed.items.map((key) => key.id)).toEqual([apiKey.id])
        expect(JSON.stringify(listed)).not.toContain(token)
        expect((await fixture.list()).items.map((key) => key.id), "an organization's key is not the user's own").not.toContain(apiKey.id)
        const { whoAmI } = fixture.subject
        if (whoAmI) {
          const me = await whoAmI(token)
          expect(me, "the organization's token authenticates").not.toBeNull()
          if (me!.owner !== undefined) expect(me!.owner).toEqual({ type: 'organization', id: organization.id })
          expect(me!.userId, "an organization's key does not speak for the user who made it").not.toBe(fixture.subject.userId ?? '')
        }
        if (fixture.capabilities.rename) {
          const name = keyName('renamed org')
          expect(await succeed('orgUpdate', await apis.updateOrgApiKey(organization.id, apiKey.id, { name }))).toMatchObject({ id: apiKey.id, name })
        }
        const revoked = await succeed('orgRevoke', await apis.revokeOrgApiKey(organization.id, apiKey.id))
        expect(revoked).toMatchObject({ id: apiKey.id, status: 'revoked' })
        expect((await succeed('orgFetch', await apis.fetchOrgApiKeys(organization.id))).items[0]).toMatchObject({ id: apiKey.id, status: 'revoked' })
        if (whoAmI) expect(await whoAmI(token), "a revoked organization's token is refused").toBeNull()
      })

      test("rotates an organization's key: a new token under the same name, the old one revoked", async (fixture, context) => {
        const { organization, apis } = organizationOf(fixture, context)
        requireCapability(fixture, context, 'rotate')
        const { apiKey, token } = await createOrgKey(apis, organization.id, await orgPolicy(apis, organization.id))
        const rotated = await succeed('orgRotate', await apis.rotateOrgApiKey(organization.id, apiKey.id))
        expect(rotated.apiKey).toMatchObject({ name: apiKey.name, status: 'active' })
        expect(rotated.previous.id).toBe(apiKey.id)
        const items = (await succeed('orgFetch', await apis.fetchOrgApiKeys(organization.id))).items
        expect(items.find((key) => key.id === rotated.apiKey.id)).toMatchObject({ status: 'active' })
        if (fixture.subject.whoAmI && rotated.previous.gracePeriod === 'None') {
          expect(await fixture.subject.whoAmI(token), 'the old token is refused').toBeNull()
          expect(await fixture.subject.whoAmI(rotated.token), 'the new token works').not.toBeNull()
        }
      })

      test("forOrganization: the personal calls manage the organization's keys", async (fixture, context) => {
        const { organization, apis } = organizationOf(fixture, context)
        const view = forOrganization(apis, organization.id)
        const policy = await succeed('fetch', await view.fetchPersonalApiKeyPolicy())
        const created = await succeed('create', await view.createPersonalApiKey({ name: keyName('via view'), expiration: policy.defaultExpiration }))
        expect((await listAll(view)).items.map((key) => key.id)).toEqual([created.apiKey.id])
        expect(await succeed('revoke', await view.revokePersonalApiKey(created.apiKey.id))).toMatchObject({ status: 'revoked' })
        expect((await fixture.list()).totalCount).toBe(0)
      })

      test('noOrgApiKeyPermission: a member without the role may list but not create, rename, rotate or revoke', async (fixture, context) => {
        const { organization, apis } = organizationOf(fixture, context)
        const member = organization.member as (AuthFrontendApis & OrgApiKeyMethods) | undefined
        if (!member) context.skip('the setup gives no organization.member')
        const policy = await orgPolicy(apis, organization.id)
        const { apiKey } = await createOrgKey(apis, organization.id, policy)
        expect((await succeed('orgFetch', await member!.fetchOrgApiKeys(organization.id))).items.map((key) => key.id)).toEqual([apiKey.id])
        const refusal = { name: keyName('not yours'), expiration: policy.defaultExpiration }
        await expectCallback('orgCreate', await member!.createOrgApiKey(organization.id, refusal), 'noOrgApiKeyPermission')
        await expectCallback('orgRevoke', await member!.revokeOrgApiKey(organization.id, apiKey.id), 'noOrgApiKeyPermission')
        if (fixture.capabilities.rename) {
          await expectCallback('orgUpdate', await member!.updateOrgApiKey(organization.id, apiKey.id, { name: 'x' }), 'noOrgApiKeyPermission')
        }
        if (fixture.capabilities.rotate) {
          await expectCallback('orgRotate', await member!.rotateOrgApiKey(organization.id, apiKey.id), 'noOrgApiKeyPermission')
        }
        const after = await succeed('orgFetch', await apis.fetchOrgApiKeys(organization.id))
        expect(after.items.map((key) => [key.id, key.name, key.status])).toEqual([[apiKey.id, apiKey.name, 'active']])
      })

      test("orgNotFound: a non-member can neither see nor change the organization's keys", async (fixture, context) => {
        const { organization, apis } = organizationOf(fixture, context)
        const outsider = organization.outsider as (AuthFrontendApis & OrgApiKeyMethods) | undefined
        if (!outsider) context.skip('the setup gives no organization.outsider')
        const policy = await orgPolicy(apis, organization.id)
        const { apiKey } = await createOrgKey(apis, organization.id, policy)
        await expectCallback('orgFetch', await outsider!.fetchOrgApiKeys(organization.id), 'orgNotFound')
        await expectCallback('orgCreate', await outsider!.createOrgApiKey(organization.id, { name: keyName('intruder'), expiration: policy.defaultExpiration }), 'orgNotFound')
        await expectCallback('orgRevoke', await outsider!.revokeOrgApiKey(organization.id, apiKey.id), 'orgNotFound')
        if (fixture.capabilities.rename) {
          await expectCallback('orgUpdate', await outsider!.updateOrgApiKey(organization.id, apiKey.id, { name: 'x' }), 'orgNotFound')
        }
        const after = await succeed('orgFetch', await apis.fetchOrgApiKeys(organization.id))
        expect(after.items.map((key) => [key.id, key.status])).toEqual([[apiKey.id, 'active']])
      })

      test("apiKeyNotFound: another organization's key, or the user's own, named under the organization", async (fixture, context) => {
        const { organization, apis } = organizationOf(fixture, context)
        const personal = await fixture.create('personal')
        await expectCallback('orgRevoke', await apis.revokeOrgApiKey(organization.id, personal.apiKey.id), 'apiKeyNotFound')
        expect((await fixture.list()).items[0]).toMatchObject({ id: personal.apiKey.id, status: 'active' })
        const otherId = organization.otherId
        if (otherId === undefined) context.skip('the setup gives no organization.otherId')
        const { apiKey } = await createOrgKey(apis, otherId!, await orgPolicy(apis, otherId!))
        await expectCallback('orgRevoke', await apis.revokeOrgApiKey(organization.id, apiKey.id), 'apiKeyNotFound')
        if (fixture.capabilities.rename) {
          await expectCallback('orgUpdate', await apis.updateOrgApiKey(organization.id, apiKey.id, { name: 'moved' }), 'apiKeyNotFound')
        }
        if (fixture.capabilities.rotate) {
          await expectCallback('orgRotate', await apis.rotateOrgApiKey(organization.id, apiKey.id), 'apiKeyNotFound')
        }
        expect((await succeed('orgFetch', await apis.fetchOrgApiKeys(organization.id))).totalCount).toBe(0)
        expect((await succeed('orgFetch', await apis.fetchOrgApiKeys(otherId!))).items[0]).toMatchObject({ id: apiKey.id, name: apiKey.name, status: 'active' })
      })
    })

    describe('handle() never throws', () => {
      test('odd input resolves to a response whose handle() runs one callback', async ({ apis }) => {
        const odd: [Call, () => Promise<ApiResponse<unknown, SpecificErrorKind>>][] = [
          ['create', () => apis.createPersonalApiKey({ name: '', expiration: 'Never' })],
          ['create', () => apis.createPersonalApiKey({ name: 'x', expiration: { expiresAt: 'not a date' } })],
          ['create', () => apis.createPersonalApiKey({ name: 'x', expiration: 'Fortnight' as never })],
          ['fetch', () => apis.fetchPersonalApiKeys({ sort: 'colour' as never })],
          ['fetch', () => apis.fetchPersonalApiKeys({ status: 'lost' as never })],
          ['fetch', () => apis.fetchPersonalApiKeys({ limit: -1 })],
          ['fetch', () => apis.fetchPersonalApiKeys({ q: '%_\\\u0000' })],
          ['update', () => apis.updatePersonalApiKey('', { name: '   ' })],
          ['revoke', () => apis.revokePersonalApiKey('')],
          ['rotate', () => apis.rotatePersonalApiKey('', { expiration: { expiresAt: '2000-02-30T00:00:00Z' } })],
        ]
        for (const [call, run] of odd) {
          const outcome = await outcomeOf(call, await run())
          expect(outcome.callback).toEqual(expect.any(String))
        }
      })
    })
  })
}
