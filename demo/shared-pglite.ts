/**
 * One embedded PGlite database for both of the demo's users of it: patkit's key store
 * (`pgliteDatabase`) and Better Auth (whose Kysely adapter wants a `pg`-style pool).
 *
 * PGlite is a single connection. Its own lock makes a plain query wait for an open transaction, but
 * Kysely opens transactions with a plain `BEGIN` on a pool connection, which PGlite does not see as
 * one: a key-store query arriving meanwhile would land inside Better Auth's transaction. So both
 * sides take turns on one queue: a pool connection is held from `connect()` to `release()`, a
 * key-store query or transaction for its own duration.
 */
import type { PGliteLike } from 'patkit/server'

interface PGliteInstance extends PGliteLike {
  query<Row>(sql: string, params?: unknown[]): Promise<{ rows: Row[]; affectedRows?: number }>
}

/** What Kysely's PostgresDialect needs of a pool (a `pg.Pool` is one too). */
export interface PostgresPool {
  connect(): Promise<{ query(sql: string, params?: readonly unknown[]): Promise<unknown>; release(): void }>
  end(): Promise<void>
}

export interface SharedPGlite {
  /** For `pgliteDatabase()`: every query and transaction waits for its turn. */
  keyStore: PGliteLike
  /** For Better Auth: one connection at a time, held until released. */
  pool: PostgresPool
}

export function sharePGlite(pglite: PGliteInstance): SharedPGlite {
  let queue: Promise<void> = Promise.resolve()

  /** Resolves when it is the caller's turn, with the function that ends it. */
  async function takeTurn(): Promise<() => void> {
    let end!: () => void
    const turn = new Promise<void>((resolve) => (end = resolve))
    const previous = queue
    queue = previous.then(() => turn)
    await previous
    return end
  }

  async function inTurn<T>(run: () => Promise<T>): Promise<T> {
    const end = await takeTurn()
    try {
      return await run()
    } finally {
      end()
    }
  }

  return {
    keyStore: {
      query: (sql, params) => inTurn(() => pglite.query(sql, params)),
      transaction: (fn) => inTurn(() => pglite.transaction(fn)),
      close: async () => {
        await queue
        await pglite.close()
      },
    },
    pool: {
      async connect() {
        const release = await takeTurn()
        return {
          async query(sql: string, params: readonly unknown[] = []) {
            const result = await pglite.query(sql, [...params])
            // Kysely reads the number of changed rows from these, as `pg` reports them.
            const command = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? ''
            return { ...result, command, rowCount: result.affectedRows ?? result.rows.length }
          },
          release,
        }
      },
      // The PGlite itself is closed with the key store.
      end: async () => void (await queue),
    },
  }
}
