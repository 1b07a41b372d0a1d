/**
 * patkit as a user gets it: build, `npm pack`, install the tarball into a fresh React + TypeScript Vite app
 * (written here, outside the repo so nothing resolves from our node_modules), type-check it strictly,
 * `vite build` it, and render every component with react-dom/server under plain Node.
 *
 * The app folder is kept between runs (in the OS temp dir) so npm only swaps the patkit tarball.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { exportedComponents, PEERS, PKG, ROOT } from '../../bench/common.ts'
import { installWithTarball, packPatkit, run, stepTimer, workDir } from '../support/packed.ts'

const WORK = workDir('consumer')
const APP = join(WORK, 'app')

const version = (name: string) => {
  const range = PKG.devDependencies[name]
  if (!range) throw new Error(`consumer test: ${name} is not a devDependency of patkit`)
  return range
}

/** How the app uses each component, as a user would write it. A newly exported component needs a line here. */
const USAGE: Record<string, { jsx: string; ssrProps: string }> = {
  CreatePersonalApiKey: {
    jsx: `<CreatePersonalApiKey onCreated={(created) => setLastCreated(created.apiKey.name)} />`,
    ssrProps: `{}`,
  },
  TokenList: {
    jsx: `<TokenList aria-label="Your API keys" pageSize={25} onRevoked={(key) => setLastRevoked(key.name)} />`,
    ssrProps: `{ 'aria-label': 'Your API keys' }`,
  },
  RevokeDialog: {
    jsx: `{selected && <RevokeDialog apiKey={selected} isOpen onOpenChange={(open) => { if (!open) setSelected(null) }} onRevoked={(key) => setLastRevoked(key.name)} />}`,
    ssrProps: `{ apiKey: sampleKey, isOpen: true }`,
  },
  RotateDialog: {
    jsx: `{selected && <RotateDialog apiKey={selected} isOpen onOpenChange={(open) => { if (!open) setSelected(null) }} />}`,
    ssrProps: `{ apiKey: sampleKey, isOpen: true }`,
  },
  RenameDialog: {
    jsx: `{selected && <RenameDialog apiKey={selected} isOpen onOpenChange={(open) => { if (!open) setSelected(null) }} onRenamed={(key) => setLastRevoked(key.name)} />}`,
    ssrProps: `{ apiKey: sampleKey, isOpen: true }`,
  },
  TokenReveal: {
    jsx: `{lastCreated && <TokenReveal token="pat_example" onDismiss={() => setLastCreated(null)} />}`,
    ssrProps: `{ token: 'pat_0123456789abcdefghijklmnopqrstuv000000' }`,
  },
}

const SAMPLE_KEY = `{
  id: 'key_1', name: 'CI deploys', start: 'pat_Ab3x', scopes: [], status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z', expiresAt: null, lastUsedAt: null, revokedAt: null,
}`

function writeApp(tarball: string, components: string[]) {
  mkdirSync(join(APP, 'src'), { recursive: true })
  const dependencies: Record<string, string> = { patkit: `file:${tarball}` }
  for (const name of PEERS) dependencies[name] = version(name)
  const devDependencies: Record<string, string> = {}
  for (const name of ['typescript', 'vite', '@vitejs/plugin-react', '@types/react', '@types/react-dom']) devDependencies[name] = version(name)
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'patkit-consumer', private: true, type: 'module', dependencies, devDependencies }, null, 2),
    'tsconfig.json': JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023', 'DOM', 'DOM.Iterable'],
          module: 'ESNext',
          moduleResolution: 'bundler',
          jsx: 'react-jsx',
          strict: true,
          noUncheckedIndexedAccess: true,
          verbatimModuleSyntax: true,
          isolatedModules: true,
          noEmit: true,
          allowImportingTsExtensions: true,
          // As Vite's react-ts template: vite/client declares the CSS import.
          types: ['vite/client'],
        },
        include: ['src'],
      },
      null,
      2,
    ),
    'vite.config.js': `import { defineConfig } from 'vite'\nimport react from '@vitejs/plugin-react'\nexport default defineConfig({ plugins: [react()] })\n`,
    'index.html': `<!doctype html>\n<html lang="en"><head><meta charset="UTF-8" /><title>patkit consumer</title></head>\n<body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body></html>\n`,
    'src/main.tsx': `import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import 'patkit/styles.css'
import { App } from './App.tsx'

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>)
`,
    'src/App.tsx': `import { useState } from 'react'
import { AuthFrontendApisProvider, PatkitLocalesProvider${components.map((name) => `, ${name}`).join('')} } from 'patkit'
import { createHttpClient, type PersonalApiKey } from 'patkit/client'
import { de, fr } from 'patkit/locales'

const client = createHttpClient({ baseUrl: '/api', credentials: 'include' })

export function App() {
  const [selected, setSelected] = useState<PersonalApiKey | null>(null)
  const [lastCreated, setLastCreated] = useState<string | null>(null)
  const [lastRevoked, setLastRevoked] = useState<string | null>(null)
  return (
    <AuthFrontendApisProvider client={client} onUnauthorized={(error) => console.warn(error.userFacingError)}>
      <PatkitLocalesProvider locales={{ de, fr }}>
        <p>{lastCreated ?? ''} {lastRevoked ?? ''}</p>
        ${components.map((name) => USAGE[name]!.jsx).join('\n        ')}
      </PatkitLocalesProvider>
    </AuthFrontendApisProvider>
  )
}
`,
    // Plain Node, no bundler, no DOM: importing patkit and rendering must not touch window or document.
    'ssr.mjs': `import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import * as patkit from 'patkit'
import { createHttpClient } from 'patkit/client'
import { createReferenceServer, memoryStore } from 'patkit/server'

if (typeof window !== 'undefined' || typeof document !== 'undefined') throw new Error('expected plain Node')
const sampleKey = ${SAMPLE_KEY}
const server = createReferenceServer({ store: memoryStore(), authenticate: async () => ({ userId: 'u1', canManagePersonalApiKeys: true }) })
const client = createHttpClient({ baseUrl: 'http://localhost', fetch: (request) => server.fetch(request) })
const created = await client.createPersonalApiKey({ name: 'From Node', expiration: 'OneMonth' })
const listed = await client.fetchPersonalApiKeys()
const html = {}
${components.map((name) => `html.${name} = renderToString(createElement(patkit.AuthFrontendApisProvider, { client }, createElement(patkit.${name}, ${USAGE[name]!.ssrProps})))`).join('\n')}
console.log(JSON.stringify({ created: created.ok, listed: listed.ok ? listed.data.totalCount : -1, html }))
`,
  }
  for (const [path, content] of Object.entries(files)) writeFileSync(join(APP, path), content)
}

describe('patkit installed from its tarball into a fresh Vite + React + TypeScript app', () => {
  let components: string[] = []
  const { timings, step } = stepTimer()

  beforeAll(async () => {
    components = await exportedComponents()
    const tarball = await step('build and pack', () => packPatkit(WORK))
    const missing = components.filter((name) => !USAGE[name])
    if (missing.length > 0) throw new Error(`consumer test: add a USAGE entry for ${missing.join(', ')}`)
    writeApp(tarball, components)
    await step('install', () => installWithTarball(APP))
  }, 150_000)

  it('packs only dist/, the README, the license and package.json', async () => {
    const files = (JSON.parse(await run('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], ROOT)) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path)
    expect(files.filter((path) => !path.startsWith('dist/')).sort()).toEqual(['LICENSE', 'README.md', 'package.json'])
    expect(files).toEqual(
      expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/client/index.js', 'dist/server/index.js', 'dist/next/index.js', 'dist/locales.js', 'dist/styles.css', 'dist/better-auth/index.js', 'dist/testing/index.js']),
    )
  }, 30_000)

  it("starts the React entry with 'use client' and keeps it off the React-free client and server entries", () => {
    const installed = join(APP, 'node_modules/patkit/dist')
    expect(readFileSync(join(installed, 'index.js'), 'utf8').split('\n')[0]).toMatch(/^(['"])use client\1;?$/)
    for (const entry of ['client/index.js', 'server/index.js', 'next/index.js']) {
      expect(readFileSync(join(installed, entry), 'utf8'), entry).not.toMatch(/use client/)
    }
  })

  /** The packages a built entry loads at run time: its own bare imports and those of the chunks it imports. */
  function runtimeImports(entry: string): string[] {
    const installed = join(APP, 'node_modules/patkit/dist')
    const imports = (file: string) => [...readFileSync(join(installed, file), 'utf8').matchAll(/\b(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]!)
    const loaded = new Set<string>()
    const visit = (file: string) => {
      if (loaded.has(file)) return
      loaded.add(file)
      for (const specifier of imports(file)) if (specifier.startsWith('.')) visit(join(dirname(file), specifier))
    }
    visit(entry)
    expect(loaded.size, `${entry} and its chunks`).toBeGreaterThan(1)
    return [...new Set([...loaded].flatMap((file) => imports(file).filter((specifier) => !specifier.startsWith('.'))))]
  }

  it('gives patkit/client and patkit/better-auth no runtime dependency', () => {
    expect(runtimeImports('client/index.js')).toEqual([])
    // The adapter talks to the Better Auth client the app passes in; it imports nothing of Better Auth.
    expect(runtimeImports('better-auth/index.js')).toEqual([])
  })

  it('keeps Better Auth and vitest out of patkit: only patkit/testing loads vitest', () => {
    const optional = /^(better-auth|@better-auth\/|vitest)/
    expect(runtimeImports('index.js').filter((name) => optional.test(name))).toEqual([])
    expect(runtimeImports('testing/index.js')).toEqual(['vitest'])
    // Nor are they installed here: the app below type-checks and builds without them.
    for (const name of ['better-auth', '@better-auth/api-key', 'vitest']) expect(existsSync(join(APP, 'node_modules', name)), name).toBe(false)
  })

  it('type-checks strictly against the published declarations', async () => {
    await step('tsc', () => run(join(APP, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], APP))
    // About 15 s alone; several times that on 2 cores shared with other test runs.
  }, 180_000)

  it('builds with vite', async () => {
    const output = await step('vite build', () => run(join(APP, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], APP))
    expect(output).not.toMatch(/error/i)
    expect(readdirSync(join(APP, 'dist/assets')).some((file) => file.endsWith('.js'))).toBe(true)
  }, 60_000)

  it("keeps the dialogs and the row menu out of the app's first load: a chunk of their own, loaded on first open", () => {
    const assets = join(APP, 'dist/assets')
    const scripts = readdirSync(assets).filter((file) => file.endsWith('.js'))
    const html = readFileSync(join(APP, 'dist/index.html'), 'utf8')
    // What the page loads first: the entry and the chunks it imports statically (index.html preloads them).
    const firstLoad = scripts.filter((file) => html.includes(file))
    const holds = (file: string, text: string) => readFileSync(join(assets, file), 'utf8').includes(text)
    // A class name only the overlay chunk's code writes.
    expect(firstLoad.filter((file) => holds(file, 'ActionsPopover'))).toEqual([])
    expect(scripts.filter((file) => !firstLoad.includes(file) && holds(file, 'ActionsPopover'))).toHaveLength(1)
    expect(firstLoad.some((file) => holds(file, 'ActionsButton'))).toBe(true)
  })

  it('imports every entry and renders every component under plain Node, without window or document', async () => {
    const result = JSON.parse(await step('ssr', () => run(process.execPath, ['ssr.mjs'], APP))) as {
      created: boolean
      listed: number
      html: Record<string, string>
    }
    expect(result.created).toBe(true)
    expect(result.listed).toBe(1)
    for (const name of components) expect(result.html[name], name).toEqual(expect.any(String))
    console.info(`consumer check timings (ms): ${JSON.stringify(timings)}`)
  }, 30_000)
})
