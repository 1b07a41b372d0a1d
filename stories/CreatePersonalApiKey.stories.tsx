import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { Button, Dialog, DialogTrigger, I18nProvider, Modal, ModalOverlay } from 'react-aria-components'
import {
  CreateKeyExpirationField,
  CreateKeyFormError,
  CreateKeyNameField,
  CreateKeyPolicyStatus,
  CreateKeyScopesField,
  CreateKeySubmit,
  CreatePersonalApiKey,
} from '../src/components/CreatePersonalApiKey.tsx'
import { backendOf, loadBackend, withBackend } from './support/withBackend.tsx'

// The kit ships unstyled; just enough here to tell the parts apart, with readable contrast.
const css = `
.patkit-CreatePersonalApiKey { max-width: 34rem; font-family: system-ui, sans-serif; color: #1a1a1a; background: #fff; padding: 1.25rem; border: 1px solid #6b6b6b; border-radius: 8px; overflow-wrap: anywhere; }
.patkit-CreatePersonalApiKeyForm, .patkit-TokenReveal { display: grid; gap: 1rem; }
.patkit-CreatePersonalApiKey h2 { margin: 0; font-size: 1.25rem; }
.patkit-CreateKeyNameField, .react-aria-RadioGroup, .patkit-CreateKeyScopesField, .react-aria-DatePicker, .react-aria-TextField { display: grid; gap: 0.25rem; }
.patkit-CreatePersonalApiKey input:not([type]), .patkit-CreatePersonalApiKey input[type='text'], .react-aria-Group { padding: 0.4rem; border: 1px solid #6b6b6b; border-radius: 4px; font: inherit; }
.react-aria-Group { display: inline-flex; gap: 0.25rem; width: fit-content; }
.react-aria-DateInput { display: inline-flex; }
.patkit-CreatePersonalApiKey [slot='description'] { color: #4a4a4a; font-size: 0.875rem; }
.patkit-CreatePersonalApiKey .react-aria-FieldError, .patkit-CreateKeyFormError, .patkit-CreateKeyPolicyStatus[data-error] { color: #b3261e; }
.patkit-CreatePersonalApiKey button { justify-self: start; padding: 0.4rem 1rem; border-radius: 4px; border: 1px solid #1d4ed8; background: #1d4ed8; color: #fff; font: inherit; }
.patkit-CreatePersonalApiKey button[data-disabled], .patkit-CreatePersonalApiKey button[data-pending] { background: #e5e5e5; color: #4a4a4a; border-color: #6b6b6b; }
.patkit-CreatePersonalApiKey [slot='warning'] { color: #7a4100; }
.patkit-TokenReveal input[readonly] { font-family: ui-monospace, monospace; }
.react-aria-Popover { background: #fff; color: #1a1a1a; border: 1px solid #6b6b6b; padding: 0.5rem; }
.react-aria-Calendar header { display: flex; align-items: center; justify-content: space-between; gap: 0.5rem; }
.react-aria-Calendar button { padding: 0.2rem 0.5rem; }
.react-aria-CalendarCell[data-disabled] { color: #6b6b6b; }
.react-aria-CalendarCell[data-selected] { background: #1d4ed8; color: #fff; }
.patkit-CreateKeyDialogOverlay { position: fixed; inset: 0; display: grid; place-items: center; background: rgb(0 0 0 / 0.5); }
.patkit-CreateKeyDialogOverlay .react-aria-Dialog { outline: none; }
`

const meta: Meta<typeof CreatePersonalApiKey> = {
  title: 'Components/CreatePersonalApiKey',
  component: CreatePersonalApiKey,
  decorators: [
    (Story) => (
      <>
        <style>{css}</style>
        <Story />
      </>
    ),
    withBackend,
  ],
  loaders: [loadBackend()],
  parameters: {
    docs: {
      description: {
        component: `A form that creates a personal API key under the server's policy (name, expiration presets
with a live caption, a custom date bounded by the policy, scopes), shows every \`handle()\` outcome where
it belongs, and on success shows the token once in a \`TokenReveal\`. Dismissing the reveal resets the form
(and calls \`onDone\`).

Anatomy (the parts are ready-made; each is a react-aria component in its slot, so the app's own
styled react-aria components drop in instead):

\`\`\`tsx
<CreatePersonalApiKey onCreated={({ apiKey, token }) => …} onDone={…}>
  <Heading slot="title" />
  <CreateKeyPolicyStatus />        {/* loading / policy error with <Button slot="retry"> */}
  <CreateKeyNameField />           {/* <TextField slot="name"> */}
  <CreateKeyExpirationField />     {/* <RadioGroup slot="expiration"> + the date picker, loaded on first use */}
  <CreateKeyScopesField />         {/* <CheckboxGroup slot="scopes"> */}
  <CreateKeyFormError />           {/* role="alert", <Button slot="retry"> */}
  <CreateKeySubmit />              {/* <Button slot="submit"> */}
</CreatePersonalApiKey>
\`\`\``,
      },
    },
  },
}
export default meta
type Story = StoryObj<typeof CreatePersonalApiKey>

const body = (canvasElement: HTMLElement) => within(canvasElement.ownerDocument.body)
const LONG_NAME =
  'Nightly reconciliation of the payments ledger against the bank statements for every region (eu-west-1, us-east-2, ap-southeast-1)'

async function fillAndSubmit(canvasElement: HTMLElement, name: string) {
  const canvas = within(canvasElement)
  const field = await canvas.findByRole('textbox', { name: 'Name' })
  await userEvent.clear(field)
  await userEvent.type(field, name)
  await userEvent.click(canvas.getByRole('button', { name: 'Create key' }))
}

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await canvas.findByRole('textbox', { name: 'Name' })
    await expect(canvas.getByRole('radio', { name: '1 month' })).toBeChecked()
    await expect(canvas.getByRole('radiogroup', { name: 'Expiration' })).toHaveAccessibleDescription(/The key will expire on/)
  },
}

/** Opened from a button; the dialog is named by the form's heading, then by the reveal's, and Done closes it. */
export const InDialog: Story = {
  render: (args) => (
    <DialogTrigger>
      <Button>New API key</Button>
      <ModalOverlay isDismissable className="patkit-CreateKeyDialogOverlay">
        <Modal>
          <Dialog>{({ close }) => <CreatePersonalApiKey {...args} onDone={close} />}</Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  ),
  play: async ({ canvasElement }) => {
    const page = body(canvasElement)
    const trigger = page.getByRole('button', { name: 'New API key' })
    await userEvent.click(trigger)
    const dialog = await page.findByRole('dialog', { name: 'Create a personal API key' })
    await userEvent.type(await within(dialog).findByRole('textbox', { name: 'Name' }), 'Deploy bot')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create key' }))
    await page.findByRole('dialog', { name: 'Copy your new key' })
    await waitFor(() => expect(page.getByRole('textbox', { name: 'Your new API key' })).toHaveFocus())
    await userEvent.click(page.getByText('I have saved this key'))
    await userEvent.click(page.getByRole('button', { name: 'Done' }))
    await waitFor(() => expect(page.queryByRole('dialog')).toBeNull())
    await waitFor(() => expect(trigger).toHaveFocus())
  },
}

export const LoadingPolicy: Story = {
  loaders: [loadBackend({ latencyMs: 600_000 })],
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('Loading…')).toHaveAttribute('role', 'status')
  },
}

export const PolicyError: Story = {
  loaders: [loadBackend({}, (backend) => backend.stickyFaults.set('GET', 'serverError'))],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const alert = await canvas.findByRole('alert')
    await expect(alert).toHaveTextContent('Something went wrong on our side.')
    await expect(within(alert).getByRole('button', { name: 'Try again' })).toBeVisible()
  },
}

export const Pending: Story = {
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement)
    await canvas.findByRole('textbox', { name: 'Name' })
    // Slow enough to see; the key is created once it answers.
    backendOf(loaded).latencyMs = 600_000
    await fillAndSubmit(canvasElement, 'Deploy bot')
    await waitFor(() => expect(canvas.getByRole('button', { name: /Creating key…/ })).toHaveAttribute('data-pending', 'true'))
  },
}

export const Revealed: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await fillAndSubmit(canvasElement, 'Deploy bot')
    const field = await canvas.findByRole('textbox', { name: 'Your new API key' })
    await expect((field as HTMLInputElement).value).toMatch(/^pat_/)
    await expect(canvas.getByRole('button', { name: 'Done' })).toBeDisabled()
  },
}

export const NameTaken: Story = {
  loaders: [loadBackend({}, (backend) => backend.createKey('Deploy bot'))],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await fillAndSubmit(canvasElement, 'Deploy bot')
    const field = canvas.getByRole('textbox', { name: 'Name' })
    await waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'))
    await expect(field).toHaveAccessibleDescription(/already have an active key with that name/)
  },
}

export const RateLimited: Story = {
  play: async ({ canvasElement, loaded }) => {
    await within(canvasElement).findByRole('textbox', { name: 'Name' })
    backendOf(loaded).faults.push('rateLimited')
    await fillAndSubmit(canvasElement, 'Deploy bot')
    await expect(await within(canvasElement).findByRole('alert')).toHaveTextContent('Try again in 30 seconds.')
  },
}

/** A signed-in user whose role may not manage keys: the policy itself is refused. */
export const PermissionDenied: Story = {
  loaders: [loadBackend({ session: 'viewer' })],
  play: async ({ canvasElement }) => {
    const alert = await within(canvasElement).findByRole('alert')
    await expect(alert).toHaveTextContent('You do not have permission to manage personal API keys.')
    await expect(within(alert).queryByRole('button')).toBeNull()
  },
}

/** The create request finds the session over: the provider's onUnauthorized runs and the form says so. */
export const SignedOut: Story = {
  play: async ({ canvasElement, loaded }) => {
    await within(canvasElement).findByRole('textbox', { name: 'Name' })
    backendOf(loaded).faults.push('unauthorized')
    await fillAndSubmit(canvasElement, 'Deploy bot')
    await expect(await within(canvasElement).findByRole('alert')).toHaveTextContent('You are signed out. Sign in again to manage your API keys.')
  },
}

export const ServerError: Story = {
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement)
    await canvas.findByRole('textbox', { name: 'Name' })
    backendOf(loaded).faults.push('serverError')
    await fillAndSubmit(canvasElement, 'Deploy bot')
    const alert = await canvas.findByRole('alert')
    await expect(alert).toHaveTextContent('Something went wrong on our side.')
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }))
    await canvas.findByRole('textbox', { name: 'Your new API key' })
  },
}

export const Offline: Story = {
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement)
    await canvas.findByRole('textbox', { name: 'Name' })
    backendOf(loaded).faults.push('offline')
    await fillAndSubmit(canvasElement, 'Deploy bot')
    await expect(await canvas.findByRole('alert')).toHaveTextContent('Could not reach the server.')
  },
}

/** A description, with its count against the policy's length; the reveal shows it with the key's other facts. */
export const WithDescription: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.type(await canvas.findByRole('textbox', { name: 'Name' }), 'Billing export')
    const description = canvas.getByRole('textbox', { name: 'Description (optional)' })
    await userEvent.type(description, 'Nightly export to the finance bucket')
    await expect(description).toHaveAccessibleDescription(/36 of 500 characters/)
    await userEvent.click(canvas.getByRole('button', { name: 'Create key' }))
    await expect(await canvas.findByText('Nightly export to the finance bucket')).toBeVisible()
  },
}

/**
 * A backend that declares `capabilities: { description: false, scopes: false, customExpiration: false }`
 * (an adapter over an auth framework without them): no description field, no scopes picker, no Custom… date.
 */
export const ReducedCapabilityBackend: Story = {
  loaders: [loadBackend({ capabilities: { description: false, scopes: false, customExpiration: false } })],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await canvas.findByRole('textbox', { name: 'Name' })
    await expect(canvas.getByRole('radio', { name: '1 month' })).toBeInTheDocument()
    await expect(canvas.queryByRole('radio', { name: 'Custom…' })).toBeNull()
    await expect(canvas.queryByRole('textbox', { name: /Description/ })).toBeNull()
    await expect(canvas.queryByRole('group', { name: 'Scopes' })).toBeNull()
  },
}

export const NoScopesPolicy: Story = {
  loaders: [loadBackend({ policy: { scopes: [] } })],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await canvas.findByRole('textbox', { name: 'Name' })
    await expect(canvas.queryByRole('group', { name: 'Scopes' })).toBeNull()
  },
}

/** Keys must expire within 90 days: no Never, no six months or a year, and the calendar stops at day 90. */
export const CappedLifetimePolicy: Story = {
  loaders: [loadBackend({ policy: { maxLifetimeDays: 90 } })],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await canvas.findByRole('textbox', { name: 'Name' })
    await expect(canvas.queryByRole('radio', { name: 'Never' })).toBeNull()
    await userEvent.click(canvas.getByText('Custom…'))
    // The picker loads on first use (fetched and compiled now: on a busy machine that takes seconds).
    await expect(await canvas.findByRole('group', { name: 'Expiration date' }, { timeout: 15_000 })).toBeVisible()
  },
}

export const LongName: Story = {
  args: { defaultName: LONG_NAME },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByRole('textbox', { name: 'Name' })).toHaveValue(LONG_NAME)
    await userEvent.click(canvas.getByRole('button', { name: 'Create key' }))
    await canvas.findByRole('textbox', { name: 'Your new API key' })
  },
}

export const RTL: Story = {
  render: (args) => (
    <I18nProvider locale="ar-EG">
      <div dir="rtl">
        <CreatePersonalApiKey {...args} />
      </div>
    </I18nProvider>
  ),
  play: async ({ canvasElement }) => {
    // Names are whatever the Arabic catalog says; the fields are there once the policy has loaded.
    await expect((await within(canvasElement).findAllByRole('textbox'))[0]).toBeVisible()
  },
}

/** The same parts in another order and look, styled through render-prop functions on `[data-*]` state. */
export const CustomLayout: Story = {
  args: {
    className: ({ step, isPending }) => `patkit-CreatePersonalApiKey ${step === 'reveal' ? 'is-revealing' : ''} ${isPending ? 'is-busy' : ''}`,
    children: (
      <>
        <CreateKeyPolicyStatus />
        <CreateKeyScopesField />
        <CreateKeyNameField />
        <CreateKeyExpirationField />
        <CreateKeyFormError />
        <CreateKeySubmit>Generate</CreateKeySubmit>
      </>
    ),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await canvas.findByRole('textbox', { name: 'Name' })
    await expect(canvas.getByRole('button', { name: 'Generate' })).toBeVisible()
  },
}
