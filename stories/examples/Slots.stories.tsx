import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { Checkbox, Heading, Text } from 'react-aria-components'
import {
  CreateKeyExpirationField,
  CreateKeyFormError,
  CreatePersonalApiKey,
  RevokeDialog,
  TokenList,
  TokenListTable,
  TokenReveal,
} from '../../src/components/index.ts'
import { loadBackend, withBackend } from '../support/withBackend.tsx'
import { loadKey, loadedKey } from '../support/loadKey.ts'
import { AppButton, AppSearchField, AppTextField, appCss } from './AppComponents.tsx'

/**
 * patkit's parts swapped for the app's own react-aria components (`AppButton`, `AppTextField`,
 * `AppSearchField` in AppComponents.tsx). Each only needs a `slot`: the patkit component provides that
 * slot's props (value, onChange, isPending, onPress, validation) through react-aria's contexts.
 */
const meta: Meta = {
  title: 'Examples/Slots',
  decorators: [
    (Story) => (
      <>
        <style>{appCss}</style>
        <Story />
      </>
    ),
    withBackend,
  ],
  loaders: [loadBackend()],
}
export default meta
type Story = StoryObj

/** `<AppTextField slot="name">` and `<AppButton slot="submit">` inside `CreatePersonalApiKey`. */
export const CreateKeyWithAppParts: Story = {
  render: () => (
    <CreatePersonalApiKey className="app-card">
      <Heading slot="title">New access token</Heading>
      <AppTextField slot="name" label="Token name" description="Shown in your token list." />
      <CreateKeyExpirationField />
      <CreateKeyFormError />
      <div className="app-row">
        <AppButton slot="submit" variant="primary">
          Generate token
        </AppButton>
      </div>
    </CreatePersonalApiKey>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const name = await canvas.findByRole('textbox', { name: 'Token name' })
    // The form validates the app's field as its own: empty is refused.
    await userEvent.click(canvas.getByRole('button', { name: 'Generate token' }))
    await expect(name).toHaveAttribute('aria-invalid', 'true')
    await userEvent.type(name, 'Deploy bot')
    await userEvent.click(canvas.getByRole('button', { name: 'Generate token' }))
    const field = await canvas.findByRole<HTMLInputElement>('textbox', { name: 'Your new API key' })
    await expect(field.value).toMatch(/^pat_/)
  },
}

/** Type-to-confirm with the app's field and buttons; `confirm` stays disabled until the text matches. */
export const RevokeWithAppParts: Story = {
  loaders: [loadKey('Deploy bot')],
  render: (_args, { loaded }) => {
    const { apiKey } = loadedKey(loaded)
    return (
      <RevokeDialog apiKey={apiKey} defaultOpen confirmationText={apiKey.name} className="app-card app-dialog">
        {({ error }) => (
          <>
            <Heading slot="title">Revoke {apiKey.name}?</Heading>
            <Text slot="description" elementType="p">
              Anything using this token stops working right away.
            </Text>
            <AppTextField slot="confirmation" label={`Type “${apiKey.name}” to confirm`} />
            {error && <p role="alert">{error.userFacingError}</p>}
            <div className="app-row">
              <AppButton slot="cancel">Keep it</AppButton>
              <AppButton slot="confirm" variant="danger">
                Revoke token
              </AppButton>
            </div>
          </>
        )}
      </RevokeDialog>
    )
  },
  play: async ({ canvasElement }) => {
    const dialog = await within(canvasElement.ownerDocument.body).findByRole('alertdialog', { name: 'Revoke Deploy bot?' })
    const confirm = within(dialog).getByRole('button', { name: 'Revoke token' })
    await expect(confirm).toBeDisabled()
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Type “Deploy bot” to confirm' }), 'Deploy bot')
    await expect(confirm).toBeEnabled()
  },
}

/** The reveal with the app's buttons and its own acknowledgement wording. */
export const RevealWithAppParts: Story = {
  render: () => (
    <TokenReveal token="pat_EXAMPLEexampleEXAMPLEexample0000FAKE00" className="app-card">
      <Heading slot="title">Your token is ready</Heading>
      <Text slot="warning" elementType="p">
        This is the only time you will see it.
      </Text>
      <AppTextField slot="token" label="Access token" />
      <div className="app-row">
        <AppButton slot="copy">Copy token</AppButton>
      </div>
      <Checkbox slot="acknowledge">{({ isSelected }) => `${isSelected ? '☑' : '☐'} I stored it in our secrets manager`}</Checkbox>
      <div className="app-row">
        <AppButton slot="done" variant="primary">
          Finish
        </AppButton>
      </div>
    </TokenReveal>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    // The reveal's code loads on first use.
    await expect(await canvas.findByRole('textbox', { name: 'Access token' }, { timeout: 15_000 })).toHaveValue('pat_EXAMPLEexampleEXAMPLEexample0000FAKE00')
    await expect(canvas.getByRole('button', { name: 'Finish' })).toBeDisabled()
    await userEvent.click(canvas.getByRole('checkbox', { name: /secrets manager/ }))
    await expect(canvas.getByRole('button', { name: 'Finish' })).toBeEnabled()
  },
}

/** The list searched through the app's own search field. */
export const ListWithAppSearch: Story = {
  loaders: [loadBackend({}, (backend) => backend.seed(12, { status: 'mixed', namePrefix: 'Worker' }).then(() => backend.createKey('Deploy bot')))],
  render: () => (
    <TokenList style={{ fontFamily: 'system-ui, sans-serif', display: 'grid', gap: '1rem', maxWidth: '64rem' }}>
      <AppSearchField slot="search" label="Find a token" />
      <TokenListTable />
    </TokenList>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await canvas.findByRole('row', { name: /Deploy bot/ })
    await userEvent.type(canvas.getByRole('searchbox', { name: 'Find a token' }), 'deploy')
    await waitFor(() => expect(canvas.queryAllByRole('row').filter((row) => row.hasAttribute('data-status'))).toHaveLength(1))
  },
}
