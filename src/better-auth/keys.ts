import { comparePositions, nameKey, sortField, type ListPosition } from '../client/ordering.ts'
import {
  DEFAULT_SORT,
  KEY_STATUSES,
  SORT_KEYS,
  type ListParams,
  type PersonalApiKey,
  type PersonalApiKeyPage,
  type PersonalApiKeyStatus,
  type SortKey,
} from '../client/types.ts'

/** A key as Better Auth's API-key plugin answers it (the browser client turns its dates into `Date`s). */
export interface BetterAuthApiKey {
  id: string
  name: string | null
  start: string | null
  prefix: string | null
  enabled: boolean
  createdAt: Date | string
  updatedAt: Date | string
  expiresAt: Date | string | null
  lastRequest: Date | string | null
  permissions: Record<string, string[]> | null
  referenceId?: string
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const isInstant = (value: unknown): value is Date | string =>
  (value instanceof Date && !Number.isNaN(value.getTime())) || (typeof value === 'string' && !Number.isNaN(Date.parse(value)))
const isOptionalInstant = (value: unknown) => value === null || value === undefined || isInstant(value)

/** Whether an answer is shaped like a Better Auth key; anything else is an unreadable answer, not a crash. */
export function isBetterAuthApiKey(value: unknown): value is BetterAuthApiKey {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    (value.name === null || value.name === undefined || typeof value.name === 'string') &&
    typeof value.enabled === 'boolean' &&
    isInstant(value.createdAt) &&
    isOptionalInstant(value.updatedAt) &&
    isOptionalInstant(value.expiresAt) &&
    isOptionalInstant(value.lastRequest)
  )
}

const iso = (value: Date | string | null | undefined): string | null => (value === null || value === undefined ? null : new Date(value).toISOString())

/** `{ files: ['read', 'write'] }` → `['files:read', 'files:write']`: Better Auth's permissions shown as patkit scopes. */
export function permissionsToScopes(permissions: unknown): string[] {
  if (!isObject(permissions)) return []
  return Object.entries(permissions).flatMap(([resource, actions]) =>
    Array.isArray(actions) ? actions.filter((action): action is string => typeof action === 'string').map((action) => `${resource}:${action}`) : [],
  )
}

/**
 * A Better Auth key in patkit's shape. Better Auth has no revocation time: a disabled key is revoked,
 * and its `updatedAt` (written when it was disabled; a disabled key is never used or renamed through
 * this adapter) stands in for `revokedAt`. `lastRequest` is written on use only while the key's rate
 * limit is on, which is Better Auth's default.
 */
export function toPersonalApiKey(key: BetterAuthApiKey, now: number): PersonalApiKey {
  const start = key.start ?? key.prefix ?? ''
  const expiresAt = iso(key.expiresAt)
  const status: PersonalApiKeyStatus = !key.enabled ? 'revoked' : expiresAt !== null && Date.parse(expiresAt) <= now ? 'expired' : 'active'
  return {
    id: key.id,
    // Better Auth allows unnamed keys; the reference server names them the same way.
    name: key.name ?? `API key ${start}`.trim(),
    start,
    scopes: permissionsToScopes(key.permissions),
    status,
    createdAt: iso(key.createdAt)!,
    expiresAt,
    lastUsedAt: iso(key.lastRequest),
    revokedAt: status === 'revoked' ? iso(key.updatedAt ?? key.createdAt) : null,
  }
}

// ---------------------------------------------------------------------------------------------
// Listing: Better Auth can sort and page but not search, filter by status or count per status, so the
// adapter reads the user's keys in one request and does all of it here, in the reference server's order.

export const DEFAULT_PAGE_SIZE = 50
export const MAX_PAGE_SIZE = 100

export type ListProblem = { field: string; message: string }

function positionOf(key: PersonalApiKey, sort: SortKey): ListPosition {
  const field = sortField(sort)
  return { value: field === 'name' ? nameKey(key.name) : key[field], id: key.id }
}

/** Opaque to callers: base64url of `[sort, value, id]`, like the reference server's. */
function encodeCursor(sort: SortKey, position: ListPosition): string {
  const bytes = new TextEncoder().encode(JSON.stringify([sort, position.value, position.id]))
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function decodeCursor(cursor: string, sort: SortKey): ListPosition | ListProblem {
  const problem = { field: 'cursor', message: 'The page cursor is not valid. Start again from the first page.' }
  try {
    if (!/^[A-Za-z0-9_-]{1,4096}$/.test(cursor)) return problem
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (char) => char.charCodeAt(0))))
    if (!Array.isArray(parsed) || parsed.length !== 3) return problem
    const [cursorSort, value, id] = parsed as unknown[]
    if (cursorSort !== sort) return { field: 'cursor', message: 'The page cursor belongs to a different sort order. Start again from the first page.' }
    if (typeof id !== 'string' || (value !== null && typeof value !== 'string')) return problem
    return { value, id }
  } catch {
    return problem
  }
}

/** Checks list parameters as the reference server does, so a bad one is a `badRequest` on every backend. */
function checkParams(params: ListParams): ListProblem | null {
  if (params.status !== undefined && !(KEY_STATUSES as readonly string[]).includes(params.status)) {
    return { field: 'status', message: `Status must be one of ${KEY_STATUSES.join(', ')}.` }
  }
  if (params.sort !== undefined && !(SORT_KEYS as readonly string[]).includes(params.sort)) {
    return { field: 'sort', message: `Sort must be one of ${SORT_KEYS.join(', ')}.` }
  }
  if (params.limit !== undefined && !(Number.isInteger(params.limit) && params.limit >= 1 && params.limit <= MAX_PAGE_SIZE)) {
    return { field: 'limit', message: `Limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.` }
  }
  if (params.q !== undefined && (params.q.length > 256 || params.q.includes('\u0000'))) {
    return { field: 'q', message: 'The search text must be at most 256 characters, without control characters.' }
  }
  return null
}

/** One page of `keys` (all of a user's keys) for `params`: search, status, facets, order and cursor. */
export function pageOf(keys: PersonalApiKey[], params: ListParams): PersonalApiKeyPage | ListProblem {
  const problem = checkParams(params)
  if (problem) return problem
  const sort = params.sort ?? DEFAULT_SORT
  const after = params.cursor ? decodeCursor(params.cursor, sort) : undefined
  if (after && 'message' in after) return after
  const needle = params.q ? nameKey(params.q) : undefined
  const matching = needle === undefined ? keys : keys.filter((key) => nameKey(key.name).includes(needle))
  const facets = { active: 0, expired: 0, revoked: 0 }
  for (const key of matching) facets[key.status]++
  const filtered = params.status ? matching.filter((key) => key.status === params.status) : matching
  const ordered = filtered
    .map((key) => ({ key, position: positionOf(key, sort) }))
    .sort((a, b) => comparePositions(a.position, b.position, sort))
  const rest = after ? ordered.filter(({ position }) => comparePositions(position, after, sort) > 0) : ordered
  const limit = params.limit ?? DEFAULT_PAGE_SIZE
  const page = rest.slice(0, limit)
  const last = page.at(-1)
  return {
    items: page.map(({ key }) => key),
    totalCount: filtered.length,
    nextCursor: rest.length > limit && last ? encodeCursor(sort, last.position) : null,
    facets: { status: facets },
  }
}
