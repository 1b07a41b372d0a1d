/**
 * `Retry-After` and HTTP dates, read as RFC 9110 writes them and nothing else: `Date.parse` reads
 * "banana 1" as a day in 2001, which would tell a user to retry at once.
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

const TIME = '(\\d{2}):(\\d{2}):(\\d{2})'
const MONTH = `(${MONTHS.join('|')})`
/** `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110 §5.6.7, the form senders must use). */
const IMF_FIXDATE = new RegExp(`^(?:${DAYS.join('|')}), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`)
/** `Sunday, 06-Nov-94 08:49:37 GMT` (obsolete, still to be accepted). */
const RFC850_DATE = new RegExp(`^(?:${LONG_DAYS.join('|')}), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`)
/** `Sun Nov  6 08:49:37 1994` (C's asctime(), obsolete, still to be accepted). */
const ASCTIME_DATE = new RegExp(`^(?:${DAYS.join('|')}) ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`)

/** A calendar instant that exists (no 31 February, no 25 o'clock), in milliseconds. */
function utc(year: number, month: string, day: number, hour: number, minute: number, second: number): number | undefined {
  const monthIndex = MONTHS.indexOf(month)
  if (hour > 23 || minute > 59 || second > 60) return undefined
  const at = Date.UTC(year, monthIndex, day, hour, minute, Math.min(second, 59))
  const date = new Date(at)
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== monthIndex || date.getUTCDate() !== day) return undefined
  // The grammar allows a leap second (60); it ends where the next minute begins.
  return second === 60 ? at + 1000 : at
}

/**
 * An HTTP-date (IMF-fixdate, or the obsolete RFC 850 and asctime forms) in milliseconds since the
 * epoch; `undefined` for anything else. The weekday is read for its form only, as browsers do.
 */
export function parseHttpDate(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined
  let match = IMF_FIXDATE.exec(value)
  if (match) {
    const [, day, month, year, hour, minute, second] = match
    return utc(Number(year), month!, Number(day), Number(hour), Number(minute), Number(second))
  }
  match = RFC850_DATE.exec(value)
  if (match) {
    const [, day, month, yy, hour, minute, second] = match
    // Two-digit years: a date more than 50 years ahead means the most recent past year with those digits (§5.6.7).
    const thisYear = new Date(now).getUTCFullYear()
    let year = thisYear - (thisYear % 100) + Number(yy)
    if (year > thisYear + 50) year -= 100
    return utc(year, month!, Number(day), Number(hour), Number(minute), Number(second))
  }
  match = ASCTIME_DATE.exec(value)
  if (match) {
    const [, month, day, hour, minute, second, year] = match
    return utc(Number(year), month!, Number(day!.trim()), Number(hour), Number(minute), Number(second))
  }
  return undefined
}

/**
 * Seconds to wait, from `Retry-After` (RFC 9110 §10.2.3: delay-seconds or an HTTP-date), or
 * `undefined` when the header is absent or not one of those forms. `now` is when the answer was
 * sent: the answer's own `Date` header where there is one, so a client whose clock is off still waits
 * as long as the server meant.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined
  // Field values arrive without surrounding whitespace from fetch; a hand-built Headers may keep it.
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) {
    const seconds = Number(trimmed)
    return Number.isSafeInteger(seconds) ? seconds : undefined
  }
  const at = parseHttpDate(trimmed, now)
  return at === undefined ? undefined : Math.max(0, Math.ceil((at - now) / 1000))
}
