/**
 * A stand-in for your app's sign-in (Auth.js, Better Auth, Clerk, your own): a user id signed with a
 * server secret, in an HttpOnly cookie. patkit only needs `currentUser()` to answer who is signed in.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { cookies } from 'next/headers'

export const SESSION_COOKIE = 'example_session'

// Set SESSION_SECRET in production; the fallback keeps `npm run dev` a single command.
const SECRET = process.env.SESSION_SECRET ?? 'patkit-example-only-not-a-secret'

const signature = (userId: string) => createHmac('sha256', SECRET).update(userId).digest('base64url')

export function sessionValue(userId: string): string {
  return `${userId}.${signature(userId)}`
}

/** The signed-in user's id, or null. Works in server components, server actions and route handlers. */
export async function currentUser(): Promise<string | null> {
  const value = (await cookies()).get(SESSION_COOKIE)?.value ?? ''
  const dot = value.lastIndexOf('.')
  if (dot <= 0) return null
  const userId = value.slice(0, dot)
  const given = Buffer.from(value.slice(dot + 1))
  const expected = Buffer.from(signature(userId))
  return given.length === expected.length && timingSafeEqual(given, expected) ? userId : null
}
