import { useState } from 'react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { I18nProvider } from 'react-aria-components'
import { revealCode, TokenReveal, type TokenRevealProps } from '../src/components/TokenReveal.tsx'

/** Obviously fake: the checksum does not match, so no server would accept it. */
const SAMPLE_TOKEN = 'pat_EXAMPLEexampleEXAMPLEexample0000FAKE00'

// The kit ships unstyled; just enough here to read the parts apart.
const css = `
.patkit-TokenReveal { display: grid; gap: 0.75rem; max-width: 34rem; padding: 1.25rem; border: 1px solid #6b6b6b; border-radius: 8px; background: #fff; color: #1a1a1a; font-family: system-ui, sans-serif; }
.patkit-TokenReveal h2 { margin: 0; font-size: 1.25rem; }
.patkit-TokenReveal [slot='warning'] { color: #7a4100; }
.patkit-TokenReveal .react-aria-TextField { display: grid; gap: 0.25rem; }
.patkit-TokenReveal input[readonly] { font-family: ui-monospace, monospace; padding: 0.5rem; border: 1px solid #6b6b6b; border-radius: 4px; }
.patkit-TokenReveal [slot='copyFailed'] { color: #b3261e; }
.patkit-TokenReveal button { justify-self: start; padding: 0.4rem 1rem; border-radius: 4px; border: 1px solid #1d4ed8; background: #1d4ed8; color: #fff; }
.patkit-TokenReveal button[data-disabled] { background: #e5e5e5; color: #4a4a4a; border-color: #6b6b6b; }
`

/** Holds the token the way an app should: in state, dropped on dismiss. */
function Host(props: TokenRevealProps) {
  const [token, setToken] = useState<string | null>(props.token)
  return (
    <>
      <style>{css}</style>
      {token ? <TokenReveal {...props} token={token} onDismiss={() => setToken(null)} /> : <p>The key is saved. It is gone from this page.</p>}
    </>
  )
}

const meta: Meta<typeof TokenReveal> = {
  title: 'Components/TokenReveal',
  component: TokenReveal,
  args: { token: SAMPLE_TOKEN },
  // An app's reveal loads its code while the key is being created; a story has no create step, so it loads it first.
  loaders: [async () => ({ reveal: await revealCode.load() })],
  render: (args) => <Host {...args} />,
  parameters: {
    docs: {
      description: {
        component: `The one-time secret, as \`CreatePersonalApiKey\` and \`RotateDialog\` show it: a read-only field
(focused, its text selected), a copy button that uses the Clipboard API with a selection fallback and
announces the copy, the warning that it will not be shown again, and an acknowledgement before Done.
After Done (or unmount) the token is gone from the DOM.

Anatomy (each part takes the app's own react-aria component through its slot):

\`\`\`tsx
<TokenReveal token={token} onDismiss={() => setToken(null)}>
  <Heading slot="title" />
  <Text slot="warning" />
  <TextField slot="token"><Label /><Input /></TextField>
  <Button slot="copy" />
  <Checkbox slot="acknowledge" />
  <Button slot="done" />
</TokenReveal>
\`\`\``,
      },
    },
  },
}
export default meta
type Story = StoryObj<typeof TokenReveal>

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const field = canvas.getByRole('textbox', { name: 'Your new API key' })
    await waitFor(() => expect(field).toHaveFocus())
    await expect(field).toHaveValue(SAMPLE_TOKEN)
    await expect(canvas.getByRole('button', { name: 'Done' })).toBeDisabled()
  },
}

export const Copied: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Copy' }))
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('API key copied to the clipboard.'))
  },
}

/** Neither the Clipboard API nor `execCommand('copy')` works here: the reveal says so and selects the text. */
export const CopyFailed: Story = {
  beforeEach: () => {
    const execCommand = document.execCommand
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: () => Promise.reject(new DOMException('Denied', 'NotAllowedError')) },
    })
    document.execCommand = () => false
    return () => {
      // The own property shadowed Navigator.prototype's getter; deleting it brings the real clipboard back.
      delete (navigator as { clipboard?: unknown }).clipboard
      document.execCommand = execCommand
    }
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Copy' }))
    await expect(await canvas.findByText(/Could not copy automatically/, { selector: '[slot="copyFailed"]' })).toBeVisible()
    await waitFor(() => expect(canvas.getByRole('textbox', { name: 'Your new API key' })).toHaveFocus())
  },
}

export const Acknowledged: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByText('I have saved this key'))
    await expect(canvas.getByRole('checkbox', { name: 'I have saved this key' })).toBeChecked()
    await expect(canvas.getByRole('button', { name: 'Done' })).toBeEnabled()
  },
}

export const Dismissed: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByText('I have saved this key'))
    await userEvent.click(canvas.getByRole('button', { name: 'Done' }))
    await expect(canvas.getByText('The key is saved. It is gone from this page.')).toBeVisible()
    await expect(canvasElement.innerHTML).not.toContain(SAMPLE_TOKEN)
  },
}

export const RTL: Story = {
  render: (args) => (
    <I18nProvider locale="ar-EG">
      <div dir="rtl">
        <Host {...args} />
      </div>
    </I18nProvider>
  ),
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('group')).toBeVisible()
  },
}
