/**
 * The peer modules patkit's source imports, for Vite's dependency pre-bundling (`optimizeDeps.include`)
 * in the demo, Storybook and the browser tests. patkit imports react-aria-components by subpath
 * (`react-aria-components/Button`), so an app's bundler can leave the date picker out of the first
 * load; listed up front, Vite never discovers one mid-run and reloads the page.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const SRC = fileURLToPath(new URL('../src', import.meta.url))
const PEER = /from '((?:react-aria-components|@tanstack\/react-query|@internationalized\/date)(?:\/[\w-]+)?)'/g

export function peerModules(): string[] {
  const found = new Set<string>()
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) visit(path)
      else if (/\.tsx?$/.test(entry.name)) for (const match of readFileSync(path, 'utf8').matchAll(PEER)) found.add(match[1]!)
    }
  }
  visit(SRC)
  return [...found].sort()
}
