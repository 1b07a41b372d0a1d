/**
 * react-stately's Virtualizer renders every row when `NODE_ENV` is `'test'` (its jsdom escape hatch)
 * unless `process.env.VIRT_ON` is set, and it reads that from a `process` that browsers lack, so under
 * vitest's browser mode a virtualized collection throws `process is not defined`. Importing this module
 * gives it one with `VIRT_ON`, so tests and story tests see the real virtualization. Elsewhere
 * (`NODE_ENV` is not `'test'`) the check never runs and this changes nothing.
 */
const runtime = globalThis as unknown as { process?: { env: Record<string, string | undefined> } }
runtime.process ??= { env: {} }
runtime.process.env.VIRT_ON = '1'

export {}
