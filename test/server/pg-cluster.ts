import { execFile } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { chown, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'

const run = promisify(execFile)

/**
 * A real PostgreSQL server for tests: `PATKIT_TEST_DATABASE_URL` when set, else a throwaway cluster
 * from the PostgreSQL binaries on this machine (`/usr/lib/postgresql/<version>/bin`), else none.
 */
export type RealPostgres = { kind: 'url'; url: string } | { kind: 'binaries'; bin: string } | { kind: 'none' }

export function findRealPostgres(): RealPostgres {
  const url = process.env.PATKIT_TEST_DATABASE_URL
  if (url) return { kind: 'url', url }
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((version) => existsSync(join(root, version, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  return versions[0] ? { kind: 'binaries', bin: join(root, versions[0], 'bin') } : { kind: 'none' }
}

export interface Cluster {
  url: string
  /** `pg_ctl restart -m fast`: every connection is cut (57P01), and the server is back when this resolves. */
  restart(): Promise<void>
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/**
 * initdb + pg_ctl start in a temporary directory, listening on 127.0.0.1 only, with a socket in that
 * directory. Postgres refuses to run as root, so as root it runs as the `postgres` OS user. `stop()`
 * stops it and deletes the directory. fsync is off: the data is thrown away anyway.
 */
export async function startThrowawayCluster(bin: string): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), 'patkit-pg-'))
  const data = join(dir, 'data')
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres'])
    const { stdout: gid } = await run('id', ['-g', 'postgres'])
    await chown(dir, Number(stdout.trim()), Number(gid.trim()))
  }
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args)

  await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'])
  const port = await freePort()
  const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off`
  await pg('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', serverOptions, '-w', '-t', '30', 'start'])
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart() {
      // -l again: without it the new postmaster would inherit pg_ctl's output pipes, and execFile would wait on them forever.
      await pg('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-m', 'fast', '-w', '-t', '60', 'restart'])
    },
    async stop() {
      try {
        await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    },
  }
}

/**
 * A `pg` pool on a schema of its own on the real PostgreSQL this machine has (`findRealPostgres`):
 * a throwaway cluster it starts, or `PATKIT_TEST_DATABASE_URL`, whose other tables the schema keeps
 * apart. `close()` drops the schema, ends the pool and stops the cluster.
 */
export async function openRealPostgresSchema(prefix: string, max = 8): Promise<{ pool: pg.Pool; close(): Promise<void> }> {
  const real = findRealPostgres()
  if (real.kind === 'none') throw new Error('No PostgreSQL: install the server binaries or set PATKIT_TEST_DATABASE_URL')
  const cluster = real.kind === 'binaries' ? await startThrowawayCluster(real.bin) : undefined
  const url = real.kind === 'url' ? real.url : cluster!.url
  const schema = `${prefix}_${crypto.randomUUID().replace(/-/g, '')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`CREATE SCHEMA ${schema}`)
  await admin.end()
  const pool = new pg.Pool({ connectionString: url, max, options: `-c search_path=${schema}` })
  return {
    pool,
    async close() {
      try {
        await pool.query(`DROP SCHEMA ${schema} CASCADE`)
        await pool.end()
      } finally {
        await cluster?.stop()
      }
    },
  }
}
