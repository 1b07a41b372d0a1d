/** `patkit/server`: the reference backend. Runs in Node, workers and browsers (no `node:` imports). */
export { createReferenceServer, toApiKey } from './app.ts'
export type { Authenticate, AuthenticatedUser, ReferenceServer, ReferenceServerOptions } from './app.ts'
export { createWebhookSender, signWebhook } from './webhooks.ts'
export type {
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEvent,
  WebhookEventType,
  WebhookKeyData,
  WebhookOptions,
  WebhookSender,
} from './webhooks.ts'
export { isSameOriginOrNonBrowser } from './same-origin.ts'
export { memoryStore } from './memory-store.ts'
export type { MemoryStore, MemoryStoreSnapshot } from './memory-store.ts'
export { postgresStore } from './postgres-store.ts'
export type { PostgresStoreOptions } from './postgres-store.ts'
export { pgliteDatabase, pgPoolDatabase } from './postgres-database.ts'
export type { PGliteLike, PgClientLike, PgPoolLike, SqlDatabase, SqlExecutor, SqlResult } from './postgres-database.ts'
export { migrate, MIGRATIONS } from './migrations.ts'
export type { Migration } from './migrations.ts'
export { keyStatus } from './store.ts'
export type {
  IdempotencyRecord,
  KeyStore,
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
export { DEFAULT_POLICY } from './policy.ts'
export type { ServerPolicyOptions } from './policy.ts'
export { ProblemError, PROBLEM_TYPE_BASE } from './problems.ts'
export type { FieldError, ProblemCode } from './problems.ts'
export { fixedWindowRateLimiter } from './rate-limit.ts'
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
