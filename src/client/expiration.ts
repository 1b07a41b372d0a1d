import { EXPIRATION_OPTIONS, type Expiration, type ExpirationOption, type PersonalApiKeyPolicy } from './types.ts'

const DAY_MS = 86_400_000

type Step = { days: number } | { months: number }
const STEPS: Record<Exclude<ExpirationOption, 'Never'>, Step> = {
  TwoWeeks: { days: 14 },
  OneMonth: { months: 1 },
  ThreeMonths: { months: 3 },
  SixMonths: { months: 6 },
  OneYear: { months: 12 },
}

/**
 * Adds a preset to `from` by the calendar, in UTC: months keep the day of the month and clamp to the
 * month's last day (one month from 31 January is the end of February, not 2 March).
 */
export function addExpiration(from: Date, option: Exclude<ExpirationOption, 'Never'>): Date {
  const step = STEPS[option]
  if ('days' in step) return new Date(from.getTime() + step.days * DAY_MS)
  const target = new Date(from.getTime())
  const day = from.getUTCDate()
  target.setUTCDate(1)
  target.setUTCMonth(target.getUTCMonth() + step.months)
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(day, lastDay))
  return target
}

/** The instant an expiration resolves to from `now`; `null` for `'Never'`. Does not check a policy. */
export function resolveExpiresAt(expiration: Expiration, now: Date = new Date()): Date | null {
  if (typeof expiration === 'object') return new Date(expiration.expiresAt)
  if (expiration === 'Never') return null
  return addExpiration(now, expiration)
}

export type ExpirationProblem =
  | 'notOffered' // a preset the policy does not list
  | 'neverNotAllowed' // 'Never' while the policy caps lifetimes
  | 'customNotAllowed'
  | 'invalidDate'
  | 'inPast'
  | 'tooLate' // beyond maxLifetimeDays

export type ExpirationCheck =
  | { ok: true; expiresAt: Date | null }
  | { ok: false; problem: ExpirationProblem; message: string }

const PROBLEM_MESSAGES: Record<ExpirationProblem, (policy: PersonalApiKeyPolicy) => string> = {
  notOffered: () => 'That expiration is not one of the options offered.',
  // Only a lifetime cap forbids Never.
  neverNotAllowed: (p) => `Keys must expire within ${p.maxLifetimeDays} days.`,
  customNotAllowed: () => 'A custom expiration date is not allowed.',
  invalidDate: () => 'The expiration date is not a valid date.',
  inPast: () => 'The expiration date must be in the future.',
  tooLate: (p) => `Keys must expire within ${p.maxLifetimeDays} days.`,
}

/** Latest instant the policy allows from `now`, or `null` when lifetimes are unlimited. */
export function latestExpiresAt(policy: PersonalApiKeyPolicy, now: Date = new Date()): Date | null {
  return policy.maxLifetimeDays === null ? null : new Date(now.getTime() + policy.maxLifetimeDays * DAY_MS)
}

/** Checks an expiration against a policy; the server's authority and the form's live validation share it. */
export function checkExpiration(expiration: Expiration, policy: PersonalApiKeyPolicy, now: Date = new Date()): ExpirationCheck {
  const fail = (problem: ExpirationProblem): ExpirationCheck => ({ ok: false, problem, message: PROBLEM_MESSAGES[problem](policy) })
  const latest = latestExpiresAt(policy, now)
  if (typeof expiration === 'object') {
    if (!policy.allowCustomExpiration) return fail('customNotAllowed')
    const at = parseInstant(expiration.expiresAt)
    if (!at) return fail('invalidDate')
    if (at.getTime() <= now.getTime()) return fail('inPast')
    if (latest && at.getTime() > latest.getTime()) return fail('tooLate')
    return { ok: true, expiresAt: at }
  }
  if (!policy.expirationOptions.includes(expiration)) return fail('notOffered')
  if (expiration === 'Never') return latest ? fail('neverNotAllowed') : { ok: true, expiresAt: null }
  const at = addExpiration(now, expiration)
  // Day-granular slack so "one year" passes a 366-day cap in leap years but not a 180-day one.
  if (latest && at.getTime() > latest.getTime() + DAY_MS) return fail('tooLate')
  return { ok: true, expiresAt: at }
}

/** The presets of a policy that pass its own lifetime cap, in the policy's order. */
export function availableExpirationOptions(policy: PersonalApiKeyPolicy, now: Date = new Date()): ExpirationOption[] {
  return policy.expirationOptions.filter((option) => checkExpiration(option, policy, now).ok)
}

export function isExpirationOption(value: unknown): value is ExpirationOption {
  return typeof value === 'string' && (EXPIRATION_OPTIONS as readonly string[]).includes(value)
}

/**
 * An ISO 8601 instant with a date that exists: `Date.parse` would roll 31 February into March, and
 * the server refuses such dates, so the form must too.
 */
export function parseInstant(value: unknown): Date | null {
  if (typeof value !== 'string') return null
  const match = /^(\d{4})-(\d{2})-(\d{2})T/.exec(value)
  if (!match) return null
  const at = new Date(value)
  if (Number.isNaN(at.getTime())) return null
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return month >= 1 && month <= 12 && day >= 1 && day <= lastDay ? at : null
}
