import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import starterTheme from '../../src/styles.css?inline'
import { CreatePersonalApiKey } from '../../src/components/index.ts'
import { loadBackend, withBackend } from '../support/withBackend.tsx'
import { SettingsPage, pageCss, seedSettings } from './SettingsPage.tsx'

/**
 * A whole settings page on the starter theme (`patkit/styles.css`). Its own CSS is that theme, so the
 * toolbar's Theme menu swaps it for the dark theme, Tailwind, or nothing at all; Locale switches the
 * language (Arabic lays the page out right to left); Latency and Next answer reach the in-page backend.
 */
const meta: Meta = {
  title: 'Examples/Settings page',
  decorators: [
    (Story) => (
      <>
        <style>{starterTheme}</style>
        {/* The page's chrome, kept whatever the theme (data-showroom): only the patkit styling is swapped. */}
        <style data-showroom="">{pageCss}</style>
        <Story />
      </>
    ),
    withBackend,
  ],
  loaders: [loadBackend({}, seedSettings)],
  parameters: {
    layout: 'fullscreen',
  },
}
export default meta
type Story = StoryObj

const keyRows = (canvasElement: HTMLElement) =>
  within(canvasElement).queryAllByRole('row').filter((row) => row.hasAttribute('data-status'))

export const Default: Story = {
  render: () => <SettingsPage />,
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(keyRows(canvasElement).length).toBe(10))
  },
}

/** The create dialog from the page's button: create a key and see it once. */
export const CreateAndReveal: Story = {
  render: () => <SettingsPage />,
  play: async ({ canvasElement }) => {
    const page = within(canvasElement.ownerDocument.body)
    await waitFor(() => expect(keyRows(canvasElement).length).toBe(10))
    await userEvent.click(within(canvasElement).getAllByRole('button', { name: 'Create a key' })[0]!)
    const dialog = await page.findByRole('dialog', { name: 'Create a personal API key' })
    await userEvent.type(await within(dialog).findByRole('textbox', { name: 'Name' }), 'Release pipeline')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create key' }))
    const field = await within(dialog).findByRole<HTMLInputElement>('textbox', { name: 'Your new API key' })
    await expect(field.value).toMatch(/^pat_/)
  },
}

/** The reveal as the create form shows it, on its own (the README's "reveal" screenshot). */
export const Reveal: Story = {
  render: () => (
    <div className="settings-page">
      <CreatePersonalApiKey />
    </div>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.type(await canvas.findByRole('textbox', { name: 'Name' }), 'Deploy from CI')
    await userEvent.click(within(canvas.getByRole('radiogroup', { name: 'projects' })).getByRole('radio', { name: 'read' }))
    await userEvent.click(canvas.getByRole('button', { name: 'Create key' }))
    const field = await canvas.findByRole<HTMLInputElement>('textbox', { name: 'Your new API key' })
    await expect(field.value).toMatch(/^pat_/)
  },
}

/** The starter theme's dark colours (`data-theme="dark"` on `<html>`), checked by axe like every story. */
export const Dark: Story = {
  globals: { theme: 'dark' },
  render: () => <SettingsPage />,
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(keyRows(canvasElement).length).toBe(10))
    await expect(canvasElement.ownerDocument.documentElement).toHaveAttribute('data-theme', 'dark')
  },
}

/** Arabic: the page, the list and its dialogs right to left, Arabic digits and dates. */
export const Arabic: Story = {
  globals: { locale: 'ar-EG' },
  render: () => <SettingsPage />,
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(keyRows(canvasElement).length).toBe(10))
    await expect(canvasElement.querySelector('.patkit-TokenList')).toHaveAttribute('dir', 'rtl')
    await expect(within(canvasElement).getByRole('grid', { name: 'مفاتيح API الشخصية' })).toBeVisible()
  },
}
