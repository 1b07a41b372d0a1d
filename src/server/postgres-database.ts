import { classifyDatabaseError, DatabaseUnavailableError } from './database-errors.ts'

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
  /**
   * Runs `fn` on one connection in autocommit mode (no BEGIN, no timeouts set), for work that must span
   * statements outside a transaction: migrations hold a session lock there and may run `CREATE INDEX
   * CONCURRENTLY`. Session settings `fn` changes must be reset by `fn` (the connection is pooled again).
   */
  session<T>(fn: (connection: SqlExecutor) => Promise<T>): Promise<T>
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
    // PGlite is one connection: the session is the database itself.
    session: (fn) => fn(executor(pglite)),
    close: () => pglite.close(),
  }
}

/** The part of a `pg` `PoolClient` this adapter uses. */
export interface PgClientLike {
  query(sql: string, params?: any[]): Promise<{ rows: any[] }>
  /** `release(error)` makes the pool discard the connection instead of reusing it. */
  release(error?: Error | boolean): void
  on(event: 'error', listener: (error: Error) => void): unknown
  removeListener(event: 'error', listener: (error: Error) => void): unknown
}

/** The part of a `pg` `Pool` this adapter uses. */
export interface PgPoolLike {
  connect(): Promise<PgClientLike>
  end(): Promise<void>
  on(event: 'error', listener: (error: Error) => void): unknown
}

/** Limits that keep one slow or stuck request from holding a connection, or the whole pool. */
export interface PgPoolDatabaseOptions {
  /** `statement_timeout` of each statement in patkit's transactions, in ms. Default 5,000. */
  statementTimeoutMs?: number
  /** `lock_timeout`: how long a statement waits for a row or advisory lock, in ms. Default 2,000. */
  lockTimeoutMs?: number
  /** `idle_in_transaction_session_timeout`: the server ends a transaction left idle this long, in ms. Default 10,000. */
  idleInTransactionTimeoutMs?: number
  /** How long to wait for a free connection from the pool before answering 503, in ms. Default 5,000. */
  acquireTimeoutMs?: number
  /**
   * Told about connection errors that arrive outside a query: an idle connection the server closed
   * (restart, failover, idle timeout) or one that broke while checked out. The pool replaces such
   * connections itself; without a listener Node would treat the event as an uncaught exception.
   */
  onConnectionError?: (error: Error) => void
}

export const DEFAULT_PG_TIMEOUTS = {
  statementTimeoutMs: 5_000,
  lockTimeoutMs: 2_000,
  idleInTransactionTimeoutMs: 10_000,
  acquireTimeoutMs: 5_000,
} as const

/** A connection that failed this way must not be lent again. */
function connectionLost(error: unknown): boolean {
  const fault = classifyDatabaseError(error)
  return fault?.kind === 'unavailable' && fault.connectionLost
}

function checkedTimeout(name: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 0)) throw new Error(`patkit pgPoolDatabase: ${name} must be a whole number of ms (0 = none)`)
  return value
}

/**
 * A real PostgreSQL server through a `pg` `Pool` (`new Pool({ connectionString })`).
 *
 * Every transaction starts with `SET LOCAL` of the statement, lock and idle-in-transaction timeouts,
 * so they hold on any connection, also through PgBouncer in transaction mode (session `SET`s would
 * leak to other clients there). Statements outside a transaction run in one too (two more round
 * trips), so no statement runs without a limit.
 * Each connection has an `error` listener while it is checked out, and the pool one for idle
 * connections, so a server restart (57P01) fails the requests in flight — with 503 — instead of
 * the process.
 */
export function pgPoolDatabase(pool: PgPoolLike, options: PgPoolDatabaseOptions = {}): SqlDatabase {
  const statementTimeoutMs = checkedTimeout('statementTimeoutMs', options.statementTimeoutMs ?? DEFAULT_PG_TIMEOUTS.statementTimeoutMs)
  const lockTimeoutMs = checkedTimeout('lockTimeoutMs', options.lockTimeoutMs ?? DEFAULT_PG_TIMEOUTS.lockTimeoutMs)
  const idleMs = checkedTimeout('idleInTransactionTimeoutMs', options.idleInTransactionTimeoutMs ?? DEFAULT_PG_TIMEOUTS.idleInTransactionTimeoutMs)
  const acquireTimeoutMs = checkedTimeout('acquireTimeoutMs', options.acquireTimeoutMs ?? DEFAULT_PG_TIMEOUTS.acquireTimeoutMs)
  const report = (error: Error) => {
    try {
      options.onConnectionError?.(error)
    } catch {
      // A failing reporter must not become the uncaught exception the listener exists to prevent.
    }
  }
  pool.on('error', report)
  // Numbers checked above, so the text is safe; one round trip together with BEGIN.
  const begin =
    `BEGIN; SET LOCAL statement_timeout = ${statementTimeoutMs}; SET LOCAL lock_timeout = ${lockTimeoutMs}; ` +
    `SET LOCAL idle_in_transaction_session_timeout = ${idleMs}`

  async function acquire(): Promise<PgClientLike> {
    const connecting = pool.connect()
    if (acquireTimeoutMs === 0) return connecting
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DatabaseUnavailableError(`patkit pgPoolDatabase: no connection within ${acquireTimeoutMs} ms`, { retryAfterSeconds: 1 })), acquireTimeoutMs)
    })
    try {
      return await Promise.race([connecting, timedOut])
    } catch (error) {
      // A connection that arrives after we gave up goes straight back.
      connecting.then((client) => client.release(), () => undefined)
      throw error
    } finally {
      clearTimeout(timer)
    }
  }

  /** A checked-out connection with an error listener for as long as `fn` has it; a broken one is discarded, not pooled. */
  async function withClient<T>(fn: (client: PgClientLike, connection: { broken?: Error }) => Promise<T>): Promise<T> {
    const client = await acquire()
    const connection: { broken?: Error } = {}
    const onError = (error: Error) => {
      connection.broken = error
      report(error)
    }
    client.on('error', onError)
    try {
      return await fn(client, connection)
    } catch (error) {
      if (connectionLost(error)) connection.broken ??= error as Error
      throw error
    } finally {
      client.removeListener('error', onError)
      client.release(connection.broken)
    }
  }

  const inTransaction = <T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> =>
    withClient(async (client, connection) => {
      try {
        await client.query(begin)
        const result = await fn({ query: async (sql, params = []) => client.query(sql, [...params]) })
        await client.query('COMMIT')
        return result
      } catch (error) {
        // Nothing to roll back on a connection that is gone: the server ended the transaction with it.
        if (!connection.broken && !connectionLost(error)) {
          try {
            await client.query('ROLLBACK')
          } catch (rollbackError) {
            // A connection that cannot even roll back must not go back into the pool.
            connection.broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError))
          }
        }
        throw error
      }
    })

  return {
    query: (sql, params = []) => inTransaction((tx) => tx.query(sql, params)),
    transaction: inTransaction,
    session: (fn) => withClient((client) => fn({ query: async (sql, params = []) => client.query(sql, [...params]) })),
    close: () => pool.end(),
  }
}
