/**
 * What patkit's browser source (src/, not src/server/) imports from its peer dependencies, read from
 * the source text. Two users:
 * - Vite's dependency pre-bundling (`prebundledDependencies`) in the demo, Storybook and the browser
 *   tests: patkit imports react-aria-components by subpath (`react-aria-components/Button`), so that an
 *   app's bundler can leave the date picker out of the first load; listed up front, Vite never
 *   discovers one mid-run and reloads the page.
 * - the size bench's floor row (bench/size.ts), which bundles exactly these imports.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  peerDependencies: object
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
}
/**
 * The peers a user installs next to patkit (react, react-dom, react-aria-components, …). The optional
 * ones (vitest for patkit/testing, better-auth for patkit/better-auth) serve one entry each and are no
 * browser UI, so the pre-bundling list and the package checks leave them out.
 */
export const REQUIRED_PEERS = Object.keys(PKG.peerDependencies).filter((name) => !PKG.peerDependenciesMeta?.[name]?.optional)
const isPeer = (from: string) => REQUIRED_PEERS.some((peer) => from === peer || from.startsWith(`${peer}/`))

export interface SourceFile {
  /** Relative to the project, e.g. `src/components/TokenList.tsx`. */
  path: string
  /** Values (not types) it imports, by peer module. */
  peerImports: Map<string, string[]>
  /** The project files it loads with `import('./…')`. */
  lazyImports: string[]
  /** The project files it imports statically (values or types), resolved: `src/components/shared.tsx`. */
  localImports: string[]
}

export function browserSources(): SourceFile[] {
  return (readdirSync(join(ROOT, 'src'), { recursive: true }) as string[])
    .map((file) => `src/${file.split('\\').join('/')}`)
    .filter((path) => /\.tsx?$/.test(path) && !/^src\/(server|testing)\//.test(path))
    .map((path) => {
      const text = readFileSync(join(ROOT, path), 'utf8')
      const peerImports = new Map<string, string[]>()
      for (const [, list, from] of text.matchAll(/import\s+(?!type\b)\{([^}]*)\}\s+from\s+'([^']+)'/g)) {
        if (!isPeer(from!)) continue
        const names = list!.split(',').map((part) => part.trim()).filter((part) => part && !part.startsWith('type '))
        peerImports.set(from!, [...(peerImports.get(from!) ?? []), ...names.map((name) => name.split(/\s+as\s+/)[0]!)])
      }
      const dir = path.slice(0, path.lastIndexOf('/'))
      const resolve = (relative: string) => join(dir, relative).split('\\').join('/')
      const lazyImports = [...text.matchAll(/import\('(\.{1,2}\/[^']+)'\)/g)].map((match) => resolve(match[1]!))
      const localImports = [...text.matchAll(/^(?:import|export)\s+(?!type\b)[^'\n]*?from\s+'(\.{1,2}\/[^']+)'/gm)].map((match) => resolve(match[1]!))
      return { path, peerImports, lazyImports, localImports }
    })
}

/**
 * `optimizeDeps.include` for the demo, Storybook and the browser tests: React's entries, the package
 * root the apps, stories and tests import react-aria-components from, and every peer module patkit's
 * source imports a value from.
 */
export function prebundledDependencies(): string[] {
  const react = ['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime', 'react-aria-components']
  return [...new Set([...react, ...browserSources().flatMap((file) => [...file.peerImports.keys()])])]
}
