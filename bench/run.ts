/**
 * `npm run bench`: every benchmark, printed, written to bench-results.json and bench/RESULTS.md.
 * Only the size budgets' CI ceilings set the exit code (as test/size checks them in CI); timings are reported.
 * `npm run bench -- size list` runs only the parts named (and replaces only their sections of RESULTS.md).
 */
import { cpus, loadavg } from 'node:os'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './common.ts'
import { formatSize, runSize, type SizeResults } from './size.ts'
import { formatList, runList } from './list.ts'
import { formatRequests, runRequests } from './requests.ts'
import { formatServer, runServer } from './server.ts'

const PARTS = {
  size: { title: 'Bundle size', run: () => runSize(), format: formatSize },
  list: { title: 'TokenList at scale (Chromium)', run: runList, format: formatList },
  requests: { title: 'Requests (Chromium, reference server in the page)', run: runRequests, format: formatRequests },
  server: { title: 'Reference server (100,000 keys)', run: runServer, format: formatServer },
} as const
type Part = keyof typeof PARTS

const asked = process.argv.slice(2).filter((arg): arg is Part => arg in PARTS)
const parts = asked.length > 0 ? asked : (Object.keys(PARTS) as Part[])

const machine = {
  node: process.version,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  loadAverageAtStart: loadavg().map((n) => n.toFixed(1)).join(' '),
  date: new Date().toISOString(),
}
const results: Record<string, unknown> = { machine }
const sections: string[] = []
let budgetsOk = true

for (const part of parts) {
  const { title, run, format } = PARTS[part] as { title: string; run: () => Promise<unknown>; format: (r: never) => string }
  console.log(`\n## ${title}\n`)
  const started = performance.now()
  try {
    const result = await run()
    const text = format(result as never)
    console.log(text)
    results[part] = result
    sections.push(`## ${title}\n\n${text}\n`)
    if (part === 'size') budgetsOk = (result as SizeResults).budgets.ok
  } catch (error) {
    const message = (error as Error).stack ?? String(error)
    console.error(`${part} failed: ${message}`)
    results[part] = { error: message }
    sections.push(`## ${title}\n\nFailed: ${(error as Error).message}\n`)
  }
  console.log(`\n(${part}: ${((performance.now() - started) / 1000).toFixed(1)} s)`)
}

writeFileSync(join(ROOT, 'bench-results.json'), `${JSON.stringify(results, null, 2)}\n`)
const resultsPath = join(ROOT, 'bench/RESULTS.md')
const header = [
  '# patkit benchmark results',
  '',
  'Written by `npm run bench` (bench/run.ts); the methods are described at the top of each bench/*.ts file.',
  `Machine: Node ${machine.node}, ${machine.cpus}, load average ${machine.loadAverageAtStart} at the start, ${machine.date}.`,
  'Timings on a shared machine vary from run to run; sizes do not.',
  '',
].join('\n')
if (asked.length === 0) writeFileSync(resultsPath, `${header}\n${sections.join('\n')}`)
else if (existsSync(resultsPath)) {
  // A partial run (`npm run bench -- size`) replaces only its own sections.
  let text = readFileSync(resultsPath, 'utf8')
  for (const section of sections) {
    const heading = section.slice(0, section.indexOf('\n'))
    const start = text.indexOf(`${heading}\n`)
    if (start < 0) continue
    const end = text.indexOf('\n## ', start + heading.length)
    text = text.slice(0, start) + section + (end < 0 ? '' : `\n${text.slice(end + 1)}`)
  }
  writeFileSync(resultsPath, text)
}
console.log('\nWrote bench-results.json and bench/RESULTS.md.')
if (!budgetsOk) {
  console.error('Size ceilings exceeded.')
  process.exitCode = 1
}
