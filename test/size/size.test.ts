import { beforeAll, describe, expect, it } from 'vitest'
import { exportedComponents } from '../../bench/common.ts'
import { BUDGETS, measurePatkit, type SizeRow } from '../../bench/size.ts'

// The same measurement as `npm run bench` (esbuild, minified ESM, gzip -9), patkit's rows only: no network.
describe('bundle size', () => {
  let rows: SizeRow[] = []
  const gzipOf = (name: string) => rows.find((row) => row.name === name)?.gzip

  beforeAll(async () => {
    rows = await measurePatkit()
  }, 60_000)

  it(`keeps patkit's own code within ${BUDGETS.ownGzip / 1000} kB gzip`, () => {
    expect(gzipOf('patkit, own code')).toBeLessThanOrEqual(BUDGETS.ownGzip)
  })

  it(`keeps patkit with react-aria-components and react-query bundled within ${BUDGETS.allInGzip / 1000} kB gzip`, () => {
    expect(gzipOf('patkit, all-in')).toBeLessThanOrEqual(BUDGETS.allInGzip)
  })

  it('measures each component src/index.ts exports on its own', () => {
    for (const name of exportedComponents()) {
      expect(gzipOf(`${name}, own code`)).toBeGreaterThan(0)
      expect(gzipOf(`${name}, all-in`)).toBeGreaterThan(0)
    }
  })
})
