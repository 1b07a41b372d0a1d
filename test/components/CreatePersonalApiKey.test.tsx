import { describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render, screen, waitFor, within } from '@testing-library/react'
import { I18nProvider, Button, Input, Label, TextField } from 'react-aria-components'
import { CreatePersonalApiKey, type CreatePersonalApiKeyProps } from '../../src/components/CreatePersonalApiKey.tsx'
import { addExpiration } from '../../src/client/expiration.ts'
import type { CreatedPersonalApiKey, PersonalApiKeyPolicy } from '../../src/client/index.ts'
import { AuthFrontendApisProvider, personalApiKeyKeys } from '../../src/react/index.ts'
import { everywhereTheTokenCouldHide, renderWithBackend } from './support.tsx'
import { createDemoBackend, failFastQueryClient, type DemoBackendOptions } from '../../stories/support/backend.ts'

function renderCreate(props: CreatePersonalApiKeyProps = {}, options: DemoBackendOptions = {}) {
  return renderWithBackend(
    <I18nProvider locale="en-US">
      <CreatePersonalApiKey {...props} />
    </I18nProvider>,
    options,
  )
}

const nameField = () => screen.findByRole('textbox', { name: 'Name' })
const submitButton = () => screen.getByRole('button', { name: /Create key|Creating key/ })

/** Checkbox and radio inputs are visually hidden inside their labels; a pointer user clicks the label. */
async function pick(role: 'radio' | 'checkbox', name: string) {
  await userEvent.click(screen.getByRole(role, { name }).closest('label')!)
}

async function fillAndSubmit(name: string) {
  await userEvent.fill(await nameField(), name)
  await userEvent.click(submitButton())
}

async function revealedToken(): Promise<string> {
  const field = await screen.findByRole<HTMLInputElement>('textbox', { name: 'Your new API key' })
  return field.value
}

async function whoAmI(backend: { server: { fetch(request: Request): Response | Promise<Response> } }, token: string) {
  return backend.server.fetch(new Request('https://api.patkit.test/v1/me', { headers: { Authorization: `Bearer ${token}` } }))
}

const medium = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' })

describe('CreatePersonalApiKey', () => {
  it('shows a loading state while the policy loads', async () => {
    renderCreate({}, { latencyMs: 300 })
    expect(screen.getByText('Loading…')).toHaveAttribute('role', 'status')
    await nameField()
    expect(screen.queryByText('Loading…')).not.toBeInTheDocument()
  })

  it('shows the error and a retry that works when the policy fails to load', async () => {
    const { backend } = renderCreate()
    backend.stickyFaults.set('GET', 'serverError')
    // The first request may already be on its way; fail that one too.
    backend.faults.push('serverError')
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('Something went wrong on our side.')
    backend.stickyFaults.clear()
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }))
    expect(await nameField()).toBeInTheDocument()
  })

  it('says so, without a retry, when the user may not manage keys', async () => {
    const { container } = renderCreate({}, { session: 'viewer' })
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent(/permission|not allowed|administrator/i)
    expect(within(alert).queryByRole('button')).not.toBeInTheDocument()
    expect(container.querySelector('.patkit-CreatePersonalApiKey')).toHaveAttribute('data-disabled', 'true')
    expect(container.querySelector('.patkit-CreatePersonalApiKey')).toHaveAttribute('data-error', 'noPersonalApiKeyPermission')
  })

  it('creates a key with a name and a preset, reveals a token that authenticates, and reports it', async () => {
    const onCreated = vi.fn<(created: CreatedPersonalApiKey) => void>()
    const { backend } = renderCreate({ onCreated })
    await userEvent.fill(await nameField(), '  CI deploy  ')
    await pick('radio', '3 months')
    await userEvent.click(submitButton())
    const token = await revealedToken()
    expect(token).toMatch(/^pat_/)
    expect((await whoAmI(backend, token)).status).toBe(200)
    expect(onCreated).toHaveBeenCalledTimes(1)
    expect(onCreated.mock.calls[0]![0].token).toBe(token)
    expect(onCreated.mock.calls[0]![0].apiKey.name).toBe('CI deploy')
    const [stored] = backend.store.snapshot().keys
    expect(stored!.name).toBe('CI deploy')
    const expected = addExpiration(new Date(stored!.createdAt), 'ThreeMonths')
    expect(Math.abs(Date.parse(stored!.expiresAt!) - expected.getTime())).toBeLessThan(5_000)
    expect(screen.getByText('Key created.')).toBeInTheDocument()
  })

  it('creates exactly one key when the submit button is double-clicked', async () => {
    const { backend } = renderCreate({}, { latencyMs: 50 })
    await userEvent.fill(await nameField(), 'Double')
    await userEvent.dblClick(submitButton())
    await revealedToken()
    expect(backend.store.snapshot().keys).toHaveLength(1)
    expect(backend.requests.filter((request) => request.startsWith('POST'))).toHaveLength(1)
  })

  it('marks the submit button pending while the key is created', async () => {
    renderCreate({}, { latencyMs: 200 })
    await fillAndSubmit('Slow')
    await waitFor(() => expect(screen.getByRole('button', { name: /Creating key/ })).toHaveAttribute('aria-disabled', 'true'))
    await revealedToken()
  })

  it('asks for a name without calling the server when the name is blank', async () => {
    const { backend } = renderCreate()
    await fillAndSubmit('   ')
    const field = await nameField()
    await waitFor(() => expect(field).toBeInvalid())
    expect(screen.getByText('Enter a name for the key.')).toBeInTheDocument()
    expect(backend.requests.filter((request) => request.startsWith('POST'))).toHaveLength(0)
  })

  it('puts a taken name on the name field when the server answers 409', async () => {
    const { backend } = renderCreate()
    await backend.createKey('Taken')
    await fillAndSubmit('Taken')
    const field = await nameField()
    await waitFor(() => expect(field).toBeInvalid())
    expect(field).toHaveAccessibleDescription(/already have an active key with that name/)
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
  })

  it('clears the name error once the name changes', async () => {
    const { backend } = renderCreate()
    await backend.createKey('Taken')
    await fillAndSubmit('Taken')
    const field = await nameField()
    await waitFor(() => expect(field).toBeInvalid())
    await userEvent.type(field, ' 2')
    expect(field).toBeValid()
  })

  it('shows the wait time when the server rate-limits', async () => {
    const { backend } = renderCreate()
    await nameField()
    backend.faults.push('rateLimited')
    await fillAndSubmit('Busy')
    expect(await screen.findByRole('alert')).toHaveTextContent('Try again in 30 seconds.')
  })

  it('shows the server’s sentence and disables the form when the user may not create keys', async () => {
    const { backend, container } = renderCreate()
    await nameField()
    backend.faults.push('forbidden')
    await fillAndSubmit('Nope')
    expect(await screen.findByRole('alert')).toHaveTextContent('Your role does not allow personal API keys. Ask an administrator.')
    expect(await nameField()).toBeDisabled()
    expect(submitButton()).toBeDisabled()
    expect(container.querySelector('.patkit-CreatePersonalApiKey')).toHaveAttribute('data-disabled', 'true')
  })

  it('disables the form when personal API keys are turned off', async () => {
    const { backend } = renderCreate()
    await nameField()
    backend.faults.push('disabled')
    await fillAndSubmit('Off')
    expect(await screen.findByRole('alert')).toHaveTextContent('Your organization has turned personal API keys off.')
    expect(submitButton()).toBeDisabled()
  })

  it('says the user is signed out, in the catalog’s one sentence, and offers the app’s sign-in instead of a retry', async () => {
    const { backend, unauthorized, container } = renderCreate()
    await nameField()
    backend.faults.push('unauthorized')
    await fillAndSubmit('Signed out')
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('You are signed out. Sign in again to manage your API keys.')
    expect(unauthorized).toHaveLength(1)
    expect(container.querySelector('.patkit-CreatePersonalApiKey')).toHaveAttribute('data-error', 'unauthorized')
    expect(within(alert).queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument()
    await userEvent.click(within(alert).getByRole('button', { name: 'Sign in' }))
    expect(unauthorized).toHaveLength(2)
  })

  it('offers no sign-in button when the app gave the provider no onUnauthorized', async () => {
    const backend = createDemoBackend({ session: 'signedOut' })
    render(
      <AuthFrontendApisProvider client={backend.client} queryClient={failFastQueryClient()}>
        <CreatePersonalApiKey />
      </AuthFrontendApisProvider>,
    )
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('You are signed out.')
    expect(within(alert).queryByRole('button')).not.toBeInTheDocument()
  })

  it.each(['serverError', 'htmlError', 'offline'] as const)('shows a message and a retry that works after %s', async (fault) => {
    const { backend } = renderCreate()
    await nameField()
    backend.faults.push(fault)
    await fillAndSubmit('Flaky')
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).not.toBe('')
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }))
    const token = await revealedToken()
    expect((await whoAmI(backend, token)).status).toBe(200)
    expect(backend.store.snapshot().keys).toHaveLength(1)
  })

  it('puts the server’s field error on the name when the server refuses the name', async () => {
    const { backend, queryClient } = renderCreate({}, { policy: { nameMaxLength: 10 } })
    await nameField()
    // The page's copy of the policy is older and looser than the server's.
    queryClient.setQueryData<PersonalApiKeyPolicy>(personalApiKeyKeys.policy(), (policy) => ({ ...policy!, nameMaxLength: 256 }))
    await fillAndSubmit('A name far too long')
    const field = await nameField()
    await waitFor(() => expect(field).toBeInvalid())
    expect(field).toHaveAccessibleDescription(/at most 10 characters/)
    expect(backend.store.snapshot().keys).toHaveLength(0)
  })

  it('puts a refused expiration on the expiration field', async () => {
    const { queryClient } = renderCreate({}, { policy: { maxLifetimeDays: 30 } })
    await nameField()
    expect(screen.queryByRole('radio', { name: 'Never' })).not.toBeInTheDocument()
    queryClient.setQueryData<PersonalApiKeyPolicy>(personalApiKeyKeys.policy(), (policy) => ({ ...policy!, maxLifetimeDays: null }))
    await screen.findByRole('radio', { name: 'Never' })
    await pick('radio', 'Never')
    await fillAndSubmit('Forever')
    const group = screen.getByRole('radiogroup', { name: 'Expiration' })
    await waitFor(() => expect(group).toHaveAttribute('aria-invalid', 'true'))
    expect(within(group).getByText('Keys must expire within 30 days.')).toBeInTheDocument()
  })

  it('creates a key with a multi-line description, counts its characters, and shows it in the reveal', async () => {
    const { backend } = renderCreate({}, { policy: { descriptionMaxLength: 40 } })
    await userEvent.fill(await nameField(), 'Billing export')
    const description = screen.getByRole('textbox', { name: 'Description (optional)' })
    expect(description.tagName).toBe('TEXTAREA')
    expect(description).toHaveAccessibleDescription(/0 of 40 characters/)
    await userEvent.fill(description, 'Nightly job\nowned by finance')
    expect(description).toHaveAccessibleDescription(/28 of 40 characters/)
    await userEvent.click(submitButton())
    await revealedToken()
    const reveal = document.querySelector<HTMLElement>('.patkit-TokenReveal')!
    expect(within(reveal).getByText('Description')).toBeInTheDocument()
    expect(reveal.querySelector('.patkit-TokenRevealDescription')).toHaveTextContent('Nightly job owned by finance')
    expect(backend.store.snapshot().keys[0]!.description).toBe('Nightly job\nowned by finance')
  })

  it('refuses a description over the policy’s length at the field and focuses it, without calling the server', async () => {
    const { backend } = renderCreate({}, { policy: { descriptionMaxLength: 10 } })
    await userEvent.fill(await nameField(), 'Long note')
    const description = screen.getByRole('textbox', { name: 'Description (optional)' })
    await userEvent.fill(description, 'far more than ten characters')
    await userEvent.click(submitButton())
    await waitFor(() => expect(description).toBeInvalid())
    expect(description).toHaveAccessibleDescription(/Use 10 characters or fewer/)
    await waitFor(() => expect(description).toHaveFocus())
    expect(backend.requests.filter((request) => request.startsWith('POST'))).toHaveLength(0)
  })

  it('puts the server’s description error on the description field', async () => {
    const { backend, queryClient } = renderCreate({}, { policy: { descriptionMaxLength: 10 } })
    await nameField()
    // The page's copy of the policy is looser than the server's.
    queryClient.setQueryData<PersonalApiKeyPolicy>(personalApiKeyKeys.policy(), (policy) => ({ ...policy!, descriptionMaxLength: 500 }))
    await userEvent.fill(await nameField(), 'Server says no')
    const description = screen.getByRole('textbox', { name: 'Description (optional)' })
    await userEvent.fill(description, 'far more than ten characters')
    await userEvent.click(submitButton())
    await waitFor(() => expect(description).toBeInvalid())
    expect(description).toHaveAccessibleDescription(/10/)
    await waitFor(() => expect(description).toHaveFocus())
    expect(backend.store.snapshot().keys).toHaveLength(0)
  })

  it('offers no description, scopes or custom date when the backend declares it lacks them, and sends none', async () => {
    const { backend } = renderCreate({}, { capabilities: { description: false, scopes: false, customExpiration: false } })
    await userEvent.fill(await nameField(), 'Small backend')
    expect(screen.getByRole('radio', { name: '1 month' })).toBeInTheDocument()
    expect(screen.queryByRole('radio', { name: 'Custom…' })).not.toBeInTheDocument()
    expect(screen.queryByRole('textbox', { name: /Description/ })).not.toBeInTheDocument()
    expect(screen.queryByRole('group', { name: 'Scopes' })).not.toBeInTheDocument()
    expect(screen.queryByText('Read projects and their settings')).not.toBeInTheDocument()
    await userEvent.click(submitButton())
    await revealedToken()
    expect(backend.store.snapshot().keys[0]!.scopes).toEqual([])
  })

  it('captions the date the chosen preset expires on, and warns for Never', async () => {
    renderCreate()
    await nameField()
    const group = screen.getByRole('radiogroup', { name: 'Expiration' })
    expect(screen.getByRole('radio', { name: '1 month' })).toBeChecked()
    expect(group).toHaveAccessibleDescription(`The key will expire on ${medium.format(addExpiration(new Date(), 'OneMonth'))}.`)
    await pick('radio', '1 year')
    expect(group).toHaveAccessibleDescription(`The key will expire on ${medium.format(addExpiration(new Date(), 'OneYear'))}.`)
    await pick('radio', 'Never')
    expect(group).toHaveAccessibleDescription(/never expire/)
  })

  it('offers Never and the longer presets only when the policy allows them', async () => {
    // Three months is at most 92 days, so a 100-day cap allows it and nothing longer.
    renderCreate({}, { policy: { maxLifetimeDays: 100 } })
    await nameField()
    const offered = within(screen.getByRole('radiogroup', { name: 'Expiration' }))
      .getAllByRole('radio')
      .map((radio) => radio.getAttribute('value'))
    expect(offered).toEqual(['TwoWeeks', 'OneMonth', 'ThreeMonths', 'custom'])
  })

  it('groups action:resource scopes by resource, none first, and a level grants the levels below it', async () => {
    // The backend's policy: read:projects, write:projects, admin:billing.
    const { backend, container } = renderCreate()
    await nameField()
    const scopes = screen.getByRole('group', { name: 'Scopes' })
    expect(scopes.closest('.patkit-CreateKeyScopesField')).toHaveAttribute('data-layout', 'grouped')
    const projects = within(scopes).getByRole('radiogroup', { name: 'projects' })
    expect(within(projects).getAllByRole('radio').map((radio) => radio.closest('label')!.textContent)).toEqual(['None', 'read', 'write'])
    expect(within(projects).getByRole('radio', { name: 'None' })).toBeChecked()
    expect(within(projects).getByRole('radio', { name: 'write' })).toHaveAccessibleDescription('Create and change projects')
    await userEvent.click(within(projects).getByRole('radio', { name: 'write' }).closest('label')!)
    expect(projects).toHaveAccessibleDescription('Grants read:projects, write:projects.')
    expect(container.querySelector('.patkit-CreateKeyScopesField')).toHaveAttribute('data-selected-count', '2')
    expect(within(scopes).getByRole('radiogroup', { name: 'billing' })).toHaveAccessibleDescription('No access.')
    await fillAndSubmit('Scoped')
    await revealedToken()
    expect(backend.store.snapshot().keys[0]!.scopes.sort()).toEqual(['read:projects', 'write:projects'])
  })

  it('lists other scope ids flat, with Select all and a count once there are many', async () => {
    const scopes = ['deploy', 'logs', 'metrics', 'billing', 'secrets', 'members', 'audit'].map((id) => ({ id, description: `The ${id} API` }))
    const { backend } = renderCreate({}, { policy: { scopes } })
    await nameField()
    const group = screen.getByRole('group', { name: 'Scopes' })
    expect(group.closest('.patkit-CreateKeyScopesField')).toHaveAttribute('data-layout', 'flat')
    expect(within(group).getByRole('checkbox', { name: 'logs' })).toHaveAccessibleDescription('The logs API')
    await pick('checkbox', 'logs')
    expect(group).toHaveAccessibleDescription(/1 of 7 selected/)
    const all = within(group).getByRole<HTMLInputElement>('checkbox', { name: 'Select all' })
    expect(all.indeterminate).toBe(true)
    await pick('checkbox', 'Select all')
    expect(group).toHaveAccessibleDescription(/7 of 7 selected/)
    expect(all.indeterminate).toBe(false)
    await pick('checkbox', 'secrets')
    await fillAndSubmit('Most scopes')
    await revealedToken()
    expect(backend.store.snapshot().keys[0]!.scopes).toHaveLength(6)
    expect(backend.store.snapshot().keys[0]!.scopes).not.toContain('secrets')
  })

  it('lists a few scopes flat, without Select all', async () => {
    renderCreate({}, { policy: { scopes: [{ id: 'deploy', description: 'Deploy' }, { id: 'logs', description: 'Read logs' }] } })
    await nameField()
    expect(screen.getByRole('checkbox', { name: 'deploy' })).toBeInTheDocument()
    expect(screen.queryByRole('checkbox', { name: 'Select all' })).not.toBeInTheDocument()
  })

  it('shows no scopes when the policy has none', async () => {
    renderCreate({}, { policy: { scopes: [] } })
    await nameField()
    expect(screen.queryByRole('group', { name: 'Scopes' })).not.toBeInTheDocument()
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument()
  })

  it('creates a key that expires at the end of a custom day typed with the keyboard', async () => {
    const { backend } = renderCreate({}, { policy: { maxLifetimeDays: 60 } })
    await userEvent.fill(await nameField(), 'Custom')
    await pick('radio', 'Custom…')
    const day = new Date()
    day.setDate(day.getDate() + 10)
    // The picker loads on first use (fetched and compiled now: on a busy machine that takes seconds).
    const month = await screen.findByRole('spinbutton', { name: /month/i }, { timeout: 15_000 })
    await userEvent.click(month)
    const pad = (n: number) => String(n).padStart(2, '0')
    await userEvent.keyboard(`${pad(day.getMonth() + 1)}${pad(day.getDate())}${day.getFullYear()}`)
    const endOfDay = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1).getTime() - 1
    expect(screen.getByRole('radiogroup', { name: 'Expiration' })).toHaveAccessibleDescription(
      `Keys last at most 60 days. The key will expire on ${medium.format(endOfDay)}.`,
    )
    await userEvent.click(submitButton())
    await revealedToken()
    expect(backend.store.snapshot().keys[0]!.expiresAt).toBe(new Date(endOfDay).toISOString())
  })

  /** Types a day into the custom date picker (it loads on first use: on a busy machine that takes seconds). */
  async function typeCustomDay(day: Date) {
    await pick('radio', 'Custom…')
    const month = await screen.findByRole('spinbutton', { name: /month/i }, { timeout: 15_000 })
    await userEvent.click(month)
    const pad = (n: number) => String(n).padStart(2, '0')
    await userEvent.keyboard(`${pad(day.getMonth() + 1)}${pad(day.getDate())}${day.getFullYear()}`)
  }

  it('says a past custom date must be in the future, the same sentence before and on submit, and focuses the date', async () => {
    const { backend } = renderCreate({}, { policy: { maxLifetimeDays: 60 } })
    await userEvent.fill(await nameField(), 'Yesterday')
    const yesterday = new Date()
    yesterday.setDate(yesterday.getDate() - 1)
    await typeCustomDay(yesterday)
    const picker = screen.getByRole('group', { name: 'Expiration date' })
    await waitFor(() => expect(picker.closest('.react-aria-DatePicker')).toHaveTextContent('Choose a date in the future.'))
    await userEvent.click(submitButton())
    await waitFor(() => expect(within(picker).getAllByRole('spinbutton')).toContain(document.activeElement))
    expect(screen.getAllByText('Choose a date in the future.').length).toBeGreaterThan(0)
    expect(screen.queryByText(/not allowed/)).not.toBeInTheDocument()
    expect(backend.requests.filter((request) => request.startsWith('POST'))).toHaveLength(0)
  })

  it('says the latest date allowed for a custom date beyond the cap', async () => {
    renderCreate({}, { policy: { maxLifetimeDays: 30 } })
    await userEvent.fill(await nameField(), 'Too long')
    const later = new Date()
    later.setDate(later.getDate() + 40)
    await typeCustomDay(later)
    const latest = new Date()
    latest.setDate(latest.getDate() + 29)
    expect(await screen.findByText(`Keys last at most 30 days: choose a date by ${medium.format(latest)}.`)).toHaveClass('react-aria-FieldError')
  })

  it('accepts today as a custom date, as the calendar offers it: the key lasts until the day ends', async () => {
    const { backend } = renderCreate({}, { policy: { maxLifetimeDays: 60 } })
    await userEvent.fill(await nameField(), 'Today')
    const today = new Date()
    await typeCustomDay(today)
    // The calendar offers today, and its field says nothing against it.
    expect(screen.getByRole('group', { name: 'Expiration date' }).closest('.react-aria-DatePicker')).not.toHaveAttribute('data-invalid')
    await userEvent.click(submitButton())
    await revealedToken()
    const endOfToday = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1).getTime() - 1
    expect(backend.store.snapshot().keys[0]!.expiresAt).toBe(new Date(endOfToday).toISOString())
  })

  it('moves focus to the first field in error after a failed submit, so its error is read', async () => {
    const { backend } = renderCreate()
    await nameField()
    await userEvent.click(submitButton())
    const field = await nameField()
    await waitFor(() => expect(field).toHaveFocus())
    expect(field).toHaveAccessibleDescription(/Enter a name for the key/)
    await backend.createKey('Taken')
    await userEvent.fill(field, 'Taken')
    await userEvent.click(submitButton())
    await waitFor(() => expect(field).toHaveAccessibleDescription(/already have an active key|already/i))
    await waitFor(() => expect(field).toHaveFocus())
  })

  it('asks for a date when Custom is chosen without one', async () => {
    const { backend } = renderCreate()
    await userEvent.fill(await nameField(), 'No date')
    await pick('radio', 'Custom…')
    await userEvent.click(submitButton())
    expect(await screen.findByText('Choose an expiration date.')).toBeInTheDocument()
    expect(backend.requests.filter((request) => request.startsWith('POST'))).toHaveLength(0)
  })

  it('resets for another key, calls onDone and leaves the token nowhere once the reveal is dismissed', async () => {
    const onDone = vi.fn()
    const { queryClient } = renderCreate({ onDone, defaultName: 'First' })
    await userEvent.click(await screen.findByRole('button', { name: 'Create key' }))
    const token = await revealedToken()
    expect(everywhereTheTokenCouldHide(queryClient)).toContain(token)
    await userEvent.click(screen.getByRole('checkbox', { name: 'I have saved this key' }).closest('label')!)
    await userEvent.click(screen.getByRole('button', { name: 'Done' }))
    expect(onDone).toHaveBeenCalledTimes(1)
    const field = await nameField()
    expect(field).toHaveValue('')
    await waitFor(() => expect(field).toHaveFocus())
    expect(everywhereTheTokenCouldHide(queryClient)).not.toContain(token)
  })

  it('leaves the token nowhere after it unmounts during the reveal', async () => {
    const { queryClient, unmount } = renderCreate({ defaultName: 'Unmounted' })
    await userEvent.click(await screen.findByRole('button', { name: 'Create key' }))
    const token = await revealedToken()
    unmount()
    expect(everywhereTheTokenCouldHide(queryClient)).not.toContain(token)
  })

  it('sets data attributes, the default class, a ref and DOM props on its root', async () => {
    let root: HTMLDivElement | null = null
    renderCreate({ ref: (el) => void (root = el), id: 'create', 'data-testid': 'create' })
    await nameField()
    expect(root).toBe(screen.getByTestId('create'))
    expect(root).toHaveClass('patkit-CreatePersonalApiKey')
    expect(root).toHaveAttribute('data-step', 'form')
    expect(root).toHaveAttribute('id', 'create')
    await userEvent.fill(await nameField(), 'Attributes')
    await userEvent.click(submitButton())
    await revealedToken()
    expect(root).toHaveAttribute('data-step', 'reveal')
  })

  it('passes its render props to a className function', async () => {
    renderCreate({ 'data-testid': 'create', className: ({ step, isLoadingPolicy }) => `create ${step} ${isLoadingPolicy ? 'loading' : 'ready'}` })
    await nameField()
    expect(screen.getByTestId('create')).toHaveClass('create', 'form', 'ready')
  })

  it('wires the app’s own react-aria parts through slots', async () => {
    const { backend } = renderCreate({
      children: (
        <>
          <TextField slot="name">
            <Label>Key label</Label>
            <Input />
          </TextField>
          <Button slot="submit">Make it</Button>
        </>
      ),
    })
    await userEvent.fill(await screen.findByRole('textbox', { name: 'Key label' }), 'Custom parts')
    await userEvent.click(screen.getByRole('button', { name: 'Make it' }))
    await revealedToken()
    expect(backend.store.snapshot().keys[0]!.name).toBe('Custom parts')
  })

  it('names the missing provider in its error', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<CreatePersonalApiKey />)).toThrow('patkit: <CreatePersonalApiKey> must be inside <AuthFrontendApisProvider>')
    vi.restoreAllMocks()
  })
})
