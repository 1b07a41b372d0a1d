import { describe, expect, it } from 'vitest'
import { SORT_KEYS, type PersonalApiKey } from '../../src/client/types.ts'
import { setup } from './helpers.ts'
import { expectSorted, populate, walk, walkWhileCreating } from './list-fixtures.ts'

const PATH = '/v1/personal-access-tokens'

const populated = () => populate(setup())

describe('GET /v1/personal-access-tokens', () => {
  it('lists only the caller’s keys, newest first, with counts and facets', async () => {
    const { call } = await populated()
    const response = await call('alice', 'GET', PATH)
    expect(response.status).toBe(200)
    expect(Object.keys(response.body).sort()).toEqual(['facets', 'items', 'nextCursor', 'totalCount'])
    expect(response.body.items).toHaveLength(23)
    expect(response.body.totalCount).toBe(23)
    expect(response.body.nextCursor).toBeNull()
    expect(response.body.items.map((k: PersonalApiKey) => k.name)).not.toContain('bob only')
    expectSorted(response.body.items, '-createdAt')
    expect(response.body.facets).toEqual({ status: { active: 11, expired: 7, revoked: 5 } })
  })

  it('answers an empty page for a user without keys', async () => {
    const { call } = setup()
    expect((await call('carol', 'GET', PATH)).body).toEqual({
      items: [], totalCount: 0, nextCursor: null, facets: { status: { active: 0, expired: 0, revoked: 0 } },
    })
  })

  it.each(SORT_KEYS.map((sort) => [sort]))('walks every page sorted by %s with no repeats or gaps', async (sort) => {
    const { call, ids } = await populated()
    const pages = await walk(call, `&sort=${sort}`, 4)
    expect(pages).toHaveLength(6)
    const items = pages.flat()
    expect(items.map((k) => k.id).sort()).toEqual([...ids].sort())
    expectSorted(items, sort)
  })

  it.each(SORT_KEYS.map((sort) => [sort]))('keeps pages sorted by %s stable when keys are created between reads', async (sort) => {
    const env = await populated()
    const seen = await walkWhileCreating(env, sort)
    const { ids } = env
    expect(new Set(seen).size).toBe(seen.length)
    for (const id of ids) expect(seen).toContain(id)
  })

  it('filters by status, counts the filtered total, and keeps facets across statuses', async () => {
    const { call } = await populated()
    for (const [status, count] of [['active', 11], ['expired', 7], ['revoked', 5]] as const) {
      const response = await call('alice', 'GET', `${PATH}?status=${status}`)
      expect(response.body.totalCount).toBe(count)
      expect(response.body.items).toHaveLength(count)
      expect(response.body.items.every((k: PersonalApiKey) => k.status === status)).toBe(true)
      expect(response.body.facets).toEqual({ status: { active: 11, expired: 7, revoked: 5 } })
    }
  })

  it('counts the total of all pages, not of one page', async () => {
    const { call } = await populated()
    const response = await call('alice', 'GET', `${PATH}?limit=2&status=active`)
    expect(response.body.items).toHaveLength(2)
    expect(response.body.totalCount).toBe(11)
  })

  it('searches names case-insensitively, and facets follow the search', async () => {
    const { call } = await populated()
    const response = await call('alice', 'GET', `${PATH}?q=ECHO`)
    expect(response.body.items.map((k: PersonalApiKey) => k.name).sort()).toEqual(['Echo', 'echo'])
    expect(response.body.totalCount).toBe(2)
    const facets = response.body.facets.status
    expect(facets.active + facets.expired + facets.revoked).toBe(2)
    const alpha = await call('alice', 'GET', `${PATH}?q=alpha&status=revoked`)
    expect(alpha.body.totalCount).toBe(1)
    expect(alpha.body.facets.status.active + alpha.body.facets.status.expired + alpha.body.facets.status.revoked).toBe(2)
  })

  it('matches % and _ in the search text literally', async () => {
    const { call, create } = setup()
    await create('alice', { name: '100% done' })
    await create('alice', { name: 'snake_case' })
    await create('alice', { name: 'plain' })
    expect((await call('alice', 'GET', `${PATH}?q=${encodeURIComponent('%')}`)).body.totalCount).toBe(1)
    expect((await call('alice', 'GET', `${PATH}?q=_`)).body.totalCount).toBe(1)
  })

  describe('hostile parameters are 400, never 500', () => {
    const sqlish = "' OR 1=1; DROP TABLE personal_access_tokens; --"
    const base64 = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    const uuid = '00000000-0000-4000-8000-000000000000'

    it.each([
      ['q', 'x'.repeat(257)],
      ['status', 'deleted'],
      ['status', sqlish],
      ['sort', 'hash'],
      ['sort', '-id'],
      ['sort', sqlish],
      ['limit', '0'],
      ['limit', '101'],
      ['limit', '-1'],
      ['limit', '10.5'],
      ['limit', 'ten'],
      ['limit', '1e2'],
    ])('answers 400 invalid_query to %s=%j', async (name, value) => {
      const { call } = await populated()
      const response = await call('alice', 'GET', `${PATH}?${name}=${encodeURIComponent(value)}`)
      expect(response.status).toBe(400)
      expect(response.body).toMatchObject({ code: 'invalid_query', errors: [{ pointer: `/${name}` }] })
    })

    it('answers 400 to a repeated parameter', async () => {
      const { call } = setup()
      expect((await call('alice', 'GET', `${PATH}?status=active&status=revoked`)).body.code).toBe('invalid_query')
    })

    it('treats a SQL-looking search as plain text', async () => {
      const { call } = await populated()
      const response = await call('alice', 'GET', `${PATH}?q=${encodeURIComponent(sqlish)}`)
      expect(response.status).toBe(200)
      expect(response.body.totalCount).toBe(0)
    })

    it.each([
      ['garbage', 'not a cursor!'],
      ['base64 of garbage', btoa('garbage')],
      ['broken base64', 'A'],
      ['base64 of an object', base64({ sort: '-createdAt' })],
      ['base64 of a short array', base64(['-createdAt', '2030-01-01T00:00:00.000Z'])],
      ['a cursor of another sort', base64(['name', 'alpha', uuid])],
      ['a value of the wrong type', base64(['-createdAt', 42, uuid])],
      ['null where nulls cannot be', base64(['-createdAt', null, uuid])],
      ['a timestamp that is not one', base64(['-createdAt', sqlish, uuid])],
      ['a date the calendar lacks', base64(['-createdAt', '2030-02-30T00:00:00.000Z', uuid])],
      ['year 0000, which PostgreSQL lacks', base64(['-createdAt', '0000-01-01T00:00:00.000Z', uuid])],
      ['an id that is not one', base64(['-createdAt', '2030-01-01T00:00:00.000Z', sqlish])],
      ['invalid UTF-8', btoa('\u00ff\u00fe[').replace(/=+$/, '')],
      ['a huge cursor', 'A'.repeat(10_000)],
    ])('answers 400 invalid_cursor to %s', async (_, cursor) => {
      const { call } = await populated()
      const response = await call('alice', 'GET', `${PATH}?cursor=${encodeURIComponent(cursor)}`)
      expect(response.status).toBe(400)
      expect(response.body.code).toBe('invalid_cursor')
    })

    it('accepts a well-formed cursor pointing anywhere, even at a key that does not exist', async () => {
      const { call } = await populated()
      const response = await call('alice', 'GET', `${PATH}?sort=expiresAt&cursor=${base64(['expiresAt', null, uuid])}`)
      expect(response.status).toBe(200)
    })
  })
})
