import { useState } from 'react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { Button, DialogTrigger, I18nProvider } from 'react-aria-components'
import { RevokeDialog, type RevokeDialogProps } from '../src/components/RevokeDialog.tsx'
import { withBackend } from './support/withBackend.tsx'
import { loadKey, loadedKey } from './support/loadKey.ts'

// The kit ships unstyled; just enough here to read the dialog as a dialog.
const css = `
.patkit-RevokeDialogOverlay { position: fixed; inset: 0; display: grid; place-items: center; background: rgb(0 0 0 / 0.5); }
.patkit-RevokeDialogModal { max-width: 30rem; margin: 1rem; }
.patkit-RevokeDialog { background: #fff; color: #1a1a1a; padding: 1.5rem; border-radius: 8px; font-family: system-ui, sans-serif; overflow-wrap: anywhere; }
.patkit-RevokeDialog:focus-visible { outline: 2px solid #1d4ed8; }
.patkit-RevokeDialogFacts { display: grid; grid-template-columns: auto 1fr; gap: 0.25rem 1rem; }
.patkit-RevokeDialogFacts dd { margin: 0; }
.patkit-RevokeDialogError { color: #b3261e; }
.patkit-RevokeDialogConfirmation { display: grid; gap: 0.25rem; margin-block: 1rem; }
.patkit-RevokeDialogActions { display: flex; justify-content: flex-end; gap: 0.5rem; margin-top: 1.5rem; }
.patkit-RevokeDialog button[slot='confirm'] { background: #b3261e; color: #fff; border: 0; padding: 0.5rem 1rem; border-radius: 4px; }
.patkit-RevokeDialog button[slot='confirm'][data-disabled] { background: #6b6b6b; }
`

/** Controlled, with a button to reopen and a line saying what happened, as a list would. */
function Controlled(props: RevokeDialogProps) {
  const [isOpen, setOpen] = useState(true)
  const [apiKey, setApiKey] = useState(props.apiKey)
  return (
    <div>
      <style>{css}</style>
      <p>
        {apiKey.name}: {apiKey.status}
      </p>
      <button type="button" onClick={() => setOpen(true)}>
        Revoke {apiKey.name}
      </button>
      <RevokeDialog {...props} apiKey={apiKey} isOpen={isOpen} onOpenChange={setOpen} onRevoked={setApiKey} />
    </div>
  )
}

const meta: Meta<typeof RevokeDialog> = {
  title: 'Components/RevokeDialog',
  component: RevokeDialog,
  decorators: [withBackend],
  loaders: [loadKey('Deploy bot')],
  render: (args, { loaded }) => <Controlled {...args} apiKey={loadedKey(loaded).apiKey} />,
  parameters: {
    docs: {
      description: {
        component: `An alert dialog that asks before revoking a key, then revokes it.

Anatomy (each part takes the app's own react-aria component through its slot):

\`\`\`tsx
<RevokeDialog apiKey={key} isOpen={open} onOpenChange={setOpen} onRevoked={(key) => …}>
  <Heading slot="title" />
  <Text slot="description" />
  <TextField slot="confirmation"><Label /><Input /></TextField>   {/* with confirmationText */}
  <Button slot="cancel" />
  <Button slot="confirm" />
</RevokeDialog>
\`\`\``,
      },
    },
  },
}
export default meta
type Story = StoryObj<typeof RevokeDialog>

const body = (canvasElement: HTMLElement) => within(canvasElement.ownerDocument.body)

export const Default: Story = {
  play: async ({ canvasElement, loaded }) => {
    const page = body(canvasElement)
    const dialog = await page.findByRole('alertdialog', { name: 'Revoke “Deploy bot”?' })
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus())
    await expect(dialog).toHaveTextContent(loadedKey(loaded).apiKey.start)
  },
}

export const WithTrigger: Story = {
  render: (args, { loaded }) => (
    <>
      <style>{css}</style>
      <DialogTrigger>
        <Button>Revoke</Button>
        <RevokeDialog {...args} apiKey={loadedKey(loaded).apiKey} />
      </DialogTrigger>
    </>
  ),
  play: async ({ canvasElement }) => {
    const page = body(canvasElement)
    const trigger = page.getByRole('button', { name: 'Revoke' })
    await userEvent.click(trigger)
    await page.findByRole('alertdialog', { name: 'Revoke “Deploy bot”?' })
    await userEvent.keyboard('{Escape}')
    await waitFor(() => expect(page.queryByRole('alertdialog')).toBeNull())
    await waitFor(() => expect(trigger).toHaveFocus())
  },
}

export const TypeToConfirm: Story = {
  args: { confirmationText: 'Deploy bot' },
  play: async ({ canvasElement }) => {
    const page = body(canvasElement)
    const dialog = await page.findByRole('alertdialog', { name: 'Revoke “Deploy bot”?' })
    const confirm = within(dialog).getByRole('button', { name: 'Revoke key' })
    await expect(confirm).toBeDisabled()
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Type Deploy bot to confirm' }), 'Deploy bot')
    await expect(confirm).toBeEnabled()
  },
}

export const Pending: Story = {
  play: async ({ canvasElement, loaded }) => {
    const page = body(canvasElement)
    const dialog = await page.findByRole('alertdialog', { name: 'Revoke “Deploy bot”?' })
    // Slow enough to see; the key is revoked once it answers.
    loadedKey(loaded).backend.latencyMs = 4_000
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }))
    await waitFor(() => expect(within(dialog).getByRole('button', { name: /Revoking…/ })).toHaveAttribute('data-pending', 'true'))
  },
}

export const ErrorForbidden: Story = {
  play: async ({ canvasElement, loaded }) => {
    const page = body(canvasElement)
    const dialog = await page.findByRole('alertdialog', { name: 'Revoke “Deploy bot”?' })
    loadedKey(loaded).backend.faults.push('forbidden')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }))
    await expect(await within(dialog).findByRole('alert')).toHaveTextContent('Your role does not allow personal API keys.')
  },
}

export const ErrorServer: Story = {
  play: async ({ canvasElement, loaded }) => {
    const page = body(canvasElement)
    const dialog = await page.findByRole('alertdialog', { name: 'Revoke “Deploy bot”?' })
    loadedKey(loaded).backend.faults.push('serverError')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }))
    await expect(await within(dialog).findByRole('alert')).toHaveTextContent('Something went wrong on our side.')
  },
}

/** The key was deleted elsewhere: that is what the user wanted, so the dialog closes as if it had revoked it. */
export const AlreadyRevoked: Story = {
  play: async ({ canvasElement, loaded }) => {
    const page = body(canvasElement)
    const dialog = await page.findByRole('alertdialog', { name: 'Revoke “Deploy bot”?' })
    loadedKey(loaded).backend.faults.push('notFound')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }))
    await waitFor(() => expect(page.queryByRole('alertdialog')).toBeNull())
    await expect(page.getByText('Deploy bot: revoked')).toBeInTheDocument()
    await expect(page.getByRole('status')).toHaveTextContent('Key “Deploy bot” revoked.')
  },
}

export const LongName: Story = {
  loaders: [
    loadKey(
      'Nightly reconciliation of the payments ledger against the bank statements for every region (eu-west-1, us-east-2, ap-southeast-1)',
    ),
  ],
  args: { confirmationText: 'revoke' },
  play: async ({ canvasElement }) => {
    await expect(await body(canvasElement).findByRole('alertdialog', { name: /Nightly reconciliation/ })).toBeVisible()
  },
}

export const RTL: Story = {
  render: (args, { loaded }) => (
    <I18nProvider locale="ar-EG">
      <div dir="rtl">
        <Controlled {...args} apiKey={loadedKey(loaded).apiKey} />
      </div>
    </I18nProvider>
  ),
  play: async ({ canvasElement }) => {
    const dialog = await body(canvasElement).findByRole('alertdialog')
    await expect(dialog.closest('[dir]')).toHaveAttribute('dir', 'rtl')
  },
}
