import type { SqlDatabase, SqlExecutor } from './postgres-database.ts'

/**
 * The schema of the Postgres store, as numbered migrations. Append new ones; never edit an applied
 * one. Each is a list of single statements because PGlite's parameterized `query` runs one at a time.
 */
export interface Migration {
  version: number
  name: string
  statements: string[]
  /**
   * `false` runs each statement on its own, outside a transaction, for what PostgreSQL refuses inside
   * one (`CREATE INDEX CONCURRENTLY`, which builds an index without blocking writes). Such statements
   * must be safe to run again (`IF NOT EXISTS`): a crash can leave a migration half-applied. Note that
   * a failed concurrent build leaves an INVALID index that `IF NOT EXISTS` then skips; drop it by hand.
   */
  transactional?: boolean
}

export const KEYS_TABLE = 'patkit_personal_access_tokens'
export const IDEMPOTENCY_TABLE = 'patkit_idempotency_records'
export const RATE_LIMITS_TABLE = 'patkit_rate_limits'
export const OUTBOX_TABLE = 'patkit_webhook_outbox'
const MIGRATIONS_TABLE = 'patkit_migrations'

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'personal access tokens and idempotency records',
    statements: [
      `CREATE TABLE ${KEYS_TABLE} (
        id uuid PRIMARY KEY,
        user_id text COLLATE "C" NOT NULL,
        name text NOT NULL,
        -- JavaScript's toLowerCase() of name, written by the store: Postgres lower() depends on the
        -- locale and differs for some letters, and the sort and search must match the memory store.
        -- Collation "C" orders by code point, like the cursor comparison.
        name_lower text COLLATE "C" NOT NULL,
        start text NOT NULL,
        hash text COLLATE "C" NOT NULL,
        scopes text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL,
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz
      )`,
      `CREATE UNIQUE INDEX ${KEYS_TABLE}_hash ON ${KEYS_TABLE} (hash)`,
      // One index per sort, matching the ORDER BY of the keyset pages (scanned backwards for descending sorts).
      `CREATE INDEX ${KEYS_TABLE}_by_created ON ${KEYS_TABLE} (user_id, created_at, id)`,
      `CREATE INDEX ${KEYS_TABLE}_by_name ON ${KEYS_TABLE} (user_id, name_lower, id)`,
      `CREATE INDEX ${KEYS_TABLE}_by_expires ON ${KEYS_TABLE} (user_id, coalesce(expires_at, 'infinity'::timestamptz), id)`,
      `CREATE INDEX ${KEYS_TABLE}_by_last_used ON ${KEYS_TABLE} (user_id, coalesce(last_used_at, '-infinity'::timestamptz), id)`,
      `CREATE TABLE ${IDEMPOTENCY_TABLE} (
        user_id text COLLATE "C" NOT NULL,
        key text COLLATE "C" NOT NULL,
        operation text NOT NULL,
        api_key_id uuid NOT NULL REFERENCES ${KEYS_TABLE} (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, key)
      )`,
      `CREATE INDEX ${IDEMPOTENCY_TABLE}_by_created ON ${IDEMPOTENCY_TABLE} (created_at)`,
    ],
  },
  {
    version: 2,
    name: 'request fingerprints, shared rate limits, webhook outbox, NFC names',
    statements: [
      // Null for records written before fingerprints existed: they match any request, as they did.
      `ALTER TABLE ${IDEMPOTENCY_TABLE} ADD COLUMN fingerprint text`,
      `CREATE TABLE ${RATE_LIMITS_TABLE} (
        key text COLLATE "C" PRIMARY KEY,
        window_start timestamptz NOT NULL,
        count integer NOT NULL
      )`,
      `CREATE INDEX ${RATE_LIMITS_TABLE}_by_window ON ${RATE_LIMITS_TABLE} (window_start)`,
      `CREATE TABLE ${OUTBOX_TABLE} (
        id uuid PRIMARY KEY,
        -- The webhook-id: one per event, the same on every attempt and every endpoint.
        message_id text NOT NULL,
        endpoint_url text NOT NULL,
        type text NOT NULL,
        payload text NOT NULL,
        created_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        -- Who is delivering it, until when: a worker that died is replaced once its lease runs out.
        lease_id uuid,
        leased_until timestamptz,
        delivered_at timestamptz,
        failed_at timestamptz,
        last_status integer,
        last_error text
      )`,
      `CREATE INDEX ${OUTBOX_TABLE}_due ON ${OUTBOX_TABLE} (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL`,
      `CREATE INDEX ${OUTBOX_TABLE}_by_created ON ${OUTBOX_TABLE} (created_at)`,
      // Names are compared in NFC from now on; bring older ones to that form.
      `UPDATE ${KEYS_TABLE} SET name = normalize(name, NFC), name_lower = normalize(name_lower, NFC)
       WHERE name IS NOT NFC NORMALIZED OR name_lower IS NOT NFC NORMALIZED`,
    ],
  },
  {
    version: 3,
    name: 'index for the name-taken check, built without blocking writes',
    transactional: false,
    statements: [`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${KEYS_TABLE}_by_user_name ON ${KEYS_TABLE} (user_id, name)`],
  },
  {
    version: 4,
    name: 'organization-owned keys, creators, descriptions, rotation grace periods',
    // Every change here is one instances of the previous version keep working with during a rolling
    // deploy: columns are added (no table rewrite), none renamed. A key's owner is an exclusive arc:
    // `user_id` for a user's key, as before, or `organization_id` for an organization's, never both,
    // so an old instance's `WHERE user_id = $1` never sees an organization's key, and an app can point
    // a foreign key from each column at its own users and organizations tables.
    statements: [
      `ALTER TABLE ${KEYS_TABLE} ALTER COLUMN user_id DROP NOT NULL`,
      `ALTER TABLE ${KEYS_TABLE} ADD COLUMN organization_id text COLLATE "C"`,
      // NOT VALID: checked for new rows at once, for existing ones (all personal) by migration 5 without blocking writes.
      `ALTER TABLE ${KEYS_TABLE} ADD CONSTRAINT ${KEYS_TABLE}_one_owner CHECK ((user_id IS NULL) <> (organization_id IS NULL)) NOT VALID`,
      `ALTER TABLE ${KEYS_TABLE} ADD COLUMN created_by_user_id text COLLATE "C"`,
      `ALTER TABLE ${KEYS_TABLE} ADD COLUMN created_by_name text`,
      `ALTER TABLE ${KEYS_TABLE} ADD COLUMN description text`,
      // JavaScript's toLowerCase() of description, for search, like name_lower.
      `ALTER TABLE ${KEYS_TABLE} ADD COLUMN description_lower text COLLATE "C"`,
      `ALTER TABLE ${KEYS_TABLE} ADD COLUMN replaced_by uuid`,
      `ALTER TABLE ${KEYS_TABLE} ADD COLUMN replaced_at timestamptz`,
      // Until now only its owner could create a personal key.
      `UPDATE ${KEYS_TABLE} SET created_by_user_id = user_id WHERE created_by_user_id IS NULL`,
      // Idempotency records follow the same arc; the primary key becomes two unique indexes (a
      // primary key cannot hold nulls), the first of which still serves old instances' ON CONFLICT (user_id, key).
      `CREATE UNIQUE INDEX ${IDEMPOTENCY_TABLE}_by_user_key ON ${IDEMPOTENCY_TABLE} (user_id, key)`,
      `ALTER TABLE ${IDEMPOTENCY_TABLE} DROP CONSTRAINT ${IDEMPOTENCY_TABLE}_pkey`,
      `ALTER TABLE ${IDEMPOTENCY_TABLE} ALTER COLUMN user_id DROP NOT NULL`,
      `ALTER TABLE ${IDEMPOTENCY_TABLE} ADD COLUMN organization_id text COLLATE "C"`,
      `CREATE UNIQUE INDEX ${IDEMPOTENCY_TABLE}_by_organization_key ON ${IDEMPOTENCY_TABLE} (organization_id, key)`,
      `ALTER TABLE ${IDEMPOTENCY_TABLE} ADD CONSTRAINT ${IDEMPOTENCY_TABLE}_one_owner CHECK ((user_id IS NULL) <> (organization_id IS NULL)) NOT VALID`,
    ],
  },
  {
    version: 5,
    name: 'indexes per organization, built without blocking writes; owner checks validated',
    transactional: false,
    statements: [
      // The personal indexes of migration 1 and 3, per organization; partial, as user keys have no organization.
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${KEYS_TABLE}_org_by_created ON ${KEYS_TABLE} (organization_id, created_at, id) WHERE organization_id IS NOT NULL`,
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${KEYS_TABLE}_org_by_name ON ${KEYS_TABLE} (organization_id, name_lower, id) WHERE organization_id IS NOT NULL`,
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${KEYS_TABLE}_org_by_expires ON ${KEYS_TABLE} (organization_id, coalesce(expires_at, 'infinity'::timestamptz), id) WHERE organization_id IS NOT NULL`,
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${KEYS_TABLE}_org_by_last_used ON ${KEYS_TABLE} (organization_id, coalesce(last_used_at, '-infinity'::timestamptz), id) WHERE organization_id IS NOT NULL`,
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${KEYS_TABLE}_by_organization_name ON ${KEYS_TABLE} (organization_id, name) WHERE organization_id IS NOT NULL`,
      // Scans the table under a lock that lets reads and writes go on; validating twice is a no-op.
      `ALTER TABLE ${KEYS_TABLE} VALIDATE CONSTRAINT ${KEYS_TABLE}_one_owner`,
      `ALTER TABLE ${IDEMPOTENCY_TABLE} VALIDATE CONSTRAINT ${IDEMPOTENCY_TABLE}_one_owner`,
    ],
  },
]

// Two-int advisory locks live apart from the one-bigint locks lockUser takes, so they cannot collide.
const LOCK_CLASS = 0x70617400 // "pat\0"
const LOCK_MIGRATIONS = 1

export interface MigrateOptions {
  /**
   * `lock_timeout` of each migration statement, in ms (default 5,000). A schema change waits for the
   * locks of running queries, and every query arriving meanwhile queues behind it: better to fail the
   * deploy and retry than to stall the service.
   */
  lockTimeoutMs?: number
}

/**
 * Takes the migration lock for this session. It polls `pg_try_advisory_lock` instead of waiting in
 * `pg_advisory_lock`: a statement blocked on the lock keeps a snapshot open, and `CREATE INDEX
 * CONCURRENTLY` in the process holding the lock waits for every such snapshot to end — a deadlock
 * between two instances starting at once. Each poll is a statement that ends at once.
 */
async function lockMigrations(connection: SqlExecutor): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const { rows } = await connection.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::int, $2::int) AS locked', [LOCK_CLASS, LOCK_MIGRATIONS])
    if (rows[0]?.locked) return
    // Another process is migrating: a deploy's worth of patience, checked often at first.
    await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 25 * 2 ** attempt)))
  }
}

/**
 * Applies the migrations this database lacks, in order, on one connection holding the migration lock:
 * safe to run twice, and from several processes starting at once (the others wait, then find nothing
 * to do). A transactional migration runs in its own transaction; one marked `transactional: false`
 * runs its statements one by one outside a transaction (for `CREATE INDEX CONCURRENTLY`), then is
 * recorded. Returns the versions it applied.
 */
export async function migrate(db: SqlDatabase, migrations: readonly Migration[] = MIGRATIONS, options: MigrateOptions = {}): Promise<number[]> {
  const lockTimeoutMs = options.lockTimeoutMs ?? 5_000
  if (!(Number.isInteger(lockTimeoutMs) && lockTimeoutMs >= 0)) throw new Error('patkit migrate: lockTimeoutMs must be a whole number of ms')

  return db.session(async (connection) => {
    await lockMigrations(connection)
    try {
      // Index builds may take long; waiting for the locks of running queries may not (see lockTimeoutMs).
      await connection.query("SELECT set_config('lock_timeout', $1, false), set_config('statement_timeout', '0', false)", [String(lockTimeoutMs)])
      await connection.query(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`)
      const { rows } = await connection.query<{ version: number }>(`SELECT version FROM ${MIGRATIONS_TABLE}`)
      const applied = new Set(rows.map((row) => Number(row.version)))
      const record = (migration: Migration) =>
        connection.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, name) VALUES ($1, $2)`, [migration.version, migration.name])

      const done: number[] = []
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        if (applied.has(migration.version)) continue
        if (migration.transactional === false) {
          for (const statement of migration.statements) await connection.query(statement)
          await record(migration)
        } else {
          await connection.query('BEGIN')
          try {
            for (const statement of migration.statements) await connection.query(statement)
            await record(migration)
            await connection.query('COMMIT')
          } catch (error) {
            await connection.query('ROLLBACK').catch(() => undefined)
            throw error
          }
        }
        done.push(migration.version)
      }
      return done
    } finally {
      // The connection goes back to the pool: leave it as it came (a lost connection is discarded anyway).
      await connection.query('SELECT pg_advisory_unlock($1::int, $2::int)', [LOCK_CLASS, LOCK_MIGRATIONS]).catch(() => undefined)
      await connection.query('RESET lock_timeout').catch(() => undefined)
      await connection.query('RESET statement_timeout').catch(() => undefined)
    }
  })
}
