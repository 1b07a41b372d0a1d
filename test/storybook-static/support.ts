/**
 * A built Storybook, served on 127.0.0.1: for the static-site test and the README screenshots.
 * `storybook-static/` is reused when it is newer than every story, component and Storybook config
 * file; otherwise Storybook builds into a fresh temp dir (~10 s).
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { promisify } from 'node:util'

const root = resolve(import.meta.dirname, '../..')
const SOURCES = ['stories', 'src', '.storybook'].map((dir) => join(root, dir))

async function newestMtime(dir: string): Promise<number> {
  let newest = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs)
  }
  return newest
}

async function isFresh(dir: string): Promise<boolean> {
  try {
    const built = (await stat(join(dir, 'index.json'))).mtimeMs
    const sources = Math.max(...(await Promise.all(SOURCES.map(newestMtime))), (await stat(join(root, 'package.json'))).mtimeMs)
    return built > sources
  } catch {
    return false
  }
}

/** The directory of an up-to-date static Storybook, building one if needed. */
export async function storybookBuild(options: { reuse?: boolean } = {}): Promise<{ dir: string; built: boolean }> {
  const existing = join(root, 'storybook-static')
  if (options.reuse !== false && (await isFresh(existing))) return { dir: existing, built: false }
  const dir = await mkdtemp(join(tmpdir(), 'patkit-storybook-'))
  await promisify(execFile)(join(root, 'node_modules/.bin/storybook'), ['build', '--output-dir', dir, '--quiet', '--disable-telemetry'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
    // A production build, as `npm run build-storybook` makes it: under vitest NODE_ENV is 'test', which
    // would build React in development mode and switch react-stately's Virtualizer to render every row.
    env: { ...process.env, NODE_ENV: 'production', STORYBOOK_DISABLE_TELEMETRY: '1' },
  })
  return { dir, built: true }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
}

/** A tiny static file server for `dir` on 127.0.0.1 and a free port. */
export async function serveStatic(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const base = resolve(dir)
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
    // Browsers ask for one; Storybook ships none, and a 404 would read as a console error.
    if (path === '/favicon.ico') return void response.writeHead(204).end()
    const file = normalize(join(base, path.endsWith('/') ? `${path}index.html` : path))
    if (!file.startsWith(base + sep)) return void response.writeHead(403).end()
    try {
      const body = await readFile(file)
      response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body)
    } catch {
      response.writeHead(404).end()
    }
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('storybook-static: no port')
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((done) => server.close(() => done())),
  }
}

export interface IndexEntry {
  id: string
  title: string
  name: string
  type: 'story' | 'docs'
  tags?: string[]
}

export async function storyIndex(dir: string): Promise<IndexEntry[]> {
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { entries: Record<string, IndexEntry> }
  return Object.values(index.entries)
}

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
