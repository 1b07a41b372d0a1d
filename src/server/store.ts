import type { KeyCreator, KeyOwner, PersonalApiKeyStatus, SortKey } from '../client/types.ts'

/**
 * The persistence port of the reference server, shaped like a repository over SQL so that a
 * Postgres store is a thin translation: every write happens inside `transaction()`, reads that
 * decide a write (`getKeyForUpdate`) are meant as `SELECT … FOR UPDATE`, and timestamps are ISO
 * 8601 strings from `Date.toISOString()` (UTC, millisecond precision, so they also order as text).
 */

/** One row of the keys table. `hash` never leaves the server; the API mapping drops it. */
export interface StoredKey {
  id: string
  /** A user's key or an organization's; every read and write of keys is scoped to one owner. */
  owner: KeyOwner
  /** Who made it (for a rotated key: who rotated it); `null` when unknown. */
  createdBy: KeyCreator | null
  name: string
  /** NFC, line breaks as `\n`; `null`: none. */
  description: string | null
  /** Prefix plus the first random characters, e.g. `pat_Ab3x`. */
  start: string
  /** Lowercase hex SHA-256 of the whole token; unique. The plaintext is never stored. */
  hash: string
  scopes: string[]
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
  revokedAt: string | null
  /** The key a rotation replaced this one with, and when; both null until then. */
  replacedBy: string | null
  replacedAt: string | null
}

/** The fields a key may change after it is created. */
export type StoredKeyPatch = Partial<
  Pick<StoredKey, 'name' | 'description' | 'revokedAt' | 'lastUsedAt' | 'expiresAt' | 'replacedBy' | 'replacedAt'>
>

/** Two owners are one when type and id are. */
export function sameOwner(a: KeyOwner, b: KeyOwner): boolean {
  return a.type === b.type && a.id === b.id
}

/** Remembers which key an `Idempotency-Key` produced, so a retried request cannot create a second one. Unique on (owner, key). */
export interface IdempotencyRecord {
  owner: KeyOwner
  key: string
  /** What the request did (`create`, `rotate`); informational. */
  operation: string
  apiKeyId: string
  createdAt: string
  /**
   * A hash of the request the key was first used with (operation, target key and body), so the same
   * key with another request is refused rather than answered as the first. Null on records written
   * before fingerprints existed.
   */
  fingerprint: string | null
}

/** A fixed window of a rate limit: when it started and how many hits it has counted, this one included. */
export interface RateLimitWindow {
  windowStart: string
  count: number
}

/** One event for one webhook endpoint, waiting in the outbox until it is delivered or given up. */
export interface OutboxMessage {
  /** A UUID, the row's own. */
  id: string
  /** The `webhook-id` receivers deduplicate on: one per event, the same on every attempt and endpoint. */
  messageId: string
  endpointUrl: string
  type: string
  /** The exact JSON body to sign and send. */
  payload: string
  createdAt: string
  /** Attempts started so far (a claim counts as one, so a message that crashes its workers still runs out). */
  attempts: number
  nextAttemptAt: string
}

/** A message a worker has claimed: only the holder of `leaseId` may settle it, until `leasedUntil`. */
export interface ClaimedOutboxMessage extends OutboxMessage {
  leaseId: string
  leasedUntil: string
}

/** How an attempt ended: delivered, to be retried at `retryAt`, or (`retryAt: null`) given up. */
export type OutboxOutcome =
  | { delivered: true; at: string; status: number }
  | { delivered: false; at: string; retryAt: string | null; status?: number; error?: string }

/** What `purgeExpired` forgets: records and windows older than these instants. */
export interface PurgeBefore {
  /** Idempotency records created before this. */
  idempotencyRecords: string
  /** Rate-limit windows that started before this. */
  rateLimits: string
  /** Outbox messages created before this that were delivered or given up (pending ones are kept). */
  webhooks: string
}

import type { ListPosition } from '../client/ordering.ts'
export type { ListPosition }

/**
 * A page of one owner's keys.
 *
 * Semantics a SQL store must reproduce (see `listing.ts`, which the memory store uses):
 * - `q`: case-insensitive substring of `name` or of `description` (compare lowercased strings with
 *   `position()`, not `ILIKE`, so `%` and `_` match themselves).
 * - `status` is derived from `now`: revoked if `revokedAt`, else expired if `expiresAt <= now`, else active.
 * - Order by (sort value, id), both in the sort's direction. The sort value of `name` is its
 *   lowercase; `expiresAt` null sorts as +infinity (never expires), `lastUsedAt` null as -infinity.
 * - `after`: only rows strictly after that position in this order (keyset pagination).
 * - `limit`: at most that many rows (the app asks for one more than a page to learn if there is a next one).
 * - `totalCount` counts rows matching `q` and `status`, ignoring `after`; `facets` count rows
 *   matching `q` per status, ignoring `status` and `after`.
 */
export interface ListKeysQuery {
  owner: KeyOwner
  q?: string
  status?: PersonalApiKeyStatus
  sort: SortKey
  after?: ListPosition
  limit: number
  now: string
}

export interface ListKeysResult {
  rows: StoredKey[]
  totalCount: number
  facets: Record<PersonalApiKeyStatus, number>
}

export interface StoreReader {
  /** The owner's key, or null when it does not exist or belongs to another owner. */
  getKey(owner: KeyOwner, id: string): Promise<StoredKey | null>
  findKeyByHash(hash: string): Promise<StoredKey | null>
  listKeys(query: ListKeysQuery): Promise<ListKeysResult>
}

export interface StoreTransaction extends StoreReader {
  /**
   * Serializes this owner's write transactions until this one ends. The app takes it first in every
   * write, because its checks (name free among live keys, live-key cap, Idempotency-Key unused)
   * read rows that no unique index can guard, as status depends on the time. A SQL store:
   * `SELECT pg_advisory_xact_lock(hashtextextended($id, 0))` for a user (the lock earlier versions
   * took, so instances of both serialize alike during a rolling deploy), seed 1 for an organization.
   * The memory store runs one transaction at a time anyway.
   */
  lockOwner(owner: KeyOwner): Promise<void>
  /** Like `getKey`, and locks the row until the transaction ends (`SELECT … FOR UPDATE`). */
  getKeyForUpdate(owner: KeyOwner, id: string): Promise<StoredKey | null>
  /** Fails (rolling the transaction back) if the id or hash already exists. */
  insertKey(row: StoredKey): Promise<void>
  /** The updated row, or null when no key has that id. */
  updateKey(id: string, patch: StoredKeyPatch): Promise<StoredKey | null>
  /** Live keys of the owner: active at `now` and not replaced by a rotation (a replaced key is on its way out). */
  countLiveKeys(owner: KeyOwner, now: string): Promise<number>
  /** A live key of the owner with exactly this name, if any. */
  findLiveKeyByName(owner: KeyOwner, name: string, now: string): Promise<StoredKey | null>
  /** The record, expired or not (the app decides what has expired; the worker purges). */
  getIdempotencyRecord(owner: KeyOwner, key: string): Promise<IdempotencyRecord | null>
  /** Inserts, or replaces a record with the same (owner, key). */
  putIdempotencyRecord(record: IdempotencyRecord): Promise<void>
  /** Adds messages to the outbox, committed (or rolled back) with the key change they announce. */
  enqueueWebhooks(messages: OutboxMessage[]): Promise<void>
}

export interface KeyStore extends StoreReader {
  /**
   * Runs `fn` atomically: if it throws (or rejects), none of its writes remain, and the error is
   * rethrown. Do not call the store's own methods inside `fn`; use `tx`.
   */
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T>
  /**
   * Sets `lastUsedAt = at` unless it was set less than `minIntervalMs` before `at`, and skips a key
   * whose row another transaction holds locked rather than wait (`FOR UPDATE SKIP LOCKED`): this is
   * bookkeeping, and verification must never queue behind a rename or a rotation. True when it wrote.
   */
  markKeyUsed(id: string, at: string, minIntervalMs: number): Promise<boolean>
  /**
   * Counts one hit under `key` in its fixed window and returns the window: a window starts at its
   * first hit and ends `windowMs` later, when the next hit starts a new one. Atomic, so instances
   * sharing the store share the count (one `INSERT … ON CONFLICT DO UPDATE`).
   */
  hitRateLimit(key: string, windowMs: number, now: string): Promise<RateLimitWindow>
  /** The current window of `key` without counting a hit, or null when none is open at `now`. */
  peekRateLimit(key: string, windowMs: number, now: string): Promise<RateLimitWindow | null>
  /**
   * Leases up to `limit` messages due at `now` (not delivered, not given up, not leased by a live
   * worker) for `leaseMs`, oldest due first, counting an attempt on each. Concurrent claims never get
   * the same message (`FOR UPDATE SKIP LOCKED`); a message whose lease ran out can be claimed again.
   */
  claimWebhooks(options: { now: string; limit: number; leaseMs: number }): Promise<ClaimedOutboxMessage[]>
  /** Records an attempt's outcome if `leaseId` still holds the message; false when the lease was lost. */
  settleWebhook(id: string, leaseId: string, outcome: OutboxOutcome): Promise<boolean>
  /** Forgets expired idempotency records, old rate-limit windows and finished outbox messages. */
  purgeExpired(before: PurgeBefore): Promise<void>
  close(): Promise<void>
}

/** Status is derived, never stored: revoked wins over expired; a key expires at `expiresAt` exactly. */
export function keyStatus(row: Pick<StoredKey, 'revokedAt' | 'expiresAt'>, now: string): PersonalApiKeyStatus {
  if (row.revokedAt !== null) return 'revoked'
  if (row.expiresAt !== null && row.expiresAt <= now) return 'expired'
  return 'active'
}

/**
 * A key that holds its name and counts toward the cap: active and not replaced. A key replaced with
 * a grace period still works until it expires, but its name belongs to its replacement.
 */
export function isLiveKey(row: Pick<StoredKey, 'revokedAt' | 'expiresAt' | 'replacedBy'>, now: string): boolean {
  return row.replacedBy === null && keyStatus(row, now) === 'active'
}
