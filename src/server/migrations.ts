import type { SqlDatabase } from './postgres-database.ts'

/**
 * The schema of the Postgres store, as numbered migrations. Append new ones; never edit an applied
 * one. Each is a list of single statements because PGlite's parameterized `query` runs one at a time.
 */
export interface Migration {
  version: number
  name: string
  statements: string[]
}

export const KEYS_TABLE = 'patkit_personal_access_tokens'
export const IDEMPOTENCY_TABLE = 'patkit_idempotency_records'
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
]

// Two-int advisory locks live apart from the one-bigint locks lockUser takes, so they cannot collide.
const LOCK_CLASS = 0x70617400 // "pat\0"
const LOCK_MIGRATIONS = 1

/**
 * Applies the migrations this database lacks, in one transaction under an advisory lock: safe to run
 * twice, and from several processes starting at once (the second waits, then finds nothing to do).
 * Returns the versions it applied.
 */
export async function migrate(db: SqlDatabase, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [LOCK_CLASS, LOCK_MIGRATIONS])
    await tx.query(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`)
    const { rows } = await tx.query<{ version: number }>(`SELECT version FROM ${MIGRATIONS_TABLE}`)
    const applied = new Set(rows.map((row) => Number(row.version)))
    const done: number[] = []
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue
      for (const statement of migration.statements) await tx.query(statement)
      await tx.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, name) VALUES ($1, $2)`, [migration.version, migration.name])
      done.push(migration.version)
    }
    return done
  })
}
