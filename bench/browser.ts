/**
 * Headless Chromium for the benchmarks: a page bundled with esbuild in production mode (React's production
 * build, minified, as users ship it) and served from memory on a made-up origin, so nothing listens on a port.
 */
import { build } from 'esbuild'
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
// https: a secure context, which crypto.randomUUID and the Clipboard API need.
const ORIGIN = 'https://patkit.bench'

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--js-flags=--expose-gc'],
  })
}

/** Bundles a bench page (a .tsx that renders into #root and sets `window.bench`). */
export async function bundlePage(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  return result.outputFiles[0]!.text
}

const HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>patkit bench</title>
<style>
  body { margin: 0; font: 14px/1.4 system-ui, sans-serif; }
  #root { width: 1200px; }
  /* Both tables scroll inside a 600px box, so they paint the same viewport. */
  .scroller, [role=grid] { height: 600px; overflow: auto; display: block; }
  [role=grid] { --patkit-token-list-height: 600px; }
  table { border-collapse: collapse; width: 100%; }
  td, th { padding: 0 8px; height: 47px; border-bottom: 1px solid #ddd; white-space: nowrap; text-align: left; }
</style></head>
<body><div id="root"></div><script type="module" src="/page.js"></script></body></html>`

/** Opens a fresh page (own context: own heap) with `script` as its module, and waits for `window.bench`. */
export async function openPage(browser: Browser, script: string): Promise<{ page: Page; cdp: CDPSession; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  await context.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname
    if (path === '/page.js') return route.fulfill({ contentType: 'text/javascript', body: script })
    if (path === '/') return route.fulfill({ contentType: 'text/html', body: HTML })
    return route.fulfill({ status: 404, body: '' })
  })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(`${ORIGIN}/`)
  await page.waitForFunction(() => 'bench' in window, undefined, { timeout: 30_000 }).catch(() => {
    throw new Error(`bench page did not start: ${errors.join('; ') || 'no error reported'}`)
  })
  const cdp = await context.newCDPSession(page)
  return { page, cdp, close: () => context.close() }
}

/** Used JS heap after a full garbage collection, in bytes. */
export async function heapUsed(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage')
  const { usedSize } = await cdp.send('Runtime.getHeapUsage')
  return usedSize
}
