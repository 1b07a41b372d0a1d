/**
 * Where the keys live: PostgreSQL embedded in the app (PGlite), in a folder next to it. A real
 * deployment passes `postgresStore(pgPoolDatabase(pool))` for a PostgreSQL server instead.
 */
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { pgliteDatabase, postgresStore, type KeyStore } from 'patkit/server'

export async function openStore(): Promise<KeyStore> {
  const dataDir = resolve(process.env.PATKIT_DATA_DIR ?? '.data/patkit')
  await mkdir(dataDir, { recursive: true })
  // Imported when the first request comes, not at build time.
  const { PGlite } = await import('@electric-sql/pglite')
  return postgresStore(pgliteDatabase(await PGlite.create(dataDir)))
}
