import { useState } from 'react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { RenameDialog, type RenameDialogProps } from '../src/components/RenameDialog.tsx'
import { backendOf, withBackend } from './support/withBackend.tsx'
import { loadKey, loadedKey } from './support/loadKey.ts'

// The kit ships unstyled; just enough here to read the dialog as a dialog.
const css = `
.patkit-RenameDialogOverlay { position: fixed; inset: 0; display: grid; place-items: center; background: rgb(0 0 0 / 0.5); }
.patkit-RenameDialogModal { max-width: 30rem; margin: 1rem; }
.patkit-RenameDialog { background: #fff; color: #1a1a1a; padding: 1.5rem; border-radius: 8px; font-family: system-ui, sans-serif; overflow-wrap: anywhere; }
.patkit-RenameDialogForm { display: grid; gap: 0.75rem; }
.patkit-RenameDialogName { display: grid; gap: 0.25rem; }
.patkit-RenameDialogName .react-aria-FieldError, .patkit-RenameDialogError { color: #b3261e; }
.patkit-RenameDialogActions { display: flex; justify-content: flex-end; gap: 0.5rem; }
`

/** Controlled, with the key's current name beside a button to reopen, as a list would. */
function Controlled(props: RenameDialogProps) {
  const [isOpen, setOpen] = useState(true)
  const [apiKey, setApiKey] = useState(props.apiKey)
  return (
    <div>
      <style>{css}</style>
      <p>Name: {apiKey.name}</p>
      <button type="button" onClick={() => setOpen(true)}>
        Rename {apiKey.name}
      </button>
      <RenameDialog {...props} apiKey={apiKey} isOpen={isOpen} onOpenChange={setOpen} onRenamed={setApiKey} />
    </div>
  )
}

const meta: Meta<typeof RenameDialog> = {
  title: 'Components/RenameDialog',
  component: RenameDialog,
  decorators: [withBackend],
  loaders: [loadKey('Deploy bot')],
  render: (args, { loaded }) => <Controlled {...args} apiKey={loadedKey(loaded).apiKey} />,
  parameters: {
    docs: {
      description: {
        component: `A dialog that renames a key; the server's \`name_taken\` shows on the name field.

Anatomy (each part takes the app's own react-aria component through its slot):

\`\`\`tsx
<RenameDialog apiKey={key} isOpen={open} onOpenChange={setOpen} onRenamed={(key) => …}>
  <Heading slot="title" />
  <TextField slot="name"><Label /><Input /><FieldError /></TextField>
  <Button slot="cancel" />
  <Button slot="confirm" />   {/* submits */}
</RenameDialog>
\`\`\``,
      },
    },
  },
}
export default meta
type Story = StoryObj<typeof RenameDialog>

const body = (canvasElement: HTMLElement) => within(canvasElement.ownerDocument.body)

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const page = body(canvasElement)
    const dialog = await page.findByRole('dialog', { name: 'Rename “Deploy bot”' })
    const field = within(dialog).getByRole('textbox', { name: 'New name' })
    await waitFor(() => expect(field).toHaveFocus())
    await userEvent.clear(field)
    await userEvent.type(field, 'Deploy bot (staging){Enter}')
    await expect(await within(canvasElement).findByText('Name: Deploy bot (staging)')).toBeVisible()
  },
}

/** The server refuses a name another active key has: the field says so and the dialog stays. */
export const NameTaken: Story = {
  play: async ({ canvasElement, loaded }) => {
    const page = body(canvasElement)
    const dialog = await page.findByRole('dialog', { name: 'Rename “Deploy bot”' })
    backendOf(loaded).faults.push('conflict')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    const field = within(dialog).getByRole('textbox', { name: 'New name' })
    await waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'))
    await expect(field).toHaveAccessibleDescription(/already/)
  },
}

/** A 429 with Retry-After: Save counts the wait down and is disabled until it is over. */
export const RateLimited: Story = {
  play: async ({ canvasElement, loaded }) => {
    const page = body(canvasElement)
    const dialog = await page.findByRole('dialog', { name: 'Rename “Deploy bot”' })
    backendOf(loaded).faults.push('rateLimited')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    await expect(await within(dialog).findByRole('alert')).toHaveTextContent('Too many requests. Try again in 30 seconds.')
    await expect(within(dialog).getByRole('button', { name: /^Try again in \d+ sec/ })).toBeDisabled()
    await expect(dialog).toHaveAttribute('data-error', 'rateLimited')
  },
}
