import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe } from 'vitest'
import { createHttpClient, type AuthFrontendApis, type WhoAmI } from '../../src/client/index.ts'
import {
  createReferenceServer,
  fixedWindowRateLimiter,
  memoryStore,
  pgliteDatabase,
  pgPoolDatabase,
  postgresStore,
  type KeyStore,
  type OrganizationMembership,
  type ReferenceServer,
} from '../../src/server/index.ts'
import { describeAuthFrontendApisConformance } from '../../src/testing/index.ts'
import { sessionAuthenticate } from '../server/helpers.ts'
import { findRealPostgres, openRealPostgresSchema } from '../server/pg-cluster.ts'

/**
 * patkit's own client and server through the conformance kit, on each store a user can pick. Every
 * test signs in a new user, so the stores are shared by the whole file and never emptied.
 */

const CREATES_PER_MINUTE = 12

/** The organizations each test's users belong to: every test makes its own, so they start with no keys. */
const memberships = new Map<string, OrganizationMembership[]>()

function reference(store: KeyStore): ReferenceServer {
  return createReferenceServer({
    store,
    authenticate: async (request) => {
      const user = await sessionAuthenticate(request)
      return user && { ...user, organizations: memberships.get(user.userId) ?? [] }
    },
    policy: { scopes: [{ id: 'read', description: 'Read your data' }] },
    rateLimit: fixedWindowRateLimiter({ limit: CREATES_PER_MINUTE, windowMs: 60_000 }),
  })
}

function subjectOn(server: () => ReferenceServer) {
  const as = (session: string | null): AuthFrontendApis =>
    createHttpClient({ baseUrl: 'http://api.test', fetch: (request) => server().fetch(request), getAccessToken: () => session })
  return () => {
    const userId = `user-${crypto.randomUUID()}`
    const [orgId, otherId, memberId] = [`org-${crypto.randomUUID()}`, `other-${crypto.randomUUID()}`, `member-${crypto.randomUUID()}`]
    memberships.set(userId, [{ id: orgId, role: 'admin' }, { id: otherId, role: 'owner' }])
    memberships.set(memberId, [{ id: orgId, role: 'member' }])
    return {
      apis: as(`session-${userId}`),
      userId,
      otherUser: as(`session-other-${crypto.randomUUID()}`),
      withoutPermission: as(`session-noperm-${userId}`),
      signedOut: as(null),
      unreachable: createHttpClient({
        baseUrl: 'http://api.test',
        fetch: () => Promise.reject(new TypeError('fetch failed')),
        getAccessToken: () => `session-${userId}`,
      }),
      createsBeforeRateLimit: CREATES_PER_MINUTE,
      organization: { id: orgId, otherId, member: as(`session-${memberId}`), outsider: as(`session-outsider-${crypto.randomUUID()}`) },
      async whoAmI(token: string) {
        const response = await server().fetch(new Request('http://api.test/v1/me', { headers: { Authorization: `Bearer ${token}` } }))
        return response.ok ? ((await response.json()) as { data: WhoAmI }).data : null
      },
    }
  }
}

describeAuthFrontendApisConformance('createHttpClient + reference server on memoryStore', subjectOn(() => memoryServer))
const memoryServer = reference(memoryStore())

describe('on PGlite', () => {
  let server: ReferenceServer
  let store: KeyStore
  beforeAll(async () => {
    store = await postgresStore(pgliteDatabase(await PGlite.create()))
    server = reference(store)
    // Opening PGlite takes seconds, more on a loaded machine.
  }, 60_000)
  afterAll(() => store?.close())
  describeAuthFrontendApisConformance('createHttpClient + reference server on PGlite', subjectOn(() => server))
})

const real = findRealPostgres()
// CI sets PATKIT_REQUIRE_REAL_POSTGRES, so a missing server fails there instead of skipping quietly.
describe.skipIf(real.kind === 'none' && !process.env.PATKIT_REQUIRE_REAL_POSTGRES)('on a PostgreSQL server', () => {
  let server: ReferenceServer
  let store: KeyStore
  let database: Awaited<ReturnType<typeof openRealPostgresSchema>>
  beforeAll(async () => {
    database = await openRealPostgresSchema('patkit_conformance')
    store = await postgresStore(pgPoolDatabase(database.pool))
    server = reference(store)
  }, 60_000)
  // The store would end the pool; the database's close drops the schema first, then ends it.
  afterAll(() => database?.close())
  describeAuthFrontendApisConformance('createHttpClient + reference server on PostgreSQL', subjectOn(() => server))
})
