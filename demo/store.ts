/**
 * Where the demo keeps its keys and its users: PostgreSQL when `DATABASE_URL` is set, else embedded
 * PGlite in a git-ignored folder (so keys and accounts survive a restart). With
 * `PATKIT_DEMO_STORE=memory` the keys live in memory and Better Auth in an in-memory PGlite.
 * Better Auth's tables sit beside patkit's in the same database.
 */
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { memoryStore, pgPoolDatabase, pgliteDatabase, postgresStore, type KeyStore } from 'patkit/server'
import { lockDataFolder } from './data-folder-lock.ts'
import { sharePGlite, type PostgresPool } from './shared-pglite.ts'

export interface DemoStore {
  store: KeyStore
  /** The same database for Better Auth (users, sessions, organizations, and its API keys). */
  authDatabase: PostgresPool
  /** For the start-up message. */
  description: string
  /** Closes the store and frees what it held (the data folder's lock). */
  close(): Promise<void>
}

const DEFAULT_DATA_DIR = fileURLToPath(new URL('../.data/demo', import.meta.url))

/** The URL without its password, fit for a log line. */
function redacted(connectionString: string): string {
  try {
    const url = new URL(connectionString)
    if (url.password) url.password = '***'
    return url.toString()
  } catch {
    return 'DATABASE_URL'
  }
}

export async function openDemoStore(env: NodeJS.ProcessEnv = process.env): Promise<DemoStore> {
  if (env.PATKIT_DEMO_STORE === 'memory') {
    const store = memoryStore()
    const { PGlite } = await import('@electric-sql/pglite')
    const { keyStore, pool } = sharePGlite(await PGlite.create())
    return {
      store,
      authDatabase: pool,
      description: 'memory (gone when the server stops)',
      async close() {
        await store.close()
        await keyStore.close()
      },
    }
  }
  if (env.DATABASE_URL) {
    // Imported only when asked for, so the default path does not need a PostgreSQL driver.
    const { default: pg } = await import('pg')
    const pool = new pg.Pool({ connectionString: env.DATABASE_URL })
    // Without a listener, a restart of the database server (57P01 on an idle connection) would end the process.
    const db = pgPoolDatabase(pool, { onConnectionError: (error) => console.error(`patkit demo: database connection lost (${error.message})`) })
    const store = await postgresStore(db)
    // Better Auth's own pool on the same database: patkit's sets per-transaction timeouts it does not expect.
    const authPool = new pg.Pool({ connectionString: env.DATABASE_URL })
    authPool.on('error', (error) => console.error(`patkit demo: database connection lost (${error.message})`))
    return {
      store,
      authDatabase: authPool,
      description: `PostgreSQL at ${redacted(env.DATABASE_URL)}`,
      async close() {
        await store.close()
        await authPool.end()
      },
    }
  }
  const dataDir = env.PATKIT_DATA_DIR ? resolve(env.PATKIT_DATA_DIR) : DEFAULT_DATA_DIR
  await mkdir(dataDir, { recursive: true })
  // Before PGlite opens the folder: a second server on it would lose the first one's keys.
  const unlock = await lockDataFolder(dataDir)
  try {
    const { PGlite } = await import('@electric-sql/pglite')
    const { keyStore, pool } = sharePGlite(await PGlite.create(dataDir))
    const store = await postgresStore(pgliteDatabase(keyStore))
    return {
      store,
      authDatabase: pool,
      description: `PGlite in ${dataDir}`,
      async close() {
        await store.close()
        await unlock()
      },
    }
  } catch (error) {
    await unlock()
    throw error
  }
}
