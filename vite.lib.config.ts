/**
 * Library build: `npm run build` → dist/ (ESM + source maps; declarations come from
 * `tsc -p tsconfig.build.json`). Kept apart from vitest.config.ts so the test setup and the
 * published build cannot change each other.
 */
import { copyFileSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}

/** Everything a user installs (peers, dependencies) stays an import, deep paths like `react/jsx-runtime` too. */
const installed = Object.keys({ ...pkg.peerDependencies, ...pkg.dependencies })
const isExternal = (id: string) => installed.some((name) => id === name || id.startsWith(`${name}/`))

/** Entries whose first line must be `'use client'`: the ones that export React components and hooks. */
const CLIENT_ENTRIES = new Set(['index'])

/**
 * `'use client'` on the React entry, whatever the bundler does with module-level directives (Rollup
 * drops them; Rolldown keeps an entry's today but warns it may not). Only the entry needs it: what it
 * imports is client code by being imported from it. `patkit/client` has no React and stays usable on a server.
 */
function useClientBanner(): Plugin {
  return {
    name: 'patkit:use-client',
    enforce: 'post',
    renderChunk(code, chunk) {
      if (!chunk.isEntry || !CLIENT_ENTRIES.has(chunk.name)) return null
      return { code: `'use client';\n${code.replace(/^(['"])use client\1;?\n/, '')}`, map: null }
    },
  }
}

/** The starter theme ships as a plain file: nothing imports it, users opt in with `patkit/styles.css`. */
function copyStyles(): Plugin {
  return {
    name: 'patkit:copy-styles',
    apply: 'build',
    writeBundle(options) {
      copyFileSync(`${root}src/styles.css`, `${options.dir}/styles.css`)
    },
  }
}

export default defineConfig({
  // Nothing under public/ belongs in the package.
  publicDir: false,
  plugins: [useClientBanner(), copyStyles()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Users' bundlers minify; readable output makes stack traces and audits easier.
    minify: false,
    lib: {
      entry: {
        index: 'src/index.ts',
        'client/index': 'src/client/index.ts',
        'server/index': 'src/server/index.ts',
        locales: 'src/locales.ts',
        'next/index': 'src/next/index.ts',
        'better-auth/index': 'src/better-auth/index.ts',
        'testing/index': 'src/testing/index.ts',
      },
      formats: ['es'],
    },
    rolldownOptions: {
      external: isExternal,
      onLog(level, log, handler) {
        // The directive is handled by useClientBanner above.
        if (log.code === 'MODULE_LEVEL_DIRECTIVE' && log.message.includes('use client')) return
        handler(level, log)
      },
      output: {
        entryFileNames: '[name].js',
        // The reference server's chunk (shared by patkit/server and patkit/next) is named for it, not for
        // whichever of its modules the bundler picks.
        chunkFileNames: (chunk) => (chunk.moduleIds.some((id) => id.endsWith('/src/server/app.ts')) ? 'shared/server.js' : 'shared/[name].js'),
      },
    },
  },
})
