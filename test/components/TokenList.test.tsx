import { describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import domUserEvent from '@testing-library/user-event'
import { render, screen, waitFor, within } from '@testing-library/react'
import { Button, Input, Label, SearchField } from 'react-aria-components'
import {
  TokenList,
  TokenListEmptyState,
  TokenListErrorState,
  TokenListRowContext,
  TokenListTable,
} from '../../src/components/index.ts'
import type { ListParams } from '../../src/client/index.ts'
import type { DemoBackend } from '../../stories/support/backend.ts'
import { everywhereTheTokenCouldHide, renderWithBackend } from './support.tsx'
import { createDemoBackend } from '../../stories/support/backend.ts'

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

/** Opens a row's action menu and picks an action, as a user would. */
async function chooseRowAction(keyName: string, action: 'Rotate' | 'Revoke' | 'Edit') {
  await userEvent.click(await screen.findByRole('button', { name: `Actions for ${keyName}` }))
  await userEvent.click(await screen.findByRole('menuitem', { name: action }))
}

/** Rows that show a key (not the header row, nor the loading or no-results message). */
const dataRows = () => screen.queryAllByRole('row').filter((row) => row.hasAttribute('data-status'))
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
    expect(row.querySelector('[data-column="expiresAt"] time')).toHaveAttribute('datetime')
    expect(within(row).getByRole('button', { name: 'Actions for Deploy bot' })).toBeInTheDocument()
    for (const name of ['Name', 'Key', 'Scopes', 'Created', 'Expires', 'Last used', 'Status', 'Actions']) {
      expect(screen.getByRole('columnheader', { name })).toBeInTheDocument()
    }
  })

  it('marks each row with its status, expiring soon, never used and never expires', async () => {
    // Seeded in order: active and never expiring, active expiring in 3 days, expired, revoked.
    const backend = await backendWith((b) => b.seed(4, { status: 'mixed' }))
    renderWithBackend(<TokenList defaultSort="name" />, { backend })
    const neverExpires = await screen.findByRole('row', { name: /Key 1/ })
    expect(neverExpires).toHaveAttribute('data-status', 'active')
    expect(neverExpires).toHaveAttribute('data-never-expires', 'true')
    expect(neverExpires).toHaveAttribute('data-never-used', 'true')
    expect(neverExpires).toHaveTextContent('Never')
    const soon = rowNamed('Key 2')
    expect(soon).toHaveAttribute('data-status', 'active')
    expect(soon).toHaveAttribute('data-expiring-soon', 'true')
    expect(soon).not.toHaveAttribute('data-never-used')
    expect(soon).toHaveTextContent('Expires soon')
    expect(rowNamed('Key 3')).toHaveAttribute('data-status', 'expired')
    expect(rowNamed('Key 3')).not.toHaveAttribute('data-expiring-soon')
    expect(rowNamed('Key 4')).toHaveAttribute('data-status', 'revoked')
    expect(rowNamed('Key 4')).toHaveAttribute('data-revoked', 'true')
    expect(rowNamed('Key 4').querySelector('[data-column="status"]')).toHaveTextContent('Revoked')
  })

  it('searches on the server once typing pauses, not on every keystroke', async () => {
    const backend = await backendWith((b) => b.seed(30, { status: 'active', namePrefix: 'Deploy' }).then(() => b.createKey('CI runner')))
    const params = recordListParams(backend)
    renderWithBackend(<TokenList />, { backend })
    await screen.findByRole('row', { name: /CI runner/ })
    // In-page keystrokes with no delay: a busy machine cannot stretch them past the debounce.
    await domUserEvent.setup({ delay: null }).type(screen.getByRole('searchbox', { name: 'Search keys by name' }), 'runner')
    await waitFor(() => expect(dataRows()).toHaveLength(1))
    expect(rowNamed('CI runner')).toBeInTheDocument()
    expect(params.filter((p) => p.q !== undefined).map((p) => p.q)).toEqual(['runner'])
  })

  it('announces the result count politely after a search', async () => {
    const backend = await backendWith((b) => b.seed(12, { status: 'active', namePrefix: 'Deploy' }).then(() => b.createKey('CI runner')))
    renderWithBackend(<TokenList />, { backend })
    await screen.findByRole('row', { name: /CI runner/ })
    const status = screen.getAllByRole('status').find((region) => region.classList.contains('patkit-TokenListAnnouncer'))!
    expect(status).toHaveAttribute('aria-live', 'polite')
    expect(status).toHaveTextContent('')
    await userEvent.type(screen.getByRole('searchbox'), 'Deploy')
    await waitFor(() => expect(status).toHaveTextContent('12 keys'))
    await userEvent.clear(screen.getByRole('searchbox'))
    await waitFor(() => expect(status).toHaveTextContent('13 keys'))
  })

  it('shows a no-results message when nothing matches the search', async () => {
    const backend = await backendWith((b) => b.seed(5, { status: 'active' }))
    renderWithBackend(<TokenList />, { backend })
    await screen.findByRole('row', { name: /Key 1/ })
    await userEvent.type(screen.getByRole('searchbox'), 'zzz')
    expect(await within(screen.getByRole('grid')).findByText('No keys match “zzz”.')).toHaveAttribute('data-state', 'no-results')
    expect(screen.queryByText('No API keys yet')).not.toBeInTheDocument()
  })

  it('shows the facet counts on the status filter and filters by status on the server', async () => {
    const backend = await backendWith((b) => b.seed(8, { status: 'mixed' }))
    const params = recordListParams(backend)
    renderWithBackend(<TokenList />, { backend })
    const filter = await screen.findByRole('radiogroup', { name: 'Filter keys by status' })
    await waitFor(() => expect(within(filter).getByRole('radio', { name: 'All 8' })).toBeChecked())
    expect(within(filter).getByRole('radio', { name: 'Active 4' })).not.toBeChecked()
    expect(within(filter).getByRole('radio', { name: 'Expired 2' })).toBeInTheDocument()
    await userEvent.click(within(filter).getByRole('radio', { name: 'Revoked 2' }).closest('label')!)
    await waitFor(() => expect(dataRows()).toHaveLength(2))
    expect(dataRows().every((row) => row.getAttribute('data-status') === 'revoked')).toBe(true)
    expect(params.at(-1)?.status).toBe('revoked')
    expect(within(filter).getByRole('radio', { name: 'Revoked 2' })).toBeChecked()
  })

  it('reports status changes and follows a controlled status', async () => {
    const backend = await backendWith((b) => b.seed(8, { status: 'mixed' }))
    const onStatusChange = vi.fn()
    const { rerender } = renderWithBackend(<TokenList status="expired" onStatusChange={onStatusChange} />, { backend })
    await waitFor(() => expect(dataRows()).toHaveLength(2))
    await userEvent.click(screen.getByRole('radio', { name: /^Active/ }).closest('label')!)
    expect(onStatusChange).toHaveBeenCalledWith('active')
    expect(screen.getByRole('radio', { name: /^Expired/ })).toBeChecked()
    rerender(<TokenList status="active" onStatusChange={onStatusChange} />)
    await waitFor(() => expect(dataRows()).toHaveLength(4))
  })

  it('sorts by name ascending, then descending, on the server', async () => {
    const backend = await backendWith((b) => b.seed(5, { status: 'active' }))
    const params = recordListParams(backend)
    renderWithBackend(<TokenList />, { backend })
    await screen.findByRole('row', { name: /Key 1/ })
    const names = () => dataRows().map((row) => row.querySelector('[data-column="name"]')!.textContent)
    const nameHeader = screen.getByRole('columnheader', { name: 'Name' })
    await userEvent.click(nameHeader)
    await waitFor(() => expect(names()).toEqual(['Key 1', 'Key 2', 'Key 3', 'Key 4', 'Key 5']))
    expect(params.at(-1)?.sort).toBe('name')
    expect(nameHeader).toHaveAttribute('aria-sort', 'ascending')
    await userEvent.click(nameHeader)
    await waitFor(() => expect(names()).toEqual(['Key 5', 'Key 4', 'Key 3', 'Key 2', 'Key 1']))
    expect(params.at(-1)?.sort).toBe('-name')
    expect(nameHeader).toHaveAttribute('aria-sort', 'descending')
    expect(screen.getByRole('columnheader', { name: 'Scopes' })).not.toHaveAttribute('aria-sort')
  })

  it('loads the next page by cursor when the user scrolls to the end', async () => {
    const backend = await backendWith((b) => b.seed(120, { status: 'active' }))
    const params = recordListParams(backend)
    renderWithBackend(<TokenList defaultSort="name" />, { backend })
    await screen.findByRole('row', { name: /Key 001/ })
    expect(params.filter((p) => p.cursor)).toHaveLength(0)
    const grid = screen.getByRole('grid')
    grid.scrollTop = grid.scrollHeight
    await waitFor(() => expect(params.filter((p) => p.cursor)).toHaveLength(1))
    await waitFor(() => {
      grid.scrollTop = grid.scrollHeight
      expect(screen.getByRole('row', { name: /Key 100/ })).toBeInTheDocument()
    })
    expect(grid).toHaveAttribute('aria-rowcount')
  })

  it('keeps only a window of rows in the DOM for 2,000 keys', async () => {
    const backend = await backendWith((b) => b.seed(2_000, { status: 'mixed' }))
    renderWithBackend(<TokenList pageSize={100} />, { backend })
    await waitFor(() => expect(dataRows().length).toBeGreaterThan(0))
    expect(dataRows().length).toBeLessThan(100)
    const grid = screen.getByRole('grid')
    grid.scrollTop = grid.scrollHeight
    await waitFor(() => expect(screen.getAllByRole('row').length).toBeLessThan(100))
  })

  it('renders only rows near the viewport, yet the keyboard reaches every key and each row tells its place', async () => {
    const backend = await backendWith((b) => b.seed(100, { status: 'active' }))
    renderWithBackend(<TokenList defaultSort="name" pageSize={100} />, { backend })
    await screen.findByRole('row', { name: /Key 001/ })
    const grid = screen.getByRole('grid')
    expect(grid).toHaveAttribute('aria-rowcount', '101')
    expect(rowNamed('Key 001')).toHaveAttribute('aria-rowindex', '2')
    expect(rowNamed('Key 002')).toHaveAttribute('aria-rowindex', '3')
    expect(dataRows().length).toBeLessThan(60)
    expect(screen.queryByRole('row', { name: /Key 100/ })).not.toBeInTheDocument()

    await userEvent.click(screen.getByRole('searchbox'))
    await userEvent.tab()
    await userEvent.tab()
    expect(rowNamed('Key 001')).toHaveFocus()
    await userEvent.keyboard('{Control>}{End}{/Control}')
    await waitFor(() => expect(rowNamed('Key 100')).toHaveFocus())
    expect(rowNamed('Key 100')).toHaveAttribute('aria-rowindex', '101')
    await userEvent.keyboard('{ArrowUp}')
    expect(rowNamed('Key 099')).toHaveFocus()
    await userEvent.keyboard('{Control>}{Home}{/Control}')
    await waitFor(() => expect(rowNamed('Key 001')).toHaveFocus())
    await userEvent.keyboard('{PageDown}')
    await waitFor(() => expect(Number(document.activeElement?.getAttribute('aria-rowindex'))).toBeGreaterThan(6))

    // The focused row stays rendered (and focused) while the user scrolls far away from it.
    const focused = document.activeElement!
    grid.scrollTop = grid.scrollHeight
    await waitFor(() => expect(screen.getByRole('row', { name: /Key 100/ })).toBeInTheDocument())
    expect(focused).toBeInTheDocument()
    expect(focused).toHaveFocus()
    expect(dataRows().length).toBeLessThan(60)
  })

  it('shows the rows of a shorter result after a search made while scrolled far down', async () => {
    const backend = await backendWith((b) => b.seed(100, { status: 'active' }))
    renderWithBackend(<TokenList defaultSort="name" pageSize={100} />, { backend })
    await screen.findByRole('row', { name: /Key 001/ })
    const grid = screen.getByRole('grid')
    grid.scrollTop = grid.scrollHeight
    await screen.findByRole('row', { name: /Key 100/ })
    await userEvent.fill(screen.getByRole('searchbox'), 'Key 00')
    expect(await screen.findByRole('row', { name: /Key 001/ })).toHaveAttribute('aria-rowindex', '2')
    await waitFor(() => expect(dataRows()).toHaveLength(9))
  })

  it('follows the scroll of a table that appears only after a failed first load', async () => {
    const backend = await backendWith((b) => b.seed(100, { status: 'active' }))
    backend.stickyFaults.set('GET', 'serverError')
    renderWithBackend(<TokenList defaultSort="name" pageSize={100} />, { backend })
    await screen.findByRole('alert')
    backend.stickyFaults.clear()
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
    await screen.findByRole('row', { name: /Key 001/ })
    const grid = screen.getByRole('grid')
    grid.scrollTop = grid.scrollHeight
    expect(await screen.findByRole('row', { name: /Key 100/ })).toHaveAttribute('aria-rowindex', '101')
  })

  it('moves focus between rows and cells with the arrow keys', async () => {
    const backend = await backendWith((b) => b.seed(3, { status: 'active' }))
    renderWithBackend(<TokenList defaultSort="name" />, { backend })
    await screen.findByRole('row', { name: /Key 1/ })
    await userEvent.click(screen.getByRole('searchbox'))
    // Search field, its clear button (hidden while empty), the status filter, then the grid.
    await userEvent.tab()
    await userEvent.tab()
    expect(rowNamed('Key 1')).toHaveFocus()
    await userEvent.keyboard('{ArrowDown}')
    expect(rowNamed('Key 2')).toHaveFocus()
    await userEvent.keyboard('{ArrowRight}')
    expect(rowNamed('Key 2').querySelector('[data-column="name"]')).toHaveFocus()
    await userEvent.keyboard('{ArrowDown}')
    expect(rowNamed('Key 3').querySelector('[data-column="name"]')).toHaveFocus()
  })

  it('reaches a row’s actions in one keystep: Tab from the row, Shift+Tab back', async () => {
    const backend = await backendWith((b) => b.seed(3, { status: 'active' }))
    renderWithBackend(<TokenList defaultSort="name" />, { backend })
    await screen.findByRole('row', { name: /Key 1/ })
    await userEvent.click(screen.getByRole('searchbox'))
    await userEvent.tab()
    await userEvent.tab()
    await userEvent.keyboard('{ArrowDown}')
    expect(rowNamed('Key 2')).toHaveFocus()
    await userEvent.tab()
    expect(screen.getByRole('button', { name: 'Actions for Key 2' })).toHaveFocus()
    await userEvent.tab({ shift: true })
    expect(rowNamed('Key 2')).toHaveFocus()
    // From a cell too, and the menu opens from the button by keyboard.
    await userEvent.keyboard('{ArrowRight}{ArrowRight}')
    await userEvent.tab()
    expect(screen.getByRole('button', { name: 'Actions for Key 2' })).toHaveFocus()
    await userEvent.keyboard('{Enter}')
    const menu = await screen.findByRole('menu')
    await waitFor(() => expect(within(menu).getByRole('menuitem', { name: 'Rotate' })).toHaveFocus())
    expect(screen.getByRole('button', { name: 'Actions for Key 2' })).toHaveAttribute('aria-expanded', 'true')
    await userEvent.keyboard('{Escape}')
    await waitFor(() => expect(screen.getByRole('button', { name: 'Actions for Key 2' })).toHaveFocus())
  })

  it('opens a row’s actions menu with Shift+F10 on the row', async () => {
    const backend = await backendWith((b) => b.seed(3, { status: 'active' }))
    renderWithBackend(<TokenList defaultSort="name" />, { backend })
    await screen.findByRole('row', { name: /Key 1/ })
    await userEvent.click(screen.getByRole('searchbox'))
    await userEvent.tab()
    await userEvent.tab()
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{Shift>}{F10}{/Shift}')
    const menu = await screen.findByRole('menu', { name: 'Actions for Key 3' })
    await waitFor(() => expect(within(menu).getByRole('menuitem', { name: 'Rotate' })).toHaveFocus())
  })

  it('moves to the next key whose name starts with the letters typed on a row', async () => {
    const backend = await backendWith(async (b) => {
      for (const name of ['Alpha', 'Bravo', 'Charlie', 'Cobalt']) await b.createKey(name)
    })
    renderWithBackend(<TokenList defaultSort="name" />, { backend })
    await screen.findByRole('row', { name: /Alpha/ })
    await userEvent.click(screen.getByRole('searchbox'))
    await userEvent.tab()
    await userEvent.tab()
    expect(rowNamed('Alpha')).toHaveFocus()
    await userEvent.keyboard('co')
    expect(rowNamed('Cobalt')).toHaveFocus()
  })

  it('keeps focus on the same key when the list is re-sorted', async () => {
    const backend = await backendWith((b) => b.seed(5, { status: 'active' }))
    const { rerender } = renderWithBackend(<TokenList sort="name" />, { backend })
    await screen.findByRole('row', { name: /Key 1/ })
    await userEvent.click(screen.getByRole('searchbox'))
    await userEvent.tab()
    await userEvent.tab()
    await userEvent.keyboard('{ArrowDown}')
    expect(rowNamed('Key 2')).toHaveFocus()
    rerender(<TokenList sort="-name" />)
    await waitFor(() => expect(rowNamed('Key 2')).toHaveAttribute('aria-rowindex', '5'))
    expect(rowNamed('Key 2')).toHaveFocus()
    await userEvent.keyboard('{ArrowDown}')
    expect(rowNamed('Key 1')).toHaveFocus()
  })

  it('shows the empty state with a create button that calls onCreateRequest', async () => {
    const onCreateRequest = vi.fn()
    renderWithBackend(<TokenList onCreateRequest={onCreateRequest} />)
    expect(await screen.findByText('No API keys yet')).toBeVisible()
    expect(screen.queryByRole('grid')).not.toBeInTheDocument()
    await userEvent.click(screen.getByRole('button', { name: 'Create a key' }))
    expect(onCreateRequest).toHaveBeenCalledOnce()
  })

  it('shows the empty state without a create button when there is no onCreateRequest', async () => {
    renderWithBackend(<TokenList />)
    expect(await screen.findByText('No API keys yet')).toBeVisible()
    expect(screen.queryByRole('button', { name: 'Create a key' })).not.toBeInTheDocument()
  })

  it('shows a loading message in the table while the first page loads', async () => {
    const backend = await backendWith((b) => b.seed(3, { status: 'active' }), { latencyMs: 300 })
    const { container } = renderWithBackend(<TokenList />, { backend })
    expect(await screen.findByText('Loading keys…')).toHaveAttribute('data-state', 'loading')
    expect(container.querySelector('.patkit-TokenList')).toHaveAttribute('data-loading', 'true')
    expect(await screen.findByRole('row', { name: /Key 1/ })).toHaveAttribute('data-status', 'active')
    expect(container.querySelector('.patkit-TokenList')).not.toHaveAttribute('data-loading')
  })

  it.each([
    ['serverError', 'unexpectedOrUnhandled', 'Something went wrong on our side.'],
    ['rateLimited', 'rateLimited', 'Too many requests. Try again in 1 second.'],
    ['unavailable', 'unexpectedOrUnhandled', 'The service is busy. Try again in 1 second.'],
    ['offline', 'unexpectedOrUnhandled', 'Could not reach the server. Check your connection and try again.'],
    ['malformed', 'unexpectedOrUnhandled', 'The server sent an answer that could not be read. Try again.'],
  ] as const)('shows the %s error with a retry that loads the keys once the server recovers', async (fault, kind, message) => {
    const backend = await backendWith((b) => b.seed(3, { status: 'active' }))
    backend.stickyFaults.set('GET', fault)
    backend.retryAfterSeconds = 1
    const { container } = renderWithBackend(<TokenList />, { backend })
    expect(await screen.findByRole('alert')).toHaveTextContent(message)
    expect(container.querySelector('.patkit-TokenListErrorState')).toHaveAttribute('data-error', kind)
    expect(container.querySelector('.patkit-TokenList')).toHaveAttribute('data-error', kind)
    expect(screen.queryByRole('grid')).not.toBeInTheDocument()
    backend.stickyFaults.clear()
    // After a 429 or 503 the button waits out the second the server asked for.
    const retry = await screen.findByRole('button', { name: 'Try again' })
    await vi.waitFor(() => expect(retry).toBeEnabled())
    await userEvent.click(retry)
    expect(await screen.findByRole('row', { name: /Key 1/ })).toHaveAttribute('data-status', 'active')
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
  })

  it.each([
    ['forbidden', 'noPersonalApiKeyPermission', 'Your role does not allow personal API keys. Ask an administrator.'],
    ['disabled', 'personalApiKeysDisabled', 'Your organization has turned personal API keys off.'],
  ] as const)('shows the %s error without a retry, since retrying cannot help', async (fault, kind, message) => {
    const backend = await backendWith((b) => b.seed(3, { status: 'active' }))
    backend.stickyFaults.set('GET', fault)
    const { container } = renderWithBackend(<TokenList />, { backend })
    expect(await screen.findByRole('alert')).toHaveTextContent(message)
    expect(container.querySelector('.patkit-TokenListErrorState')).toHaveAttribute('data-error', kind)
    expect(container.querySelector('.patkit-TokenListErrorState')).not.toHaveAttribute('data-can-retry')
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument()
  })

  it.each([
    ['rateLimited', 'Too many requests. Try again in 2 seconds.'],
    ['unavailable', 'The service is busy. Try again in 2 seconds.'],
  ] as const)('after a %s answer, counts down the Retry-After with Retry disabled, then retries', async (fault, message) => {
    const backend = await backendWith((b) => b.seed(3, { status: 'active' }))
    backend.faults.push(fault)
    backend.retryAfterSeconds = 2
    const { container } = renderWithBackend(<TokenList />, { backend })
    expect(await screen.findByRole('alert')).toHaveTextContent(message)
    const retry = screen.getByRole('button', { name: /^Try again in \d sec/ })
    expect(retry).toBeDisabled()
    expect(container.querySelector('.patkit-TokenListErrorState')).toHaveAttribute('data-retry-in-seconds')
    await vi.waitFor(() => expect(retry).toHaveAccessibleName('Try again'), { timeout: 5_000 })
    expect(retry).toBeEnabled()
    expect(container.querySelector('.patkit-TokenListErrorState')).not.toHaveAttribute('data-retry-in-seconds')
    await userEvent.click(retry)
    expect(await screen.findByRole('row', { name: /Key 1/ })).toHaveAttribute('data-status', 'active')
  })

  it('reports a 401 to the provider’s onUnauthorized', async () => {
    const { unauthorized } = renderWithBackend(<TokenList />, { session: 'signedOut' })
    expect(await screen.findByRole('alert')).toHaveTextContent('You are signed out.')
    expect(unauthorized).toHaveLength(1)
  })

  it('signed out: one sentence, a Sign in button that calls onUnauthorized instead of a retry, and search and filter disabled', async () => {
    const { unauthorized, container } = renderWithBackend(<TokenList />, { session: 'signedOut' })
    expect(await screen.findByRole('alert')).toHaveTextContent('You are signed out. Sign in again to manage your API keys.')
    const state = container.querySelector<HTMLElement>('.patkit-TokenListErrorState')!
    expect(state).not.toHaveAttribute('data-can-retry')
    expect(within(state).queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument()
    expect(screen.getByRole('searchbox', { name: 'Search keys by name' })).toBeDisabled()
    for (const radio of within(screen.getByRole('radiogroup', { name: 'Filter keys by status' })).getAllByRole('radio')) expect(radio).toBeDisabled()
    await userEvent.click(within(state).getByRole('button', { name: 'Sign in' }))
    expect(unauthorized).toHaveLength(2)
  })

  it('without permission: the server’s sentence, no action, and search and filter disabled', async () => {
    const { container } = renderWithBackend(<TokenList />, { session: 'viewer' })
    expect(await screen.findByRole('alert')).toHaveTextContent('You do not have permission to manage personal API keys.')
    expect(within(container.querySelector<HTMLElement>('.patkit-TokenListErrorState')!).queryByRole('button')).not.toBeInTheDocument()
    expect(screen.getByRole('searchbox')).toBeDisabled()
    expect(screen.getByRole('radiogroup', { name: 'Filter keys by status' })).toHaveAttribute('aria-disabled', 'true')
  })

  it('shows no actions button for a revoked key, since no action applies, and its actions cell still takes focus', async () => {
    const backend = await backendWith(async (b) => {
      await b.seed(1, { status: 'revoked', namePrefix: 'Old' })
      await b.createKey('Deploy bot')
    })
    renderWithBackend(<TokenList defaultSort="name" />, { backend })
    const revoked = await screen.findByRole('row', { name: /Old 1/ })
    expect(revoked).toHaveAttribute('data-revoked', 'true')
    expect(within(revoked).queryByRole('button')).not.toBeInTheDocument()
    expect(within(rowNamed('Deploy bot')).getByRole('button', { name: 'Actions for Deploy bot' })).toBeInTheDocument()
    // The keyboard still walks to the revoked row's last cell (no button to hand the tab stop to).
    await userEvent.click(screen.getByRole('searchbox'))
    await userEvent.tab()
    await userEvent.tab()
    await userEvent.keyboard('{ArrowDown}{ArrowRight}{End}')
    expect(revoked.querySelector('[data-column="actions"]')).toHaveFocus()
    // Shift+F10 on it opens nothing.
    await userEvent.keyboard('{Shift>}{F10}{/Shift}')
    expect(screen.queryByRole('menu')).not.toBeInTheDocument()
  })

  it('lists Revoke last in the row menu, set apart by a separator', async () => {
    const backend = await backendWith((b) => b.createKey('Deploy bot'))
    renderWithBackend(<TokenList />, { backend })
    await userEvent.click(await screen.findByRole('button', { name: 'Actions for Deploy bot' }))
    const menu = await screen.findByRole('menu')
    const items = within(menu).getAllByRole('menuitem')
    expect(items.map((item) => item.textContent)).toEqual(['Rotate', 'Edit', 'Revoke'])
    const separator = within(menu).getByRole('separator')
    // The separator sits between Edit and Revoke.
    expect(items[1]!.compareDocumentPosition(separator) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
    expect(separator.compareDocumentPosition(items[2]!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
  })

  it('keeps focus on a row’s actions button focused from code, and opens its menu from there', async () => {
    const backend = await backendWith((b) => b.seed(3, { status: 'active' }))
    renderWithBackend(<TokenList defaultSort="name" />, { backend })
    await screen.findByRole('row', { name: /Key 1/ })
    const button = screen.getByRole('button', { name: 'Actions for Key 2' })
    button.focus()
    await expect.poll(() => document.activeElement).toBe(button)
    await userEvent.keyboard('{Enter}')
    const menu = await screen.findByRole('menu', { name: 'Actions for Key 2' })
    await waitFor(() => expect(within(menu).getByRole('menuitem', { name: 'Rotate' })).toHaveFocus())
  })

  it('calls onAction instead of opening its own dialog when given', async () => {
    const backend = await backendWith((b) => b.createKey('Deploy bot'))
    const onAction = vi.fn()
    renderWithBackend(<TokenList onAction={onAction} />, { backend })
    await chooseRowAction('Deploy bot', 'Rotate')
    expect(onAction).toHaveBeenCalledWith('rotate', expect.objectContaining({ name: 'Deploy bot' }))
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
  })

  it('shows a revoke at once and keeps it when the server confirms', async () => {
    const backend = await backendWith((b) => b.createKey('Deploy bot'))
    const onRevoked = vi.fn()
    renderWithBackend(<TokenList onRevoked={onRevoked} />, { backend })
    await chooseRowAction('Deploy bot', 'Revoke')
    const dialog = await screen.findByRole('alertdialog')
    backend.latencyMs = 400
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }))
    const row = rowNamed('Deploy bot')
    await waitFor(() => expect(row).toHaveAttribute('data-status', 'revoked'))
    expect(onRevoked).not.toHaveBeenCalled()
    await waitFor(() => expect(onRevoked).toHaveBeenCalledOnce())
    expect(rowNamed('Deploy bot')).toHaveAttribute('data-status', 'revoked')
    expect(rowNamed('Deploy bot').querySelector('[data-column="status"]')).toHaveTextContent('Revoked')
  })

  it('rolls a revoke back when the server answers 500', async () => {
    const backend = await backendWith((b) => b.createKey('Deploy bot'))
    renderWithBackend(<TokenList />, { backend })
    await chooseRowAction('Deploy bot', 'Revoke')
    const dialog = await screen.findByRole('alertdialog')
    backend.latencyMs = 300
    backend.faults.push('serverError')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }))
    await waitFor(() => expect(rowNamed('Deploy bot')).toHaveAttribute('data-status', 'revoked'))
    await waitFor(() => expect(rowNamed('Deploy bot')).toHaveAttribute('data-status', 'active'))
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Something went wrong on our side.')
  })

  it('rotates from the row menu: the old key shows revoked, the new one joins the list, and the token leaves with the reveal', async () => {
    const backend = await backendWith((b) => b.createKey('Deploy bot'))
    const onRotated = vi.fn()
    const { queryClient } = renderWithBackend(<TokenList onRotated={onRotated} />, { backend })
    const oldRow = await screen.findByRole('row', { name: /Deploy bot/ })
    const oldId = oldRow.getAttribute('data-key')
    await chooseRowAction('Deploy bot', 'Rotate')
    const dialog = await screen.findByRole('dialog', { name: 'Rotate “Deploy bot”?' })
    await userEvent.click(within(dialog).getByRole('button', { name: 'Rotate key' }))
    const token = ((await screen.findByRole('textbox', { name: 'Your new API key' })) as HTMLInputElement).value
    expect(token).toMatch(/^pat_/)
    await waitFor(() => expect(dataRows().map((row) => row.getAttribute('data-status')).sort()).toEqual(['active', 'revoked']))
    expect(dataRows().find((row) => row.getAttribute('data-key') === oldId)).toHaveAttribute('data-status', 'revoked')
    expect(onRotated).toHaveBeenCalledWith(expect.objectContaining({ previous: expect.objectContaining({ id: oldId }) }))
    expect(JSON.stringify(onRotated.mock.calls)).not.toContain(token)

    await userEvent.click(screen.getByRole('checkbox', { name: 'I have saved this key' }).closest('label')!)
    await userEvent.click(screen.getByRole('button', { name: 'Done' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    expect(everywhereTheTokenCouldHide(queryClient)).not.toContain(token)
  })

  it('renames a key from its Edit dialog and announces it', async () => {
    const backend = await backendWith((b) => b.createKey('Deploy bot'))
    const onRenamed = vi.fn()
    renderWithBackend(<TokenList onRenamed={onRenamed} />, { backend })
    await chooseRowAction('Deploy bot', 'Edit')
    const dialog = await screen.findByRole('dialog', { name: 'Edit “Deploy bot”' })
    const field = within(dialog).getByRole('textbox', { name: 'Name' })
    await userEvent.clear(field)
    await userEvent.type(field, 'Release bot')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect(await screen.findByRole('row', { name: /Release bot/ })).toHaveAttribute('data-status', 'active')
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    expect(onRenamed).toHaveBeenCalledWith(expect.objectContaining({ name: 'Release bot' }))
    expect(screen.getByText('Key “Release bot” saved.')).toBeInTheDocument()
  })

  it('shows name_taken on the field and keeps the dialog open', async () => {
    const backend = await backendWith(async (b) => {
      await b.createKey('Deploy bot')
      await b.createKey('Release bot')
    })
    renderWithBackend(<TokenList />, { backend })
    await chooseRowAction('Deploy bot', 'Edit')
    const dialog = await screen.findByRole('dialog')
    const field = within(dialog).getByRole('textbox', { name: 'Name' })
    await userEvent.clear(field)
    await userEvent.type(field, 'Release bot')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'))
    expect(field).toHaveAccessibleDescription(/already/i)
    expect(screen.getByRole('dialog')).toBeInTheDocument()
    expect(rowNamed('Deploy bot')).toBeInTheDocument()
  })

  it('refuses an empty name without asking the server', async () => {
    const backend = await backendWith((b) => b.createKey('Deploy bot'))
    const params: string[] = []
    const update = backend.client.updatePersonalApiKey.bind(backend.client)
    backend.client.updatePersonalApiKey = (id, input, options) => {
      params.push(input.name!)
      return update(id, input, options)
    }
    renderWithBackend(<TokenList />, { backend })
    await chooseRowAction('Deploy bot', 'Edit')
    const dialog = await screen.findByRole('dialog')
    const field = within(dialog).getByRole('textbox', { name: 'Name' })
    await userEvent.clear(field)
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect(await within(dialog).findByText('Enter a name for the key.')).toBeVisible()
    expect(params).toEqual([])
  })

  it('wires the app’s own search field and buttons dropped into custom children through slots', async () => {
    const backend = await backendWith((b) => b.createKey('Deploy bot'))
    const params = recordListParams(backend)
    backend.faults.push('serverError')
    renderWithBackend(
      <TokenList>
        <SearchField slot="search">
          <Label>Find a key</Label>
          <Input />
        </SearchField>
        <TokenListErrorState>
          <Button slot="retry">Load again</Button>
        </TokenListErrorState>
        <TokenListTable />
      </TokenList>,
      { backend },
    )
    await userEvent.click(await screen.findByRole('button', { name: 'Load again' }))
    await screen.findByRole('row', { name: /Deploy bot/ })
    await userEvent.type(screen.getByRole('searchbox', { name: 'Find a key' }), 'zzz')
    await waitFor(() => expect(params.at(-1)?.q).toBe('zzz'))
  })

  it('wires a custom create button in a custom empty state', async () => {
    const onCreateRequest = vi.fn()
    renderWithBackend(
      <TokenList onCreateRequest={onCreateRequest}>
        <TokenListEmptyState>
          <p>Nothing here.</p>
          <Button slot="create">New key</Button>
        </TokenListEmptyState>
      </TokenList>,
    )
    await userEvent.click(await screen.findByRole('button', { name: 'New key' }))
    expect(onCreateRequest).toHaveBeenCalledOnce()
  })

  it('styles rows through TokenListRowContext with a className function of the row’s render props', async () => {
    const backend = await backendWith((b) => b.seed(4, { status: 'mixed' }))
    renderWithBackend(
      <TokenListRowContext.Provider value={{ className: ({ status, isExpiringSoon }) => `row-${status}${isExpiringSoon ? ' soon' : ''}` }}>
        <TokenList defaultSort="name" />
      </TokenListRowContext.Provider>,
      { backend },
    )
    expect(await screen.findByRole('row', { name: /Key 2/ })).toHaveClass('row-active', 'soon')
    expect(rowNamed('Key 4')).toHaveClass('row-revoked')
    expect(rowNamed('Key 4')).not.toHaveClass('patkit-TokenListRow')
  })

  it('names itself when the provider is missing', () => {
    expect(() => render(<TokenList />)).toThrow('patkit: <TokenList> must be inside <AuthFrontendApisProvider>')
  })

  it('applies the default class, a className function, ref and DOM props on the root', async () => {
    const ref = { current: null as HTMLDivElement | null }
    renderWithBackend(
      <TokenList ref={ref} id="keys" data-testid="keys" className={({ isLoading }) => (isLoading ? 'loading' : 'ready')} />,
    )
    const root = screen.getByTestId('keys')
    expect(ref.current).toBe(root)
    expect(root).toHaveAttribute('id', 'keys')
    expect(root).toHaveClass('loading')
    await waitFor(() => expect(root).toHaveClass('ready'))
    expect(root).toHaveAttribute('data-empty', 'true')
  })
})
