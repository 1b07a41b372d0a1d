import { useState } from 'react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { I18nProvider } from 'react-aria-components'
import { RotateDialog, type RotateDialogProps } from '../src/components/RotateDialog.tsx'
import { withBackend } from './support/withBackend.tsx'
import { loadKey, loadedKey } from './support/loadKey.ts'

// The kit ships unstyled; just enough here to read the dialog as a dialog.
const css = `
.patkit-RotateDialogOverlay { position: fixed; inset: 0; display: grid; place-items: center; background: rgb(0 0 0 / 0.5); }
.patkit-RotateDialogModal { max-width: 32rem; margin: 1rem; }
.patkit-RotateDialog { background: #fff; color: #1a1a1a; padding: 1.5rem; border-radius: 8px; font-family: system-ui, sans-serif; overflow-wrap: anywhere; }
.patkit-RotateDialog:focus-visible { outline: 2px solid #1d4ed8; }
.patkit-RotateDialogFacts { display: grid; grid-template-columns: auto 1fr; gap: 0.25rem 1rem; }
.patkit-RotateDialogFacts dd { margin: 0; }
.patkit-RotateDialogExpiration { display: grid; gap: 0.25rem; margin-block: 1rem; }
.patkit-RotateDialogExpiration .react-aria-Radio::before { content: '○'; margin-inline-end: 0.5rem; }
.patkit-RotateDialogExpiration .react-aria-Radio[data-selected]::before { content: '●'; }
.patkit-RotateDialogExpiration .react-aria-Radio[data-focus-visible] { outline: 2px solid #1d4ed8; }
.patkit-RotateDialogError { color: #b3261e; }
.patkit-RotateDialogActions { display: flex; justify-content: flex-end; gap: 0.5rem; margin-top: 1.5rem; }
.patkit-TokenReveal { display: grid; gap: 0.75rem; }
.patkit-TokenReveal input { font-family: ui-monospace, monospace; width: 100%; }
`

/** Controlled, with a button to reopen and the last rotation's outcome, as a list would show it. */
function Controlled(props: RotateDialogProps) {
  const [isOpen, setOpen] = useState(true)
  const [apiKey, setApiKey] = useState(props.apiKey)
  return (
    <div>
      <style>{css}</style>
      <p>
        {apiKey.name}: <code>{apiKey.start}…</code>
      </p>
      <button type="button" onClick={() => setOpen(true)}>
        Rotate {apiKey.name}
      </button>
      <RotateDialog {...props} apiKey={apiKey} isOpen={isOpen} onOpenChange={setOpen} onRotated={(result) => setApiKey(result.apiKey)} />
    </div>
  )
}

const meta: Meta<typeof RotateDialog> = {
  title: 'Components/RotateDialog',
  component: RotateDialog,
  decorators: [withBackend],
  loaders: [loadKey('Deploy bot')],
  render: (args, { loaded }) => <Controlled {...args} apiKey={loadedKey(loaded).apiKey} />,
  parameters: {
    docs: {
      description: {
        component: `Replaces a key with a new one (same name and scopes; the old one is revoked in the same
transaction) and shows the new token once. \`data-step\` is \`confirm\`, then \`reveal\`; during the reveal only
the acknowledgement and Done close the dialog.

Anatomy of the confirm step (each part takes the app's own react-aria component through its slot):

\`\`\`tsx
<RotateDialog apiKey={key} isOpen={open} onOpenChange={setOpen} onRotated={({ apiKey, previous }) => …}>
  <Heading slot="title" />
  <Text slot="description" />
  <RadioGroup slot="expiration" />   {/* with allowsExpirationChange */}
  <Button slot="cancel" />
  <Button slot="confirm" />
</RotateDialog>
\`\`\`
The reveal step is always a \`<TokenReveal>\`; style it through \`TokenRevealContext\`.`,
      },
    },
  },
}
export default meta
type Story = StoryObj<typeof RotateDialog>

const body = (canvasElement: HTMLElement) => within(canvasElement.ownerDocument.body)

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const dialog = await body(canvasElement).findByRole('dialog', { name: 'Rotate “Deploy bot”?' })
    await expect(dialog).toHaveAttribute('data-step', 'confirm')
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus())
  },
}

export const WithExpirationChoice: Story = {
  args: { allowsExpirationChange: true },
  play: async ({ canvasElement }) => {
    const dialog = await body(canvasElement).findByRole('dialog', { name: 'Rotate “Deploy bot”?' })
    const threeMonths = await within(dialog).findByRole('radio', { name: '3 months' })
    await userEvent.click(threeMonths.closest('label')!)
    await expect(dialog).toHaveAttribute('data-expiration', 'ThreeMonths')
    await expect(dialog).toHaveTextContent('The key will expire on')
  },
}

/**
 * The old key keeps working for a day after the rotation (the policy's `gracePeriodOptions`): the dialog
 * says until when as the user chooses, and the result says it again above the new token.
 */
export const GracePeriod: Story = {
  play: async ({ canvasElement, loaded }) => {
    const { backend, token: oldToken } = loadedKey(loaded)
    const page = body(canvasElement)
    const dialog = await page.findByRole('dialog', { name: 'Rotate “Deploy bot”?' })
    const group = await within(dialog).findByRole('radiogroup', { name: 'Old key keeps working for' })
    await expect(within(group).getByRole('radio', { name: 'None: it stops at once' })).toBeChecked()
    await userEvent.click(within(group).getByRole('radio', { name: '1 day' }).closest('label')!)
    await expect(group).toHaveAccessibleDescription(/^The old key keeps working until /)
    await userEvent.click(within(dialog).getByRole('button', { name: 'Rotate key' }))
    await page.findByRole('textbox', { name: 'Your new API key' })
    await expect(dialog).toHaveTextContent(/Key rotated\. The old key keeps working until .+\(in (1 day|24 hours)\)\./)
    const me = await backend.server.fetch(new Request('https://api.patkit.test/v1/me', { headers: { Authorization: `Bearer ${oldToken}` } }))
    await expect(me.status).toBe(200)
  },
}

/** A policy without grace periods (`gracePeriodOptions: ['None']`, as a backend without them has): nothing to choose. */
export const NoGracePeriods: Story = {
  loaders: [loadKey('Deploy bot', { policy: { gracePeriodOptions: ['None'] } })],
  args: { allowsExpirationChange: true },
  play: async ({ canvasElement }) => {
    const dialog = await body(canvasElement).findByRole('dialog', { name: 'Rotate “Deploy bot”?' })
    await within(dialog).findByRole('radio', { name: '3 months' })
    await expect(within(dialog).queryByRole('radiogroup', { name: 'Old key keeps working for' })).toBeNull()
  },
}

export const Revealed: Story = {
  play: async ({ canvasElement, loaded }) => {
    const { backend, token: oldToken } = loadedKey(loaded)
    const page = body(canvasElement)
    const dialog = await page.findByRole('dialog', { name: 'Rotate “Deploy bot”?' })
    await userEvent.click(within(dialog).getByRole('button', { name: 'Rotate key' }))
    const field = await page.findByRole('textbox', { name: 'Your new API key' })
    await expect(dialog).toHaveAttribute('data-step', 'reveal')
    await expect((field as HTMLInputElement).value).toMatch(/^pat_/)
    const me = (token: string) =>
      backend.server.fetch(new Request('https://api.patkit.test/v1/me', { headers: { Authorization: `Bearer ${token}` } }))
    await expect((await me((field as HTMLInputElement).value)).status).toBe(200)
    await expect((await me(oldToken)).status).toBe(401)
    await userEvent.keyboard('{Escape}')
    await expect(dialog).toHaveAttribute('data-step', 'reveal')
  },
}

/** The key was revoked elsewhere (another tab) after the dialog opened: the server answers 409 `already_revoked`. */
export const ErrorConflict: Story = {
  play: async ({ canvasElement, loaded }) => {
    const { backend, apiKey } = loadedKey(loaded)
    const dialog = await body(canvasElement).findByRole('dialog', { name: 'Rotate “Deploy bot”?' })
    await backend.client.revokePersonalApiKey(apiKey.id)
    await userEvent.click(within(dialog).getByRole('button', { name: 'Rotate key' }))
    await expect(await within(dialog).findByRole('alert')).toHaveTextContent('This key was already revoked.')
  },
}

export const ErrorRateLimited: Story = {
  play: async ({ canvasElement, loaded }) => {
    const dialog = await body(canvasElement).findByRole('dialog', { name: 'Rotate “Deploy bot”?' })
    loadedKey(loaded).backend.faults.push('rateLimited')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Rotate key' }))
    await expect(await within(dialog).findByRole('alert')).toHaveTextContent('Too many requests. Try again in 30 seconds.')
  },
}

export const RTL: Story = {
  args: { allowsExpirationChange: true },
  render: (args, { loaded }) => (
    <I18nProvider locale="ar-EG">
      <div dir="rtl">
        <Controlled {...args} apiKey={loadedKey(loaded).apiKey} />
      </div>
    </I18nProvider>
  ),
  play: async ({ canvasElement }) => {
    const dialog = await body(canvasElement).findByRole('dialog')
    await expect(dialog.closest('[dir]')).toHaveAttribute('dir', 'rtl')
  },
}
