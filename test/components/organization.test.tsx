/**
 * The components on an organization's keys (`<AuthFrontendApisProvider organization={{ id }}>`), against
 * the reference server in the page: its wording, who created each key, and what a member who may not
 * manage the keys, and a non-member, see.
 */
import { describe, expect, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import { screen, waitFor, within } from '@testing-library/react'
import { I18nProvider } from 'react-aria-components'
import { CreateOrganizationApiKey, OrganizationApiKeyList, PatkitLocalesProvider, TokenList } from '../../src/components/index.ts'
import { patkitLocales } from '../../src/locales.ts'
import { createDemoBackend, type DemoBackendOptions } from '../../stories/support/backend.ts'
import { renderWithBackend } from './support.tsx'

const ACME = { type: 'organization', id: 'acme' } as const
const CREATORS = [
  { userId: 'ana', name: 'Ana Admin' },
  { userId: 'bo', name: 'Bo Builder' },
  // A creator whose name the server never had: the id stands in.
  { userId: 'user_7', name: null },
]

async function acmeBackend(options: DemoBackendOptions, keys = 3) {
  const backend = createDemoBackend({ organizations: [{ id: 'acme', role: 'admin' }, { id: 'globex', role: 'member' }], ...options })
  await backend.seed(keys, { status: 'active', namePrefix: 'Acme key', owner: ACME, creators: CREATORS })
  return backend
}

const rowOf = (name: string) => screen.findByRole('row', { name: new RegExp(name) })

describe('an organization’s keys', () => {
  it('are called the organization’s, and each row says who created the key', async () => {
    const backend = await acmeBackend({ organization: { id: 'acme' } })
    renderWithBackend(<OrganizationApiKeyList />, { backend })
    const grid = await screen.findByRole('grid', { name: 'Organization API keys' })
    await waitFor(() => expect(within(grid).getAllByRole('row')).toHaveLength(4))
    expect(await rowOf('Acme key 1')).toHaveTextContent('by Ana Admin')
    expect(await rowOf('Acme key 2')).toHaveTextContent('by Bo Builder')
    expect(await rowOf('Acme key 3')).toHaveTextContent('by user_7')
    // Every action is there for an admin.
    await userEvent.click(screen.getByRole('button', { name: 'Actions for Acme key 1' }))
    const items = await screen.findAllByRole('menuitem')
    expect(items.map((item) => item.getAttribute('aria-disabled'))).toEqual([null, null, null])
  })

  it('the user’s own list keeps the personal wording and shows no creator', async () => {
    const backend = createDemoBackend({ organizations: [{ id: 'acme', role: 'admin' }] })
    await backend.seed(1, { status: 'active', namePrefix: 'Mine', creators: [{ userId: backend.userId, name: 'Dana Demo' }] })
    await backend.seed(1, { status: 'active', namePrefix: 'Acme key', owner: ACME, creators: CREATORS })
    renderWithBackend(<TokenList />, { backend })
    await screen.findByRole('grid', { name: 'Personal API keys' })
    const row = await rowOf('Mine 1')
    expect(row).not.toHaveTextContent('by ')
    expect(screen.queryByText(/Acme key/)).toBeNull()
  })

  it('empty: says the organization has none, and that its keys outlive their creator', async () => {
    const backend = createDemoBackend({ organizations: [{ id: 'acme', role: 'admin' }], organization: { id: 'acme' } })
    renderWithBackend(<TokenList onCreateRequest={() => undefined} />, { backend })
    expect(await screen.findByText('This organization has no API keys yet')).toBeVisible()
    expect(screen.getByText(/keeps working when the member who created it leaves/)).toBeVisible()
    expect(screen.getByRole('button', { name: 'Create a key' })).toBeVisible()
  })

  it('an admin creates one: the form and the reveal say it belongs to the organization, and the list says who made it', async () => {
    const backend = await acmeBackend({ organization: { id: 'acme' } }, 0)
    renderWithBackend(
      <>
        <CreateOrganizationApiKey />
        <OrganizationApiKeyList />
      </>,
      { backend },
    )
    expect(await screen.findByRole('heading', { name: 'Create an organization API key' })).toBeVisible()
    const name = await screen.findByRole('textbox', { name: 'Name' })
    expect(name).toHaveAccessibleDescription(/belongs to the organization: it keeps working when the member who created it leaves/)
    await userEvent.fill(name, 'Deploy bot')
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }))
    expect(await screen.findByText(/It belongs to the organization and keeps working if you leave it\./)).toBeVisible()
    expect(await rowOf('Deploy bot')).toHaveTextContent('by Dana Demo')
    // It is the organization's key, not the user's.
    expect((await backend.client.fetchPersonalApiKeys()).data?.totalCount).toBe(0)
    expect((await backend.client.fetchOrgApiKeys!('acme')).data?.items.map((key) => key.name)).toEqual(['Deploy bot'])
  })

  it('a member who may only see them: one sentence, no create, every row action disabled, the list readable', async () => {
    const backend = await acmeBackend({ organizations: [{ id: 'acme', role: 'member' }], organization: { id: 'acme', canManage: false } })
    renderWithBackend(<TokenList onCreateRequest={() => undefined} />, { backend })
    const note = await screen.findByRole('note')
    expect(note).toHaveTextContent('You can see this organization’s API keys, but you do not have permission to create, rotate, edit or revoke them.')
    expect(await rowOf('Acme key 2')).toHaveTextContent('by Bo Builder')
    await userEvent.click(screen.getByRole('button', { name: 'Actions for Acme key 2' }))
    const items = await screen.findAllByRole('menuitem')
    expect(items.map((item) => item.getAttribute('aria-disabled'))).toEqual(['true', 'true', 'true'])
  })

  it('empty, to a member who may only see them: no invitation to create a key', async () => {
    const backend = createDemoBackend({ organizations: [{ id: 'acme', role: 'member' }], organization: { id: 'acme', canManage: false } })
    renderWithBackend(<TokenList onCreateRequest={() => undefined} />, { backend })
    expect(await screen.findByText('This organization has no API keys yet')).toBeVisible()
    expect(screen.getByRole('note')).toHaveTextContent('you do not have permission to create')
    expect(screen.queryByText(/Create a key for/)).toBeNull()
    expect(screen.queryByRole('button', { name: 'Create a key' })).toBeNull()
  })

  it('a member who may only see them gets the sentence in place of the create form', async () => {
    const backend = await acmeBackend({ organizations: [{ id: 'acme', role: 'member' }], organization: { id: 'acme', canManage: false } })
    renderWithBackend(<CreateOrganizationApiKey />, { backend })
    expect(await screen.findByRole('note')).toHaveTextContent('you do not have permission to create')
    expect(screen.queryByRole('textbox', { name: 'Name' })).toBeNull()
    expect(screen.queryByRole('button', { name: 'Create key' })).toBeNull()
  })

  it('a member the app did not mark read-only: the server’s refusal is the sentence, and nothing changes', async () => {
    const backend = await acmeBackend({ organizations: [{ id: 'acme', role: 'member' }], organization: { id: 'acme' } })
    renderWithBackend(<TokenList />, { backend })
    await userEvent.click(await screen.findByRole('button', { name: 'Actions for Acme key 1' }))
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Revoke' }))
    const dialog = await screen.findByRole('alertdialog')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('You do not have permission to manage this organization’s API keys.')
    await waitFor(() => expect(screen.getByRole('row', { name: /Acme key 1/ })).toHaveAttribute('data-status', 'active'))
    expect((await backend.client.fetchOrgApiKeys!('acme')).data?.items.every((key) => key.status === 'active')).toBe(true)
  })

  it('not a member (or no such organization): the server’s sentence, no retry, no keys', async () => {
    const backend = await acmeBackend({ organizations: [{ id: 'globex', role: 'admin' }], organization: { id: 'acme' } })
    renderWithBackend(<TokenList />, { backend })
    expect(await screen.findByRole('alert')).toHaveTextContent('That organization does not exist, or you are not a member of it.')
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull()
    expect(screen.queryByText(/Acme key/)).toBeNull()
  })

  it('speaks the locale: the organization’s wording in German, right to left in Arabic', async () => {
    const backend = await acmeBackend({ organizations: [{ id: 'acme', role: 'member' }], organization: { id: 'acme', canManage: false } })
    const { rerender } = renderWithBackend(
      <PatkitLocalesProvider locales={patkitLocales}>
        <I18nProvider locale="de-DE">
          <TokenList />
        </I18nProvider>
      </PatkitLocalesProvider>,
      { backend },
    )
    expect(await screen.findByRole('grid', { name: 'API-Schlüssel der Organisation' })).toBeVisible()
    expect(await rowOf('Acme key 1')).toHaveTextContent('von Ana Admin')
    rerender(
      <PatkitLocalesProvider locales={patkitLocales}>
        <I18nProvider locale="ar-EG">
          <TokenList />
        </I18nProvider>
      </PatkitLocalesProvider>,
    )
    const grid = await screen.findByRole('grid', { name: 'مفاتيح API للمؤسسة' })
    expect(grid.closest('[dir]')).toHaveAttribute('dir', 'rtl')
    // A Latin name in an Arabic sentence is isolated, so it reads whole.
    expect(await rowOf('Acme key 1')).toHaveTextContent('بواسطة \u2068Ana Admin\u2069')
    expect(screen.getByRole('note')).toHaveTextContent('ليس لديك إذن')
  })
})
