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
.patkit-RenameDialogName, .patkit-RenameDialogDescription { display: grid; gap: 0.25rem; }
.patkit-RenameDialog .react-aria-FieldError, .patkit-RenameDialogError { color: #b3261e; }
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
      <p>Description: {apiKey.description ?? '—'}</p>
      <button type="button" onClick={() => setOpen(true)}>
        Edit {apiKey.name}
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
        component: `A dialog that edits a key's name and description ("Edit “name”"), or only its name ("Rename “name”") when the
backend keeps no descriptions (\`capabilities.description: false\`). Only what changed is sent; an emptied description is
removed. Errors (the field's own or the server's, like \`name_taken\`) show on their field, which takes focus.

Anatomy (each part takes the app's own react-aria component through its slot):

\`\`\`tsx
<RenameDialog apiKey={key} isOpen={open} onOpenChange={setOpen} onRenamed={(key) => …}>
  <Heading slot="title" />
  <TextField slot="name"><Label /><Input /><FieldError /></TextField>
  <TextField slot="description"><Label /><TextArea /><Text slot="description" /><FieldError /></TextField>
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
    const dialog = await page.findByRole('dialog', { name: 'Edit “Deploy bot”' })
    const field = within(dialog).getByRole('textbox', { name: 'Name' })
    await waitFor(() => expect(field).toHaveFocus())
    await userEvent.clear(field)
    await userEvent.type(field, 'Deploy bot (staging)')
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Description (optional)' }), 'Deploys staging from CI')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    await expect(await within(canvasElement).findByText('Name: Deploy bot (staging)')).toBeVisible()
    await expect(within(canvasElement).getByText('Description: Deploys staging from CI')).toBeVisible()
  },
}

/** The server refuses a name another active key has: the field says so and the dialog stays. */
export const NameTaken: Story = {
  play: async ({ canvasElement, loaded }) => {
    const page = body(canvasElement)
    const dialog = await page.findByRole('dialog', { name: 'Edit “Deploy bot”' })
    backendOf(loaded).faults.push('conflict')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    const field = within(dialog).getByRole('textbox', { name: 'Name' })
    await waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'))
    await expect(field).toHaveAccessibleDescription(/already/)
    // Focus goes to the field in error, so a screen reader reads the sentence.
    await waitFor(() => expect(field).toHaveFocus())
  },
}

/** A 429 with Retry-After: Save counts the wait down and is disabled until it is over. */
export const RateLimited: Story = {
  play: async ({ canvasElement, loaded }) => {
    const page = body(canvasElement)
    const dialog = await page.findByRole('dialog', { name: 'Edit “Deploy bot”' })
    backendOf(loaded).faults.push('rateLimited')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    await expect(await within(dialog).findByRole('alert')).toHaveTextContent('Too many requests. Try again in 30 seconds.')
    await expect(within(dialog).getByRole('button', { name: /^Try again in \d+ sec/ })).toBeDisabled()
    await expect(dialog).toHaveAttribute('data-error', 'rateLimited')
  },
}

/** A description longer than the policy allows: the count says so, and Save puts the error on the field and focuses it. */
export const DescriptionTooLong: Story = {
  loaders: [loadKey('Deploy bot', { policy: { descriptionMaxLength: 20 } })],
  play: async ({ canvasElement }) => {
    const page = body(canvasElement)
    const dialog = await page.findByRole('dialog', { name: 'Edit “Deploy bot”' })
    const description = within(dialog).getByRole('textbox', { name: 'Description (optional)' })
    await waitFor(() => expect(description).toHaveAccessibleDescription('0 of 20 characters.'))
    await userEvent.type(description, 'Deploys staging and production')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(description).toHaveFocus())
    await expect(description).toHaveAccessibleDescription(/Use 20 characters or fewer/)
  },
}

/** A backend without descriptions (`capabilities: { description: false }`): the dialog renames only. */
export const RenameOnly: Story = {
  loaders: [loadKey('Deploy bot', { capabilities: { description: false } })],
  play: async ({ canvasElement }) => {
    const page = body(canvasElement)
    const dialog = await page.findByRole('dialog', { name: 'Rename “Deploy bot”' })
    await expect(within(dialog).getByRole('textbox', { name: 'New name' })).toBeInTheDocument()
    await expect(within(dialog).queryByRole('textbox', { name: /Description/ })).toBeNull()
  },
}
