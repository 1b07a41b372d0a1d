import { describe, expect, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import { screen, waitFor, within } from '@testing-library/react'
import { RenameDialog, TokenList } from '../../src/components/index.ts'
import type { ListParams, PersonalApiKey, PersonalApiKeyCapabilities, PersonalApiKeyPolicy } from '../../src/client/index.ts'
import { personalApiKeyKeys } from '../../src/react/index.ts'
import { createDemoBackend, type DemoBackend } from '../../stories/support/backend.ts'
import { renderWithBackend } from './support.tsx'

/** A backend whose client declares `capabilities`, with keys in it, and the list parameters it was asked for. */
async function smallBackend(capabilities: PersonalApiKeyCapabilities) {
  const backend = createDemoBackend({ capabilities })
  await backend.createKey('Deploy bot')
  await backend.createKey('Billing export')
  const asked: ListParams[] = []
  const fetchKeys = backend.client.fetchPersonalApiKeys.bind(backend.client)
  backend.client.fetchPersonalApiKeys = (params, options) => {
    asked.push({ ...params })
    return fetchKeys(params, options)
  }
  return { backend, asked }
}

async function openRowMenu(name: string) {
  await userEvent.click(await screen.findByRole('button', { name: `Actions for ${name}` }))
  return screen.findByRole('menu')
}

async function keyNamed(backend: DemoBackend, name: string): Promise<PersonalApiKey> {
  const page = await backend.client.fetchPersonalApiKeys()
  const apiKey = page.ok ? page.data.items.find((item) => item.name === name) : undefined
  if (!apiKey) throw new Error(`test: ${name} is not in the list`)
  return apiKey
}

describe('components with a backend that lacks features', () => {
  it('shows search, status tabs, sort buttons and every row action for a backend that declares nothing', async () => {
    const { backend } = await smallBackend({})
    renderWithBackend(<TokenList />, { backend })
    await screen.findByRole('row', { name: /Deploy bot/ })
    expect(screen.getByRole('searchbox', { name: 'Search keys by name' })).toBeInTheDocument()
    expect(screen.getByRole('radiogroup', { name: 'Filter keys by status' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Name' })).toBeInTheDocument()
    const menu = await openRowMenu('Deploy bot')
    expect(within(menu).getAllByRole('menuitem').map((item) => item.textContent)).toEqual(expect.arrayContaining(['Rotate', 'Revoke', 'Edit']))
  })

  it('offers no search box and no status tabs without search and statusFilter, and asks for neither', async () => {
    const { backend, asked } = await smallBackend({ search: false, statusFilter: false })
    renderWithBackend(<TokenList defaultStatus="revoked" defaultQuery="Deploy" />, { backend })
    // The controlled-from-outside query and status are not sent: both keys show.
    await screen.findByRole('row', { name: /Deploy bot/ })
    await screen.findByRole('row', { name: /Billing export/ })
    expect(screen.queryByRole('searchbox')).not.toBeInTheDocument()
    expect(screen.queryByRole('radiogroup', { name: 'Filter keys by status' })).not.toBeInTheDocument()
    expect(asked.every((params) => params.q === undefined && params.status === undefined)).toBe(true)
  })

  it('makes no column a sort button without sort, claims no order, and sends no sort', async () => {
    const { backend, asked } = await smallBackend({ sort: [] })
    renderWithBackend(<TokenList />, { backend })
    await screen.findByRole('row', { name: /Deploy bot/ })
    const headers = screen.getAllByRole('columnheader')
    expect(headers.map((header) => within(header).queryByRole('button'))).toEqual(headers.map(() => null))
    expect(headers.filter((header) => header.hasAttribute('aria-sort'))).toEqual([])
    expect(asked.every((params) => params.sort === undefined)).toBe(true)
  })

  it('keeps the columns the backend sorts both ways as buttons, and only those', async () => {
    const { backend } = await smallBackend({ sort: ['name', '-name', '-createdAt'] })
    renderWithBackend(<TokenList defaultSort="name" />, { backend })
    await screen.findByRole('row', { name: /Deploy bot/ })
    const buttons = screen.getAllByRole('columnheader').flatMap((header) => within(header).queryAllByRole('button'))
    expect(buttons.map((button) => button.textContent)).toEqual(['Name'])
  })

  it('offers no Rotate and no Edit in the row menu without rotate and rename', async () => {
    const { backend } = await smallBackend({ rotate: false, rename: false })
    renderWithBackend(<TokenList />, { backend })
    const menu = await openRowMenu('Deploy bot')
    expect(within(menu).getAllByRole('menuitem').map((item) => item.textContent)).toEqual(['Revoke'])
  })

  it('calls the row item Rename, and the dialog renames only, without description', async () => {
    const { backend } = await smallBackend({ description: false })
    renderWithBackend(<TokenList />, { backend })
    const menu = await openRowMenu('Deploy bot')
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Rename' }))
    const dialog = await screen.findByRole('dialog', { name: 'Rename “Deploy bot”' })
    expect(within(dialog).getByRole('textbox', { name: 'New name' })).toBeInTheDocument()
    expect(within(dialog).queryByRole('textbox', { name: /Description/ })).not.toBeInTheDocument()
  })

  it('edits the description (several lines kept), and removes an emptied one', async () => {
    const { backend } = await smallBackend({})
    const apiKey = await keyNamed(backend, 'Deploy bot')
    const updated = await backend.client.updatePersonalApiKey(apiKey.id, { description: 'Old note' })
    if (!updated.ok) throw new Error(updated.error.userFacingError)
    const { unmount } = renderWithBackend(<RenameDialog apiKey={updated.data} defaultOpen />, { backend })
    let dialog = await screen.findByRole('dialog', { name: 'Edit “Deploy bot”' })
    const description = within(dialog).getByRole('textbox', { name: 'Description (optional)' })
    expect(description).toHaveValue('Old note')
    await userEvent.fill(description, 'Runs the nightly deploy\nfrom CI')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(backend.store.snapshot().keys.find((key) => key.id === apiKey.id)).toMatchObject({ name: 'Deploy bot', description: 'Runs the nightly deploy\nfrom CI' })
    expect(backend.requests.filter((request) => request.startsWith('PATCH'))).toHaveLength(2)
    unmount()

    renderWithBackend(<RenameDialog apiKey={await keyNamed(backend, 'Deploy bot')} defaultOpen />, { backend })
    dialog = await screen.findByRole('dialog', { name: 'Edit “Deploy bot”' })
    await userEvent.clear(within(dialog).getByRole('textbox', { name: 'Description (optional)' }))
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(backend.store.snapshot().keys.find((key) => key.id === apiKey.id)?.description).toBeNull()
  })

  it('puts a description the server refuses on its field in the edit dialog, and focuses it', async () => {
    const backend = createDemoBackend({ policy: { descriptionMaxLength: 10 } })
    await backend.createKey('Deploy bot')
    const apiKey = await keyNamed(backend, 'Deploy bot')
    const { queryClient } = renderWithBackend(<RenameDialog apiKey={apiKey} defaultOpen />, { backend })
    const dialog = await screen.findByRole('dialog', { name: 'Edit “Deploy bot”' })
    await expect.poll(() => queryClient.getQueryData(personalApiKeyKeys.policy())).toBeTruthy()
    // The page's copy of the policy is looser than the server's: the server's answer lands on the field.
    queryClient.setQueryData<PersonalApiKeyPolicy>(personalApiKeyKeys.policy(), (policy) => ({ ...policy!, descriptionMaxLength: 500 }))
    const description = within(dialog).getByRole('textbox', { name: 'Description (optional)' })
    await userEvent.fill(description, 'far more than ten characters')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(description).toBeInvalid())
    expect(description).toHaveAccessibleDescription(/10/)
    await waitFor(() => expect(description).toHaveFocus())
    expect(dialog).toBeInTheDocument()
    expect(backend.store.snapshot().keys[0]!.description).toBeNull()
  })

  it('focuses the name after a failed save in the edit dialog (blank, then taken)', async () => {
    const { backend } = await smallBackend({})
    const apiKey = await keyNamed(backend, 'Deploy bot')
    renderWithBackend(<RenameDialog apiKey={apiKey} defaultOpen />, { backend })
    const dialog = await screen.findByRole('dialog', { name: 'Edit “Deploy bot”' })
    const name = within(dialog).getByRole('textbox', { name: 'Name' })
    await userEvent.clear(name)
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(name).toHaveFocus())
    expect(name).toHaveAccessibleDescription(/Enter a name/)
    await userEvent.fill(name, 'Billing export')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(name).toHaveAccessibleDescription(/already/))
    await waitFor(() => expect(name).toHaveFocus())
  })
})
