import type { KeyOwner, PersonalApiKeyStatus } from '../client/types.ts'
import { isKeyId } from './input.ts'
import { isDescending, nameKey, sortField, type SortField } from './listing.ts'
import { IDEMPOTENCY_TABLE, KEYS_TABLE, migrate, OUTBOX_TABLE, RATE_LIMITS_TABLE, type MigrateOptions } from './migrations.ts'
import type { SqlDatabase, SqlExecutor } from './postgres-database.ts'
import type {
  ClaimedOutboxMessage,
  IdempotencyRecord,
  KeyStore,
  ListKeysQuery,
  ListKeysResult,
  StoredKey,
  StoredKeyPatch,
  StoreTransaction,
} from './store.ts'

export interface PostgresStoreOptions {
  /** Apply pending migrations before the store is returned. Default true; turn off when a deploy step migrates. */
  migrate?: boolean | MigrateOptions
}

const KEY_COLUMNS =
  'id, user_id, organization_id, created_by_user_id, created_by_name, name, description, start, hash, scopes, ' +
  'created_at, expires_at, last_used_at, revoked_at, replaced_by, replaced_at'

interface KeyRow {
  id: string
  user_id: string | null
  organization_id: string | null
  created_by_user_id: string | null
  created_by_name: string | null
  name: string
  description: string | null
  start: string
  hash: string
  scopes: string[]
  created_at: unknown
  expires_at: unknown
  last_used_at: unknown
  revoked_at: unknown
  replaced_by: string | null
  replaced_at: unknown
}

/**
 * The column holding each kind of owner's id (an exclusive arc, see migration 4): every statement
 * picks its column from this fixed map, never from request text.
 */
const OWNER_COLUMN: Record<KeyOwner['type'], 'user_id' | 'organization_id'> = { user: 'user_id', organization: 'organization_id' }

/** The owner of a row with the arc's two columns. */
function ownerOf(row: { user_id: string | null; organization_id: string | null }): KeyOwner {
  return row.organization_id !== null ? { type: 'organization', id: row.organization_id } : { type: 'user', id: row.user_id! }
}

/** The arc's two values for an owner: its id in its own column, null in the other. */
const ownerColumns = (owner: KeyOwner) => [owner.type === 'user' ? owner.id : null, owner.type === 'organization' ? owner.id : null]

interface IdempotencyRow {
  user_id: string | null
  organization_id: string | null
  key: string
  operation: string
  api_key_id: string
  created_at: unknown
  fingerprint: string | null
}

const OUTBOX_COLUMNS = 'id, message_id, endpoint_url, type, payload, created_at, attempts, next_attempt_at, lease_id, leased_until'

interface OutboxRow {
  id: string
  message_id: string
  endpoint_url: string
  type: string
  payload: string
  created_at: unknown
  attempts: number
  next_attempt_at: unknown
  lease_id: string
  leased_until: unknown
}

/** An interval parameter from milliseconds. */
const MS = (placeholder: string) => `make_interval(secs => ${placeholder}::double precision / 1000)`

/** Drivers hand timestamptz back as Date (pg, PGlite) or text (custom type parsers); the interface speaks ISO strings. */
function toIso(value: unknown): string {
  return (value instanceof Date ? value : new Date(String(value))).toISOString()
}

function toIsoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : toIso(value)
}

function toStoredKey(row: KeyRow): StoredKey {
  return {
    id: row.id,
    owner: ownerOf(row),
    createdBy: row.created_by_user_id === null ? null : { userId: row.created_by_user_id, name: row.created_by_name },
    name: row.name,
    description: row.description,
    start: row.start,
    hash: row.hash,
    scopes: [...row.scopes],
    createdAt: toIso(row.created_at),
    expiresAt: toIsoOrNull(row.expires_at),
    lastUsedAt: toIsoOrNull(row.last_used_at),
    revokedAt: toIsoOrNull(row.revoked_at),
    replacedBy: row.replaced_by,
    replacedAt: toIsoOrNull(row.replaced_at),
  }
}

/** A lowercased text column's value, written beside the text by the store (see migration 1). */
const lowerOrNull = (text: string | null | undefined) => (text === null || text === undefined ? null : nameKey(text))

/**
 * The columns `updateKey` can set, each from one field of the patch (the lowercased copies from the
 * same field): one fixed statement sets a column only when its flag says the patch names the field.
 */
const PATCH_COLUMNS: { field: keyof StoredKeyPatch; column: string; type: string; value?: (patch: StoredKeyPatch) => unknown }[] = [
  { field: 'name', column: 'name', type: 'text' },
  { field: 'name', column: 'name_lower', type: 'text', value: (patch) => lowerOrNull(patch.name) },
  { field: 'description', column: 'description', type: 'text' },
  { field: 'description', column: 'description_lower', type: 'text', value: (patch) => lowerOrNull(patch.description) },
  { field: 'revokedAt', column: 'revoked_at', type: 'timestamptz' },
  { field: 'lastUsedAt', column: 'last_used_at', type: 'timestamptz' },
  { field: 'expiresAt', column: 'expires_at', type: 'timestamptz' },
  { field: 'replacedBy', column: 'replaced_by', type: 'uuid' },
  { field: 'replacedAt', column: 'replaced_at', type: 'timestamptz' },
]
const UPDATE_KEY_SQL = `UPDATE ${KEYS_TABLE} SET
  ${PATCH_COLUMNS.map(({ column, type }, i) => `${column} = CASE WHEN $${2 * i + 2}::boolean THEN $${2 * i + 3}::${type} ELSE ${column} END`).join(',\n  ')}
  WHERE id = $1::uuid
  RETURNING ${KEY_COLUMNS}`

/** Collects parameters and hands out their placeholders, so values never become SQL text. */
function parameters() {
  const values: unknown[] = []
  return {
    values,
    add(value: unknown): string {
      values.push(value)
      return `$${values.length}`
    },
  }
}

/**
 * The SQL of each sort, from a fixed map (no caller text reaches the statement). Nulls become
 * ±infinity, exactly where `listing.ts` puts them, so the keyset comparison needs no null cases and
 * the expression indexes of the migration serve it.
 */
const SORT_SQL: Record<SortField, { key: string; value: (placeholder: string) => string }> = {
  createdAt: { key: 'created_at', value: (p) => `${p}::timestamptz` },
  name: { key: 'name_lower', value: (p) => `${p}::text COLLATE "C"` },
  expiresAt: {
    key: `coalesce(expires_at, 'infinity'::timestamptz)`,
    value: (p) => `coalesce(${p}::timestamptz, 'infinity'::timestamptz)`,
  },
  lastUsedAt: {
    key: `coalesce(last_used_at, '-infinity'::timestamptz)`,
    value: (p) => `coalesce(${p}::timestamptz, '-infinity'::timestamptz)`,
  },
}

/** `keyStatus()` in SQL: revoked wins over expired, and a key expires at `expires_at` exactly. */
const STATUS_SQL = (now: string) =>
  `CASE WHEN revoked_at IS NOT NULL THEN 'revoked' WHEN expires_at <= ${now} THEN 'expired' ELSE 'active' END`

/** The reads, over any executor: the pool outside transactions, the transaction's connection inside. */
function reader(sql: SqlExecutor) {
  async function getKey(owner: KeyOwner, id: string, forUpdate = false): Promise<StoredKey | null> {
    if (!isKeyId(id)) return null
    const lock = forUpdate ? ' FOR UPDATE' : ''
    const { rows } = await sql.query<KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM ${KEYS_TABLE} WHERE id = $1::uuid AND ${OWNER_COLUMN[owner.type]} = $2${lock}`,
      [id, owner.id],
    )
    return rows[0] ? toStoredKey(rows[0]) : null
  }

  async function findKeyByHash(hash: string): Promise<StoredKey | null> {
    const { rows } = await sql.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM ${KEYS_TABLE} WHERE hash = $1`, [hash])
    return rows[0] ? toStoredKey(rows[0]) : null
  }

  async function listKeys(query: ListKeysQuery): Promise<ListKeysResult> {
    const matching = (p: ReturnType<typeof parameters>) => {
      const conditions = [`${OWNER_COLUMN[query.owner.type]} = ${p.add(query.owner.id)}`]
      if (query.q) {
        // position(), not ILIKE, so % and _ in the search text match themselves; a null description matches nothing.
        const needle = p.add(nameKey(query.q))
        conditions.push(`(position(${needle}::text in name_lower) > 0 OR position(${needle}::text in description_lower) > 0)`)
      }
      return conditions
    }

    const counted = parameters()
    const facetRows = await sql.query<{ status: PersonalApiKeyStatus; count: number | string }>(
      `SELECT ${STATUS_SQL(`${counted.add(query.now)}::timestamptz`)} AS status, count(*) AS count
       FROM ${KEYS_TABLE} WHERE ${matching(counted).join(' AND ')} GROUP BY 1`,
      counted.values,
    )
    const facets: Record<PersonalApiKeyStatus, number> = { active: 0, expired: 0, revoked: 0 }
    for (const row of facetRows.rows) facets[row.status] = Number(row.count)

    const paged = parameters()
    const conditions = matching(paged)
    if (query.status) conditions.push(`${STATUS_SQL(`${paged.add(query.now)}::timestamptz`)} = ${paged.add(query.status)}`)
    const sort = SORT_SQL[sortField(query.sort)]
    const direction = isDescending(query.sort) ? 'DESC' : 'ASC'
    if (query.after) {
      const { value, id } = query.after
      if (!isKeyId(id)) throw new Error('patkit postgresStore: a listing position needs a key id')
      conditions.push(`(${sort.key}, id) ${direction === 'ASC' ? '>' : '<'} (${sort.value(paged.add(value))}, ${paged.add(id)}::uuid)`)
    }
    const { rows } = await sql.query<KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM ${KEYS_TABLE} WHERE ${conditions.join(' AND ')}
       ORDER BY ${sort.key} ${direction}, id ${direction} LIMIT ${paged.add(query.limit)}`,
      paged.values,
    )
    const totalCount = query.status ? facets[query.status] : facets.active + facets.expired + facets.revoked
    return { rows: rows.map(toStoredKey), totalCount, facets }
  }

  return { getKey, findKeyByHash, listKeys }
}

function toIdempotencyRecord(row: IdempotencyRow): IdempotencyRecord {
  return {
    owner: ownerOf(row),
    key: row.key,
    operation: row.operation,
    apiKeyId: row.api_key_id,
    createdAt: toIso(row.created_at),
    fingerprint: row.fingerprint,
  }
}

function toClaimedMessage(row: OutboxRow): ClaimedOutboxMessage {
  return {
    id: row.id,
    messageId: row.message_id,
    endpointUrl: row.endpoint_url,
    type: row.type,
    payload: row.payload,
    createdAt: toIso(row.created_at),
    attempts: Number(row.attempts),
    nextAttemptAt: toIso(row.next_attempt_at),
    leaseId: row.lease_id,
    leasedUntil: toIso(row.leased_until),
  }
}

function transactionOn(sql: SqlExecutor): StoreTransaction {
  const read = reader(sql)
  return {
    getKey: (owner, id) => read.getKey(owner, id),
    findKeyByHash: read.findKeyByHash,
    listKeys: read.listKeys,

    async lockOwner(owner) {
      // Seed 0 for users is the lock earlier versions took on a user id, so both serialize alike mid-deploy.
      await sql.query('SELECT pg_advisory_xact_lock(hashtextextended($1, $2::bigint))', [owner.id, owner.type === 'user' ? 0 : 1])
    },

    getKeyForUpdate: (owner, id) => read.getKey(owner, id, true),

    async insertKey(row) {
      await sql.query(
        `INSERT INTO ${KEYS_TABLE} (id, user_id, organization_id, created_by_user_id, created_by_name, name, name_lower,
           description, description_lower, start, hash, scopes, created_at, expires_at, last_used_at, revoked_at, replaced_by, replaced_at)
         VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::text[], $13::timestamptz, $14::timestamptz,
           $15::timestamptz, $16::timestamptz, $17::uuid, $18::timestamptz)`,
        [
          row.id,
          ...ownerColumns(row.owner),
          row.createdBy?.userId ?? null,
          row.createdBy?.name ?? null,
          row.name,
          nameKey(row.name),
          row.description,
          lowerOrNull(row.description),
          row.start,
          row.hash,
          [...row.scopes],
          row.createdAt,
          row.expiresAt,
          row.lastUsedAt,
          row.revokedAt,
          row.replacedBy,
          row.replacedAt,
        ],
      )
    },

    async updateKey(id: string, patch: StoredKeyPatch) {
      if (!isKeyId(id)) return null
      const values = PATCH_COLUMNS.flatMap(({ field, value }) => [patch[field] !== undefined, value ? value(patch) : (patch[field] ?? null)])
      const { rows } = await sql.query<KeyRow>(UPDATE_KEY_SQL, [id, ...values])
      return rows[0] ? toStoredKey(rows[0]) : null
    },

    async countLiveKeys(owner, now) {
      const { rows } = await sql.query<{ count: number | string }>(
        `SELECT count(*) AS count FROM ${KEYS_TABLE}
         WHERE ${OWNER_COLUMN[owner.type]} = $1 AND replaced_by IS NULL AND ${STATUS_SQL('$2::timestamptz')} = 'active'`,
        [owner.id, now],
      )
      return Number(rows[0]?.count ?? 0)
    },

    async findLiveKeyByName(owner, name, now) {
      const { rows } = await sql.query<KeyRow>(
        `SELECT ${KEY_COLUMNS} FROM ${KEYS_TABLE}
         WHERE ${OWNER_COLUMN[owner.type]} = $1 AND name = $2 AND replaced_by IS NULL AND ${STATUS_SQL('$3::timestamptz')} = 'active' LIMIT 1`,
        [owner.id, name, now],
      )
      return rows[0] ? toStoredKey(rows[0]) : null
    },

    async getIdempotencyRecord(owner, key) {
      const { rows } = await sql.query<IdempotencyRow>(
        `SELECT user_id, organization_id, key, operation, api_key_id, created_at, fingerprint FROM ${IDEMPOTENCY_TABLE}
         WHERE ${OWNER_COLUMN[owner.type]} = $1 AND key = $2`,
        [owner.id, key],
      )
      return rows[0] ? toIdempotencyRecord(rows[0]) : null
    },

    async putIdempotencyRecord(record) {
      await sql.query(
        `INSERT INTO ${IDEMPOTENCY_TABLE} (user_id, organization_id, key, operation, api_key_id, created_at, fingerprint)
         VALUES ($1, $2, $3, $4, $5::uuid, $6::timestamptz, $7)
         ON CONFLICT (${OWNER_COLUMN[record.owner.type]}, key) DO UPDATE
           SET operation = EXCLUDED.operation, api_key_id = EXCLUDED.api_key_id, created_at = EXCLUDED.created_at,
               fingerprint = EXCLUDED.fingerprint`,
        [...ownerColumns(record.owner), record.key, record.operation, record.apiKeyId, record.createdAt, record.fingerprint],
      )
    },

    async enqueueWebhooks(messages) {
      if (messages.length === 0) return
      // One statement for every endpoint's copy of the event.
      await sql.query(
        `INSERT INTO ${OUTBOX_TABLE} (id, message_id, endpoint_url, type, payload, created_at, attempts, next_attempt_at)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::int[], $8::timestamptz[])`,
        [
          messages.map((m) => m.id),
          messages.map((m) => m.messageId),
          messages.map((m) => m.endpointUrl),
          messages.map((m) => m.type),
          messages.map((m) => m.payload),
          messages.map((m) => m.createdAt),
          messages.map((m) => m.attempts),
          messages.map((m) => m.nextAttemptAt),
        ],
      )
    },
  }
}

/** The store's own statements outside key transactions: bookkeeping, limits, the outbox. */
function housekeeping(db: SqlDatabase): Pick<KeyStore, 'markKeyUsed' | 'hitRateLimit' | 'peekRateLimit' | 'claimWebhooks' | 'settleWebhook' | 'purgeExpired'> {
  return {
    async markKeyUsed(id, at, minIntervalMs) {
      if (!isKeyId(id)) return false
      // Concurrent requests with the same key write at most once per interval; a row another
      // transaction holds (a rename, a rotation) is skipped, not waited for.
      const { rows } = await db.query(
        `UPDATE ${KEYS_TABLE} SET last_used_at = $2::timestamptz
         WHERE id = (
           SELECT id FROM ${KEYS_TABLE}
           WHERE id = $1::uuid AND (last_used_at IS NULL OR last_used_at <= $2::timestamptz - ${MS('$3')})
           FOR UPDATE SKIP LOCKED)
         RETURNING id`,
        [id, at, minIntervalMs],
      )
      return rows.length > 0
    },

    async hitRateLimit(key, windowMs, now) {
      const { rows } = await db.query<{ window_start: unknown; count: number }>(
        `INSERT INTO ${RATE_LIMITS_TABLE} AS limits (key, window_start, count) VALUES ($1, $2::timestamptz, 1)
         ON CONFLICT (key) DO UPDATE SET
           window_start = CASE WHEN limits.window_start <= $2::timestamptz - ${MS('$3')} THEN $2::timestamptz ELSE limits.window_start END,
           count = CASE WHEN limits.window_start <= $2::timestamptz - ${MS('$3')} THEN 1 ELSE least(limits.count + 1, 2147483647) END
         RETURNING window_start, count`,
        [key, now, windowMs],
      )
      return { windowStart: toIso(rows[0]!.window_start), count: Number(rows[0]!.count) }
    },

    async peekRateLimit(key, windowMs, now) {
      const { rows } = await db.query<{ window_start: unknown; count: number }>(
        `SELECT window_start, count FROM ${RATE_LIMITS_TABLE} WHERE key = $1 AND window_start > $2::timestamptz - ${MS('$3')}`,
        [key, now, windowMs],
      )
      return rows[0] ? { windowStart: toIso(rows[0].window_start), count: Number(rows[0].count) } : null
    },

    async claimWebhooks({ now, limit, leaseMs }) {
      const { rows } = await db.query<OutboxRow>(
        `UPDATE ${OUTBOX_TABLE} SET lease_id = $1::uuid, leased_until = $2::timestamptz + ${MS('$3')}, attempts = attempts + 1
         WHERE id IN (
           SELECT id FROM ${OUTBOX_TABLE}
           WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2::timestamptz
             AND (leased_until IS NULL OR leased_until <= $2::timestamptz)
           ORDER BY next_attempt_at
           LIMIT $4
           FOR UPDATE SKIP LOCKED)
         RETURNING ${OUTBOX_COLUMNS}`,
        [crypto.randomUUID(), now, leaseMs, limit],
      )
      return rows.map(toClaimedMessage).sort((a, b) => (a.nextAttemptAt < b.nextAttemptAt ? -1 : a.nextAttemptAt > b.nextAttemptAt ? 1 : 0))
    },

    async settleWebhook(id, leaseId, outcome) {
      const { rows } = await db.query(
        `UPDATE ${OUTBOX_TABLE} SET
           lease_id = NULL, leased_until = NULL, last_status = $3, last_error = $4,
           delivered_at = CASE WHEN $5::boolean THEN $6::timestamptz END,
           failed_at = CASE WHEN NOT $5::boolean AND $7::timestamptz IS NULL THEN $6::timestamptz END,
           next_attempt_at = coalesce($7::timestamptz, next_attempt_at)
         WHERE id = $1::uuid AND lease_id = $2::uuid
         RETURNING id`,
        [
          id,
          leaseId,
          outcome.status ?? null,
          outcome.delivered ? null : (outcome.error ?? null),
          outcome.delivered,
          outcome.at,
          outcome.delivered ? null : outcome.retryAt,
        ],
      )
      return rows.length > 0
    },

    async purgeExpired(before) {
      await db.query(`DELETE FROM ${IDEMPOTENCY_TABLE} WHERE created_at < $1::timestamptz`, [before.idempotencyRecords])
      await db.query(`DELETE FROM ${RATE_LIMITS_TABLE} WHERE window_start < $1::timestamptz`, [before.rateLimits])
      await db.query(
        `DELETE FROM ${OUTBOX_TABLE} WHERE created_at < $1::timestamptz AND (delivered_at IS NOT NULL OR failed_at IS NOT NULL)`,
        [before.webhooks],
      )
    },
  }
}

/**
 * The key store on PostgreSQL, through a small driver adapter: `pgliteDatabase(pglite)` (embedded,
 * Node or browser) or `pgPoolDatabase(pool)` (a server, via `pg`). Runs the migrations first unless
 * told not to. Every statement is parameterized; sort columns come from a fixed map. `close()`
 * closes the database it was given.
 *
 * Beyond the memory store: an idempotency record must name an existing key (a foreign key).
 */
export async function postgresStore(db: SqlDatabase, options: PostgresStoreOptions = {}): Promise<KeyStore> {
  if (options.migrate !== false) await migrate(db, undefined, options.migrate === true || options.migrate === undefined ? {} : options.migrate)
  const outside = reader(db)
  const chores = housekeeping(db)
  let closed = false
  const refuseIfClosed = () => {
    if (closed) throw new Error('patkit postgresStore: the store is closed')
  }
  const whileOpen =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      refuseIfClosed()
      return fn(...args)
    }

  return {
    async transaction(fn) {
      refuseIfClosed()
      return db.transaction(async (sql) => {
        let open = true
        // A transaction object kept past its end would run statements on a connection the pool has lent to someone else.
        const guarded: SqlExecutor = {
          query: (text, params) => {
            if (!open) return Promise.reject(new Error('patkit postgresStore: transaction already finished'))
            return sql.query(text, params)
          },
        }
        try {
          return await fn(transactionOn(guarded))
        } finally {
          open = false
        }
      })
    },
    async getKey(owner, id) {
      refuseIfClosed()
      return outside.getKey(owner, id)
    },
    async findKeyByHash(hash) {
      refuseIfClosed()
      return outside.findKeyByHash(hash)
    },
    async listKeys(query) {
      refuseIfClosed()
      // The page and the counts from one snapshot, so totalCount and facets agree with the rows.
      return db.transaction(async (sql) => {
        await sql.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY')
        return reader(sql).listKeys(query)
      })
    },
    markKeyUsed: whileOpen(chores.markKeyUsed),
    hitRateLimit: whileOpen(chores.hitRateLimit),
    peekRateLimit: whileOpen(chores.peekRateLimit),
    claimWebhooks: whileOpen(chores.claimWebhooks),
    settleWebhook: whileOpen(chores.settleWebhook),
    purgeExpired: whileOpen(chores.purgeExpired),
    async close() {
      if (closed) return
      closed = true
      await db.close()
    },
  }
}
