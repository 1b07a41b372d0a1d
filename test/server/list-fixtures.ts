import { expect } from 'vitest'
import type { PersonalApiKey, SortKey } from '../../src/client/types.ts'
import { DAY, MINUTE, type setupWithStore } from './helpers.ts'

/** Listing fixtures shared by the list tests and the store contract suite. */

const PATH = '/v1/personal-access-tokens'

type Env = ReturnType<typeof setupWithStore>
export type Call = Env['call']

/** 23 keys for alice with ties in every sort field, nulls, and all three statuses; 2 for bob. */
export async function populate<E extends Env>(env: E) {
  const { create, call, clock, me } = env
  const names = ['alpha', 'Bravo', 'charlie', 'Alpha 2', 'delta', 'echo', 'Echo', 'foxtrot', 'golf', 'hotel', 'India',
    'juliet', 'kilo', 'lima', 'mike', 'november', 'oscar', 'papa', 'quebec', 'romeo', 'sierra', 'tango', 'uniform']
  const expirations = [{ expirationOption: 'Never' }, { expirationOption: 'TwoWeeks' }, { expiresAt: '2030-02-01T00:00:00.000Z' }]
  const created: { id: string; token: string }[] = []
  for (const [i, name] of names.entries()) {
    // Every third key shares the previous createdAt, so the id tiebreak matters.
    if (i % 3 !== 0) clock.advance(MINUTE)
    const { apiKey, token } = await create('alice', { name, ...expirations[i % 3] })
    created.push({ id: apiKey.id, token })
  }
  for (const [i, key] of created.entries()) {
    if (i % 4 === 0) await me(key.token)
    if (i % 5 === 0) await call('alice', 'DELETE', `${PATH}/${key.id}`)
    clock.advance(i % 2 === 0 ? MINUTE : 0)
  }
  await create('bob', { name: 'alpha' })
  await create('bob', { name: 'bob only' })
  clock.advance(15 * DAY) // the TwoWeeks keys are now expired
  return { ...env, ids: created.map((k) => k.id) }
}

export async function walk(call: Call, query: string, limit: number): Promise<PersonalApiKey[][]> {
  const pages: PersonalApiKey[][] = []
  let cursor: string | null = null
  do {
    const suffix: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`
    const response = await call('alice', 'GET', `${PATH}?limit=${limit}${query}${suffix}`)
    expect(response.status).toBe(200)
    pages.push(response.body.items)
    cursor = response.body.nextCursor
  } while (cursor !== null && pages.length < 100)
  return pages
}

/** The documented order, written out again independently of the server's code. */
export function expectSorted(items: PersonalApiKey[], sort: SortKey) {
  const desc = sort.startsWith('-')
  const field = (desc ? sort.slice(1) : sort) as 'createdAt' | 'name' | 'expiresAt' | 'lastUsedAt'
  const value = (key: PersonalApiKey): string => {
    const raw = field === 'name' ? key.name.toLowerCase() : key[field]
    if (raw !== null) return `1${raw}`
    return field === 'expiresAt' ? '2' : '0' // never expires sorts last, never used first (ascending)
  }
  for (let i = 1; i < items.length; i++) {
    const a = [value(items[i - 1]!), items[i - 1]!.id] as const
    const b = [value(items[i]!), items[i]!.id] as const
    const order = a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1
    expect(desc ? -order : order, `${sort} at ${i}`).toBe(-1)
  }
}

/** Walks alice's keys 5 at a time, creating two keys between reads (names and times that sort anywhere); the ids seen. */
export async function walkWhileCreating(env: Env, sort: SortKey): Promise<string[]> {
  const { call, create, clock } = env
  const seen: string[] = []
  let cursor: string | null = null
  let round = 0
  do {
    const suffix: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`
    const response = await call('alice', 'GET', `${PATH}?limit=5&sort=${sort}${suffix}`)
    seen.push(...response.body.items.map((k: PersonalApiKey) => k.id))
    cursor = response.body.nextCursor
    // New keys: one at the same instant as the last, one later.
    await create('alice', { name: `A new ${round}` })
    clock.advance(MINUTE)
    await create('alice', { name: `zz new ${round}`, expirationOption: 'TwoWeeks' })
    round++
  } while (cursor !== null && round < 50)
  return seen
}
