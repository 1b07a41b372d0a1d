/**
 * patkit's REST contract at /api/v1/…, which the page's `<AuthFrontendApisProvider baseUrl="/api">`
 * calls. The store opens on the first request and is kept across `next dev` reloads; `authenticate`
 * runs only for requests that are not cross-site (the CSRF check a cookie session needs).
 */
import { createRouteHandlers } from 'patkit/next'
import { currentUser } from '../../../lib/session'
import { openStore } from '../../../lib/store'

export const { GET, POST, PATCH, DELETE } = createRouteHandlers({
  prefix: '/api',
  store: openStore,
  authenticate: async () => {
    const userId = await currentUser()
    return userId ? { userId, canManagePersonalApiKeys: true } : null
  },
  policy: { scopes: [{ id: 'read:projects', description: 'Read projects' }] },
})
