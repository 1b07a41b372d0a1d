import { useLayoutEffect, type ReactNode } from 'react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import {
  CreateKeyExpirationField,
  CreateKeyFormError,
  CreateKeyNameField,
  CreateKeyPolicyStatus,
  CreateKeyScopesField,
  CreateKeySubmit,
  CreatePersonalApiKey,
  RevokeDialog,
  RotateDialog,
  TokenList,
  TokenListEmptyState,
  TokenListErrorState,
  TokenListSearch,
  TokenListStatusTab,
  TokenListStatusTabs,
  TokenListTable,
  TokenReveal,
  type TokenListStatusTabRenderProps,
} from '../../src/components/index.ts'
import { revealCode } from '../../src/components/TokenReveal.tsx'
import { loadBackend, withBackend } from '../support/withBackend.tsx'
import { loadKey, loadedKey } from '../support/loadKey.ts'
import { SettingsPage, pageCss, seedSettings } from './SettingsPage.tsx'
import { TailwindTheme, tw } from './TailwindTheme.tsx'

/**
 * Every patkit component restyled with Tailwind 4 utilities, through render-prop functions only:
 * `className={({ isPending, status, step }) => …}`. `<TailwindTheme>` (TailwindTheme.tsx) hands each
 * root its className function through the component's `XContext`; the stories below also pass them
 * directly on the parts. Tailwind is a devDependency of the Storybook alone, compiled by
 * `@tailwindcss/vite` (see `.storybook/main.ts` and `tailwind.css`).
 */
function Tailwind({ children }: { children: ReactNode }) {
  // The few portalled parts (row menu, rename dialog, calendar) are styled in tailwind.css under this class.
  useLayoutEffect(() => {
    document.documentElement.classList.add('patkit-tw')
    return () => document.documentElement.classList.remove('patkit-tw')
  }, [])
  return <TailwindTheme>{children}</TailwindTheme>
}

const meta: Meta = {
  title: 'Examples/Tailwind',
  decorators: [
    (Story) => (
      <Tailwind>
        <style data-showroom="">{pageCss}</style>
        <Story />
      </Tailwind>
    ),
    withBackend,
  ],
  loaders: [loadBackend({}, seedSettings)],
}
export default meta
type Story = StoryObj

const keyRows = (canvasElement: HTMLElement) =>
  within(canvasElement).queryAllByRole('row').filter((row) => row.hasAttribute('data-status'))

/** The settings page of the other examples, on the Tailwind theme. */
export const SettingsPageInTailwind: Story = {
  name: 'Settings page',
  parameters: { layout: 'fullscreen' },
  render: () => <SettingsPage />,
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(keyRows(canvasElement).length).toBe(10))
    // The row's className function saw `isRevoked`.
    const revoked = keyRows(canvasElement).find((row) => row.dataset.status === 'revoked')
    await expect(revoked?.className).toContain('line-through')
  },
}

// react-aria's Radio states (isSelected, isHovered, isFocusVisible) arrive beside patkit's status and count.
const tabClass = ({ status, count, isSelected, isHovered, isFocusVisible }: TokenListStatusTabRenderProps) =>
  [
    'inline-flex items-center gap-2 rounded-lg px-3 py-1.5 text-sm font-medium outline-none',
    isFocusVisible ? 'ring-2 ring-blue-700' : '',
    isSelected ? `${status === 'revoked' && count ? 'bg-rose-800' : 'bg-blue-700'} text-white` : isHovered ? 'bg-slate-200 text-slate-900' : 'bg-slate-100 text-slate-900',
    count === 0 ? 'opacity-80' : '',
  ].join(' ')

/** The list's parts given their own render-prop classNames: tabs by status and count, rows by state. */
export const List: Story = {
  render: () => (
    <TokenList className={({ isLoading }) => `${tw.surface} grid max-w-6xl gap-4 ${isLoading ? 'cursor-progress' : ''}`}>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <TokenListSearch />
        <TokenListStatusTabs>
          {(['all', 'active', 'expired', 'revoked'] as const).map((status) => (
            <TokenListStatusTab key={status} status={status} className={tabClass} />
          ))}
        </TokenListStatusTabs>
      </div>
      <TokenListErrorState />
      <TokenListEmptyState />
      <TokenListTable />
    </TokenList>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(keyRows(canvasElement).length).toBe(10))
    const revoked = canvas.getByRole('radio', { name: /Revoked/ }).closest('label')!
    await userEvent.click(revoked)
    await waitFor(() => expect(keyRows(canvasElement)).toHaveLength(1))
    await expect(revoked.className).toContain('bg-rose-800')
  },
}

/** The create form's parts, each with its own className function. */
export const CreateKey: Story = {
  render: () => (
    <CreatePersonalApiKey>
      <CreateKeyPolicyStatus className={({ error }) => (error ? 'rounded-md bg-red-50 p-3 text-red-900' : 'text-slate-600')} />
      <CreateKeyNameField />
      <CreateKeyExpirationField
        className={({ isNever }) => `grid gap-3 rounded-lg p-3 ${isNever ? 'bg-amber-50 ring-1 ring-amber-600 [&_[slot=description]]:!text-amber-900' : 'bg-slate-50'}`}
      />
      <CreateKeyScopesField />
      <CreateKeyFormError className={({ kind }) => `rounded-md p-3 ${kind === 'rateLimited' ? 'bg-amber-50 text-amber-900' : 'bg-red-50 text-red-900'}`} />
      <CreateKeySubmit className={({ isPending }) => `${tw.primary} justify-self-start ${isPending ? 'animate-pulse' : ''}`} />
    </CreatePersonalApiKey>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('radio', { name: 'Never' }))
    await expect(canvasElement.querySelector('[data-never]')?.className).toContain('bg-amber-50')
  },
}

export const Reveal: Story = {
  // An app's reveal loads its code while the key is created; this one has no create step.
  loaders: [async () => ({ reveal: await revealCode.load() })],
  render: () => (
    <div className={tw.card}>
      <TokenReveal token="pat_EXAMPLEexampleEXAMPLEexample0000FAKE00" />
    </div>
  ),
  play: async ({ canvasElement }) => {
    const reveal = within(canvasElement).getByRole('group')
    await userEvent.click(within(reveal).getByRole('checkbox'))
    await expect(within(reveal).getByRole('button', { name: 'Done' })).toBeEnabled()
  },
}

export const Revoke: Story = {
  loaders: [loadKey('Deploy bot')],
  render: (_args, { loaded }) => <RevokeDialog apiKey={loadedKey(loaded).apiKey} defaultOpen confirmationText="Deploy bot" />,
  play: async ({ canvasElement }) => {
    const dialog = await within(canvasElement.ownerDocument.body).findByRole('alertdialog')
    await expect(dialog.className).toContain('fixed')
  },
}

export const Rotate: Story = {
  loaders: [loadKey('Deploy bot')],
  render: (_args, { loaded }) => <RotateDialog apiKey={loadedKey(loaded).apiKey} defaultOpen allowsExpirationChange />,
  play: async ({ canvasElement }) => {
    const dialog = await within(canvasElement.ownerDocument.body).findByRole('dialog')
    await expect(dialog.className).toContain('fixed')
  },
}
