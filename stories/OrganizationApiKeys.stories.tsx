import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { I18nProvider } from 'react-aria-components'
import { CreateOrganizationApiKey, OrganizationApiKeyList, useCanManageKeys } from '../src/components/index.ts'
import type { KeyCreator } from '../src/client/index.ts'
import type { DemoBackend, DemoBackendOptions } from './support/backend.ts'
import { loadBackend, withBackend } from './support/withBackend.tsx'

// The kit ships unstyled; just enough here to read the page, with readable contrast.
const css = `
.org-page { display: grid; gap: 1.5rem; max-width: 72rem; font-family: system-ui, sans-serif; color: #1a1a1a; background: #fff; }
.patkit-CreatePersonalApiKey { max-width: 34rem; padding: 1.25rem; border: 1px solid #6b6b6b; border-radius: 8px; }
.patkit-CreatePersonalApiKey h2 { margin: 0 0 0.75rem; font-size: 1.25rem; }
.patkit-CreatePersonalApiKeyForm, .patkit-CreateKeyNameField { display: grid; gap: 0.5rem; }
.patkit-CreatePersonalApiKey [slot='description'] { color: #4a4a4a; font-size: 0.875rem; }
.patkit-CreatePersonalApiKey button { justify-self: start; padding: 0.4rem 1rem; border-radius: 4px; border: 1px solid #1d4ed8; background: #1d4ed8; color: #fff; }
.patkit-TokenList { display: grid; gap: 0.75rem; --patkit-token-list-height: 20rem; }
.patkit-TokenListStatusTab { border: 1px solid #6b6b6b; background: #fff; color: #1a1a1a; padding: 0.25rem 0.75rem; border-radius: 999px; }
.patkit-TokenListStatusTab[data-selected] { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
.patkit-TokenListTable { border: 1px solid #d0d0d0; border-radius: 6px; }
.patkit-TokenListHeader { background: #f3f3f3; }
.patkit-TokenListColumn { text-align: start; font-weight: 600; padding: 0 0.5rem; display: flex; align-items: center; }
.patkit-TokenListRow { border-bottom: 1px solid #e5e5e5; }
.patkit-TokenListCell { padding: 0 0.5rem; display: flex; align-items: center; gap: 0.25rem; overflow: hidden; white-space: nowrap; }
.patkit-KeyCreatedBy { color: #4d4d4d; }
.patkit-TokenListActionsButton { border: 0; background: transparent; color: inherit; padding: 0.25rem; }
.patkit-TokenListActionsMenu { background: #fff; border: 1px solid #d0d0d0; border-radius: 6px; padding: 0.25rem; min-width: 8rem; }
.patkit-TokenListAction { padding: 0.25rem 0.75rem; color: #1a1a1a; }
.patkit-TokenListAction[data-disabled] { color: #5c5c5c; }
.patkit-OrganizationReadOnlyNotice { margin: 0; padding: 0.75rem 1rem; border-inline-start: 4px solid #1d4ed8; background: #eef2ff; }
.patkit-TokenListErrorState { border: 1px dashed #6b6b6b; border-radius: 6px; padding: 1.5rem; }
.patkit-TokenListErrorMessage { color: #b3261e; }
`

/** Three people made Acme's keys; one of them the server knew by id only. */
const CREATORS: KeyCreator[] = [
  { userId: 'ana', name: 'Ana Admin' },
  { userId: 'bo', name: 'Bo Builder' },
  { userId: 'user_7', name: null },
]

const seedAcme = (backend: DemoBackend) =>
  backend.seed(9, { status: 'mixed', namePrefix: 'Acme key', owner: { type: 'organization', id: 'acme' }, creators: CREATORS })

const acme = (role: string, organization: DemoBackendOptions['organization']): DemoBackendOptions => ({
  organizations: [{ id: 'acme', role }],
  organization,
})

/** An app's organization page: the form only for those who may use it, the list for every member. */
function OrganizationKeysPage() {
  const canManage = useCanManageKeys()
  return (
    <div className="org-page">
      <style>{css}</style>
      {canManage && <CreateOrganizationApiKey />}
      <OrganizationApiKeyList />
    </div>
  )
}

const meta: Meta<typeof OrganizationApiKeyList> = {
  title: 'Organizations/Organization API keys',
  component: OrganizationApiKeyList,
  decorators: [withBackend],
  render: () => <OrganizationKeysPage />,
  parameters: {
    docs: {
      description: {
        component: `The same components on an organization's keys: \`<AuthFrontendApisProvider client={api}
organization={{ id: orgId, canManage }}>\`. The wording becomes the organization's, each row says who created the key,
and a member whose role may only see the keys reads one sentence instead of being offered actions the server would refuse.
\`CreateOrganizationApiKey\` and \`OrganizationApiKeyList\` are \`CreatePersonalApiKey\` and \`TokenList\` by other names.`,
      },
    },
  },
}
export default meta
type Story = StoryObj<typeof OrganizationApiKeyList>

const body = (canvasElement: HTMLElement) => within(canvasElement.ownerDocument.body)

/** An admin of Acme: the create form and every row action; keys made by several people. */
export const AdminManages: Story = {
  loaders: [loadBackend(acme('admin', { id: 'acme' }), seedAcme)],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByRole('heading', { name: 'Create an organization API key' })).toBeVisible()
    const grid = await canvas.findByRole('grid', { name: 'Organization API keys' })
    await waitFor(() => expect(within(grid).getByRole('row', { name: /Acme key 1/ })).toHaveTextContent('by Ana Admin'))
    await expect(within(grid).getByRole('row', { name: /Acme key 2/ })).toHaveTextContent('by Bo Builder')
    await expect(within(grid).getByRole('row', { name: /Acme key 3/ })).toHaveTextContent('by user_7')
    await expect(canvas.queryByRole('note')).toBeNull()
  },
}

/** An admin creates a key: the reveal says it belongs to the organization, and the row says who made it. */
export const AdminCreates: Story = {
  loaders: [loadBackend(acme('owner', { id: 'acme' }), seedAcme)],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.type(await canvas.findByRole('textbox', { name: 'Name' }), 'Deploy bot')
    await userEvent.click(canvas.getByRole('button', { name: 'Create key' }))
    await expect(await canvas.findByText(/belongs to the organization and keeps working if you leave it/)).toBeVisible()
    await waitFor(() => expect(canvas.getByRole('row', { name: /Deploy bot/ })).toHaveTextContent('by Dana Demo'))
  },
}

/** A plain member: the keys and who made them, one sentence about the permission, every row action disabled. */
export const MemberReadOnly: Story = {
  loaders: [loadBackend(acme('member', { id: 'acme', canManage: false }), seedAcme)],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByRole('note')).toHaveTextContent('you do not have permission to create, rotate, edit or revoke them')
    await expect(canvas.queryByRole('heading', { name: 'Create an organization API key' })).toBeNull()
    await userEvent.click(await canvas.findByRole('button', { name: 'Actions for Acme key 1' }))
    const items = await body(canvasElement).findAllByRole('menuitem')
    await expect(items.every((item) => item.getAttribute('aria-disabled') === 'true')).toBe(true)
    await userEvent.keyboard('{Escape}')
  },
}

/** Not a member of the organization (or no such organization): the server's sentence, no retry, no keys. */
export const NotAMember: Story = {
  loaders: [loadBackend({ organizations: [{ id: 'globex', role: 'admin' }], organization: { id: 'acme' } }, seedAcme)],
  render: () => (
    <div className="org-page">
      <style>{css}</style>
      <OrganizationApiKeyList />
    </div>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByRole('alert')).toHaveTextContent('That organization does not exist, or you are not a member of it.')
    await expect(canvas.queryByRole('button', { name: 'Try again' })).toBeNull()
  },
}

/** A member, right to left in Arabic: the sentence, the heading and "by …" read in order. */
export const MemberReadOnlyRTL: Story = {
  loaders: [loadBackend(acme('member', { id: 'acme', canManage: false }), seedAcme)],
  render: () => (
    <I18nProvider locale="ar-EG">
      <div dir="rtl" lang="ar">
        <OrganizationKeysPage />
      </div>
    </I18nProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const grid = await canvas.findByRole('grid', { name: 'مفاتيح API للمؤسسة' })
    await waitFor(() => expect(within(grid).getByRole('row', { name: /Acme key 1/ })).toHaveTextContent('Ana Admin'))
    await expect(canvas.getByRole('note')).toHaveTextContent('ليس لديك إذن')
  },
}
