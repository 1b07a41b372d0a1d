import type { NextConfig } from 'next'

const config: NextConfig = {
  // PGlite finds its WebAssembly and data files next to its own module. Bundled into a server chunk it
  // cannot (with webpack every API call then fails), so Node loads it from node_modules as it is.
  serverExternalPackages: ['@electric-sql/pglite'],
}

export default config
