/**
 * Runs a command against a throwaway PostgreSQL cluster (the one the store contract suite starts):
 *
 *   npx tsx scripts/pg-test-cluster.ts npx tsx scripts/load.ts
 *
 * The command gets DATABASE_URL and PATKIT_TEST_DATABASE_URL; the cluster is stopped and deleted afterwards.
 */
import { spawn } from 'node:child_process'
import { findRealPostgres, startThrowawayCluster } from '../test/server/pg-cluster.ts'

const [command, ...args] = process.argv.slice(2)
if (!command) {
  console.error('usage: npx tsx scripts/pg-test-cluster.ts <command> [args…]')
  process.exit(2)
}
const found = findRealPostgres()
if (found.kind !== 'binaries') {
  console.error('no PostgreSQL binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)')
  process.exit(2)
}
const cluster = await startThrowawayCluster(found.bin)
console.error(`pg-test-cluster: ${cluster.url}`)
const child = spawn(command, args, {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: cluster.url, PATKIT_TEST_DATABASE_URL: cluster.url },
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
const code = await new Promise<number>((resolve) => child.on('exit', (exitCode) => resolve(exitCode ?? 1)))
await cluster.stop()
process.exit(code)
