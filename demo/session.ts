/**
 * The demo's stand-in for a real login: a cookie naming one of two fixed users. Good enough to show
 * how `authenticate(request)` plugs into the reference server; a real app reads its own session here,
 * memberships included (PropelAuth, Clerk and WorkOS put them in the session; Better Auth lists members).
 */
import { isSameOriginOrNonBrowser, type Authenticate, type AuthenticatedUser } from 'patkit/server'

export const SESSION_COOKIE = 'patkit_demo_session'

/** The organizations of the demo, by id, with the names the page shows. */
export const DEMO_ORGANIZATIONS = {
  acme: { id: 'acme', name: 'Acme' },
  globex: { id: 'globex', name: 'Globex' },
} as const

/**
 * Alice manages her own keys, administers Acme (may create, rotate, edit and revoke its keys) and is a
 * plain member of Globex (may list its keys). Bob may not manage personal keys and is a member of Acme,
 * so he sees Acme's keys but cannot change them.
 */
export const DEMO_USERS = {
  alice: {
    userId: 'alice',
    name: 'Alice',
    canManagePersonalApiKeys: true,
    organizations: [
      { id: 'acme', role: 'admin' },
      { id: 'globex', role: 'member' },
    ],
  },
  bob: { userId: 'bob', name: 'Bob', canManagePersonalApiKeys: false, organizations: [{ id: 'acme', role: 'member' }] },
} as const satisfies Record<string, AuthenticatedUser>

export type DemoUserName = keyof typeof DEMO_USERS

export function isDemoUserName(value: unknown): value is DemoUserName {
  return typeof value === 'string' && Object.hasOwn(DEMO_USERS, value)
}

function readCookie(request: Request, name: string): string | null {
  for (const part of (request.headers.get('Cookie') ?? '').split(';')) {
    const [key, ...rest] = part.split('=')
    if (key?.trim() === name) return rest.join('=').trim()
  }
  return null
}

export function sessionUser(request: Request): AuthenticatedUser | null {
  const name = readCookie(request, SESSION_COOKIE)
  return isDemoUserName(name) ? DEMO_USERS[name] : null
}

/** The reference server's `authenticate`: the cookie's user, unless the request could be a forgery. */
export const authenticate: Authenticate = async (request) => (isSameOriginOrNonBrowser(request) ? sessionUser(request) : null)

export function sessionCookie(name: DemoUserName | null): string {
  // Lax keeps the cookie off cross-site subrequests; HttpOnly keeps it away from page scripts.
  const base = `${SESSION_COOKIE}=${name ?? ''}; Path=/; HttpOnly; SameSite=Lax`
  return name === null ? `${base}; Max-Age=0` : base
}
