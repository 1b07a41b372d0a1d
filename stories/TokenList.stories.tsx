import { useState } from 'react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import { I18nProvider } from 'react-aria-components'
import {
  TokenList,
  TokenListRowContext,
  TokenListStatusTabs,
  TokenListTable,
  TokenListSearch,
  type TokenListProps,
  type TokenListStatusFilter,
} from '../src/components/index.ts'
import { backendOf, loadBackend, withBackend } from './support/withBackend.tsx'
import { seedKeyShowcase, SHOWCASE_DESCRIPTION } from './support/backend.ts'

// The kit ships unstyled; just enough here to read the list as a table. Plain CSS on the parts'
// default classes and `data-*` attributes.
const css = `
.patkit-TokenList { font-family: system-ui, sans-serif; color: #1a1a1a; background: #fff; display: grid; gap: 0.75rem; max-width: 72rem; --patkit-token-list-height: 26rem; container: key-list / inline-size; }
/* Narrower than 50rem (the space the list is given, not the window): a card per key. */
@container key-list (width < 50rem) { .patkit-TokenList > * { --patkit-token-list-layout: cards; } }
.patkit-TokenListSearch { display: flex; gap: 0.5rem; align-items: center; }
.patkit-TokenListSearch input { padding: 0.25rem 0.5rem; min-width: 16rem; }
.patkit-TokenListSearch[data-empty] button { visibility: hidden; }
.patkit-TokenListStatusTabs { display: flex; gap: 0.25rem; }
.patkit-TokenListStatusTab { border: 1px solid #6b6b6b; background: #fff; color: #1a1a1a; padding: 0.25rem 0.75rem; border-radius: 999px; }
.patkit-TokenListStatusTab[data-selected] { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
.patkit-TokenListTable { border: 1px solid #d0d0d0; border-radius: 6px; }
.patkit-TokenListTable:focus-visible, .patkit-TokenListRow:focus-visible, .patkit-TokenListCell:focus-visible { outline: 2px solid #1d4ed8; outline-offset: -2px; }
.patkit-TokenListHeader { background: #f3f3f3; }
.patkit-TokenListColumn { text-align: start; font-weight: 600; padding: 0 0.5rem; display: flex; align-items: center; cursor: default; }
.patkit-TokenListColumn[aria-sort='ascending']::after { content: ' ▲'; }
.patkit-TokenListColumn[aria-sort='descending']::after { content: ' ▼'; }
.patkit-TokenListRow { border-bottom: 1px solid #e5e5e5; }
.patkit-TokenListRow[data-revoked] { color: #4d4d4d; }
.patkit-TokenListCell { padding: 0 0.5rem; display: flex; flex-wrap: wrap; align-items: center; align-content: center; column-gap: 0.25rem; overflow: hidden; white-space: nowrap; text-align: start; font-weight: normal; }
.patkit-TokenListCell > :is(.patkit-TokenListValue, .patkit-TokenListDescription, .patkit-TokenListBadge) { flex: 1 1 0; min-width: 0; overflow: hidden; text-overflow: ellipsis; }
.patkit-TokenListCell > :is(.patkit-TokenListDescription, .patkit-TokenListBadge) { flex-basis: 100%; font-size: 0.8125rem; }
.patkit-TokenListCell[data-column='name'] > .patkit-TokenListValue { font-weight: 600; }
.patkit-TokenListDate, .patkit-TokenListDescription, .patkit-TokenListCellLabel { color: #4d4d4d; }
.patkit-TokenListCellLabel { flex: none; }
.patkit-TokenListCellLabel::after { content: ':'; }
.patkit-TokenListTable[data-layout='cards'] .patkit-TokenListHeader tr { gap: 0.75rem; padding: 0 0.75rem; }
.patkit-TokenListTable[data-layout='cards'] .patkit-TokenListRow { padding: 0.75rem; line-height: 1.35; }
.patkit-TokenListTable[data-layout='cards'] .patkit-TokenListCell { padding: 0; }
.patkit-TokenListStatus { padding: 0 0.5rem; border-radius: 4px; }
.patkit-TokenListStatus[data-status='active'] { background: #dcfce7; color: #14532d; }
.patkit-TokenListStatus[data-status='expired'] { background: #fef3c7; color: #713f12; }
.patkit-TokenListStatus[data-status='revoked'] { background: #fee2e2; color: #7f1d1d; }
.patkit-TokenListExpiresSoon { color: #713f12; font-weight: 600; }
.patkit-TokenListReplaced { color: #4d4d4d; font-weight: 600; }
.patkit-TokenListBodyMessage, .patkit-TokenListLoadingMore { padding: 1rem; }
.patkit-TokenListEmptyState, .patkit-TokenListErrorState { border: 1px dashed #6b6b6b; border-radius: 6px; padding: 1.5rem; }
.patkit-TokenListErrorMessage { color: #b3261e; }
.patkit-TokenListActionsButton { border: 0; background: transparent; color: inherit; padding: 0.25rem; }
.patkit-TokenListActionsMenu { background: #fff; border: 1px solid #d0d0d0; border-radius: 6px; padding: 0.25rem; min-width: 8rem; font-family: system-ui, sans-serif; }
.patkit-TokenListAction { padding: 0.25rem 0.75rem; color: #1a1a1a; }
.patkit-TokenListAction[data-focused] { background: #e8eefc; }
.patkit-TokenListAction[data-disabled] { color: #5c5c5c; }
.patkit-TokenListActionsSeparator { height: 1px; border: 0; margin: 0.25rem 0; background: #d0d0d0; }
.patkit-RenameDialogOverlay, .patkit-RevokeDialogOverlay { position: fixed; inset: 0; display: grid; place-items: center; background: rgb(0 0 0 / 0.5); }
.patkit-RenameDialog, .patkit-RevokeDialog { background: #fff; color: #1a1a1a; padding: 1.5rem; border-radius: 8px; font-family: system-ui, sans-serif; max-width: 30rem; }
.patkit-RenameDialogForm { display: grid; gap: 0.5rem; }
`

const meta: Meta<typeof TokenList> = {
  title: 'Components/TokenList',
  component: TokenList,
  decorators: [withBackend],
  loaders: [loadBackend({}, (backend) => backend.seed(25, { status: 'mixed' }))],
  render: (args) => (
    <>
      <style>{css}</style>
      <TokenList {...args} />
    </>
  ),
  parameters: {
    docs: {
      description: {
        component: `The signed-in user's personal API keys: search, status filter, a sortable
react-aria \`Table\` (keyboard grid navigation) that renders only the rows near the viewport and loads further pages as the user scrolls, row actions
(rotate, revoke, rename), and its loading, empty, no-results and error states.

Anatomy (default children; each part reads the list's state from \`TokenListStateContext\`):

\`\`\`tsx
<TokenList status={status} onStatusChange={setStatus} onCreateRequest={…}>
  <TokenListSearch />          {/* or your own <SearchField slot="search"> */}
  <TokenListStatusTabs />      {/* <TokenListStatusTab status="active" /> … */}
  <TokenListErrorState />      {/* <Button slot="retry"> */}
  <TokenListEmptyState />      {/* <Button slot="create"> */}
  <TokenListTable />           {/* rows are <TokenListRow>; style them through TokenListRowContext */}
</TokenList>
\`\`\``,
      },
    },
  },
}
export default meta
type Story = StoryObj<typeof TokenList>

const body = (canvasElement: HTMLElement) => within(canvasElement.ownerDocument.body)
/** Rows that show a key (not the header row, nor a loading or no-results message). */
const keyRows = (canvasElement: HTMLElement) =>
  within(canvasElement).queryAllByRole('row').filter((row) => row.hasAttribute('data-status'))

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(keyRows(canvasElement).length).toBeGreaterThan(0))
    await expect(canvas.getByRole('grid', { name: 'Personal API keys' })).toBeVisible()
    await expect(canvas.getByRole('radio', { name: 'All 25' })).toBeChecked()
  },
}

/** A slow backend: the table says it is loading until the first page arrives. */
export const Loading: Story = {
  loaders: [loadBackend({ latencyMs: 4_000 }, (backend) => backend.seed(25, { status: 'mixed' }))],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText('Loading keys…')).toBeVisible()
    await expect(canvasElement.querySelector('.patkit-TokenList')).toHaveAttribute('data-loading', 'true')
  },
}

export const Empty: Story = {
  loaders: [loadBackend()],
  args: { onCreateRequest: fn() },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText('No API keys yet')).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'Create a key' }))
    await expect(args.onCreateRequest).toHaveBeenCalledOnce()
  },
}

export const NoResults: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(keyRows(canvasElement).length).toBeGreaterThan(0))
    await userEvent.type(canvas.getByRole('searchbox', { name: 'Search keys by name' }), 'nothing like this')
    // The search waits for typing to pause, then asks the server: on a busy machine that is more than findBy's 1 s.
    await expect(await within(canvas.getByRole('grid')).findByText('No keys match “nothing like this”.', {}, { timeout: 10_000 })).toBeVisible()
    await waitFor(() => expect(canvas.getByRole('radio', { name: 'All 0' })).toBeChecked())
  },
}

/** Signed out: the list says so (and the provider's `onUnauthorized` is told). */
export const Unauthorized: Story = {
  loaders: [loadBackend({ session: 'signedOut' })],
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole('alert')).toHaveTextContent('You are signed out.')
  },
}

/** Signed in as someone whose role may not manage personal API keys. */
export const Forbidden: Story = {
  loaders: [loadBackend({ session: 'viewer' })],
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole('alert')).toHaveTextContent(/permission|not allow/i)
  },
}

export const RateLimited: Story = {
  loaders: [loadBackend({}, (backend) => backend.stickyFaults.set('GET', 'rateLimited'))],
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole('alert')).toHaveTextContent('Too many requests. Try again in 30 seconds.')
  },
}

/** A 500, then the server recovers and Try again loads the keys. */
export const ServerError: Story = {
  loaders: [
    loadBackend({}, async (backend) => {
      await backend.seed(25, { status: 'mixed' })
      backend.stickyFaults.set('GET', 'serverError')
    }),
  ],
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByRole('alert')).toHaveTextContent('Something went wrong on our side.')
    backendOf(loaded).stickyFaults.clear()
    await userEvent.click(canvas.getByRole('button', { name: 'Try again' }))
    await waitFor(() => expect(keyRows(canvasElement).length).toBeGreaterThan(0))
  },
}

export const Offline: Story = {
  loaders: [loadBackend({}, (backend) => backend.stickyFaults.set('GET', 'offline'))],
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole('alert')).toHaveTextContent('Could not reach the server.')
  },
}

/** 120 keys, 50 a page; the next page is slow, so scrolling to the end shows the loading row. */
export const LoadingMore: Story = {
  loaders: [loadBackend({}, (backend) => backend.seed(120, { status: 'mixed' }))],
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(keyRows(canvasElement).length).toBeGreaterThan(0))
    backendOf(loaded).latencyMs = 3_000
    const grid = canvas.getByRole('grid')
    grid.scrollTop = grid.scrollHeight
    await expect(await canvas.findByText('Loading more keys…')).toBeInTheDocument()
  },
}

/** 10,000 keys: only the rows in view (and a few around them) are in the DOM. */
export const TenThousandKeys: Story = {
  loaders: [loadBackend({}, (backend) => backend.seed(10_000, { status: 'mixed' }))],
  args: { pageSize: 100 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(canvas.getByRole('radio', { name: /^All 10,000$/ })).toBeInTheDocument())
    await expect(keyRows(canvasElement).length).toBeLessThan(60)
  },
}

export const LongNames: Story = {
  loaders: [
    loadBackend({}, async (backend) => {
      await backend.seed(6, {
        status: 'mixed',
        namePrefix: 'Nightly reconciliation of the payments ledger against the bank statements for every region (eu-west-1, us-east-2, ap-southeast-1)',
        scopes: ['read:projects', 'write:projects', 'admin:billing'],
      })
    }),
  ],
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(keyRows(canvasElement)).toHaveLength(6))
  },
}

/**
 * What a row can say: a description under the name, "Expires soon" and "Replaced — expires in 1 hour"
 * (a key rotated with a grace period) inside the expiry cell, with the relative and the absolute date.
 */
export const DescriptionsAndBadges: Story = {
  loaders: [loadBackend({}, seedKeyShowcase)],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const grid = await canvas.findByRole('grid')
    await waitFor(() => expect(keyRows(canvasElement)).toHaveLength(7))
    await expect(grid).toHaveAttribute('data-layout', 'table')
    await expect(canvas.getByTitle(SHOWCASE_DESCRIPTION)).toBeVisible()
    await expect(canvas.getByText('Expires soon')).toBeVisible()
    await expect(canvas.getByText('Replaced — expires in 1 hour')).toBeVisible()
  },
}

/**
 * In a 20rem column (a phone, a side panel, 400 % zoom) each key is a card with the same facts,
 * status, badges and actions: the list's container query sets `--patkit-token-list-layout: cards`.
 * Still a grid to assistive technology, with the same keyboard navigation; Revoke is last in the menu.
 */
export const Narrow: Story = {
  loaders: [loadBackend({}, seedKeyShowcase)],
  render: (args) => (
    <div style={{ width: '20rem', maxWidth: '100%' }}>
      <style>{css}</style>
      <TokenList {...args} />
    </div>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const grid = await canvas.findByRole('grid')
    await waitFor(() => expect(grid).toHaveAttribute('data-layout', 'cards'))
    await waitFor(() => expect(keyRows(canvasElement).length).toBeGreaterThan(1))
    const [card] = within(grid).getAllByRole('row', { name: /CI deploy/ })
    await expect(within(card!).getByText('GitHub Actions, main branch')).toBeVisible()
    await userEvent.click(within(card!).getByRole('button', { name: 'Actions for CI deploy' }))
    const menu = await body(canvasElement).findByRole('menu')
    await expect(within(menu).getAllByRole('menuitem').map((item) => item.textContent)).toEqual(['Rotate', 'Edit', 'Revoke'])
    await userEvent.keyboard('{Escape}')
  },
}

/** The card layout in Arabic, right to left. */
export const NarrowRTL: Story = {
  loaders: [loadBackend({}, seedKeyShowcase)],
  render: (args) => (
    <I18nProvider locale="ar-EG">
      <div dir="rtl" style={{ width: '20rem', maxWidth: '100%' }}>
        <style>{css}</style>
        <TokenList {...args} />
      </div>
    </I18nProvider>
  ),
  play: async ({ canvasElement }) => {
    const grid = await within(canvasElement).findByRole('grid')
    await waitFor(() => expect(grid).toHaveAttribute('data-layout', 'cards'))
    await waitFor(() => expect(keyRows(canvasElement).length).toBeGreaterThan(1))
  },
}

export const RTL: Story = {
  render: (args) => (
    <I18nProvider locale="ar-EG">
      <div dir="rtl">
        <style>{css}</style>
        <TokenList {...args} />
      </div>
    </I18nProvider>
  ),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(keyRows(canvasElement).length).toBeGreaterThan(0))
  },
}

/** The app owns the status filter (e.g. in its URL) and the list follows it. */
function ControlledStatus(args: TokenListProps) {
  const [status, setStatus] = useState<TokenListStatusFilter>('revoked')
  return (
    <>
      <style>{css}</style>
      <p>
        Showing: <output>{status}</output>{' '}
        <button type="button" onClick={() => setStatus('all')}>
          Show all keys
        </button>
      </p>
      <TokenList {...args} status={status} onStatusChange={setStatus} />
    </>
  )
}

export const StatusFilterControlled: Story = {
  render: (args) => <ControlledStatus {...args} />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(keyRows(canvasElement).length).toBeGreaterThan(0))
    await expect(keyRows(canvasElement).every((row) => row.getAttribute('data-status') === 'revoked')).toBe(true)
    await userEvent.click(canvas.getByRole('radio', { name: /^Active/ }))
    await waitFor(() => expect(canvasElement.querySelector('output')).toHaveTextContent('active'))
    await userEvent.click(canvas.getByRole('button', { name: 'Show all keys' }))
    await waitFor(() => expect(canvas.getByRole('radio', { name: /^All/ })).toBeChecked())
  },
}

/** Revoke from the row menu: the row shows Revoked at once; the server answers a moment later. */
export const RevokeFromRow: Story = {
  loaders: [loadBackend({}, (backend) => backend.createKey('Deploy bot'))],
  play: async ({ canvasElement, loaded }) => {
    const page = body(canvasElement)
    await userEvent.click(await page.findByRole('button', { name: 'Actions for Deploy bot' }))
    await userEvent.click(await page.findByRole('menuitem', { name: 'Revoke' }))
    const dialog = await page.findByRole('alertdialog')
    backendOf(loaded).latencyMs = 1_000
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }))
    await waitFor(() => expect(page.getByRole('row', { name: /Deploy bot/ })).toHaveAttribute('data-status', 'revoked'))
    await waitFor(() => expect(page.queryByRole('alertdialog')).toBeNull(), { timeout: 3_000 })
  },
}

/** Edit (rename) from the row menu; a name already in use shows on the field. */
export const RenameFromRow: Story = {
  loaders: [
    loadBackend({}, async (backend) => {
      await backend.createKey('Deploy bot')
      await backend.createKey('Release bot')
    }),
  ],
  play: async ({ canvasElement }) => {
    const page = body(canvasElement)
    await userEvent.click(await page.findByRole('button', { name: 'Actions for Deploy bot' }))
    await userEvent.click(await page.findByRole('menuitem', { name: 'Edit' }))
    const dialog = await page.findByRole('dialog', { name: 'Edit “Deploy bot”' })
    const field = within(dialog).getByRole('textbox', { name: 'Name' })
    await userEvent.clear(field)
    await userEvent.type(field, 'Release bot')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'))
    await userEvent.clear(field)
    await userEvent.type(field, 'Deploy bot (staging)')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    await expect(await page.findByRole('row', { name: /Deploy bot \(staging\)/ })).toBeInTheDocument()
  },
}

/**
 * A backend that declares `capabilities: { search: false, statusFilter: false, sort: [], rotate: false, rename: false }`
 * (an adapter over a simpler API): no search box, no status tabs, no sortable columns, and the row menu offers Revoke only.
 */
export const ReducedCapabilityBackend: Story = {
  loaders: [
    loadBackend({ capabilities: { search: false, statusFilter: false, sort: [], rotate: false, rename: false } }, (backend) =>
      backend.seed(6, { status: 'active' }),
    ),
  ],
  play: async ({ canvasElement }) => {
    const page = body(canvasElement)
    await waitFor(() => expect(keyRows(canvasElement).length).toBeGreaterThan(0))
    await expect(page.queryByRole('searchbox')).toBeNull()
    await expect(page.queryByRole('radiogroup', { name: 'Filter keys by status' })).toBeNull()
    await expect(page.getAllByRole('columnheader').flatMap((header) => within(header).queryAllByRole('button'))).toEqual([])
    await userEvent.click(page.getByRole('button', { name: 'Actions for Key 1' }))
    const menu = await page.findByRole('menu')
    await expect(within(menu).getAllByRole('menuitem').map((item) => item.textContent)).toEqual(['Revoke'])
    await userEvent.keyboard('{Escape}')
  },
}

/**
 * The same list restyled through render-prop functions instead of CSS on `[data-*]` (the way a
 * utility-class setup such as Tailwind would do it): rows through `TokenListRowContext`, the root
 * through its `className` function.
 */
export const RestyledWithRenderProps: Story = {
  render: (args) => (
    <TokenListRowContext.Provider
      value={{
        className: ({ status, isExpiringSoon }) =>
          ['demo-row', `demo-row-${status}`, isExpiringSoon ? 'demo-row-soon' : ''].filter(Boolean).join(' '),
      }}
    >
      <style>{`
        .demo-list { font-family: system-ui, sans-serif; display: grid; gap: 1rem; color: #111827; background: #fff; --patkit-token-list-height: 24rem; }
        .demo-list-busy { opacity: 0.9; }
        .demo-row { border-bottom: 1px solid #e5e7eb; }
        .demo-row [data-column] { padding: 0 0.5rem; display: flex; align-items: center; overflow: hidden; white-space: nowrap; }
        .demo-row-revoked { background: #f9fafb; color: #374151; text-decoration: line-through; }
        .demo-row-soon { background: #fffbeb; }
      `}</style>
      <TokenList {...args} className={({ isLoading }) => (isLoading ? 'demo-list demo-list-busy' : 'demo-list')}>
        <TokenListSearch />
        <TokenListStatusTabs />
        <TokenListTable />
      </TokenList>
    </TokenListRowContext.Provider>
  ),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(keyRows(canvasElement).length).toBeGreaterThan(0))
    await expect(keyRows(canvasElement).every((row) => row.classList.contains('demo-row'))).toBe(true)
    await expect(canvasElement.querySelector('.demo-row-revoked')).not.toBeNull()
  },
}
