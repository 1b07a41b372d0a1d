/**
 * TokenList at scale in headless Chromium: 1,000 / 10,000 / 100,000 keys, beside the same TokenList on
 * its former react-aria Table (bench/baseline/RacTokenListTable.tsx: the comparison row), a plain (not
 * virtualized) react-aria Table and the same Table in react-aria's own Virtualizer, in the same run.
 * Each measurement gets a fresh browser context (its own heap).
 * Figures: data ready → rows painted (the first rows this page renders, so react-aria's table code runs
 * cold), the same keys reversed → painted (a re-sort: the code is warm), frame times while jumping to the
 * end in 100 scroll steps, DOM elements, JS heap after GC. See bench/pages/list.tsx for what "data ready" means.
 */
import { fileURLToPath } from 'node:url'
import { bundlePage, heapUsed, launch, openPage } from './browser.ts'
import { isMain, ms, percentile, table } from './common.ts'

/** `BENCH_SIZES=1000,10000` runs only those sizes. */
export const SIZES = process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(',').map(Number) : [1_000, 10_000, 100_000]
const SCROLL_STEPS = 100
/** The plain table at 100,000 rows takes minutes and gigabytes; it runs only when asked. */
const PLAIN_LIMIT = process.env.BENCH_PLAIN_100K ? 100_000 : 10_000
const RUNS = Number(process.env.BENCH_RUNS ?? 3)

export interface ListRow {
  kind: 'TokenList' | 'TokenList on react-aria Table (before)' | 'plain Table' | 'virtualized Table'
  keys: number
  /** Median over the runs. */
  paintMs: number
  paintRuns: number[]
  /** Median over the runs: the keys again in reverse order, into the painted list (code already warm). */
  reorderMs: number
  rowsInDom: number
  domElements: number
  heapMB: number
  frameP50: number
  frameP95: number
  frameMax: number
  reachedEnd: boolean
}

/** `BENCH_KINDS=tokenList,racTable` runs only those lists. */
const KINDS = (['tokenList', 'racTable', 'virtualized', 'plain'] as const).filter((kind) => !process.env.BENCH_KINDS || process.env.BENCH_KINDS.split(',').includes(kind))

const KIND_NAMES = {
  tokenList: 'TokenList',
  racTable: 'TokenList on react-aria Table (before)',
  plain: 'plain Table',
  virtualized: 'virtualized Table',
} as const satisfies Record<string, ListRow['kind']>

export async function runList(): Promise<{ rows: ListRow[]; skipped: string[] }> {
  const script = await bundlePage(fileURLToPath(new URL('./pages/list.tsx', import.meta.url)))
  const browser = await launch()
  const rows: ListRow[] = []
  const skipped: string[] = []
  for (const kind of ['tokenList', 'racTable', 'virtualized', 'plain'] as const) {
    if (!KINDS.includes(kind)) skipped.push(`${KIND_NAMES[kind]} (left out by BENCH_KINDS)`)
  }
  try {
    for (const keys of SIZES) {
      for (const kind of KINDS) {
        if (kind === 'plain' && keys > PLAIN_LIMIT) {
          skipped.push(`plain Table with ${keys.toLocaleString('en-US')} keys (set BENCH_PLAIN_100K=1 to run it)`)
          continue
        }
        // The slow cases run once: a plain table of 10,000 rows takes most of a minute.
        const runs = keys >= 100_000 || (kind === 'plain' && keys >= 10_000) ? 1 : RUNS
        const paintRuns: number[] = []
        const reorderRuns: number[] = []
        let last: Omit<ListRow, 'paintMs' | 'paintRuns' | 'reorderMs'> | null = null
        for (let run = 0; run < runs; run++) {
          const { page, cdp, close } = await openPage(browser, script)
          try {
            page.setDefaultTimeout(600_000)
            await page.evaluate(([k, n]) => (window as any).bench.mount(k, n), [kind, keys] as const)
            const shown = await page.evaluate(() => (window as any).bench.showData())
            paintRuns.push(shown.paintMs)
            const reordered = await page.evaluate(() => (window as any).bench.showReordered())
            reorderRuns.push(reordered.paintMs)
            if (run < runs - 1) continue
            const domElements = await page.evaluate(() => (window as any).bench.nodes())
            const heap = await heapUsed(cdp)
            const scroll = await page.evaluate((steps) => (window as any).bench.scrollToEnd(steps), SCROLL_STEPS)
            const frames = [...(scroll.frames as number[])].sort((a, b) => a - b)
            last = {
              kind: KIND_NAMES[kind],
              keys,
              rowsInDom: shown.rows,
              domElements,
              heapMB: heap / 1e6,
              frameP50: percentile(frames, 50),
              frameP95: percentile(frames, 95),
              frameMax: frames[frames.length - 1]!,
              reachedEnd: scroll.reachedEnd,
            }
          } finally {
            await close()
          }
        }
        const sorted = [...paintRuns].sort((a, b) => a - b)
        rows.push({ ...last!, paintMs: percentile(sorted, 50), paintRuns, reorderMs: percentile([...reorderRuns].sort((a, b) => a - b), 50) })
        if (!isMain(import.meta.url)) continue
        console.log(`  ${last!.kind} × ${keys}: ${ms(percentile(sorted, 50))}`)
      }
    }
  } finally {
    await browser.close()
  }
  return { rows, skipped }
}

export function formatList(results: { rows: ListRow[]; skipped: string[] }): string {
  const out = [
    table(
      ['list', 'keys', 'data → painted (median)', 'reordered → painted', 'rows in DOM', 'DOM elements', 'JS heap', 'scroll frame p50 / p95 / max', 'reached end'],
      results.rows.map((row) => [
        row.kind,
        row.keys.toLocaleString('en-US'),
        `${ms(row.paintMs)}${row.paintRuns.length > 1 ? ` (${row.paintRuns.map((v) => v.toFixed(0)).join(', ')})` : ''}`,
        ms(row.reorderMs),
        row.rowsInDom.toLocaleString('en-US'),
        row.domElements.toLocaleString('en-US'),
        `${row.heapMB.toFixed(1)} MB`,
        `${ms(row.frameP50)} / ${ms(row.frameP95)} / ${ms(row.frameMax)}`,
        row.reachedEnd ? 'yes' : 'no',
      ]),
    ),
  ]
  const at = (kind: ListRow['kind'], keys: number) => results.rows.find((row) => row.kind === kind && row.keys === keys)
  for (const keys of SIZES) {
    const list = at('TokenList', keys)
    const plain = at('plain Table', keys)
    if (list && plain) out.push(`\n${keys.toLocaleString('en-US')} keys: TokenList paints ${(plain.paintMs / list.paintMs).toFixed(1)}× faster than the plain table.`)
  }
  const tenK = at('TokenList', 10_000)
  const tenKBefore = at('TokenList on react-aria Table (before)', 10_000)
  if (tenK) {
    out.push(
      `Targets, 10,000 keys: painted ≤ 80 ms cold: ${ms(tenK.paintMs)} — ${tenK.paintMs <= 80 ? 'met' : 'NOT met'}; re-sort ≤ 50 ms: ${ms(tenK.reorderMs)} — ${tenK.reorderMs <= 50 ? 'met' : 'NOT met'}` +
        (tenKBefore ? ` (on react-aria's Table in the same run: ${ms(tenKBefore.paintMs)} and ${ms(tenKBefore.reorderMs)})` : ''),
    )
  }
  const oneK = at('TokenList', 1_000)
  const oneKVirtualized = at('virtualized Table', 1_000)
  if (oneK && oneKVirtualized) {
    out.push(
      `Target, scrolling 1,000 keys: median frame no worse than react-aria's Virtualizer: ${ms(oneK.frameP50)} vs ${ms(oneKVirtualized.frameP50)} — ${oneK.frameP50 <= oneKVirtualized.frameP50 ? 'met' : 'NOT met'}`,
    )
  }
  for (const line of results.skipped) out.push(`Not run: ${line}.`)
  return out.join('\n')
}

if (isMain(import.meta.url)) {
  console.log(formatList(await runList()))
}
