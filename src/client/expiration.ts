import { EXPIRATION_OPTIONS, type Expiration, type ExpirationOption, type GracePeriodOption, type PersonalApiKeyPolicy } from './types.ts'

const DAY_MS = 86_400_000

const GRACE_PERIOD_MS: Record<GracePeriodOption, number> = {
  None: 0,
  OneHour: 3_600_000,
  OneDay: DAY_MS,
  SevenDays: 7 * DAY_MS,
}

/** How long a grace period lasts, in ms (the server's rule and the rotate dialog's caption). */
export function gracePeriodMs(option: GracePeriodOption): number {
  return GRACE_PERIOD_MS[option]
}

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
  | 'inPast' // at or before now
  | 'tooLate' // beyond maxLifetimeDays

export type ExpirationCheck =
  | { ok: true; expiresAt: Date | null }
  | {
      ok: false
      problem: ExpirationProblem
      /** An English sentence naming the limit ("… at most 90 days: by Mar 2, 2027, 10:00 AM UTC"); forms may say their own per `problem`. */
      message: string
      /** The latest instant the policy allows from `now` (for `tooLate`, `neverNotAllowed`), `null` without a cap. */
      latest: Date | null
    }

/** An instant in words that mean the same to everyone, wherever the server and the reader are. */
const inUtc = (at: Date) =>
  new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(at) + ' UTC'

const PROBLEM_MESSAGES: Record<ExpirationProblem, (policy: PersonalApiKeyPolicy, latest: Date | null) => string> = {
  notOffered: () => 'That expiration is not one of the options offered.',
  // Only a lifetime cap forbids Never.
  neverNotAllowed: (p) => `Keys must expire within ${p.maxLifetimeDays} days.`,
  customNotAllowed: () => 'A custom expiration date is not allowed.',
  invalidDate: () => 'The expiration date is not a valid date.',
  inPast: () => 'The expiration date must be in the future.',
  tooLate: (p, latest) => `Keys can last at most ${p.maxLifetimeDays} days: choose a date by ${latest ? inUtc(latest) : ''}.`,
}

/** Latest instant the policy allows from `now`, or `null` when lifetimes are unlimited. */
export function latestExpiresAt(policy: Pick<PersonalApiKeyPolicy, 'maxLifetimeDays'>, now: Date = new Date()): Date | null {
  return policy.maxLifetimeDays === null ? null : new Date(now.getTime() + policy.maxLifetimeDays * DAY_MS)
}

/**
 * Checks an expiration against a policy; the server's authority and the form's live validation share it.
 * The one rule for custom dates: after `now`, and at most `maxLifetimeDays` after it.
 */
export function checkExpiration(expiration: Expiration, policy: PersonalApiKeyPolicy, now: Date = new Date()): ExpirationCheck {
  const latest = latestExpiresAt(policy, now)
  const fail = (problem: ExpirationProblem): ExpirationCheck => ({ ok: false, problem, message: PROBLEM_MESSAGES[problem](policy, latest), latest })
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

// ---------------------------------------------------------------------------------------------
// Custom dates as calendar days where the user is

/** The calendar day (`YYYY-MM-DD`) `date` falls on in this runtime's time zone, `days` later. */
export function localDay(date: Date, days = 0): string {
  const day = new Date(date.getTime())
  day.setHours(0, 0, 0, 0)
  day.setDate(day.getDate() + days)
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  return `${pad(day.getFullYear(), 4)}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`
}

/**
 * The last instant of a calendar day (`YYYY-MM-DD`) in this runtime's time zone: a custom date means
 * "until the end of that day", so that is the instant a form sends as `expiresAt`.
 */
export function endOfLocalDay(day: string): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number]
  const next = new Date(0)
  next.setFullYear(year, month - 1, date + 1) // setFullYear, not the constructor: years below 100 stay as they are
  next.setHours(0, 0, 0, 0)
  return new Date(next.getTime() - 1)
}

export interface CustomExpirationRange {
  /** The first day a date picker may offer: today, as a key picked for today lives until its end. */
  earliestDay: string
  /** The last day whose end is within the lifetime cap; `null` without a cap. */
  latestDay: string | null
  /** The latest instant the policy allows (`now` + `maxLifetimeDays`), to say up front; `null` without a cap. */
  latest: Date | null
}

/**
 * The custom dates a policy allows from `now`, as calendar days in this runtime's (the user's) time
 * zone: exactly the days whose `endOfLocalDay` passes `checkExpiration`, so the picker, the form's
 * own check and the server agree (today included: its end is in the future).
 */
export function customExpirationRange(policy: Pick<PersonalApiKeyPolicy, 'maxLifetimeDays'>, now: Date = new Date()): CustomExpirationRange {
  const today = localDay(now)
  const earliestDay = endOfLocalDay(today).getTime() > now.getTime() ? today : localDay(now, 1)
  const latest = latestExpiresAt(policy, now)
  if (!latest) return { earliestDay, latestDay: null, latest }
  const capDay = localDay(latest)
  return { earliestDay, latestDay: endOfLocalDay(capDay).getTime() > latest.getTime() ? localDay(latest, -1) : capDay, latest }
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
