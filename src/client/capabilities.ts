import { SORT_KEYS, type AuthFrontendApis, type OrgApiKeyMethods, type PersonalApiKeyCapabilities } from './types.ts'

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
  description: true,
  organizations: true,
}

const ORG_METHODS = [
  'createOrgApiKey',
  'fetchOrgApiKeys',
  'revokeOrgApiKey',
  'rotateOrgApiKey',
  'updateOrgApiKey',
  'fetchOrgApiKeyPolicy',
] as const satisfies readonly (keyof OrgApiKeyMethods)[]

/** Whether `api` implements every organization method (they are optional on `AuthFrontendApis`). */
export function hasOrgApiKeyMethods(api: object): api is OrgApiKeyMethods {
  return ORG_METHODS.every((name) => typeof (api as Partial<OrgApiKeyMethods>)[name] === 'function')
}

/**
 * The capabilities of a client with the defaults filled in: an absent declaration, or an absent field
 * of it, means supported. Components and apps ask this rather than reading `api.capabilities` directly,
 * so a field added later is "supported" for every client that predates it. `organizations` is the
 * exception: a client that predates organization keys has no methods for them, so it is supported only
 * when every `…OrgApiKey…` method is there (and not declared `false`).
 */
export function resolveCapabilities(api: Pick<AuthFrontendApis, 'capabilities'> & Partial<OrgApiKeyMethods>): ResolvedCapabilities {
  // An explicit `undefined` means "not declared", as an absent field does.
  const declared = Object.entries(api.capabilities ?? {}).filter(([, value]) => value !== undefined)
  const resolved: ResolvedCapabilities = { ...EVERYTHING, ...Object.fromEntries(declared) }
  resolved.organizations = resolved.organizations && hasOrgApiKeyMethods(api)
  return resolved
}
