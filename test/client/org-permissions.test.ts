import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient, forOrganization, type ApiResponse, type AuthFrontendApis, type OrgApiKeyMethods } from '../../src/client/index.ts'
import {
  createReferenceServer,
  memoryStore,
  pgliteDatabase,
  pgPoolDatabase,
  postgresStore,
  verifyPersonalAccessToken,
  type KeyStore,
  type OrganizationKeyOptions,
  type OrganizationMembership,
} from '../../src/server/index.ts'
import { findRealPostgres, openRealPostgresSchema } from '../server/pg-cluster.ts'

/**
 * Every permission boundary of organization keys, through the client and the real reference server,
 * on each store: for create, list, revoke, rotate, edit and policy, what an owner, an admin, a member,
 * a non-member and another organization's admin get; another organization's key named under one's own;
 * the roles an app configures; and what verification says of each kind of key. Stores are shared by a
 * file's tests, so each test makes its own organizations and users.
 */

type Operation = 'create' | 'list' | 'revoke' | 'rotate' | 'edit' | 'policy'
const OPERATIONS: Operation[] = ['create', 'list', 'revoke', 'rotate', 'edit', 'policy']
const WRITES: Operation[] = ['create', 'revoke', 'rotate', 'edit']

/** One organization call on `keyId` (an active key of the organization), reduced to the callback it reaches. */
async function attempt(api: OrgApiKeyMethods, operation: Operation, orgId: string, keyId: string): Promise<string> {
  const run: Record<Operation, () => Promise<ApiResponse<unknown, never>>> = {
    create: () => api.createOrgApiKey(orgId, { name: `k ${crypto.randomUUID().slice(0, 8)}` }) as never,
    list: () => api.fetchOrgApiKeys(orgId) as never,
    revoke: () => api.revokeOrgApiKey(orgId, keyId) as never,
    rotate: () => api.rotateOrgApiKey(orgId, keyId) as never,
    edit: () => api.updateOrgApiKey(orgId, keyId, { name: `renamed ${crypto.randomUUID().slice(0, 8)}` }) as never,
    policy: () => api.fetchOrgApiKeyPolicy(orgId) as never,
  }
  const response = await run[operation]()
  return response.ok ? 'success' : `${response.error.kind} ${response.error.status}`
}

/** A server on `store` whose users' memberships the test sets; several may share one store, as instances do. */
function world(store: KeyStore) {
  const memberships = new Map<string, OrganizationMembership[]>()
  function server(organizations?: OrganizationKeyOptions) {
    return createReferenceServer({
      store,
      rateLimit: false,
      ...(organizations ? { organizations } : {}),
      authenticate: async (request) => {
        const userId = /^Bearer session-(.+)$/.exec(request.headers.get('Authorization') ?? '')?.[1]
        return userId ? { userId, canManagePersonalApiKeys: true, name: userId.split('-')[0]!, organizations: memberships.get(userId) ?? [] } : null
      },
    })
  }
  const defaultServer = server()
  /** A fresh pair of organizations and their people: `acme` (owner, admin, member, viewer) and `globex` (admin). */
  function people(on = defaultServer) {
    const id = crypto.randomUUID().slice(0, 8)
    const acme = `acme-${id}`
    const globex = `globex-${id}`
    const users = {
      owner: `olivia-${id}`,
      admin: `alice-${id}`,
      member: `bob-${id}`,
      viewer: `vera-${id}`,
      nonMember: `carol-${id}`,
      otherOrgAdmin: `gina-${id}`,
    }
    memberships.set(users.owner, [{ id: acme, role: 'owner' }])
    memberships.set(users.admin, [{ id: acme, role: 'admin' }, { id: globex, role: 'member' }])
    memberships.set(users.member, [{ id: acme, role: 'member' }])
    memberships.set(users.viewer, [{ id: acme, role: 'viewer' }])
    memberships.set(users.otherOrgAdmin, [{ id: globex, role: 'admin' }])
    const as = (user: string, through = on) =>
      createHttpClient({ baseUrl: 'https://api.test', fetch: (request) => through.fetch(request), getAccessToken: () => `session-${user}` }) as AuthFrontendApis &
        OrgApiKeyMethods
    return { acme, globex, users, as, memberships }
  }
  return { server, people, store }
}

function boundaries(storeName: string, open: () => Promise<{ store: KeyStore; close(): Promise<void> }>) {
  describe(`organization key permissions on ${storeName}`, () => {
    let subject: ReturnType<typeof world>
    let opened: { store: KeyStore; close(): Promise<void> } | undefined
    // Opening PGlite or a PostgreSQL cluster takes seconds, more on a loaded machine.
    beforeAll(async () => {
      opened = await open()
      subject = world(opened.store)
    }, 90_000)
    afterAll(() => opened?.close())

    /** An active key of Acme made by its admin, so each attempt has something to act on. */
    async function acmeKey(people: ReturnType<typeof subject.people>) {
      const created = await people.as(people.users.admin).createOrgApiKey(people.acme, { name: `deploy ${crypto.randomUUID().slice(0, 8)}` })
      expect(created.ok, created.error?.userFacingError).toBe(true)
      return created.data!
    }

    const expected: Record<string, (operation: Operation) => string> = {
      owner: () => 'success',
      admin: () => 'success',
      member: (operation) => (WRITES.includes(operation) ? 'noOrgApiKeyPermission 403' : 'success'),
      viewer: (operation) => (WRITES.includes(operation) ? 'noOrgApiKeyPermission 403' : 'success'),
      nonMember: () => 'orgNotFound 404',
      otherOrgAdmin: () => 'orgNotFound 404',
    }

    for (const who of Object.keys(expected)) {
      it(`${who}: ${OPERATIONS.map((operation) => `${operation} → ${expected[who]!(operation).split(' ')[0]}`).join(', ')}`, async () => {
        const people = subject.people()
        const api = people.as(people.users[who as keyof typeof people.users])
        for (const operation of OPERATIONS) {
          const { apiKey } = await acmeKey(people)
          const outcome = await attempt(api, operation, people.acme, apiKey.id)
          expect(outcome, `${who} ${operation}`).toBe(expected[who]!(operation))
          if (outcome === 'success') continue
          // A refused call changes nothing: the key is as it was, and nothing was added.
          const listed = (await people.as(people.users.admin).fetchOrgApiKeys(people.acme)).data!.items
          expect(listed.find((key) => key.id === apiKey.id)).toMatchObject({ name: apiKey.name, status: 'active', replacedBy: null })
        }
        const { totalCount } = (await people.as(people.users.admin).fetchOrgApiKeys(people.acme)).data!
        // One key per attempt, plus the one a successful create or rotate added.
        const added = OPERATIONS.filter((operation) => ['create', 'rotate'].includes(operation) && expected[who]!(operation) === 'success').length
        expect(totalCount).toBe(OPERATIONS.length + added)
      })
    }

    it('another organization’s key named under one’s own organization: apiKeyNotFound, and it stays out of the list', async () => {
      const people = subject.people()
      const { apiKey } = await acmeKey(people)
      // Alice administers Acme and is a member of Globex; Gina administers Globex.
      for (const user of [people.users.otherOrgAdmin, people.users.admin]) {
        const api = people.as(user)
        const writer = user === people.users.otherOrgAdmin
        for (const operation of ['revoke', 'rotate', 'edit'] as const) {
          expect(await attempt(api, operation, people.globex, apiKey.id), `${user} ${operation}`).toBe(writer ? 'apiKeyNotFound 404' : 'noOrgApiKeyPermission 403')
        }
        expect((await api.fetchOrgApiKeys(people.globex)).data!.items.map((key) => key.id)).not.toContain(apiKey.id)
      }
      // Nor is an organization's key anyone's personal key, not even its creator's.
      const alice = people.as(people.users.admin)
      const asPersonal = await alice.revokePersonalApiKey(apiKey.id)
      expect(asPersonal.error).toMatchObject({ kind: 'apiKeyNotFound', status: 404 })
      expect((await alice.fetchPersonalApiKeys()).data!.totalCount).toBe(0)
    })

    it('a personal key is not an organization’s: apiKeyNotFound under the organization', async () => {
      const people = subject.people()
      const alice = people.as(people.users.admin)
      const personal = (await alice.createPersonalApiKey({ name: 'mine' })).data!.apiKey
      for (const operation of ['revoke', 'rotate', 'edit'] as const) {
        expect(await attempt(alice, operation, people.acme, personal.id), operation).toBe('apiKeyNotFound 404')
      }
      expect((await alice.fetchPersonalApiKeys()).data!.items[0]).toMatchObject({ id: personal.id, status: 'active', name: 'mine' })
    })

    it('roles the app names: listRoles keeps plain members out of the list, manageRoles keeps admins from writing', async () => {
      const strict = subject.server({ manageRoles: ['owner'], listRoles: ['admin'] })
      const people = subject.people(strict)
      const owned = await people.as(people.users.owner).createOrgApiKey(people.acme, { name: 'owned' })
      const keyId = owned.data!.apiKey.id
      const outcomes = async (user: string) => Promise.all(OPERATIONS.map((operation) => attempt(people.as(user), operation, people.acme, keyId)))
      expect(await outcomes(people.users.member)).toEqual(OPERATIONS.map(() => 'noOrgApiKeyPermission 403'))
      expect(await outcomes(people.users.admin)).toEqual(
        OPERATIONS.map((operation) => (WRITES.includes(operation) ? 'noOrgApiKeyPermission 403' : 'success')),
      )
      // The same people and store through a server with the default roles: the roles are configuration, not data.
      const lenient = people.as(people.users.member, subject.server())
      expect(await attempt(lenient, 'list', people.acme, keyId)).toBe('success')
    })

    it('forOrganization: the same boundaries reach the personal callbacks in the organization’s words', async () => {
      const people = subject.people()
      const { apiKey } = await acmeKey(people)
      const member = forOrganization(people.as(people.users.member), people.acme)
      const outsider = forOrganization(people.as(people.users.nonMember), people.acme)
      const kind = (response: ApiResponse<unknown, never>) => (response.ok ? 'success' : `${response.error.kind} ${response.error.code}`)
      expect(kind((await member.fetchPersonalApiKeys()) as never)).toBe('success')
      expect(kind((await member.revokePersonalApiKey(apiKey.id)) as never)).toBe('noPersonalApiKeyPermission no_org_api_key_permission')
      expect(kind((await outsider.fetchPersonalApiKeys()) as never)).toBe('noPersonalApiKeyPermission organization_not_found')
      expect(kind((await outsider.createPersonalApiKey({ name: 'x' })) as never)).toBe('noPersonalApiKeyPermission organization_not_found')
    })

    it('verification says whose each key is, and an organization’s key outlives its creator’s membership', async () => {
      const people = subject.people()
      const alice = people.as(people.users.admin)
      const org = (await alice.createOrgApiKey(people.acme, { name: 'ci' })).data!
      const mine = (await alice.createPersonalApiKey({ name: 'laptop' })).data!
      expect(await verifyPersonalAccessToken(subject.store, org.token)).toMatchObject({
        ok: true,
        owner: { type: 'organization', id: people.acme },
        userId: null,
        createdBy: { userId: people.users.admin },
        apiKeyId: org.apiKey.id,
      })
      expect(await verifyPersonalAccessToken(subject.store, mine.token)).toMatchObject({
        ok: true,
        owner: { type: 'user', id: people.users.admin },
        userId: people.users.admin,
        apiKeyId: mine.apiKey.id,
      })
      // Alice leaves Acme: its key keeps working and stays manageable by the owner; she no longer sees it.
      people.memberships.set(people.users.admin, [])
      expect(await verifyPersonalAccessToken(subject.store, org.token)).toMatchObject({ ok: true, owner: { type: 'organization', id: people.acme } })
      expect(await attempt(alice, 'list', people.acme, org.apiKey.id)).toBe('orgNotFound 404')
      const owner = people.as(people.users.owner)
      expect((await owner.fetchOrgApiKeys(people.acme)).data!.items[0]).toMatchObject({ id: org.apiKey.id, createdBy: { userId: people.users.admin } })
      expect((await owner.revokeOrgApiKey(people.acme, org.apiKey.id)).data!.status).toBe('revoked')
      expect(await verifyPersonalAccessToken(subject.store, org.token)).toEqual({ ok: false, reason: 'revoked' })
    })
  })
}

boundaries('memoryStore', async () => ({ store: memoryStore(), close: async () => {} }))

boundaries('PGlite', async () => {
  const store = await postgresStore(pgliteDatabase(await PGlite.create()))
  return { store, close: () => store.close() }
})

const real = findRealPostgres()
// CI sets PATKIT_REQUIRE_REAL_POSTGRES, so a missing server fails there instead of skipping quietly.
describe.skipIf(real.kind === 'none' && !process.env.PATKIT_REQUIRE_REAL_POSTGRES)('on a PostgreSQL server', () => {
  boundaries('PostgreSQL', async () => {
    const database = await openRealPostgresSchema('patkit_org_permissions')
    const store = await postgresStore(pgPoolDatabase(database.pool))
    // The store would end the pool; the database's close drops the schema first, then ends it.
    return { store, close: () => database.close() }
  })
})
