import { describe, expect, it } from 'vitest'
import {
  addExpiration,
  availableExpirationOptions,
  checkExpiration,
  isExpirationOption,
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

  it('explains every refusal in a sentence', () => {
    const result = checkExpiration('Never', policy({ maxLifetimeDays: 90 }), now)
    expect(result.ok === false && result.message).toBe('Keys must expire within 90 days.')
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
