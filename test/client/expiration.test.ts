import { describe, expect, it } from 'vitest'
import {
  addExpiration,
  availableExpirationOptions,
  checkExpiration,
  customExpirationRange,
  endOfLocalDay,
  isExpirationOption,
  localDay,
  resolveExpiresAt,
  type PersonalApiKeyPolicy,
} from '../../src/client/index.ts'

const at = (iso: string) => new Date(iso)
const policy = (overrides: Partial<PersonalApiKeyPolicy> = {}): PersonalApiKeyPolicy => ({
  expirationOptions: ['TwoWeeks', 'OneMonth', 'ThreeMonths', 'SixMonths', 'OneYear', 'Never'],
  defaultExpiration: 'OneMonth',
  allowCustomExpiration: true,
  maxLifetimeDays: null,
  scopes: [],
  nameMaxLength: 256,
  descriptionMaxLength: 500,
  gracePeriodOptions: ['None', 'OneHour', 'OneDay', 'SevenDays'],
  ...overrides,
})

describe('addExpiration', () => {
  it('adds months by the calendar, clamping to the end of a shorter month', () => {
    expect(addExpiration(at('2026-01-31T09:30:00Z'), 'OneMonth').toISOString()).toBe('2026-02-28T09:30:00.000Z')
    expect(addExpiration(at('2028-01-31T09:30:00Z'), 'OneMonth').toISOString()).toBe('2028-02-29T09:30:00.000Z')
    expect(addExpiration(at('2026-08-31T00:00:00Z'), 'SixMonths').toISOString()).toBe('2027-02-28T00:00:00.000Z')
    expect(addExpiration(at('2026-11-30T12:00:00Z'), 'ThreeMonths').toISOString()).toBe('2027-02-28T12:00:00.000Z')
    expect(addExpiration(at('2028-02-29T12:00:00Z'), 'OneYear').toISOString()).toBe('2029-02-28T12:00:00.000Z')
    expect(addExpiration(at('2026-03-15T12:00:00Z'), 'OneMonth').toISOString()).toBe('2026-04-15T12:00:00.000Z')
  })

  it('adds exactly fourteen days for two weeks, across a month end', () => {
    expect(addExpiration(at('2026-12-25T08:00:00Z'), 'TwoWeeks').toISOString()).toBe('2027-01-08T08:00:00.000Z')
  })
})

describe('checkExpiration', () => {
  const now = at('2026-11-22T10:00:00Z')

  it('accepts offered presets and resolves them from now', () => {
    expect(checkExpiration('OneMonth', policy(), now)).toEqual({ ok: true, expiresAt: at('2026-12-22T10:00:00Z') })
    expect(checkExpiration('Never', policy(), now)).toEqual({ ok: true, expiresAt: null })
  })

  it('refuses a preset the policy does not offer', () => {
    expect(checkExpiration('OneYear', policy({ expirationOptions: ['TwoWeeks'] }), now)).toMatchObject({ ok: false, problem: 'notOffered' })
  })

  it('allows Never only when the policy sets no maximum lifetime', () => {
    const capped = policy({ maxLifetimeDays: 92 })
    expect(checkExpiration('Never', capped, now)).toMatchObject({ ok: false, problem: 'neverNotAllowed' })
    expect(checkExpiration('SixMonths', capped, now)).toMatchObject({ ok: false, problem: 'tooLate' })
    expect(checkExpiration('ThreeMonths', capped, now)).toMatchObject({ ok: true })
    expect(availableExpirationOptions(capped, now)).toEqual(['TwoWeeks', 'OneMonth', 'ThreeMonths'])
  })

  it('lets a one-year preset through a 365-day cap in a leap year', () => {
    expect(checkExpiration('OneYear', policy({ maxLifetimeDays: 365 }), at('2027-03-01T00:00:00Z')).ok).toBe(true)
  })

  it('checks custom dates: allowed, valid, in the future, within the cap', () => {
    const capped = policy({ maxLifetimeDays: 30 })
    expect(checkExpiration({ expiresAt: '2026-12-01T00:00:00Z' }, capped, now)).toMatchObject({ ok: true })
    expect(checkExpiration({ expiresAt: '2027-12-01T00:00:00Z' }, capped, now)).toMatchObject({ problem: 'tooLate' })
    expect(checkExpiration({ expiresAt: '2026-11-01T00:00:00Z' }, capped, now)).toMatchObject({ problem: 'inPast' })
    expect(checkExpiration({ expiresAt: 'next tuesday' }, capped, now)).toMatchObject({ problem: 'invalidDate' })
    expect(checkExpiration({ expiresAt: '2026-11-31T00:00:00Z' }, capped, now)).toMatchObject({ problem: 'invalidDate' })
    expect(checkExpiration({ expiresAt: '2026-12-01T00:00:00Z' }, policy({ allowCustomExpiration: false }), now)).toMatchObject({
      problem: 'customNotAllowed',
    })
  })

  it('explains every refusal in a sentence, naming the latest date allowed', () => {
    const capped = policy({ maxLifetimeDays: 90 })
    const never = checkExpiration('Never', capped, now)
    expect(never.ok === false && never.message).toBe('Keys must expire within 90 days.')
    const late = checkExpiration({ expiresAt: '2027-03-01T00:00:00Z' }, capped, now)
    expect(late).toMatchObject({
      ok: false,
      problem: 'tooLate',
      message: 'Keys can last at most 90 days: choose a date by Feb 20, 2027, 10:00 AM UTC.',
      latest: at('2027-02-20T10:00:00Z'),
    })
    expect(checkExpiration({ expiresAt: '2026-11-22T10:00:00Z' }, capped, now)).toMatchObject({
      problem: 'inPast',
      message: 'The expiration date must be in the future.',
    })
  })
})

/** Runs `fn` with this process's local time zone set to `timeZone` (Node reads TZ anew when it changes). */
function inTimeZone<T>(timeZone: string, fn: () => T): T {
  const before = process.env.TZ
  process.env.TZ = timeZone
  try {
    return fn()
  } finally {
    if (before === undefined) delete process.env.TZ
    else process.env.TZ = before
  }
}

describe('customExpirationRange: one rule for the date picker, the form and the server', () => {
  const ZONES = ['UTC', 'Pacific/Kiritimati', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Pago_Pago']
  const capped = policy({ maxLifetimeDays: 90 })
  const allowed = (day: string, now: Date) => checkExpiration({ expiresAt: endOfLocalDay(day).toISOString() }, capped, now).ok

  for (const zone of ZONES) {
    it(`offers exactly the days checkExpiration accepts, today included (${zone})`, () => {
      inTimeZone(zone, () => {
        for (const now of [at('2026-11-22T10:00:00Z'), at('2026-11-22T23:59:00Z'), at('2027-03-14T09:30:00Z')]) {
          const { earliestDay, latestDay, latest } = customExpirationRange(capped, now)
          expect(earliestDay).toBe(localDay(now))
          expect(latest).toEqual(at(new Date(now.getTime() + 90 * 86_400_000).toISOString()))
          const lastDay = latestDay!
          for (const day of [earliestDay, localDay(now, 45), lastDay]) expect(allowed(day, now), `${day} from ${now.toISOString()}`).toBe(true)
          expect(allowed(localDay(now, -1), now)).toBe(false)
          // The day after the last one ends past the cap.
          const dayAfter = localDay(endOfLocalDay(lastDay), 1)
          expect(allowed(dayAfter, now), `${dayAfter} after ${lastDay}`).toBe(false)
        }
      })
    })
  }

  it('has no last day without a cap', () => {
    expect(customExpirationRange(policy(), at('2026-11-22T10:00:00Z'))).toMatchObject({ latestDay: null, latest: null })
  })

  it('ends a day at its last millisecond where the user is, across a DST change and for years below 100', () => {
    inTimeZone('America/Los_Angeles', () => {
      // 8 March 2026 is 23 hours long there.
      expect(endOfLocalDay('2026-03-08').toISOString()).toBe('2026-03-09T06:59:59.999Z')
      expect(endOfLocalDay('2026-11-01').toISOString()).toBe('2026-11-02T07:59:59.999Z')
      expect(localDay(at('2026-03-09T06:59:59.999Z'))).toBe('2026-03-08')
    })
    inTimeZone('UTC', () => {
      expect(endOfLocalDay('0042-06-30').toISOString()).toBe('0042-06-30T23:59:59.999Z')
      expect(localDay(at('0042-06-30T12:00:00Z'), 1)).toBe('0042-07-01')
    })
  })
})

describe('isExpirationOption', () => {
  it('knows the six presets and nothing inherited', () => {
    expect(isExpirationOption('OneYear')).toBe(true)
    expect(isExpirationOption('toString')).toBe(false)
    expect(isExpirationOption(undefined)).toBe(false)
  })
})

describe('resolveExpiresAt', () => {
  it('resolves presets, custom dates and Never', () => {
    const now = at('2026-01-31T00:00:00Z')
    expect(resolveExpiresAt('OneMonth', now)?.toISOString()).toBe('2026-02-28T00:00:00.000Z')
    expect(resolveExpiresAt({ expiresAt: '2026-05-01T00:00:00.000Z' }, now)?.toISOString()).toBe('2026-05-01T00:00:00.000Z')
    expect(resolveExpiresAt('Never', now)).toBeNull()
  })
})
