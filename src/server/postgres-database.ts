/**
 * The few things the Postgres store needs from a driver: parameterized queries, a transaction on
 * one connection, and closing. The factories take an already constructed driver object and are
 * typed structurally, so patkit never imports `pg` or PGlite: `patkit/server` stays bundleable for
 * browsers (where the memory store and PGlite run) and the driver remains the application's choice.
 */

export interface SqlResult<Row> {
  rows: Row[]
}

export interface SqlExecutor {
  /** Runs one statement; values travel as parameters (`$1`, `$2`…), never inside `sql`. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<SqlResult<Row>>
}

export interface SqlDatabase extends SqlExecutor {
  /** Runs `fn` between BEGIN and COMMIT on one connection; ROLLBACK and rethrow if it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** The part of `@electric-sql/pglite`'s `PGlite` this adapter uses. */
export interface PGliteLike {
  query<Row>(sql: string, params?: any[]): Promise<{ rows: Row[] }>
  transaction<T>(fn: (tx: { query<Row>(sql: string, params?: any[]): Promise<{ rows: Row[] }> }) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/**
 * PGlite, embedded Postgres (Node or browser). PGlite runs one transaction at a time and makes
 * plain queries wait for an open transaction, so reads never see uncommitted writes.
 */
export function pgliteDatabase(pglite: PGliteLike): SqlDatabase {
  const executor = (target: Pick<PGliteLike, 'query'>): SqlExecutor => ({
    query: <Row>(sql: string, params: readonly unknown[] = []) => target.query<Row>(sql, [...params]),
  })
  return {
    ...executor(pglite),
    transaction: (fn) => pglite.transaction((tx) => fn(executor(tx))),
    close: () => pglite.close(),
  }
}

/** The part of a `pg` `PoolClient` this adapter uses. */
export interface PgClientLike {
  query(sql: string, params?: any[]): Promise<{ rows: any[] }>
  /** `release(error)` makes the pool discard the connection instead of reusing it. */
  release(error?: Error | boolean): void
}

/** The part of a `pg` `Pool` this adapter uses. */
export interface PgPoolLike {
  query(sql: string, params?: any[]): Promise<{ rows: any[] }>
  connect(): Promise<PgClientLike>
  end(): Promise<void>
}

/** A real PostgreSQL server through a `pg` `Pool` (`new Pool({ connectionString })`). */
export function pgPoolDatabase(pool: PgPoolLike): SqlDatabase {
  return {
    query: async (sql, params = []) => pool.query(sql, [...params]),
    async transaction(fn) {
      const client = await pool.connect()
      let broken: Error | undefined
      try {
        await client.query('BEGIN')
        const result = await fn({ query: async (sql, params = []) => client.query(sql, [...params]) })
        await client.query('COMMIT')
        return result
      } catch (error) {
        try {
          await client.query('ROLLBACK')
        } catch (rollbackError) {
          // A connection that cannot even roll back must not go back into the pool.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError))
        }
        throw error
      } finally {
        client.release(broken)
      }
    },
    close: () => pool.end(),
  }
}
