import { describe, expect, it } from 'vitest'
import { createHttpClient, resolveCapabilities, SORT_KEYS } from '../../src/client/index.ts'

describe('resolveCapabilities', () => {
  it('gives a client that declares nothing every capability (createHttpClient declares nothing)', () => {
    const client = createHttpClient({ baseUrl: 'http://api.test' })
    expect(client.capabilities).toBeUndefined()
    expect(resolveCapabilities(client)).toEqual({
      rotate: true,
      rename: true,
      scopes: true,
      customExpiration: true,
      search: true,
      statusFilter: true,
      sort: SORT_KEYS,
    })
  })

  it('keeps what is declared and fills in the rest as supported', () => {
    const resolved = resolveCapabilities({ capabilities: { rotate: false, sort: ['name', '-name'] } })
    expect(resolved).toMatchObject({ rotate: false, rename: true, search: true, sort: ['name', '-name'] })
  })

  it('reads an explicit undefined as not declared, and an empty sort list as one fixed order', () => {
    const resolved = resolveCapabilities({ capabilities: { rename: undefined, sort: [] } })
    expect(resolved.rename).toBe(true)
    expect(resolved.sort).toEqual([])
  })
})
