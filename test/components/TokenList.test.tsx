import { describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { screen, waitFor, within } from '@testing-library/react'
import { TokenList } from '../../src/components/TokenList.tsx'
import type { ListParams } from '../../src/client/index.ts'
import type { DemoBackend } from '../../stories/support/backend.ts'
import { renderWithBackend } from './support.tsx'
import { createDemoBackend } from '../../stories/support/backend.ts'

// react-stately renders every row when NODE_ENV is 'test' unless VIRT_ON is set, and reads it from a
// `process` that browsers lack: give it one, so these tests see the real virtualization.
const runtime = globalThis as unknown as { process?: { env: Record<string, string | undefined> } }
runtime.process ??= { env: {} }
runtime.process.env.VIRT_ON = '1'

/** The list parameters of every list request the client sent (the backend logs paths only). */
function recordListParams(backend: DemoBackend): ListParams[] {
  const seen: ListParams[] = []
  const fetchKeys = backend.client.fetchPersonalApiKeys.bind(backend.client)
  backend.client.fetchPersonalApiKeys = (params, options) => {
    seen.push({ ...params })
    return fetchKeys(params, options)
  }
  return seen
}

async function backendWith(seed: (backend: DemoBackend) => Promise<unknown>, options: Parameters<typeof createDemoBackend>[0] = {}) {
  const backend = createDemoBackend(options)
  await seed(backend)
  return backend
}

const dataRows = () => screen.getAllByRole('row').filter((row) => row.closest('[role="rowgroup"]') && !row.querySelector('[role="columnheader"]'))
const rowNamed = (name: string) => screen.getByRole('row', { name: new RegExp(name) })

describe('TokenList', () => {
  it('renders a row per key with each column', async () => {
    const backend = await backendWith((b) => b.createKey('Deploy bot', { scopes: ['read:projects'] }))
    renderWithBackend(<TokenList />, { backend })
    const row = await screen.findByRole('row', { name: /Deploy bot/ })
    const cells = Array.from(row.querySelectorAll('[data-column]'))
    expect(cells.map((cell) => cell.getAttribute('data-column'))).toEqual([
      'name', 'start', 'scopes', 'createdAt', 'expiresAt', 'lastUsedAt', 'status', 'actions',
    ])
    expect(row).toHaveTextContent(/pat_\w{4}…/)
    expect(row).toHaveTextContent('read:projects')
    expect(row).toHaveTextContent('Never used')
    expect(row).toHaveTextContent('Active')
    expect(within(row).getByRole('button', { name: 'Actions for Deploy bot' })).toBeInTheDocument()
    for (const name of ['Name', 'Key', 'Scopes', 'Created', 'Expires', 'Last used', 'Status', 'Actions']) {
      expect(screen.getByRole('columnheader', { name })).toBeInTheDocument()
    }
  })
})
