/**
 * The demo on `DATABASE_URL` (a throwaway cluster from Debian's PostgreSQL binaries): Better Auth's
 * migrations, the seeded accounts and both backends on one real PostgreSQL, the second start on a
 * database the first one already set up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findRealPostgres, startThrowawayCluster, type Cluster } from '../server/pg-cluster.ts'
import { sessionCookie, startDemo, whoAmI } from './support.ts'

const real = findRealPostgres()
// Only a cluster of its own: the demo writes its tables (patkit's and Better Auth's) into the database it is given.
const unavailable = real.kind !== 'binaries' && !process.env.PATKIT_REQUIRE_REAL_POSTGRES

let cluster: Cluster | undefined

beforeAll(async () => {
  if (real.kind === 'binaries') cluster = await startThrowawayCluster(real.bin)
})

afterAll(async () => {
  await cluster?.stop()
})

/** Signs Alice in over HTTP and creates a key through the backend's own API. */
async function createKey(url: string, backend: 'reference' | 'better-auth'): Promise<string> {
  const path = backend === 'reference' ? '/api/v1/personal-access-tokens' : '/api/auth/api-key/create'
  const response = await fetch(url + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: await sessionCookie(url, 'Alice'), Origin: url },
    body: JSON.stringify({ name: `On PostgreSQL (${backend})` }),
  })
  expect(response.ok).toBe(true)
  const body = (await response.json()) as { data?: { token: string }; key?: string }
  return (body.data?.token ?? body.key)!
}

describe.skipIf(unavailable)('the demo on DATABASE_URL', { timeout: 120_000 }, () => {
  it.each(['reference', 'better-auth'] as const)('signs in and verifies a key on the %s backend', async (backend) => {
    const server = await startDemo({ DATABASE_URL: cluster!.url, PATKIT_DEMO_BACKEND: backend })
    try {
      const token = await createKey(server.url, backend)
      expect(await whoAmI(server.url, token)).toMatchObject({ status: 200, body: { data: { userId: 'alice' } } })
      // A fresh database is migrated before Better Auth checks its schema: no mismatch is reported.
      expect(server.output()).not.toMatch(/schema mismatch|ERROR/i)
    } finally {
      expect(await server.stop()).toBe(0)
    }
  })
})
