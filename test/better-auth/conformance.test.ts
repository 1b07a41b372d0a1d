import { afterAll, beforeAll, describe } from 'vitest'
import { createBetterAuthApis } from '../../src/better-auth/index.ts'
import type { AuthFrontendApis } from '../../src/client/index.ts'
import { describeAuthFrontendApisConformance, type ConformanceSubject } from '../../src/testing/index.ts'
import { findRealPostgres, openRealPostgresSchema } from '../server/pg-cluster.ts'
import { betterAuthClient, createBetterAuthServer, ORGANIZATION_KEYS, signedInClient, type BetterAuthServer, type PostgresPool } from './server.ts'

/**
 * patkit/better-auth through the conformance kit, on a real Better Auth server (its own migrations,
 * sessions, CSRF check and rate limiter) over real HTTP on localhost, with a real Better Auth client.
 */

const CREATES_PER_MINUTE = 12

/** The adapter as an app with organization keys configures it. */
const apisOf = (client: Parameters<typeof createBetterAuthApis>[0]) => createBetterAuthApis(client, { organizations: { configId: ORGANIZATION_KEYS } })

function onServer(name: string, openDatabase: () => Promise<{ pool: PostgresPool; close(): Promise<void> }>) {
  describe(name, () => {
    let server: BetterAuthServer
    let http: { url: string; close(): Promise<void> }
    let database: { pool: PostgresPool; close(): Promise<void> }
    /** A port nothing listens on: a real connection refusal. */
    let deadUrl: string
    // Signing up hashes a password (scrypt, slow on purpose): the users every test shares are made once.
    let others: { otherUser: AuthFrontendApis; withoutPermission: AuthFrontendApis }
    /** A user every test's organization takes as a plain member (may list its keys, not manage them). */
    let member: { userId: string; apis: AuthFrontendApis }

    beforeAll(async () => {
      database = await openDatabase()
      server = await createBetterAuthServer({
        database: database.pool,
        apiKeyCreatesPerMinute: CREATES_PER_MINUTE,
        canManageApiKeys: (user) => !user.email.startsWith('noperm-'),
      })
      http = await server.listen()
      const closed = await server.listen()
      deadUrl = closed.url
      await closed.close()
      const [other, noperm, plainMember] = await Promise.all([
        signedInClient({ baseURL: http.url }),
        signedInClient({ baseURL: http.url, email: `noperm-${crypto.randomUUID()}@example.com` }),
        signedInClient({ baseURL: http.url }),
      ])
      others = { otherUser: apisOf(other.client), withoutPermission: apisOf(noperm.client) }
      member = { userId: plainMember.userId, apis: apisOf(plainMember.client) }
    }, 60_000)
    afterAll(async () => {
      await http?.close()
      await database?.close()
    })

    describeAuthFrontendApisConformance(name, async (): Promise<ConformanceSubject> => {
      const me = await signedInClient({ baseURL: http.url })
      // Organizations made by the server for this test's user: one they own with a plain member, and another.
      const [orgId, otherId] = await Promise.all([
        server.createOrganization(me.userId, [{ userId: member.userId, role: 'member' }]),
        server.createOrganization(me.userId),
      ])
      return {
        ...others,
        apis: apisOf(me.client),
        organization: { id: orgId, otherId, member: member.apis, outsider: others.otherUser },
        userId: me.userId,
        signedOut: createBetterAuthApis(betterAuthClient({ baseURL: http.url })),
        unreachable: createBetterAuthApis(betterAuthClient({ baseURL: deadUrl })),
        whoAmI: server.whoAmI,
        createsBeforeRateLimit: CREATES_PER_MINUTE,
      }
    })
  })
}

const real = findRealPostgres()
// CI sets PATKIT_REQUIRE_REAL_POSTGRES, so a missing server fails there instead of skipping quietly.
describe.skipIf(real.kind === 'none' && !process.env.PATKIT_REQUIRE_REAL_POSTGRES)('PostgreSQL server', () => {
  onServer('createBetterAuthApis + Better Auth on PostgreSQL', () => openRealPostgresSchema('patkit_better_auth'))
})

// Better Auth on PGlite (pglitePool) runs under the adapter's own tests and in the browser; the kit runs
// once, on the real server, since each of its tests signs a user up (a deliberately slow password hash).
