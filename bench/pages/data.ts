/** Deterministic keys for the browser benchmarks, newest first (the list's default order). */
import type { PersonalApiKey, PersonalApiKeyPage } from '../../src/client/types.ts'

const DAY = 86_400_000
const BASE = Date.UTC(2026, 0, 1)
const STATUSES = ['active', 'active', 'expired', 'revoked'] as const

export function makeKeys(count: number): PersonalApiKey[] {
  const keys: PersonalApiKey[] = []
  for (let i = 0; i < count; i++) {
    const status = STATUSES[i % 4]!
    const createdAt = BASE - i * 60_000
    keys.push({
      id: `key_${i}`,
      name: `Key ${String(i + 1).padStart(6, '0')}`,
      start: `pat_${(i * 7919).toString(36).padStart(4, '0').slice(-4)}`,
      scopes: i % 3 === 0 ? ['read:projects'] : ['read:projects', 'write:projects'],
      status,
      createdAt: new Date(createdAt).toISOString(),
      expiresAt: status === 'expired' ? new Date(BASE - DAY).toISOString() : i % 5 === 0 ? null : new Date(BASE + ((i % 90) + 2) * DAY).toISOString(),
      lastUsedAt: i % 2 === 0 ? null : new Date(BASE - (i % 30) * 3_600_000).toISOString(),
      revokedAt: status === 'revoked' ? new Date(BASE - 2 * DAY).toISOString() : null,
    })
  }
  return keys
}

export function pageOf(items: PersonalApiKey[]): PersonalApiKeyPage {
  const status = { active: 0, expired: 0, revoked: 0 }
  for (const key of items) status[key.status]++
  return { items, totalCount: items.length, nextCursor: null, facets: { status } }
}
