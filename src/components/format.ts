import { useLocale } from 'react-aria-components/I18nProvider'

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
]

export interface DateFormatters {
  /** "22 Nov 2026" in the user's locale and time zone. */
  date(iso: string): string
  /** Date and time, for titles and captions. */
  dateTime(iso: string): string
  /** "in 3 days", "in 1 month", "2 hours ago", "now": always a number ("in 1 month", never "next month"). */
  relative(iso: string, now?: number): string
}

const cache = new Map<string, DateFormatters>()

/**
 * Formatters for a locale and time zone, made once: `Intl` constructors are slow, and a list with
 * thousands of rows would otherwise build three per row.
 */
function formattersFor(locale: string, timeZone: string | undefined): DateFormatters {
  const key = `${locale}|${timeZone ?? ''}`
  let formatters = cache.get(key)
  if (!formatters) {
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone })
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone })
    // One style for every distance: "in 2 weeks" beside "in 1 month", not "next month" (numeric: 'auto').
    const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'always' })
    const nowWord = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(0, 'second')
    formatters = {
      date: (iso) => date.format(new Date(iso)),
      dateTime: (iso) => dateTime.format(new Date(iso)),
      relative: (iso, now = Date.now()) => {
        const delta = new Date(iso).getTime() - now
        for (const [index, [unit, ms]] of UNITS.entries()) {
          // Within half a smaller unit of this one counts as one of it: "in 1 hour", never "in 60 minutes".
          const smaller = UNITS[index + 1]?.[1] ?? 1_000
          if (Math.abs(delta) >= ms - smaller / 2) return relative.format(Math.round(delta / ms), unit)
        }
        return nowWord
      },
    }
    cache.set(key, formatters)
  }
  return formatters
}

/** Locale-aware date formatting through `Intl`, for the locale of react-aria's `I18nProvider`. */
export function useDateFormatters(timeZone?: string): DateFormatters {
  const { locale } = useLocale()
  return formattersFor(locale, timeZone)
}
