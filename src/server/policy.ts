import { checkExpiration, gracePeriodMs, isExpirationOption, latestExpiresAt } from '../client/expiration.ts'
import { EXPIRATION_OPTIONS, GRACE_PERIOD_OPTIONS, type GracePeriodOption, type PersonalApiKeyPolicy } from '../client/types.ts'
import type { StoredKey } from './store.ts'

/** What `createReferenceServer({ policy })` accepts: any part of a policy, plus a switch for the whole feature. */
export type ServerPolicyOptions = Partial<PersonalApiKeyPolicy> & {
  /** `false` answers 403 `personal_api_keys_disabled` on every personal-key endpoint (organizations' keys go by `organizations`). Default `true`. */
  enabled?: boolean
}

export const DEFAULT_POLICY: PersonalApiKeyPolicy = {
  expirationOptions: [...EXPIRATION_OPTIONS],
  defaultExpiration: 'OneMonth',
  allowCustomExpiration: true,
  maxLifetimeDays: null,
  scopes: [],
  nameMaxLength: 256,
  descriptionMaxLength: 500,
  gracePeriodOptions: [...GRACE_PERIOD_OPTIONS],
}

export { gracePeriodMs }

export function isGracePeriodOption(value: unknown): value is GracePeriodOption {
  return typeof value === 'string' && (GRACE_PERIOD_OPTIONS as readonly string[]).includes(value)
}

function misconfigured(message: string): never {
  throw new Error(`patkit createReferenceServer: policy.${message}`)
}

/**
 * Fills in defaults and rejects a policy that could never work, at startup rather than on the
 * first request. Without an explicit `defaultExpiration`, a policy whose options do not include
 * 'OneMonth' defaults to its first option.
 */
export function resolvePolicy(options: ServerPolicyOptions = {}, now: Date = new Date()): { policy: PersonalApiKeyPolicy; enabled: boolean } {
  const { enabled = true, ...overrides } = options
  const expirationOptions = [...(overrides.expirationOptions ?? DEFAULT_POLICY.expirationOptions)]
  if (expirationOptions.length === 0) misconfigured('expirationOptions must not be empty')
  for (const option of expirationOptions) {
    if (!isExpirationOption(option)) misconfigured(`expirationOptions: unknown option ${JSON.stringify(option)}`)
  }
  const fallbackDefault = expirationOptions.includes(DEFAULT_POLICY.defaultExpiration)
    ? DEFAULT_POLICY.defaultExpiration
    : expirationOptions[0]!
  const policy: PersonalApiKeyPolicy = {
    expirationOptions,
    defaultExpiration: overrides.defaultExpiration ?? fallbackDefault,
    allowCustomExpiration: overrides.allowCustomExpiration ?? DEFAULT_POLICY.allowCustomExpiration,
    maxLifetimeDays: overrides.maxLifetimeDays ?? DEFAULT_POLICY.maxLifetimeDays,
    scopes: (overrides.scopes ?? DEFAULT_POLICY.scopes).map((scope) => ({ id: scope.id, description: scope.description })),
    nameMaxLength: overrides.nameMaxLength ?? DEFAULT_POLICY.nameMaxLength,
    descriptionMaxLength: overrides.descriptionMaxLength ?? DEFAULT_POLICY.descriptionMaxLength,
    // Shortest first, whatever order the app wrote them in, so the last one is the policy's maximum.
    gracePeriodOptions: [...new Set(overrides.gracePeriodOptions ?? DEFAULT_POLICY.gracePeriodOptions)].sort(
      (a, b) => gracePeriodMs(a) - gracePeriodMs(b),
    ),
  }
  if (policy.maxLifetimeDays !== null && !(Number.isInteger(policy.maxLifetimeDays) && policy.maxLifetimeDays >= 1)) {
    misconfigured('maxLifetimeDays must be a positive integer or null')
  }
  if (!(Number.isInteger(policy.nameMaxLength) && policy.nameMaxLength >= 1)) misconfigured('nameMaxLength must be a positive integer')
  if (!(Number.isInteger(policy.descriptionMaxLength) && policy.descriptionMaxLength >= 1)) {
    misconfigured('descriptionMaxLength must be a positive integer')
  }
  for (const option of policy.gracePeriodOptions) {
    if (!isGracePeriodOption(option)) misconfigured(`gracePeriodOptions: unknown option ${JSON.stringify(option)}`)
  }
  // A leaked key's rotation must be able to end it at once, and None is what a rotation gets by default.
  if (!policy.gracePeriodOptions.includes('None')) misconfigured('gracePeriodOptions must include None')
  const scopeIds = policy.scopes.map((scope) => scope.id)
  if (scopeIds.some((id) => typeof id !== 'string' || id === '') || new Set(scopeIds).size !== scopeIds.length) {
    misconfigured('scopes must have unique, non-empty ids')
  }
  const check = checkExpiration(policy.defaultExpiration, policy, now)
  if (!check.ok) misconfigured(`defaultExpiration ${policy.defaultExpiration} does not pass the policy: ${check.message}`)
  return { policy, enabled }
}

/** When the policy's default expiration resolves to from `now`. */
export function defaultExpiresAt(policy: PersonalApiKeyPolicy, now: Date): Date | null {
  const check = checkExpiration(policy.defaultExpiration, policy, now)
  // resolvePolicy checked the default once; a month-length edge could still fail it, so fall back to the cap.
  return check.ok ? check.expiresAt : latestExpiresAt(policy, now)
}

/**
 * The expiration of a rotated key when the request names none: the old key's lifetime again
 * (expiresAt - createdAt, or never), clamped to the policy's current cap; a never-expiring key
 * whose policy no longer allows that gets the cap, or the policy default when there is no cap.
 */
export function inheritedExpiresAt(old: StoredKey, policy: PersonalApiKeyPolicy, now: Date): Date | null {
  const cap = latestExpiresAt(policy, now)
  if (old.expiresAt === null) {
    if (checkExpiration('Never', policy, now).ok) return null
    return cap ?? defaultExpiresAt(policy, now)
  }
  const lifetimeMs = Date.parse(old.expiresAt) - Date.parse(old.createdAt)
  if (!(lifetimeMs > 0)) return defaultExpiresAt(policy, now)
  const candidate = new Date(now.getTime() + lifetimeMs)
  return cap && candidate.getTime() > cap.getTime() ? cap : candidate
}
