import { describe, expect, it } from 'vitest'
import { parseHttpDate, parseRetryAfter } from '../../src/client/index.ts'

const now = Date.parse('2026-11-22T10:00:00Z')

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0)
    expect(parseRetryAfter('120', now)).toBe(120)
    expect(parseRetryAfter(' 120 ', now)).toBe(120)
  })

  it('reads an IMF-fixdate as the seconds until then, and a past one as 0', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:01:00 GMT', now)).toBe(60)
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0)
  })

  it('reads the two obsolete forms RFC 9110 still asks recipients to accept', () => {
    expect(parseRetryAfter('Sunday, 22-Nov-26 10:02:00 GMT', now)).toBe(120)
    expect(parseRetryAfter('Sun Nov 22 10:00:30 2026', now)).toBe(30)
    expect(parseRetryAfter('Tue Dec  1 10:00:00 2026', now)).toBe(9 * 86_400)
  })

  it('rejects what Date.parse would read as some date', () => {
    for (const value of [
      'banana 1', // Date.parse: 1 January 2001
      'soon',
      '-5', // Date.parse: the year -5
      '1.5',
      '1e3',
      '',
      '2026-11-22T10:01:00Z', // ISO 8601 is not an HTTP-date
      'Sun, 22 Nov 2026 10:01:00 UTC',
      'Sun, 22 Nov 2026 10:01:00 +0000',
      'sun, 22 nov 2026 10:01:00 gmt', // HTTP-date is case-sensitive
      'Sun, 22 Nov 2026 10:01 GMT',
      'Sun, 2 Nov 2026 10:01:00 GMT', // IMF-fixdate's day has two digits
      'Mon, 30 Feb 2026 10:00:00 GMT', // no such day
      'Sun, 22 Nov 2026 24:00:00 GMT',
      'Sun, 22 Nov 2026 10:01:00 GMT, 5',
      '99999999999999999999', // beyond any exact number of seconds
    ]) {
      expect(parseRetryAfter(value, now), value).toBeUndefined()
    }
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })
})

describe('parseHttpDate', () => {
  it('reads the three forms of the same instant alike', () => {
    const at = Date.parse('1994-11-06T08:49:37Z')
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(at)
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(at)
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(at)
  })

  it('reads a two-digit year more than 50 years ahead as the most recent past year with those digits', () => {
    expect(new Date(parseHttpDate('Monday, 01-Jan-76 00:00:00 GMT', now)!).getUTCFullYear()).toBe(2076)
    expect(new Date(parseHttpDate('Thursday, 01-Jan-77 00:00:00 GMT', now)!).getUTCFullYear()).toBe(1977)
  })

  it('counts a leap second as the start of the next minute', () => {
    expect(parseHttpDate('Sat, 31 Dec 2016 23:59:60 GMT')).toBe(Date.parse('2017-01-01T00:00:00Z'))
  })
})
