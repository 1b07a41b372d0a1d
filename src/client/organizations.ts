import { errorResponse, okResponse } from './response.ts'
import { hasOrgApiKeyMethods } from './capabilities.ts'
import type { ApiError, ApiResponse, AuthFrontendApis, OrganizationView, PersonalErrorKind, SpecificErrorKind } from './types.ts'

/**
 * An organization's answers in the personal calls' words: `noOrgApiKeyPermission` becomes
 * `noPersonalApiKeyPermission`, and `orgNotFound` (not a member, or no such organization) does too,
 * since to the person looking it means the same: these keys are not theirs to see, and retrying
 * will not help. `code` and `userFacingError` stay the server's (`no_org_api_key_permission`,
 * "You do not have permission to manage this organization's API keys."), so the words fit.
 */
function asPersonal<T, K extends SpecificErrorKind, P extends PersonalErrorKind & SpecificErrorKind>(response: ApiResponse<T, K>): ApiResponse<T, P> {
  if (response.ok) return okResponse<T, P>(response.data)
  const { error } = response
  const kind = error.kind === 'noOrgApiKeyPermission' || error.kind === 'orgNotFound' ? 'noPersonalApiKeyPermission' : error.kind
  return errorResponse<T, P>({ ...error, kind } as ApiError<P | 'unexpectedOrUnhandled'>)
}

/**
 * A client whose personal methods manage one organization's keys, so the same components
 * (`CreatePersonalApiKey`, `TokenList`, the dialogs, the hooks) work on them unchanged:
 * `<AuthFrontendApisProvider client={forOrganization(api, orgId)}>`. Each call goes to the
 * organization's method of `api`; its answers reach the personal callbacks (see `asPersonal`), and
 * `owner` tells components whose keys they show. `api` must implement the organization methods
 * (`resolveCapabilities(api).organizations`); this throws otherwise, at once rather than on first use.
 * `options.canManage: false` (the user's role may list but not manage the keys, as the app's session
 * knows) makes the components read-only up front; see `OrganizationView`.
 */
export function forOrganization(api: AuthFrontendApis, orgId: string, options: Pick<OrganizationView, 'canManage'> = {}): AuthFrontendApis {
  if (!hasOrgApiKeyMethods(api)) throw new TypeError('patkit forOrganization: this client has no organization API key methods (createOrgApiKey, …)')
  return {
    // What the backend can do is the same for an organization's keys; a view has no organizations of its own.
    capabilities: { ...api.capabilities, organizations: false },
    owner: { type: 'organization', id: orgId, ...(options.canManage === undefined ? {} : { canManage: options.canManage }) },
    createPersonalApiKey: async (input, options) => asPersonal(await api.createOrgApiKey(orgId, input, options)),
    fetchPersonalApiKeys: async (params, options) => asPersonal(await api.fetchOrgApiKeys(orgId, params, options)),
    revokePersonalApiKey: async (id, options) => asPersonal(await api.revokeOrgApiKey(orgId, id, options)),
    rotatePersonalApiKey: async (id, input, options) => asPersonal(await api.rotateOrgApiKey(orgId, id, input, options)),
    updatePersonalApiKey: async (id, input, options) => asPersonal(await api.updateOrgApiKey(orgId, id, input, options)),
    fetchPersonalApiKeyPolicy: async (options) => asPersonal(await api.fetchOrgApiKeyPolicy(orgId, options)),
  }
}
