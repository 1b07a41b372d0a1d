/**
 * What a success body must hold before it reaches `success`: every field of the contract, with its
 * type. A proxy's JSON, an older server or a buggy adapter would otherwise hand the components a key
 * without dates or with a status they cannot show; such an answer goes to `unexpectedOrUnhandled`.
 * Fields the contract does not name are let through, so a newer server can add some.
 */
import { parseInstant } from './expiration.ts'
import {
  EXPIRATION_OPTIONS,
  GRACE_PERIOD_OPTIONS,
  KEY_STATUSES,
  OWNER_TYPES,
  type CreatedPersonalApiKey,
  type KeyCreator,
  type KeyOwner,
  type PersonalApiKey,
  type PersonalApiKeyPage,
  type PersonalApiKeyPolicy,
  type RotatedPersonalApiKey,
} from './types.ts'

export type Shape<T> = (value: unknown) => value is T

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isString = (v: unknown): v is string => typeof v === 'string'
const isOneOf = (values: readonly string[]) => (v: unknown): v is string => typeof v === 'string' && values.includes(v)
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0
const isPositive = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0
const isArrayOf = <T>(item: (v: unknown) => v is T) => (v: unknown): v is T[] => Array.isArray(v) && v.every(item)
const orNull = <T>(shape: (v: unknown) => v is T) => (v: unknown): v is T | null => v === null || shape(v)
/** A field added to the contract later: absent, or of its type. */
const optional = <T>(shape: (v: unknown) => v is T) => (v: unknown): v is T | undefined => v === undefined || shape(v)

/** An ISO 8601 instant with its offset (`…Z`, `…+02:00`): without one it would be read in the viewer's zone. */
const isInstant = (v: unknown): v is string => parseInstant(v) !== null && /(?:Z|[+-]\d{2}:?\d{2})$/i.test(v as string)
const isStatus = isOneOf(KEY_STATUSES)
const isExpirationOption = isOneOf(EXPIRATION_OPTIONS)
const isGracePeriod = isOneOf(GRACE_PERIOD_OPTIONS)
const isId = (v: unknown): v is string => isString(v) && v !== ''
const isOwner = (v: unknown): v is KeyOwner => isObject(v) && isOneOf(OWNER_TYPES)(v.type) && isId(v.id)
const isCreator = (v: unknown): v is KeyCreator => isObject(v) && isId(v.userId) && orNull(isString)(v.name)

export const isKey: Shape<PersonalApiKey> = (v): v is PersonalApiKey =>
  isObject(v) &&
  isString(v.id) && v.id !== '' &&
  isString(v.name) &&
  isString(v.start) &&
  isArrayOf(isString)(v.scopes) &&
  isStatus(v.status) &&
  isInstant(v.createdAt) &&
  orNull(isInstant)(v.expiresAt) &&
  orNull(isInstant)(v.lastUsedAt) &&
  orNull(isInstant)(v.revokedAt) &&
  optional(orNull(isString))(v.description) &&
  optional(isOwner)(v.owner) &&
  optional(orNull(isCreator))(v.createdBy) &&
  optional(orNull(isId))(v.replacedBy) &&
  optional(orNull(isInstant))(v.replacedAt)

export const isCreated: Shape<CreatedPersonalApiKey> = (v): v is CreatedPersonalApiKey =>
  isObject(v) && isString(v.token) && v.token !== '' && isKey(v.apiKey)

const isPrevious = (v: unknown): v is RotatedPersonalApiKey['previous'] => isKey(v) && isGracePeriod((v as { gracePeriod?: unknown }).gracePeriod)

export const isRotated: Shape<RotatedPersonalApiKey> = (v): v is RotatedPersonalApiKey =>
  isCreated(v) && isPrevious((v as { previous?: unknown }).previous)

export const isPage: Shape<PersonalApiKeyPage> = (v): v is PersonalApiKeyPage =>
  isObject(v) &&
  isArrayOf(isKey)(v.items) &&
  isCount(v.totalCount) &&
  orNull(isString)(v.nextCursor) &&
  isObject(v.facets) &&
  isObject(v.facets.status) &&
  KEY_STATUSES.every((status) => isCount((v.facets as { status: Record<string, unknown> }).status[status]))

const isScope = (v: unknown): v is { id: string; description: string } => isObject(v) && isString(v.id) && isString(v.description)

export const isPolicy: Shape<PersonalApiKeyPolicy> = (v): v is PersonalApiKeyPolicy =>
  isObject(v) &&
  isArrayOf(isExpirationOption)(v.expirationOptions) &&
  isExpirationOption(v.defaultExpiration) &&
  typeof v.allowCustomExpiration === 'boolean' &&
  orNull(isPositive)(v.maxLifetimeDays) &&
  isArrayOf(isScope)(v.scopes) &&
  isPositive(v.nameMaxLength) &&
  isPositive(v.descriptionMaxLength) &&
  isArrayOf(isGracePeriod)(v.gracePeriodOptions) &&
  (v.gracePeriodOptions as string[]).includes('None')
