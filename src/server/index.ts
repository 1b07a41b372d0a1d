/** `patkit/server`: the reference backend. Runs in Node, workers and browsers (no `node:` imports). */
export { createReferenceServer, toApiKey } from './app.ts'
export type { Authenticate, AuthenticatedUser, OrganizationKeyOptions, OrganizationMembership, ReferenceServer, ReferenceServerOptions } from './app.ts'
export { createWebhookWorker, DEFAULT_RETRY_DELAYS_MS, signWebhook, verifyWebhook, webhookMessages } from './webhooks.ts'
export type {
  VerifyWebhookOptions,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEvent,
  WebhookEventType,
  WebhookHeaders,
  WebhookKeyData,
  WebhookOptions,
  WebhookVerification,
  WebhookWorker,
} from './webhooks.ts'
export {
  bearerToken,
  LAST_USED_INTERVAL_MS,
  personalAccessTokenAuth,
  personalAccessTokenVerifier,
  verifyPersonalAccessToken,
} from './verify.ts'
export type {
  KeyOwnerRequirement,
  OrganizationKeyAuth,
  PersonalAccessTokenAuth,
  PersonalAccessTokenAuthFor,
  PersonalAccessTokenAuthOptions,
  PersonalAccessTokenRequestContext,
  PersonalAccessTokenRequestResult,
  PersonalAccessTokenVariables,
  PersonalAccessTokenVerification,
  UserKeyAuth,
  VerificationFailure,
  VerifyPersonalAccessTokenOptions,
} from './verify.ts'
export { classifyDatabaseError, DatabaseUnavailableError } from './database-errors.ts'
export type { DatabaseFault } from './database-errors.ts'
export { isSameOriginOrNonBrowser } from './same-origin.ts'
export { memoryStore } from './memory-store.ts'
export type { MemoryOutboxRow, MemoryStore, MemoryStoreSnapshot } from './memory-store.ts'
export { postgresStore } from './postgres-store.ts'
export type { PostgresStoreOptions } from './postgres-store.ts'
export { DEFAULT_PG_TIMEOUTS, pgliteDatabase, pgPoolDatabase } from './postgres-database.ts'
export type { PGliteLike, PgClientLike, PgPoolDatabaseOptions, PgPoolLike, SqlDatabase, SqlExecutor, SqlResult } from './postgres-database.ts'
export { migrate, MIGRATIONS } from './migrations.ts'
export type { MigrateOptions, Migration } from './migrations.ts'
export { isLiveKey, keyStatus, sameOwner } from './store.ts'
export type {
  ClaimedOutboxMessage,
  IdempotencyRecord,
  KeyStore,
  OutboxMessage,
  OutboxOutcome,
  PurgeBefore,
  RateLimitWindow,
  ListKeysQuery,
  ListKeysResult,
  ListPosition,
  StoredKey,
  StoredKeyPatch,
  StoreReader,
  StoreTransaction,
} from './store.ts'
export { comparePositions, positionOf, sortValue } from './listing.ts'
export { decodeCursor, encodeCursor } from './input.ts'
export { DEFAULT_POLICY, gracePeriodMs } from './policy.ts'
export type { ServerPolicyOptions } from './policy.ts'
export { ProblemError, PROBLEM_TYPE_BASE } from './problems.ts'
export type { FieldError, ProblemCode } from './problems.ts'
export { fixedWindowRateLimiter, storeRateLimiter } from './rate-limit.ts'
export type { FixedWindowOptions, RateLimiter, RateLimitResult } from './rate-limit.ts'
export {
  DEFAULT_TOKEN_PREFIX,
  crc32,
  generateToken,
  hashToken,
  randomBase62,
  tokenStart,
  verifyTokenChecksum,
} from './token.ts'
