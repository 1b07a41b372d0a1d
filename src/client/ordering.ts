import type { SortKey } from './types.ts'

/**
 * The order of a key listing: the reference server's stores and cursors, and adapters that sort on the
 * client (patkit/better-auth), share it so every backend lists keys alike.
 */

export type SortField = 'createdAt' | 'name' | 'expiresAt' | 'lastUsedAt'

/** A position in a listing: the sort value of the last row seen and its id. */
export interface ListPosition {
  value: string | null
  id: string
}

export function sortField(sort: SortKey): SortField {
  return (sort.startsWith('-') ? sort.slice(1) : sort) as SortField
}

export function isDescending(sort: SortKey): boolean {
  return sort.startsWith('-')
}

/** Whether the field can be null, and where null sorts: `expiresAt` null never expires (+∞), `lastUsedAt` null was never used (-∞). */
export const NULLS: Record<SortField, 'none' | 'max' | 'min'> = {
  createdAt: 'none',
  name: 'none',
  expiresAt: 'max',
  lastUsedAt: 'min',
}

/**
 * The sort and search key of a name. The Postgres store writes it to `name_lower` rather than using
 * SQL lower(), which depends on the locale, so every store sorts and searches alike.
 */
export function nameKey(name: string): string {
  return name.toLowerCase()
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function compareValues(a: string | null, b: string | null, nulls: 'none' | 'max' | 'min'): number {
  if (a === null || b === null) {
    if (a === b) return 0
    const nullIsGreater = nulls === 'max'
    return a === null ? (nullIsGreater ? 1 : -1) : nullIsGreater ? -1 : 1
  }
  return compareText(a, b)
}

/** Negative when `a` comes first in the listing ordered by `sort`; the id breaks ties, so no two rows are equal. */
export function comparePositions(a: ListPosition, b: ListPosition, sort: SortKey): number {
  const field = sortField(sort)
  const order = compareValues(a.value, b.value, NULLS[field]) || compareText(a.id, b.id)
  return isDescending(sort) ? -order : order
}
