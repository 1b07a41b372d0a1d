import { describe, expect, it } from 'vitest'
import { createHttpClient, forOrganization, resolveCapabilities, SORT_KEYS, type AuthFrontendApis } from '../../src/client/index.ts'

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
      description: true,
      organizations: true,
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

  it('has organizations only with every organization method, and not when declared false', () => {
    const client = createHttpClient({ baseUrl: 'http://api.test' })
    const { fetchOrgApiKeyPolicy: _, ...missingOne } = client
    expect(resolveCapabilities(missingOne).organizations).toBe(false)
    expect(resolveCapabilities({ capabilities: { organizations: true } }).organizations).toBe(false)
    expect(resolveCapabilities({ ...client, capabilities: { organizations: false } }).organizations).toBe(false)
    // A view of one organization manages that organization's keys only.
    const view = forOrganization({ ...client, capabilities: { rotate: false } }, 'acme')
    expect(resolveCapabilities(view)).toMatchObject({ organizations: false, rotate: false })
  })

  it('refuses to make an organization view of a client without organization methods', () => {
    const personalOnly: AuthFrontendApis = {
      createPersonalApiKey: () => Promise.reject(new Error('unused')),
      fetchPersonalApiKeys: () => Promise.reject(new Error('unused')),
      revokePersonalApiKey: () => Promise.reject(new Error('unused')),
      rotatePersonalApiKey: () => Promise.reject(new Error('unused')),
      updatePersonalApiKey: () => Promise.reject(new Error('unused')),
      fetchPersonalApiKeyPolicy: () => Promise.reject(new Error('unused')),
    }
    expect(() => forOrganization(personalOnly, 'acme')).toThrow(/no organization API key methods/)
  })
})
