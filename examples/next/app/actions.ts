'use server'
import { cookies } from 'next/headers'
import { SESSION_COOKIE, sessionValue } from '../lib/session'

// Server actions are checked against cross-site posts by Next.js itself.
export async function signIn() {
  ;(await cookies()).set(SESSION_COOKIE, sessionValue('ada'), { httpOnly: true, sameSite: 'lax', path: '/', secure: process.env.NODE_ENV === 'production' })
}

export async function signOut() {
  ;(await cookies()).delete(SESSION_COOKIE)
}
