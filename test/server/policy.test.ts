import { describe, expect, it } from 'vitest'
import type { StoredKey } from '../../src/server/index.ts'
import { DEFAULT_POLICY, inheritedExpiresAt } from '../../src/server/policy.ts'
import { DAY, storedKey } from './helpers.ts'

const now = new Date('2030-06-01T00:00:00.000Z')

function oldKey(createdAt: string, expiresAt: string | null): StoredKey {
  return storedKey({ createdAt, expiresAt })
}

describe('inheritedExpiresAt (a rotation without an explicit expiration)', () => {
  it('gives the new key the old key’s lifetime, from now', () => {
    const key = oldKey('2030-01-01T00:00:00.000Z', '2030-01-11T00:00:00.000Z')
    expect(inheritedExpiresAt(key, DEFAULT_POLICY, now)).toEqual(new Date(now.getTime() + 10 * DAY))
  })

  it('clamps the lifetime to the policy’s current cap', () => {
    const key = oldKey('2030-01-01T00:00:00.000Z', '2031-01-01T00:00:00.000Z')
    expect(inheritedExpiresAt(key, { ...DEFAULT_POLICY, maxLifetimeDays: 30 }, now)).toEqual(new Date(now.getTime() + 30 * DAY))
  })

  it('keeps never-expiring while the policy allows it, else takes the cap', () => {
    const key = oldKey('2030-01-01T00:00:00.000Z', null)
    expect(inheritedExpiresAt(key, DEFAULT_POLICY, now)).toBeNull()
    expect(inheritedExpiresAt(key, { ...DEFAULT_POLICY, maxLifetimeDays: 90 }, now)).toEqual(new Date(now.getTime() + 90 * DAY))
  })

  it('falls back to the policy default when never-expiring is no longer offered and there is no cap', () => {
    const key = oldKey('2030-01-01T00:00:00.000Z', null)
    const policy = { ...DEFAULT_POLICY, expirationOptions: DEFAULT_POLICY.expirationOptions.filter((o) => o !== 'Never') }
    expect(inheritedExpiresAt(key, policy, now)).toEqual(new Date('2030-07-01T00:00:00.000Z'))
  })
})
