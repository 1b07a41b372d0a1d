/**
 * Where the demo keeps its keys: PostgreSQL when `DATABASE_URL` is set, else embedded PGlite in a
 * git-ignored folder (so keys survive a restart), or memory with `PATKIT_DEMO_STORE=memory`.
 */
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { memoryStore, pgPoolDatabase, pgliteDatabase, postgresStore, type KeyStore } from 'patkit/server'

export interface DemoStore {
  store: KeyStore
  /** For the start-up message. */
  description: string
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
    return { store: memoryStore(), description: 'memory (gone when the server stops)' }
  }
  if (env.DATABASE_URL) {
    // Imported only when asked for, so the default path does not need a PostgreSQL driver.
    const { default: pg } = await import('pg')
    const pool = new pg.Pool({ connectionString: env.DATABASE_URL })
    return { store: await postgresStore(pgPoolDatabase(pool)), description: `PostgreSQL at ${redacted(env.DATABASE_URL)}` }
  }
  const dataDir = env.PATKIT_DATA_DIR ? resolve(env.PATKIT_DATA_DIR) : DEFAULT_DATA_DIR
  await mkdir(dataDir, { recursive: true })
  const { PGlite } = await import('@electric-sql/pglite')
  const pglite = await PGlite.create(dataDir)
  return { store: await postgresStore(pgliteDatabase(pglite)), description: `PGlite in ${dataDir}` }
}
