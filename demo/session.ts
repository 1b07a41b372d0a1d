/**
 * The demo's stand-in for a real login: a cookie naming one of two fixed users. Good enough to show
 * how `authenticate(request)` plugs into the reference server; a real app reads its own session here.
 */
import type { Authenticate, AuthenticatedUser } from 'patkit/server'

export const SESSION_COOKIE = 'patkit_demo_session'

export const DEMO_USERS = {
  alice: { userId: 'alice', canManagePersonalApiKeys: true },
  bob: { userId: 'bob', canManagePersonalApiKeys: false },
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

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Cookies ride along on cross-site requests, so a state-changing request must prove it came from
 * this origin: browsers send `Sec-Fetch-Site` and `Origin` on every cross-origin POST/PATCH/DELETE,
 * and neither can be forged by a page. Requests without either header are not from a browser and
 * cannot be cross-site forgeries.
 */
export function isSameOriginOrNonBrowser(request: Request): boolean {
  if (SAFE_METHODS.has(request.method)) return true
  const site = request.headers.get('Sec-Fetch-Site')
  if (site !== null && site !== 'same-origin' && site !== 'none') return false
  const origin = request.headers.get('Origin')
  if (origin === null) return true
  try {
    return new URL(origin).host === new URL(request.url).host
  } catch {
    // `Origin: null` (sandboxed frames, some redirects) is never this site.
    return false
  }
}

/** The reference server's `authenticate`: the cookie's user, unless the request could be a forgery. */
export const authenticate: Authenticate = async (request) => (isSameOriginOrNonBrowser(request) ? sessionUser(request) : null)

export function sessionCookie(name: DemoUserName | null): string {
  // Lax keeps the cookie off cross-site subrequests; HttpOnly keeps it away from page scripts.
  const base = `${SESSION_COOKIE}=${name ?? ''}; Path=/; HttpOnly; SameSite=Lax`
  return name === null ? `${base}; Max-Age=0` : base
}
