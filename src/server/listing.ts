import type { SortKey } from '../client/types.ts'
import { nameKey, sortField, type ListPosition, type SortField } from '../client/ordering.ts'
import type { StoredKey } from './store.ts'

/** The order itself lives in client/ordering.ts, shared with adapters that sort on the client. */
export { comparePositions, isDescending, nameKey, NULLS, sortField, type SortField } from '../client/ordering.ts'

export function sortValue(row: StoredKey, field: SortField): string | null {
  return field === 'name' ? nameKey(row.name) : row[field]
}

export function positionOf(row: StoredKey, sort: SortKey): ListPosition {
  return { value: sortValue(row, sortField(sort)), id: row.id }
}
