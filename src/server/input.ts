import { checkExpiration, parseInstant } from '../client/expiration.ts'
import { checkKeyDescription, checkKeyName } from '../client/names.ts'
import {
  KEY_STATUSES,
  SORT_KEYS,
  DEFAULT_SORT,
  type Expiration,
  type ExpirationOption,
  type GracePeriodOption,
  type PersonalApiKeyPolicy,
  type PersonalApiKeyStatus,
  type SortKey,
} from '../client/types.ts'
import { NULLS, sortField } from './listing.ts'
import { isGracePeriodOption } from './policy.ts'
import { fieldProblem, ProblemError } from './problems.ts'
import type { ListPosition } from './store.ts'

/** Parsing and validation of everything a request carries. Each function returns clean values or throws a ProblemError. */

/** The largest request body the server reads; `bodyLimit` refuses longer ones before they are read. */
export const MAX_BODY_BYTES = 64 * 1024
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const EXPLICIT_ZONE = /(?:Z|[+-]\d{2}:\d{2})$/

export type JsonObject = Record<string, unknown>

const invalid = (pointer: string, detail: string) => fieldProblem('validation_failed', pointer, detail)

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

/**
 * The body as a JSON object; an empty body counts as `{}` (every body field is optional somewhere).
 * A body that is not empty must say it is JSON: a `text/plain` POST is what an HTML form on another
 * site can send without a CORS preflight.
 */
export async function readJsonObject(request: Request): Promise<JsonObject> {
  const text = await request.text()
  if (text.trim() === '') return {}
  if (!JSON_MEDIA_TYPE.test(request.headers.get('Content-Type') ?? '')) throw new ProblemError('unsupported_media_type')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new ProblemError('invalid_json')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('', 'The request body must be a JSON object.')
  return value as JsonObject
}

/** An optional `Idempotency-Key` header: 1–255 visible ASCII characters. */
export function readIdempotencyKey(request: Request): string | undefined {
  const value = request.headers.get('Idempotency-Key')
  if (value === null) return undefined
  if (!/^[\x21-\x7e]{1,255}$/.test(value)) {
    throw new ProblemError('validation_failed', { detail: 'The Idempotency-Key header must be 1 to 255 visible ASCII characters.' })
  }
  return value
}

/** Ids are UUIDs; anything else cannot exist, and must not reach a SQL uuid column (which would throw). */
export function isKeyId(value: string): boolean {
  return UUID.test(value)
}

/** The name as stored and compared: trimmed and NFC-normalised, see `checkKeyName`. */
export function parseName(value: unknown, maxLength: number): string {
  if (typeof value !== 'string') throw invalid('/name', value === undefined || value === null ? 'Enter a name.' : 'The name must be text.')
  const check = checkKeyName(value, maxLength)
  if (!check.ok) throw invalid('/name', check.message)
  return check.name
}

/** The description as stored: see `checkKeyDescription`; absent, `null` or blank means none. */
export function parseDescription(value: unknown, maxLength: number): string | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string') throw invalid('/description', 'The description must be text.')
  const check = checkKeyDescription(value, maxLength)
  if (!check.ok) throw invalid('/description', check.message)
  return check.description
}

/** A rotation's grace period: one the policy offers; absent means `'None'`. */
export function parseGracePeriod(value: unknown, policy: PersonalApiKeyPolicy): GracePeriodOption {
  if (value === undefined || value === null) return 'None'
  if (!isGracePeriodOption(value) || !policy.gracePeriodOptions.includes(value)) {
    throw invalid('/gracePeriod', `The grace period must be one of ${policy.gracePeriodOptions.join(', ')}.`)
  }
  return value
}

/** Organization ids come from the app's memberships; longer ones cannot be one, so they are not looked for. */
export function isOrganizationId(value: string): boolean {
  return value.length >= 1 && value.length <= 256
}

/** Requested scopes, deduplicated, each one the policy offers; absent means none. */
export function parseScopes(value: unknown, policy: PersonalApiKeyPolicy): string[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value) || value.length > 100 || !value.every((scope) => typeof scope === 'string')) {
    throw invalid('/scopes', 'Scopes must be a list of scope ids.')
  }
  const offered = new Set(policy.scopes.map((scope) => scope.id))
  const unknown = value.find((scope) => !offered.has(scope))
  if (unknown !== undefined) {
    const shown = unknown.length > 64 ? `${unknown.slice(0, 64)}…` : unknown
    throw invalid('/scopes', `Unknown scope "${shown}".`)
  }
  return [...new Set(value as string[])]
}

/** Whether an ISO date's year-month-day exists (the client's parseInstant decides); other shapes are left to checkExpiration. */
function isCalendarDate(iso: string): boolean {
  return !/^\d{4}-\d{2}-\d{2}T/.test(iso) || parseInstant(iso) !== null
}

const expirationProblem = (pointer: string, detail: string) => fieldProblem('invalid_expiration_option', pointer, detail)

/**
 * The expiration a create or rotate body asks for, checked against the policy: a Date, `null` for
 * never, or `undefined` when the body names none. `expirationOption` is a preset; `expiresAt` a
 * custom instant, or `null` meaning 'Never' (and checked like it).
 */
export function parseRequestedExpiration(body: JsonObject, policy: PersonalApiKeyPolicy, now: Date): Date | null | undefined {
  const option = body.expirationOption
  const at = body.expiresAt
  if (option !== undefined && at !== undefined) {
    throw expirationProblem('/expiresAt', 'Give either an expiration option or an expiration date, not both.')
  }
  let expiration: Expiration
  let pointer: string
  if (option !== undefined) {
    pointer = '/expirationOption'
    // Any string the policy does not list (or a non-string, stringified) fails as 'notOffered'; never as a custom date.
    expiration = String(option) as ExpirationOption
  } else if (at !== undefined) {
    pointer = '/expiresAt'
    if (at === null) expiration = 'Never'
    else if (typeof at !== 'string') throw expirationProblem(pointer, 'The expiration date is not a valid date.')
    else {
      const looksValid = policy.allowCustomExpiration && !Number.isNaN(Date.parse(at))
      // Date.parse rolls 31 February over into March; a date the calendar lacks is a mistake, not a wish.
      if (looksValid && !isCalendarDate(at)) throw expirationProblem(pointer, 'The expiration date is not a valid date.')
      // Without a zone, "2030-01-01T00:00" would mean the server's local time.
      if (looksValid && !EXPLICIT_ZONE.test(at)) {
        throw expirationProblem(pointer, 'The expiration date must include a time zone, for example 2030-01-01T00:00:00Z.')
      }
      expiration = { expiresAt: at }
    }
  } else {
    return undefined
  }
  const check = checkExpiration(expiration, policy, now)
  if (!check.ok) throw expirationProblem(pointer, check.message)
  if (check.expiresAt !== null && !isStorableInstant(check.expiresAt)) {
    throw expirationProblem(pointer, 'The expiration date must fall between the years 0001 and 9999 (UTC).')
  }
  return check.expiresAt
}

/**
 * Years 0001 to 9999 in UTC: what `toISOString()` writes as four digits and what every store reads
 * back. `9999-12-31T23:00:00-14:00` is in year 10000 in UTC.
 */
export function isStorableInstant(instant: Date): boolean {
  const year = instant.getUTCFullYear()
  return year >= 1 && year <= 9999
}

// ---------------------------------------------------------------------------------------------
// Listing parameters and cursors

export interface ListParameters {
  q?: string
  status?: PersonalApiKeyStatus
  sort: SortKey
  limit: number
  after?: ListPosition
}

const DEFAULT_LIMIT = 50
const MAX_LIMIT = 100
const MAX_Q_LENGTH = 256
const MAX_CURSOR_LENGTH = 8192

const invalidQuery = (parameter: string, detail: string) => fieldProblem('invalid_query', `/${parameter}`, detail)

/** One value per parameter: a repeated one is ambiguous, so it is an error rather than a guess. */
function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name)
  if (values.length > 1) throw invalidQuery(name, `Give "${name}" at most once.`)
  return values[0]
}

export function parseListParameters(params: URLSearchParams): ListParameters {
  const q = single(params, 'q')
  const status = single(params, 'status')
  const sort = single(params, 'sort') ?? DEFAULT_SORT
  const limitText = single(params, 'limit')
  const cursor = single(params, 'cursor')

  if (q !== undefined && [...q].length > MAX_Q_LENGTH) throw invalidQuery('q', `The search text must be at most ${MAX_Q_LENGTH} characters.`)
  if (q !== undefined && q.includes('\u0000')) throw invalidQuery('q', 'The search text contains a character that is not allowed.')
  if (status !== undefined && !(KEY_STATUSES as readonly string[]).includes(status)) {
    throw invalidQuery('status', `Status must be one of ${KEY_STATUSES.join(', ')}.`)
  }
  if (!(SORT_KEYS as readonly string[]).includes(sort)) throw invalidQuery('sort', `Sort must be one of ${SORT_KEYS.join(', ')}.`)
  let limit = DEFAULT_LIMIT
  if (limitText !== undefined) {
    limit = /^\d{1,3}$/.test(limitText) ? Number(limitText) : Number.NaN
    if (!(limit >= 1 && limit <= MAX_LIMIT)) throw invalidQuery('limit', `Limit must be a whole number from 1 to ${MAX_LIMIT}.`)
  }
  const parsed: ListParameters = { sort: sort as SortKey, limit }
  if (q !== undefined && q !== '') parsed.q = q
  if (status !== undefined) parsed.status = status as PersonalApiKeyStatus
  if (cursor !== undefined && cursor !== '') parsed.after = decodeCursor(cursor, parsed.sort)
  return parsed
}

function isRoundTripInstant(value: string): boolean {
  const time = Date.parse(value)
  return !Number.isNaN(time) && new Date(time).toISOString() === value
}

function toBase64Url(text: string): string {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64Url(text: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '='))
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)))
  } catch {
    return null
  }
}

/** Opaque to clients: base64url of `[sort, value, id]`. Carrying the sort lets a cursor from another order be refused. */
export function encodeCursor(sort: SortKey, position: ListPosition): string {
  return toBase64Url(JSON.stringify([sort, position.value, position.id]))
}

/** The position a cursor points at, or a 400 `invalid_cursor`: whatever a client sends, this never throws anything else. */
export function decodeCursor(cursor: string, sort: SortKey): ListPosition {
  const fail = () => new ProblemError('invalid_cursor')
  if (cursor.length > MAX_CURSOR_LENGTH) throw fail()
  const json = fromBase64Url(cursor)
  if (json === null) throw fail()
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    throw fail()
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw fail()
  const [cursorSort, value, id] = parsed as unknown[]
  if (cursorSort !== sort) {
    throw new ProblemError('invalid_cursor', { detail: 'The page cursor belongs to a different sort order. Start again from the first page.' })
  }
  if (typeof id !== 'string' || !isKeyId(id)) throw fail()
  const field = sortField(sort)
  if (value === null) {
    if (NULLS[field] === 'none') throw fail()
    return { value: null, id }
  }
  if (typeof value !== 'string') throw fail()
  // Timestamps must be what the store wrote, so a SQL store can cast them without an error. Round-tripping
  // also refuses dates the calendar lacks (2030-02-30), which Date.parse rolls over but Postgres rejects.
  if (field !== 'name' && !(ISO_INSTANT.test(value) && isRoundTripInstant(value) && isStorableInstant(new Date(value)))) throw fail()
  if (field === 'name' && value.includes('\u0000')) throw fail()
  return { value, id }
}
