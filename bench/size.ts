/**
 * Bundle size, one method for every row: esbuild --bundle --minify --format=esm (code splitting on, so a
 * lazily loaded part shows apart from what loads first), react and react-dom external, each output file
 * gzipped at level 9 on its own (each is its own request). patkit is bundled from src/ — the same modules
 * dist/ holds. The competitor rows install the published packages into node_modules/.cache (once).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { build, type Metafile, type Plugin } from 'esbuild'
import optimizeLocales from '@react-aria/optimize-locales-plugin'
import { browserSources, type SourceFile } from '../config/peer-imports.ts'
import { exportedComponents, familiesOf, gzipSize, isMain, kB, PEERS, PKG, ROOT, table } from './common.ts'

/**
 * Size budgets for everything `patkit` + `patkit/client` export (gzip bytes, first load; what loads
 * on first open is reported beside it). `target` is issue 11's goal (own code ≤ 16 kB, all-in ≤ 62 kB).
 * All-in meets it. Own code does not: the client, the React layer and the English catalog alone are
 * 11.7 kB (the row `client + React layer + English catalog`), and the components have since gained
 * descriptions, cards, grouped scopes, capabilities and organizations' wording. CI enforces `ceiling` —
 * the all-in target itself, and own code as it is plus a little — so neither can grow unnoticed.
 */
export const BUDGETS = {
  target: { ownGzip: 16_000, allInGzip: 62_000 },
  ceiling: { ownGzip: 30_000, allInGzip: 62_000 },
}

export interface SizeRow {
  name: string
  /** What the row bundles, in words. */
  what: string
  /** gzip bytes of the entry chunk and what it imports statically: what a page loads first. */
  gzip: number
  /** gzip bytes of chunks only reached through `import()`: loaded when that part is first shown. */
  lazyGzip: number
  /** Minified bytes before gzip (initial). */
  minified: number
}

const REACT = ['react', 'react/*', 'react-dom', 'react-dom/*']
const ALL_PEERS = [...REACT, ...PEERS.flatMap((name) => [name, `${name}/*`])]
const CACHE = join(ROOT, 'node_modules/.cache/patkit-bench')

/** Bundles `source` (an ES module, resolved from `dir`) and sizes its outputs. */
export async function bundleSize(source: string, dir: string, external: string[], plugins: Plugin[] = []): Promise<Omit<SizeRow, 'name' | 'what'>> {
  mkdirSync(dir, { recursive: true })
  const entry = join(dir, `.size-entry-${process.pid}-${Math.random().toString(36).slice(2)}.ts`)
  writeFileSync(entry, source)
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: 'esm',
      splitting: true,
      outdir: join(dir, '.size-out'),
      write: false,
      metafile: true,
      platform: 'browser',
      target: 'es2022',
      jsx: 'automatic',
      external,
      define: { 'process.env.NODE_ENV': '"production"' },
      // CSS a package imports is sized separately; here only JavaScript counts.
      loader: { '.css': 'empty' },
      plugins,
      logLevel: 'silent',
    })
    const files = new Map(result.outputFiles.map((file) => [file.path, file.contents]))
    const outputs = result.metafile.outputs
    const entryOutput = Object.keys(outputs).find((path) => outputs[path]!.entryPoint !== undefined)!
    const initial = reachable(outputs, entryOutput, 'import-statement')
    // Chunks the code that remains can load later; esbuild also emits chunks nothing can reach any more.
    const loadable = reachable(outputs, entryOutput, 'any')
    let gzip = 0
    let minified = 0
    let lazyGzip = 0
    for (const [path, contents] of files) {
      if (!path.endsWith('.js')) continue
      // The metafile names outputs relative to the working directory.
      const output = relative(process.cwd(), path)
      if (initial.has(output)) {
        gzip += gzipSize(contents)
        minified += contents.length
      } else if (loadable.has(output)) lazyGzip += gzipSize(contents)
    }
    return { gzip, lazyGzip, minified }
  } finally {
    execFileSync('rm', ['-f', entry])
  }
}

function reachable(outputs: Metafile['outputs'], start: string, kind: 'import-statement' | 'any'): Set<string> {
  const seen = new Set<string>()
  const visit = (path: string) => {
    if (seen.has(path) || !outputs[path]) return
    seen.add(path)
    for (const imported of outputs[path]!.imports) if ((kind === 'any' || imported.kind === kind) && !imported.external) visit(imported.path)
  }
  visit(start)
  return seen
}

const src = (path: string) => JSON.stringify(join(ROOT, 'src', path))

/**
 * @react-aria/optimize-locales-plugin's own resolve rule (it maps react-aria's per-locale string files
 * outside `locales` to an empty module) run in esbuild. Its esbuild adapter from unplugin cannot load
 * the file it resolves to (`Do not know how to load path: locales-plugin:…/empty.js`), so the rule is
 * taken from `raw` and the file is left in esbuild's own namespace; apps use its Vite, webpack or Rollup
 * adapter, which apply the same rule.
 */
function reactAriaLocales(locales: string[]): Plugin {
  const raw = (optimizeLocales as unknown as {
    raw(options: { locales: string[] }, meta: object): { resolveId: { filter: { id: RegExp }; handler(id: string, importer: string, options: object): string | null | undefined } }
  }).raw({ locales }, { framework: 'esbuild' })
  return {
    name: 'react-aria-locales',
    setup(build) {
      build.onResolve({ filter: raw.resolveId.filter.id }, (args) => {
        const to = raw.resolveId.handler(args.path, args.importer, {})
        return to ? { path: to } : undefined
      })
    },
  }
}

/**
 * Component families with a file in src/components (STYLE.md: one file per family, named after it,
 * exporting a component of that name; a module loaded lazily, with only a default export, is not one).
 */
function componentFiles(): string[] {
  const names = readdirSync(join(ROOT, 'src/components'))
    .filter((file) => /^[A-Z]\w*\.tsx$/.test(file))
    .map((file) => file.slice(0, -'.tsx'.length))
    .filter((name) => new RegExp(`export function ${name}\\b`).test(readFileSync(join(ROOT, 'src/components', `${name}.tsx`), 'utf8')))
  return familiesOf(names)
}

/**
 * What an app imports to use `names`: those, the provider, and the HTTP client. Named components come
 * from their own files: esbuild, unlike the bundlers apps use (Rollup, webpack), keeps the chunk of a
 * dynamic `import()` that sits in code it dropped, so importing them through `src/index.ts` would count
 * CreatePersonalApiKey's date picker chunk in every row.
 */
function patkitEntry(names: string[] | '*', pending: string[] = []): string {
  const lines = [`export * from ${src('client/index.ts')}`]
  if (names === '*') lines.push(`export * from ${src('index.ts')}`)
  else if (names.length === 0) lines.push(`export * from ${src('react/index.ts')}`, `export * from ${src('components/messages.tsx')}`)
  else lines.push(`export { AuthFrontendApisProvider } from ${src('react/provider.tsx')}`)
  for (const name of names === '*' ? pending : names.filter((name) => name !== 'provider')) lines.push(`export { ${name} } from ${src(`components/${name}.tsx`)}`)
  return `${lines.join('\n')}\n`
}

/**
 * Every value patkit's browser code imports from its peers, re-exported, so the bundle holds exactly
 * the peer code patkit pulls in and none of its own. What patkit loads lazily (`import('./X.tsx')`) is
 * imported lazily here too, so the row compares with `patkit, all-in` first load for first load.
 */
function peerImportsEntry(dir: string): string {
  const sources = browserSources()
  const byPath = new Map(sources.map((file) => [file.path, file]))
  const closure = (roots: string[]) => {
    const seen = new Set<string>()
    const visit = (path: string) => {
      if (seen.has(path) || !byPath.has(path)) return
      seen.add(path)
      for (const next of byPath.get(path)!.localImports) visit(next)
    }
    roots.forEach(visit)
    return seen
  }
  // What loads lazily: the files reached only through an import(), with everything they import alone.
  const first = closure(['src/index.ts', 'src/client/index.ts'])
  const lazy = new Set([...closure(sources.flatMap((file) => file.lazyImports))].filter((path) => !first.has(path)))
  const reexports = (files: SourceFile[]) => {
    const names = new Map<string, Set<string>>()
    for (const file of files) for (const [from, imported] of file.peerImports) names.set(from, new Set([...(names.get(from) ?? []), ...imported]))
    // Each module's names under a prefix, so two modules exporting one name do not collide.
    return [...names].map(([from, set], i) => `export { ${[...set].map((name) => `${name} as m${i}_${name}`).join(', ')} } from ${JSON.stringify(from)}\n`).join('')
  }
  const lazyEntry = join(dir, 'peer-imports-lazy.ts')
  writeFileSync(lazyEntry, reexports(sources.filter((file) => lazy.has(file.path))))
  return `${reexports(sources.filter((file) => !lazy.has(file.path)))}export const lazy = () => import(${JSON.stringify(lazyEntry)})\n`
}

/** The API-key screen WorkOS' and Clerk's widgets correspond to: create, list, revoke. */
export const SCREEN = ['CreatePersonalApiKey', 'TokenList', 'RevokeDialog']

/**
 * patkit's rows: everything, the API-key screen, each component alone; own code and all-in. No network.
 * With `pending`, components that have a file but no export yet are measured too, in rows marked so.
 */
export async function measurePatkit(options: { pending?: boolean } = {}): Promise<SizeRow[]> {
  const dir = join(CACHE, 'entries')
  const exported = await exportedComponents()
  const pending = options.pending ? componentFiles().filter((name) => !exported.includes(name)) : []
  const note = (names: string[]) => (names.some((name) => pending.includes(name)) ? ' (incl. components not exported yet)' : '')
  const rows: SizeRow[] = []
  const add = async (name: string, what: string, names: string[] | '*', external: string[], including = pending, plugins: Plugin[] = []) =>
    rows.push({ name, what, ...(await bundleSize(patkitEntry(names, including), dir, external, plugins)) })
  // The budget rows: what src/index.ts exports today.
  await add('patkit, own code', 'everything `patkit` and `patkit/client` export; all peers external', '*', ALL_PEERS, [])
  await add('patkit, all-in', 'the same with react-aria-components, react-query, @internationalized/date bundled', '*', REACT, [])
  // react-aria ships its own strings (the search field's "Clear search", the calendar's…) in ~34 locales;
  // an app that supports fewer drops the rest with react-aria's build plugin (README: "Smaller bundles").
  await add('patkit, all-in, English only', 'the same, built with @react-aria/optimize-locales-plugin `locales: [\'en-US\']`', '*', REACT, [], [
    reactAriaLocales(['en-US']),
  ])
  await add('patkit, all-in, patkit\'s 5 languages', 'the same with `locales: [\'en-US\', \'de-DE\', \'fr-FR\', \'ja-JP\', \'ar-EG\']`', '*', REACT, [], [
    reactAriaLocales(['en-US', 'de-DE', 'fr-FR', 'ja-JP', 'ar-EG']),
  ])
  await add('client + React layer + English catalog', 'patkit/client, the provider, hooks and query factories, and the English messages; no component; all peers external: the floor under own code', [], ALL_PEERS, [])
  if (pending.length > 0) {
    await add('patkit + pending, own code', `the same plus ${pending.join(', ')} (not exported yet); all peers external`, '*', ALL_PEERS)
    await add('patkit + pending, all-in', `the same plus ${pending.join(', ')} (not exported yet); peers bundled`, '*', REACT)
  }
  const components = [...exported, ...pending]
  const screen = SCREEN.filter((name) => components.includes(name))
  if (screen.length > 0) {
    await add('patkit screen, own code', `${screen.join(' + ')} + provider + createHttpClient; all peers external${note(screen)}`, screen, ALL_PEERS)
    await add('patkit screen, all-in', `${screen.join(' + ')} + provider + createHttpClient; peers bundled${note(screen)}`, screen, REACT)
  }
  rows.push({
    name: 'peers patkit uses, no patkit code',
    what: 'only the react-aria-components, react-query and @internationalized/date exports patkit imports (the date picker\'s lazily): the floor under `patkit, all-in`',
    ...(await bundleSize(peerImportsEntry(dir), dir, REACT)),
  })
  await add('provider + client, all-in', 'AuthFrontendApisProvider + createHttpClient, what every component needs', ['provider'], REACT)
  rows.push({
    name: 'patkit/better-auth, own code',
    what: 'createBetterAuthApis, the Better Auth adapter: its own entry, in none of the rows above; it imports nothing of Better Auth',
    ...(await bundleSize(`export { createBetterAuthApis } from ${JSON.stringify(join(ROOT, 'src/better-auth/index.ts'))}\n`, dir, ALL_PEERS)),
  })
  for (const name of components) {
    await add(`${name}, own code`, `${name} + provider + createHttpClient; all peers external${note([name])}`, [name], ALL_PEERS)
    await add(`${name}, all-in`, `${name} + provider + createHttpClient; peers bundled${note([name])}`, [name], REACT)
  }
  return rows
}

// ---------------------------------------------------------------------------------------------
// Competitors

/** Pinned so the figures are reproducible; the peers at the versions patkit itself is tested with. */
export const COMPETITORS = {
  '@workos-inc/widgets': '1.18.0',
  '@radix-ui/themes': '3.3.0',
  swr: '2.5.1',
  '@clerk/react': '6.17.2',
  '@tanstack/react-query': PKG.devDependencies['@tanstack/react-query']!,
  react: PKG.devDependencies.react!,
  'react-dom': PKG.devDependencies['react-dom']!,
}
/**
 * Clerk's `<APIKeys />` renders nothing itself: `<ClerkProvider>` loads clerk-js and the UI bundle from
 * Clerk's CDN at run time. Those scripts are published to npm too; these are the versions the loader asks for
 * (clerk-js: the latest 6.x; ui: it names 1.41.0, the registry here serves 1.36.0 at most).
 */
export const CLERK_RUNTIME = { '@clerk/clerk-js': '6.40.0', '@clerk/ui': '1.36.0' }

function installCompetitors(): string {
  const dir = join(CACHE, 'competitors')
  mkdirSync(dir, { recursive: true })
  const wanted = Object.entries(COMPETITORS).map(([name, version]) => `${name}@${version}`)
  const manifest = JSON.stringify({ name: 'patkit-bench-competitors', private: true, type: 'module' })
  const stamp = join(dir, '.installed')
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted.join(' ')) {
    writeFileSync(join(dir, 'package.json'), manifest)
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...wanted], { cwd: dir, stdio: 'inherit' })
    writeFileSync(stamp, wanted.join(' '))
  }
  for (const [name, version] of Object.entries(CLERK_RUNTIME)) {
    const target = join(dir, 'runtime', name)
    if (existsSync(join(target, 'package.json'))) continue
    mkdirSync(target, { recursive: true })
    const tarball = execFileSync('npm', ['pack', `${name}@${version}`, '--pack-destination', target, '--loglevel=error'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()!
    execFileSync('tar', ['xzf', join(target, tarball), '-C', target, '--strip-components=1'])
  }
  return dir
}

const installedVersion = (dir: string, name: string) =>
  (JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version

export interface CompetitorSizes {
  rows: SizeRow[]
  css: { name: string; gzip: number }[]
  versions: Record<string, string>
}

export async function measureCompetitors(): Promise<CompetitorSizes> {
  const dir = installCompetitors()
  const rows: SizeRow[] = []
  const workos = await bundleSize(`export { ApiKeys, WorkOsWidgets } from '@workos-inc/widgets'\n`, dir, REACT)
  rows.push({ name: 'WorkOS widgets, all-in', what: '`ApiKeys` + `WorkOsWidgets` with their peers (Radix Themes, react-query, swr) bundled', ...workos })
  const clerk = await bundleSize(`export { APIKeys, ClerkProvider } from '@clerk/react'\n`, dir, REACT)
  rows.push({ name: 'Clerk, in the app bundle', what: '`APIKeys` + `ClerkProvider` from @clerk/react', ...clerk })

  // What ClerkProvider then loads from the CDN before <APIKeys /> shows: both entry scripts and the API-key
  // chunks of the browser build. Shared numbered chunks they also pull in are not counted: a lower bound.
  const clerkJs = readFileSync(join(dir, 'runtime/@clerk/clerk-js/dist/clerk.browser.js'))
  const uiDir = join(dir, 'runtime/@clerk/ui/dist')
  const ui = readFileSync(join(uiDir, 'ui.browser.js'))
  const hash = /\.h=\(\)=>"([0-9a-f]{6})/.exec(ui.toString('utf8'))?.[1]
  const apiKeyChunks = hash
    ? readdirSync(uiDir).filter((file) => /^(apiKeys|copy-api-key-modal|revoke-api-key-modal)_ui_/.test(file) && file.includes(`_${hash}_`))
    : []
  const chunkGzip = apiKeyChunks.reduce((sum, file) => sum + gzipSize(readFileSync(join(uiDir, file))), 0)
  rows.push({
    name: 'Clerk, loaded at run time',
    what: `clerk.browser.js + ui.browser.js + ${apiKeyChunks.length} API-key chunks from Clerk's CDN (≥, shared chunks not counted)`,
    gzip: gzipSize(clerkJs) + gzipSize(ui),
    lazyGzip: chunkGzip,
    minified: clerkJs.length + ui.length,
  })

  const cssSize = (...paths: string[]) => paths.reduce((sum, path) => sum + gzipSize(readFileSync(join(dir, 'node_modules', path))), 0)
  const css = [
    { name: 'WorkOS widgets (required: @radix-ui/themes/styles.css + @workos-inc/widgets/styles.css)', gzip: cssSize('@radix-ui/themes/styles.css', '@workos-inc/widgets/dist/css/styles.css') },
    { name: 'patkit (optional: patkit/styles.css)', gzip: gzipSize(readFileSync(join(ROOT, 'src/styles.css'))) },
  ]
  const versions: Record<string, string> = {}
  for (const name of Object.keys(COMPETITORS)) versions[name] = installedVersion(dir, name)
  for (const name of Object.keys(CLERK_RUNTIME)) versions[name] = (JSON.parse(readFileSync(join(dir, 'runtime', name, 'package.json'), 'utf8')) as { version: string }).version
  return { rows, css, versions }
}

// ---------------------------------------------------------------------------------------------

export interface SizeResults {
  patkit: SizeRow[]
  competitors: CompetitorSizes | { error: string }
  budgets: typeof BUDGETS & { own: number; allIn: number; ok: boolean; targetMet: boolean }
}

export async function runSize(options: { competitors?: boolean } = {}): Promise<SizeResults> {
  const patkit = await measurePatkit({ pending: true })
  let competitors: SizeResults['competitors']
  try {
    competitors = options.competitors === false ? { error: 'skipped' } : await measureCompetitors()
  } catch (error) {
    competitors = { error: String((error as Error).message ?? error).split('\n')[0]! }
  }
  const own = patkit.find((row) => row.name === 'patkit, own code')!.gzip
  const allIn = patkit.find((row) => row.name === 'patkit, all-in')!.gzip
  const within = (limit: { ownGzip: number; allInGzip: number }) => own <= limit.ownGzip && allIn <= limit.allInGzip
  return { patkit, competitors, budgets: { ...BUDGETS, own, allIn, ok: within(BUDGETS.ceiling), targetMet: within(BUDGETS.target) } }
}

export function formatSize(results: SizeResults): string {
  const out: string[] = []
  const rows = [...results.patkit, ...('rows' in results.competitors ? results.competitors.rows : [])]
  out.push(
    table(
      ['bundle', 'gzip (first load)', 'gzip (lazy)', 'minified', 'what'],
      rows.map((row) => [row.name, kB(row.gzip), row.lazyGzip ? kB(row.lazyGzip) : '–', kB(row.minified), row.what]),
    ),
  )
  const b = results.budgets
  const allInRow = results.patkit.find((row) => row.name === 'patkit, all-in')!
  out.push(
    '',
    `Budgets (gzip, everything patkit exports): own code ${kB(b.own)}, all-in ${kB(b.allIn)} first load (${kB(allInRow.lazyGzip)} more on first use: the overlays on first open, the date picker when "Custom…" is chosen; ${kB(allInRow.gzip + allInRow.lazyGzip)} in all).`,
    `- target ${kB(b.target.ownGzip)} / ${kB(b.target.allInGzip)}: ${b.targetMet ? 'met' : 'NOT met'}`,
    `- CI ceiling ${kB(b.ceiling.ownGzip)} / ${kB(b.ceiling.allInGzip)}: ${b.ok ? 'within' : 'EXCEEDED'}`,
  )
  if ('rows' in results.competitors) {
    const find = (...names: string[]) => names.map((name) => results.patkit.find((row) => row.name === name)).find(Boolean)!
    const screen = find('patkit screen, all-in', 'patkit + pending, all-in', 'patkit, all-in')
    const ownScreen = find('patkit screen, own code', 'patkit + pending, own code', 'patkit, own code')
    const clerkTotal = results.competitors.rows.filter((row) => row.name.startsWith('Clerk')).reduce((sum, row) => sum + row.gzip, 0)
    const compared = [...results.competitors.rows.map((row) => [row.name, row.gzip] as const), ['Clerk, app bundle + run time', clerkTotal] as const]
    out.push('', `Competitors against \`${screen.name}\` (${kB(screen.gzip)}) and \`${ownScreen.name}\` (${kB(ownScreen.gzip)}), first-load JavaScript, gzip:`)
    out.push(
      table(
        ['bundle', 'gzip', 'competitor ÷ patkit all-in', 'competitor ÷ patkit own code'],
        compared.map(([name, gzip]) => [name, kB(gzip), `${(gzip / screen.gzip).toFixed(2)}×`, `${(gzip / ownScreen.gzip).toFixed(1)}×`]),
      ),
    )
    out.push('', 'CSS (gzip):', table(['stylesheet', 'gzip'], results.competitors.css.map((row) => [row.name, kB(row.gzip)])))
    out.push('', `Versions: ${Object.entries(results.competitors.versions).map(([name, version]) => `${name}@${version}`).join(', ')}`)
  } else out.push('', `Competitor rows not measured: ${results.competitors.error}`)
  return out.join('\n')
}

if (isMain(import.meta.url)) {
  const results = await runSize()
  console.log(formatSize(results))
}
