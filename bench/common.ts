/** What the benchmarks and the package tests share: where things are, what patkit exports, how to print. */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { REQUIRED_PEERS } from '../config/peer-imports.ts'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))

interface PackageJson {
  version: string
  peerDependencies: Record<string, string>
  devDependencies: Record<string, string>
  dependencies?: Record<string, string>
}
export const PKG = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as PackageJson

/** The peers a user installs next to patkit; the optional ones (vitest, better-auth) serve one entry each and stay out. */
export const PEERS = REQUIRED_PEERS

/**
 * The component families `src/index.ts` exports — a family being a file `src/components/Name.tsx`
 * (one file per family, named after it) whose `Name` the entry exports, however it re-exports it; a
 * file named after a family plus a part (`TokenListTable.tsx`) holds more of that family, not a new
 * one. Read from esbuild's list of the entry's exports, so every check picks up a component the day it
 * is exported and never lists one that is not.
 */
export async function exportedComponents(): Promise<string[]> {
  const result = await build({
    entryPoints: [join(ROOT, 'src/index.ts')],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    outdir: join(ROOT, 'node_modules/.cache/patkit-exports'),
    packages: 'external',
    logLevel: 'silent',
  })
  const exported = new Set(Object.values(result.metafile.outputs).flatMap((output) => output.exports))
  const names = readdirSync(join(ROOT, 'src/components'))
    .filter((file) => /^[A-Z]\w*\.tsx$/.test(file))
    .map((file) => file.slice(0, -'.tsx'.length))
    .filter((name) => exported.has(name))
  return familiesOf(names).sort()
}

/** Leaves out a name that is a family's name plus a part (`TokenListTable` beside `TokenList`). */
export const familiesOf = (names: string[]) => names.filter((name) => !names.some((family) => family !== name && name.startsWith(family)))

/** gzip at level 9, as the size budgets are stated. */
export const gzipSize = (data: string | Uint8Array) => gzipSync(data, { level: 9 }).length

export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`
export const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`

/** A plain Markdown table, readable in a terminal and pasteable into RESULTS.md. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))]
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)))
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`
  return [line(cells[0]!), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.slice(1).map(line)].join('\n')
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

/** True when a bench file is run directly (`tsx bench/size.ts`) rather than imported by bench/run.ts. */
export const isMain = (url: string) => process.argv[1] !== undefined && fileURLToPath(url) === process.argv[1]
