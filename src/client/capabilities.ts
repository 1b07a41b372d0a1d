import { SORT_KEYS, type AuthFrontendApis, type PersonalApiKeyCapabilities } from './types.ts'

/** Every capability with a value: what a client that declares nothing supports. */
export type ResolvedCapabilities = Required<PersonalApiKeyCapabilities>

const EVERYTHING: ResolvedCapabilities = {
  rotate: true,
  rename: true,
  scopes: true,
  customExpiration: true,
  search: true,
  statusFilter: true,
  sort: SORT_KEYS,
}

/**
 * The capabilities of a client with the defaults filled in: an absent declaration, or an absent field
 * of it, means supported. Components and apps ask this rather than reading `api.capabilities` directly,
 * so a field added later is "supported" for every client that predates it.
 */
export function resolveCapabilities(api: Pick<AuthFrontendApis, 'capabilities'>): ResolvedCapabilities {
  // An explicit `undefined` means "not declared", as an absent field does.
  const declared = Object.entries(api.capabilities ?? {}).filter(([, value]) => value !== undefined)
  return { ...EVERYTHING, ...Object.fromEntries(declared) }
}
