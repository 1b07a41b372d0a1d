import { useState } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render, screen, waitFor, within } from '@testing-library/react'
import { Button, DialogTrigger, Heading, I18nProvider } from 'react-aria-components'
import { RotateDialog, type RotateResult } from '../../src/components/RotateDialog.tsx'
import { addExpiration } from '../../src/client/expiration.ts'
import type { PersonalApiKey } from '../../src/client/index.ts'
import { createDemoBackend, type DemoBackend } from '../../stories/support/backend.ts'
import { everywhereTheTokenCouldHide, renderWithBackend } from './support.tsx'

/** Creates a key through the API and returns it as the list would show it, with its token. */
async function createKey(backend: DemoBackend, name: string): Promise<{ apiKey: PersonalApiKey; token: string }> {
  const { id, token } = await backend.createKey(name)
  const page = await backend.client.fetchPersonalApiKeys()
  const apiKey = page.ok ? page.data.items.find((item) => item.id === id) : undefined
  if (!apiKey) throw new Error(`test: ${name} is not in the list`)
  return { apiKey, token }
}

async function statusOfToken(backend: DemoBackend, token: string): Promise<number> {
  const response = await backend.server.fetch(
    new Request('https://api.patkit.test/v1/me', { headers: { Authorization: 'Bearer ' + token } }),
  )
  return response.status
}

async function setup(name = 'Deploy bot') {
  const backend = createDemoBackend()
  const created = await createKey(backend, name)
  return { backend, ...created }
}

const dialogNamed = (name: string) => screen.findByRole('dialog', { name: `Rotate “${name}”?` })

/** Rotates from the confirm step and returns the new token as the reveal shows it. */
async function rotateAndReadToken(): Promise<string> {
  await userEvent.click(within(await dialogNamed('Deploy bot')).getByRole('button', { name: 'Rotate key' }))
  const field = await screen.findByRole('textbox', { name: 'Your new API key' })
  return (field as HTMLInputElement).value
}

async function acknowledgeAndDismiss() {
  // react-aria hides the native input; the user clicks its label.
  await userEvent.click(screen.getByRole('checkbox', { name: 'I have saved this key' }).closest('label')!)
  await userEvent.click(screen.getByRole('button', { name: 'Done' }))
}

describe('RotateDialog', () => {
  it('reveals a new token that works while the old one stops working', async () => {
    const { backend, apiKey, token: oldToken } = await setup()
    const onRotated = vi.fn<(result: RotateResult) => void>()
    renderWithBackend(<RotateDialog apiKey={apiKey} defaultOpen onRotated={onRotated} />, { backend })

    const dialog = await dialogNamed('Deploy bot')
    expect(dialog).toHaveAttribute('data-step', 'confirm')
    const newToken = await rotateAndReadToken()

    expect(newToken).toMatch(/^pat_/)
    expect(newToken).not.toBe(oldToken)
    expect(dialog).toHaveAttribute('data-step', 'reveal')
    expect(await statusOfToken(backend, newToken)).toBe(200)
    expect(await statusOfToken(backend, oldToken)).toBe(401)
    expect(onRotated).toHaveBeenCalledTimes(1)
    const result = onRotated.mock.calls[0]![0]
    expect(result.previous.id).toBe(apiKey.id)
    expect(result.apiKey).toMatchObject({ name: 'Deploy bot', status: 'active' })
    expect(JSON.stringify(result)).not.toContain(newToken)
  })

  it('offers the policy’s grace periods, none by default, and keeps the old key working until the chosen one ends', async () => {
    const { backend, apiKey, token: oldToken } = await setup()
    const onRotated = vi.fn<(result: RotateResult) => void>()
    renderWithBackend(
      <I18nProvider locale="en-US">
        <RotateDialog apiKey={apiKey} defaultOpen onRotated={onRotated} />
      </I18nProvider>,
      { backend },
    )
    const dialog = await dialogNamed('Deploy bot')
    const group = await within(dialog).findByRole('radiogroup', { name: 'Old key keeps working for' }, { timeout: 5_000 })
    expect(within(group).getAllByRole('radio').map((radio) => radio.closest('label')?.textContent)).toEqual([
      'None: it stops at once',
      '1 hour',
      '1 day',
      '7 days',
    ])
    expect(within(group).getByRole('radio', { name: 'None: it stops at once' })).toBeChecked()
    expect(group).toHaveAccessibleDescription('The old key stops working at once.')
    await userEvent.click(within(group).getByRole('radio', { name: '1 day' }).closest('label')!)
    expect(dialog).toHaveAttribute('data-grace-period', 'OneDay')
    expect(group).toHaveAccessibleDescription(/^The old key keeps working until /)
    expect(dialog).toHaveTextContent('keeps working until the grace period ends')
    const before = Date.now()
    const newToken = await rotateAndReadToken()

    expect(await statusOfToken(backend, newToken)).toBe(200)
    // The old key still works: an integration has a day to switch over.
    expect(await statusOfToken(backend, oldToken)).toBe(200)
    const { previous } = onRotated.mock.calls[0]![0]
    expect(previous).toMatchObject({ id: apiKey.id, status: 'active', revokedAt: null, gracePeriod: 'OneDay' })
    expect(Math.abs(Date.parse(previous.expiresAt!) - (before + 86_400_000))).toBeLessThan(60_000)
    const result = dialog.querySelector('.patkit-RotateDialogResult')!
    expect(result).toHaveTextContent(/^Key rotated\. The old key keeps working until .+ \(in 1 day|in 24 hours\)\.$/)
    expect(result.textContent).toContain(new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(previous.expiresAt!)))
    // Screen readers hear it too.
    expect([...document.querySelectorAll('[role="status"]')].map((status) => status.textContent)).toContainEqual(result.textContent)
  })

  it('says the old key stopped when no grace period is chosen, sending none', async () => {
    const { backend, apiKey, token: oldToken } = await setup()
    renderWithBackend(<RotateDialog apiKey={apiKey} defaultOpen />, { backend })
    const dialog = await dialogNamed('Deploy bot')
    await within(dialog).findByRole('radiogroup', { name: 'Old key keeps working for' }, { timeout: 5_000 })
    await rotateAndReadToken()
    expect(dialog.querySelector('.patkit-RotateDialogResult')).toHaveTextContent('Key rotated. The old key no longer works.')
    expect(await statusOfToken(backend, oldToken)).toBe(401)
  })

  it('offers no grace period when the policy allows none', async () => {
    const backend = createDemoBackend({ policy: { gracePeriodOptions: ['None'] } })
    const { apiKey } = await createKey(backend, 'Deploy bot')
    renderWithBackend(<RotateDialog apiKey={apiKey} defaultOpen allowsExpirationChange />, { backend })
    const dialog = await dialogNamed('Deploy bot')
    // The policy has loaded once the expiration presets show.
    await within(dialog).findByRole('radio', { name: '1 month' }, { timeout: 5_000 })
    expect(within(dialog).queryByRole('radiogroup', { name: 'Old key keeps working for' })).not.toBeInTheDocument()
    expect(dialog).toHaveTextContent('revokes this one at once')
  })

  it('gives the initial focus to Cancel and closes on Escape before rotating', async () => {
    const { backend, apiKey } = await setup()
    const onOpenChange = vi.fn()
    renderWithBackend(<RotateDialog apiKey={apiKey} defaultOpen onOpenChange={onOpenChange} />, { backend })
    const dialog = await dialogNamed('Deploy bot')
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus())
    await userEvent.keyboard('{Escape}')
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(onOpenChange).toHaveBeenCalledWith(false)
    expect(backend.requests.filter((r) => r.endsWith('/rotate'))).toEqual([])
  })

  it('keeps the new key’s lifetime when no expiration is chosen, sending none', async () => {
    const backend = createDemoBackend()
    // Ten days matches no preset, so only the server's "inherit the lifetime" rule can produce it.
    const created = await backend.client.createPersonalApiKey({
      name: 'Deploy bot',
      expiration: { expiresAt: new Date(Date.now() + 10 * 86_400_000).toISOString() },
    })
    if (!created.ok) throw new Error(created.error.userFacingError)
    const apiKey = created.data.apiKey
    renderWithBackend(<RotateDialog apiKey={apiKey} defaultOpen allowsExpirationChange onRotated={() => {}} />, { backend })
    const dialog = await dialogNamed('Deploy bot')
    expect(await within(dialog).findByRole('radio', { name: 'Same as before' })).toBeChecked()
    const before = Date.now()
    await rotateAndReadToken()
    const page = await backend.client.fetchPersonalApiKeys({ status: 'active' })
    const rotated = page.ok ? page.data.items[0] : undefined
    // The server gives the new key the old one's lifetime, counted from now.
    const lifetime = Date.parse(apiKey.expiresAt!) - Date.parse(apiKey.createdAt)
    expect(Math.abs(Date.parse(rotated!.expiresAt!) - (before + lifetime))).toBeLessThan(60_000)
  })

  it('sends the chosen expiration', async () => {
    const { backend, apiKey } = await setup()
    const onRotated = vi.fn<(result: RotateResult) => void>()
    renderWithBackend(<RotateDialog apiKey={apiKey} defaultOpen allowsExpirationChange onRotated={onRotated} />, { backend })
    const dialog = await dialogNamed('Deploy bot')
    await userEvent.click((await within(dialog).findByRole('radio', { name: '1 year' })).closest('label')!)
    expect(dialog).toHaveAttribute('data-expiration', 'OneYear')
    expect(dialog).toHaveTextContent('The key will expire on')
    const before = Date.now()
    await rotateAndReadToken()

    const expiresAt = new Date(onRotated.mock.calls[0]![0].apiKey.expiresAt!).getTime()
    const oneYear = addExpiration(new Date(before), 'OneYear').getTime()
    expect(Math.abs(expiresAt - oneYear)).toBeLessThan(60_000)
  })

  it('offers only the expirations the policy allows', async () => {
    const backend = createDemoBackend({ policy: { expirationOptions: ['TwoWeeks', 'OneMonth'], defaultExpiration: 'OneMonth' } })
    const { apiKey } = await createKey(backend, 'Deploy bot')
    renderWithBackend(<RotateDialog apiKey={apiKey} defaultOpen allowsExpirationChange />, { backend })
    const dialog = await dialogNamed('Deploy bot')
    await within(dialog).findByRole('radio', { name: '1 month' })
    const presets = within(dialog).getByRole('radiogroup', { name: 'New key expires' })
    expect(within(presets).getAllByRole('radio').map((radio) => radio.closest('label')?.textContent)).toEqual([
      'Same as before',
      '2 weeks',
      '1 month',
    ])
  })

  it('shows the pending state on Rotate while the request is in flight', async () => {
    const { backend, apiKey } = await setup()
    renderWithBackend(<RotateDialog apiKey={apiKey} defaultOpen />, { backend })
    const dialog = await dialogNamed('Deploy bot')
    backend.latencyMs = 300
    await userEvent.click(within(dialog).getByRole('button', { name: 'Rotate key' }))
    await waitFor(() => expect(dialog).toHaveAttribute('data-pending', 'true'))
    expect(within(dialog).getByRole('button', { name: /Rotating…/ })).toHaveAttribute('data-pending', 'true')
    await screen.findByRole('textbox', { name: 'Your new API key' })
  })

  it('cannot be dismissed by Escape during the reveal, only by acknowledging', async () => {
    const { backend, apiKey } = await setup()
    const onOpenChange = vi.fn()
    renderWithBackend(<RotateDialog apiKey={apiKey} defaultOpen onOpenChange={onOpenChange} />, { backend })
    await rotateAndReadToken()
    await userEvent.keyboard('{Escape}')
    await userEvent.click(document.body, { position: { x: 1, y: 1 } })
    expect(screen.getByRole('dialog')).toHaveAttribute('data-step', 'reveal')
    expect(onOpenChange).not.toHaveBeenCalled()
    expect(screen.getByRole('button', { name: 'Done' })).toBeDisabled()

    await acknowledgeAndDismiss()
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(onOpenChange).toHaveBeenCalledWith(false)
  })

  it('leaves the new token nowhere once the reveal is dismissed', async () => {
    const { backend, apiKey } = await setup()
    const { queryClient } = renderWithBackend(<RotateDialog apiKey={apiKey} defaultOpen />, { backend })
    const newToken = await rotateAndReadToken()
    expect(everywhereTheTokenCouldHide(queryClient)).toContain(newToken)

    await acknowledgeAndDismiss()
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(everywhereTheTokenCouldHide(queryClient)).not.toContain(newToken)
    expect(await statusOfToken(backend, newToken)).toBe(200)
  })

  it('leaves the new token nowhere when unmounted mid-reveal', async () => {
    const { backend, apiKey } = await setup()
    const { queryClient, unmount } = renderWithBackend(<RotateDialog apiKey={apiKey} defaultOpen />, { backend })
    const newToken = await rotateAndReadToken()
    unmount()
    expect(everywhereTheTokenCouldHide(queryClient)).not.toContain(newToken)
  })

  it('drops the token when a controlling parent closes it mid-reveal', async () => {
    const { backend, apiKey } = await setup()
    let close = () => {}
    function Controlled() {
      const [open, setOpen] = useState(true)
      close = () => setOpen(false)
      return (
        <>
          <button type="button" onClick={() => setOpen(true)}>
            Reopen
          </button>
          <RotateDialog apiKey={apiKey} isOpen={open} onOpenChange={setOpen} />
        </>
      )
    }
    const { queryClient } = renderWithBackend(<Controlled />, { backend })
    const newToken = await rotateAndReadToken()
    close()
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(everywhereTheTokenCouldHide(queryClient)).not.toContain(newToken)

    await userEvent.click(screen.getByRole('button', { name: 'Reopen' }))
    expect(await screen.findByRole('dialog')).toHaveAttribute('data-step', 'confirm')
  })

  it('says the key was already revoked when the server refuses to rotate a revoked key (409)', async () => {
    const { backend, apiKey } = await setup()
    await backend.client.revokePersonalApiKey(apiKey.id)
    const onRotated = vi.fn()
    renderWithBackend(<RotateDialog apiKey={apiKey} defaultOpen onRotated={onRotated} />, { backend })
    const dialog = await dialogNamed('Deploy bot')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Rotate key' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('This key was already revoked.')
    expect(dialog).toHaveAttribute('data-error', 'conflict')
    expect(dialog).toHaveAttribute('data-step', 'confirm')
    expect(onRotated).not.toHaveBeenCalled()
  })

  it('shows the wait time when rate limited (429) and keeps the old key working', async () => {
    const { backend, apiKey, token } = await setup()
    renderWithBackend(<RotateDialog apiKey={apiKey} defaultOpen />, { backend })
    const dialog = await dialogNamed('Deploy bot')
    backend.faults.push('rateLimited')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Rotate key' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Too many requests. Try again in 30 seconds.')
    expect(dialog).toHaveAttribute('data-error', 'rateLimited')
    expect(await statusOfToken(backend, token)).toBe(200)
  })

  it.each([
    ['unauthorized', 'unauthorized', 'You are signed out. Sign in again to manage your API keys.'],
    ['forbidden', 'noPersonalApiKeyPermission', 'Your role does not allow personal API keys. Ask an administrator.'],
    ['notFound', 'apiKeyNotFound', 'This API key no longer exists.'],
    ['serverError', 'unexpectedOrUnhandled', 'Something went wrong on our side.'],
  ] as const)('keeps the dialog open and shows the error when the server answers %s', async (fault, kind, sentence) => {
    const { backend, apiKey } = await setup()
    const { unauthorized } = renderWithBackend(<RotateDialog apiKey={apiKey} defaultOpen />, { backend })
    const dialog = await dialogNamed('Deploy bot')
    backend.faults.push(fault)
    await userEvent.click(within(dialog).getByRole('button', { name: 'Rotate key' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(sentence)
    expect(dialog).toHaveAttribute('data-error', kind)
    expect(unauthorized).toHaveLength(fault === 'unauthorized' ? 1 : 0)
  })

  it('retries from the same dialog after an unexpected failure', async () => {
    const { backend, apiKey } = await setup()
    renderWithBackend(<RotateDialog apiKey={apiKey} defaultOpen />, { backend })
    const dialog = await dialogNamed('Deploy bot')
    backend.faults.push('offline')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Rotate key' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Could not reach the server.')
    await rotateAndReadToken()
    expect(within(dialog).queryByRole('alert')).toBeNull()
  })

  it('opens from a DialogTrigger and returns focus to the trigger after the reveal', async () => {
    const { backend, apiKey } = await setup()
    renderWithBackend(
      <DialogTrigger>
        <Button>Rotate</Button>
        <RotateDialog apiKey={apiKey} />
      </DialogTrigger>,
      { backend },
    )
    const trigger = screen.getByRole('button', { name: 'Rotate' })
    await userEvent.click(trigger)
    await rotateAndReadToken()
    await acknowledgeAndDismiss()
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    await waitFor(() => expect(trigger).toHaveFocus())
  })

  it('wires custom confirm-step children through slots and still reveals the token', async () => {
    const { backend, apiKey, token } = await setup()
    renderWithBackend(
      <RotateDialog apiKey={apiKey} defaultOpen>
        {({ isPending }) => (
          <>
            <Heading slot="title">Replace {apiKey.name}</Heading>
            <Button slot="cancel">Not now</Button>
            <Button slot="confirm">{isPending ? 'Working' : 'Replace'}</Button>
          </>
        )}
      </RotateDialog>,
      { backend },
    )
    const dialog = await screen.findByRole('dialog', { name: 'Replace Deploy bot' })
    await userEvent.click(within(dialog).getByRole('button', { name: 'Replace' }))
    expect(await screen.findByRole('textbox', { name: 'Your new API key' })).toBeInTheDocument()
    expect(await statusOfToken(backend, token)).toBe(401)
  })

  it('applies the default class, className function, DOM props and the ref to the dialog', async () => {
    const { backend, apiKey } = await setup()
    let element: HTMLElement | null = null
    const { unmount } = renderWithBackend(<RotateDialog apiKey={apiKey} defaultOpen />, { backend })
    expect(await screen.findByRole('dialog')).toHaveClass('patkit-RotateDialog')
    unmount()

    renderWithBackend(
      <RotateDialog
        apiKey={apiKey}
        defaultOpen
        ref={(node) => {
          element = node
        }}
        id="rotate-it"
        data-testid="rotate"
        className={({ step }) => `step-${step}`}
      />,
      { backend },
    )
    const dialog = await screen.findByTestId('rotate')
    expect(element).toBe(dialog)
    expect(dialog).toHaveAttribute('id', 'rotate-it')
    expect(dialog).toHaveClass('step-confirm')
    expect(dialog).not.toHaveClass('patkit-RotateDialog')
  })

  it('takes its direction from the locale, though portalled out of the app', async () => {
    const { backend, apiKey } = await setup()
    renderWithBackend(
      <I18nProvider locale="ar-EG">
        <RotateDialog apiKey={apiKey} defaultOpen />
      </I18nProvider>,
      { backend },
    )
    expect((await screen.findByRole('dialog')).closest('[dir]')).toHaveAttribute('dir', 'rtl')
  })

  it('names itself when rendered without a provider', async () => {
    const { apiKey } = await setup()
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<RotateDialog apiKey={apiKey} defaultOpen />)).toThrow(
      'patkit: <RotateDialog> must be inside <AuthFrontendApisProvider>',
    )
    vi.restoreAllMocks()
  })
})
