import { useState } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render, screen, waitFor, within } from '@testing-library/react'
import { Button, DialogTrigger, Heading, I18nProvider, Input, Label, TextField } from 'react-aria-components'
import { RevokeDialog } from '../../src/components/RevokeDialog.tsx'
import type { PersonalApiKey } from '../../src/client/index.ts'
import { createDemoBackend, type DemoBackend } from '../../stories/support/backend.ts'
import { renderWithBackend } from './support.tsx'

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

async function setup(name = 'Deploy bot', options: { latencyMs?: number } = {}) {
  const backend = createDemoBackend(options)
  const created = await createKey(backend, name)
  return { backend, ...created }
}

const dialogNamed = (name: string) => screen.findByRole('alertdialog', { name: `Revoke “${name}”?` })

describe('RevokeDialog', () => {
  it('revokes the key when confirmed, so its token stops working', async () => {
    const { backend, apiKey, token } = await setup()
    expect(await statusOfToken(backend, token)).toBe(200)
    const onRevoked = vi.fn()
    const onOpenChange = vi.fn()
    renderWithBackend(<RevokeDialog apiKey={apiKey} isOpen onOpenChange={onOpenChange} onRevoked={onRevoked} />, { backend })

    const dialog = await dialogNamed('Deploy bot')
    expect(dialog).toHaveTextContent('This cannot be undone')
    expect(dialog).toHaveTextContent(apiKey.start)
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }))

    await waitFor(() => expect(onRevoked).toHaveBeenCalledTimes(1))
    expect(onRevoked.mock.calls[0]![0]).toMatchObject({ id: apiKey.id, status: 'revoked' })
    expect(onOpenChange).toHaveBeenCalledWith(false)
    expect(await statusOfToken(backend, token)).toBe(401)
  })

  it('names the key, describes the consequences and shows when it was last used', async () => {
    const { backend, apiKey } = await setup('CI runner')
    renderWithBackend(<RevokeDialog apiKey={{ ...apiKey, lastUsedAt: null }} isOpen />, { backend })
    const dialog = await dialogNamed('CI runner')
    expect(dialog).toHaveAccessibleDescription(/takes effect immediately.*stop working.*cannot be undone/)
    expect(dialog).toHaveTextContent('Never used')
  })

  it('gives the initial focus to Cancel', async () => {
    const { backend, apiKey } = await setup()
    renderWithBackend(<RevokeDialog apiKey={apiKey} isOpen />, { backend })
    const dialog = await dialogNamed('Deploy bot')
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus())
  })

  it('closes without revoking when Cancel is pressed', async () => {
    const { backend, apiKey, token } = await setup()
    const onOpenChange = vi.fn()
    renderWithBackend(<RevokeDialog apiKey={apiKey} isOpen onOpenChange={onOpenChange} />, { backend })
    await userEvent.click(within(await dialogNamed('Deploy bot')).getByRole('button', { name: 'Cancel' }))
    expect(onOpenChange).toHaveBeenCalledWith(false)
    expect(backend.requests.filter((r) => r.startsWith('DELETE'))).toEqual([])
    expect(await statusOfToken(backend, token)).toBe(200)
  })

  it('closes on Escape', async () => {
    const { backend, apiKey } = await setup()
    renderWithBackend(<RevokeDialog apiKey={apiKey} defaultOpen />, { backend })
    await dialogNamed('Deploy bot')
    await userEvent.keyboard('{Escape}')
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull())
  })

  describe('type to confirm', () => {
    it('keeps Revoke disabled until the text is typed', async () => {
      const { backend, apiKey } = await setup()
      renderWithBackend(<RevokeDialog apiKey={apiKey} isOpen confirmationText="Deploy bot" />, { backend })
      const dialog = await dialogNamed('Deploy bot')
      const confirm = within(dialog).getByRole('button', { name: 'Revoke key' })
      const field = within(dialog).getByRole('textbox', { name: 'Type Deploy bot to confirm' })
      expect(confirm).toBeDisabled()
      await userEvent.type(field, 'Deploy bo')
      expect(confirm).toBeDisabled()
      await userEvent.click(confirm, { force: true })
      expect(backend.requests.filter((r) => r.startsWith('DELETE'))).toEqual([])
      await userEvent.type(field, 't')
      expect(confirm).toBeEnabled()
      expect(dialog).toHaveAttribute('data-confirmed', 'true')
    })

    it('accepts the text with surrounding spaces', async () => {
      const { backend, apiKey } = await setup()
      const onRevoked = vi.fn()
      renderWithBackend(<RevokeDialog apiKey={apiKey} isOpen confirmationText="Deploy bot" onRevoked={onRevoked} />, { backend })
      const dialog = await dialogNamed('Deploy bot')
      await userEvent.fill(within(dialog).getByRole('textbox'), '  Deploy bot  ')
      await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }))
      await waitFor(() => expect(onRevoked).toHaveBeenCalled())
    })

    it('accepts a decomposed (NFD) spelling of a composed (NFC) name', async () => {
      const composed = 'Caf\u00e9 deploy'
      const { backend, apiKey } = await setup(composed)
      renderWithBackend(<RevokeDialog apiKey={apiKey} isOpen confirmationText={composed} />, { backend })
      const dialog = await screen.findByRole('alertdialog')
      await userEvent.fill(within(dialog).getByRole('textbox'), 'Cafe\u0301 deploy')
      expect(within(dialog).getByRole('button', { name: 'Revoke key' })).toBeEnabled()
    })

    it('confirms on Enter in the field', async () => {
      const { backend, apiKey, token } = await setup()
      const onRevoked = vi.fn()
      renderWithBackend(<RevokeDialog apiKey={apiKey} isOpen confirmationText="Deploy bot" onRevoked={onRevoked} />, { backend })
      const field = within(await dialogNamed('Deploy bot')).getByRole('textbox')
      await userEvent.type(field, 'Deploy bot{Enter}')
      await waitFor(() => expect(onRevoked).toHaveBeenCalled())
      expect(await statusOfToken(backend, token)).toBe(401)
    })

    it('does not confirm on an Enter that ends an IME composition', async () => {
      const { backend, apiKey } = await setup()
      const onRevoked = vi.fn()
      renderWithBackend(<RevokeDialog apiKey={apiKey} isOpen confirmationText="Deploy bot" onRevoked={onRevoked} />, { backend })
      const field = within(await dialogNamed('Deploy bot')).getByRole('textbox')
      await userEvent.fill(field, 'Deploy bot')
      field.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true }))
      field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true }))
      // Safari's flavour: the composing Enter arrives with keyCode 229.
      field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 229, bubbles: true, cancelable: true }))
      field.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true }))
      // A real Enter after the composition does confirm: once it has, the composing ones would have too.
      await userEvent.keyboard('{Enter}')
      await waitFor(() => expect(onRevoked).toHaveBeenCalledOnce())
      expect(backend.requests.filter((r) => r.startsWith('DELETE'))).toHaveLength(1)
    })
  })

  it('shows the pending state on Revoke while the request is in flight', async () => {
    const { backend, apiKey } = await setup()
    renderWithBackend(<RevokeDialog apiKey={apiKey} defaultOpen />, { backend })
    const dialog = await dialogNamed('Deploy bot')
    backend.latencyMs = 300
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }))
    await waitFor(() => expect(dialog).toHaveAttribute('data-pending', 'true'))
    expect(within(dialog).getByRole('button', { name: /Revoking…/ })).toHaveAttribute('data-pending', 'true')
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull())
  })

  it.each([
    ['forbidden', 'noPersonalApiKeyPermission', 'Your role does not allow personal API keys. Ask an administrator.'],
    ['serverError', 'unexpectedOrUnhandled', 'Something went wrong on our side.'],
    ['offline', 'unexpectedOrUnhandled', 'Could not reach the server. Check your connection and try again.'],
    ['unauthorized', 'unauthorized', 'You are signed out. Sign in again to manage your API keys.'],
  ] as const)('keeps the dialog open and shows the error when the server answers %s', async (fault, kind, sentence) => {
    const { backend, apiKey, token } = await setup()
    const onRevoked = vi.fn()
    renderWithBackend(<RevokeDialog apiKey={apiKey} isOpen onRevoked={onRevoked} />, { backend })
    const dialog = await dialogNamed('Deploy bot')
    backend.faults.push(fault)
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }))

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(sentence)
    expect(dialog).toHaveAttribute('data-error', kind)
    expect(onRevoked).not.toHaveBeenCalled()
    expect(await statusOfToken(backend, token)).toBe(200)
  })

  it('retries from the same dialog after a failure', async () => {
    const { backend, apiKey, token } = await setup()
    const onRevoked = vi.fn()
    renderWithBackend(<RevokeDialog apiKey={apiKey} isOpen onRevoked={onRevoked} />, { backend })
    const dialog = await dialogNamed('Deploy bot')
    backend.faults.push('serverError')
    const confirm = within(dialog).getByRole('button', { name: 'Revoke key' })
    await userEvent.click(confirm)
    await within(dialog).findByRole('alert')
    await userEvent.click(confirm)
    await waitFor(() => expect(onRevoked).toHaveBeenCalled())
    expect(await statusOfToken(backend, token)).toBe(401)
  })

  it('shows the wait time when rate limited', async () => {
    const { backend, apiKey } = await setup()
    renderWithBackend(<RevokeDialog apiKey={apiKey} isOpen />, { backend })
    const dialog = await dialogNamed('Deploy bot')
    backend.faults.push('rateLimited')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Too many requests. Try again in 30 seconds.')
  })

  it('treats a key that no longer exists as revoked: closes, reports it revoked and announces it', async () => {
    const { backend, apiKey } = await setup()
    const onRevoked = vi.fn()
    renderWithBackend(<RevokeDialog apiKey={apiKey} defaultOpen onRevoked={onRevoked} />, { backend })
    const dialog = await dialogNamed('Deploy bot')
    backend.faults.push('notFound')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }))

    await waitFor(() => expect(onRevoked).toHaveBeenCalledTimes(1))
    expect(onRevoked.mock.calls[0]![0]).toMatchObject({ id: apiKey.id, status: 'revoked' })
    expect(onRevoked.mock.calls[0]![0].revokedAt).toEqual(expect.any(String))
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull())
    expect(screen.getByRole('status')).toHaveTextContent('Key “Deploy bot” revoked.')
  })

  it('follows isOpen when controlled and reports open changes', async () => {
    const { backend, apiKey } = await setup()
    const changes: boolean[] = []
    function Controlled() {
      const [open, setOpen] = useState(false)
      return (
        <>
          <button type="button" onClick={() => setOpen(true)}>
            Open
          </button>
          <RevokeDialog
            apiKey={apiKey}
            isOpen={open}
            onOpenChange={(next) => {
              changes.push(next)
              setOpen(next)
            }}
          />
        </>
      )
    }
    renderWithBackend(<Controlled />, { backend })
    expect(screen.queryByRole('alertdialog')).toBeNull()
    await userEvent.click(screen.getByRole('button', { name: 'Open' }))
    await userEvent.click(within(await dialogNamed('Deploy bot')).getByRole('button', { name: 'Cancel' }))
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull())
    expect(changes).toEqual([false])
  })

  it('opens from a DialogTrigger and returns focus to the trigger when closed', async () => {
    const { backend, apiKey } = await setup()
    const onOpenChange = vi.fn()
    renderWithBackend(
      <DialogTrigger>
        <Button>Revoke</Button>
        <RevokeDialog apiKey={apiKey} onOpenChange={onOpenChange} />
      </DialogTrigger>,
      { backend },
    )
    const trigger = screen.getByRole('button', { name: 'Revoke' })
    await userEvent.click(trigger)
    const dialog = await dialogNamed('Deploy bot')
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus())
    await userEvent.keyboard('{Escape}')
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull())
    await waitFor(() => expect(trigger).toHaveFocus())
    expect(onOpenChange).toHaveBeenCalledWith(false)
  })

  it('closes its DialogTrigger after revoking and returns focus to the trigger', async () => {
    const { backend, apiKey } = await setup()
    renderWithBackend(
      <DialogTrigger>
        <Button>Revoke</Button>
        <RevokeDialog apiKey={apiKey} />
      </DialogTrigger>,
      { backend },
    )
    const trigger = screen.getByRole('button', { name: 'Revoke' })
    await userEvent.click(trigger)
    await userEvent.click(within(await dialogNamed('Deploy bot')).getByRole('button', { name: 'Revoke key' }))
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull())
    await waitFor(() => expect(trigger).toHaveFocus())
  })

  it('starts clean when reopened after a failure', async () => {
    const { backend, apiKey } = await setup()
    renderWithBackend(
      <DialogTrigger>
        <Button>Revoke</Button>
        <RevokeDialog apiKey={apiKey} confirmationText="Deploy bot" />
      </DialogTrigger>,
      { backend },
    )
    await userEvent.click(screen.getByRole('button', { name: 'Revoke' }))
    let dialog = await dialogNamed('Deploy bot')
    backend.faults.push('serverError')
    await userEvent.type(within(dialog).getByRole('textbox'), 'Deploy bot{Enter}')
    await within(dialog).findByRole('alert')
    await userEvent.keyboard('{Escape}')
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull())

    await userEvent.click(screen.getByRole('button', { name: 'Revoke' }))
    dialog = await dialogNamed('Deploy bot')
    expect(within(dialog).queryByRole('alert')).toBeNull()
    expect(within(dialog).getByRole('textbox')).toHaveValue('')
  })

  it('wires custom children built from the app’s own react-aria components through slots', async () => {
    const { backend, apiKey, token } = await setup()
    const onRevoked = vi.fn()
    renderWithBackend(
      <RevokeDialog apiKey={apiKey} isOpen confirmationText="yes" onRevoked={onRevoked}>
        {({ isConfirmed, error }) => (
          <>
            <Heading slot="title">Really remove {apiKey.name}?</Heading>
            <TextField slot="confirmation">
              <Label>Say yes</Label>
              <Input />
            </TextField>
            {error && <p>{error.userFacingError}</p>}
            <Button slot="cancel">Keep it</Button>
            <Button slot="confirm">{isConfirmed ? 'Remove now' : 'Type yes first'}</Button>
          </>
        )}
      </RevokeDialog>,
      { backend },
    )
    const dialog = await screen.findByRole('alertdialog', { name: 'Really remove Deploy bot?' })
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Keep it' })).toHaveFocus())
    expect(within(dialog).getByRole('button', { name: 'Type yes first' })).toBeDisabled()
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Say yes' }), 'yes')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove now' }))
    await waitFor(() => expect(onRevoked).toHaveBeenCalled())
    expect(await statusOfToken(backend, token)).toBe(401)
  })

  it('applies the default class, className and style functions, data attributes, DOM props and the ref to the dialog', async () => {
    const { backend, apiKey } = await setup()
    let element: HTMLElement | null = null
    const { unmount } = renderWithBackend(<RevokeDialog apiKey={apiKey} isOpen />, { backend })
    expect(await screen.findByRole('alertdialog')).toHaveClass('patkit-RevokeDialog')
    unmount()

    renderWithBackend(
      <RevokeDialog
        apiKey={apiKey}
        isOpen
        confirmationText="x"
        ref={(node) => {
          element = node
        }}
        id="revoke-it"
        data-testid="revoke"
        aria-describedby="elsewhere"
        className={({ isConfirmed }) => (isConfirmed ? 'ready' : 'waiting')}
        style={({ isPending }) => ({ opacity: isPending ? 0.5 : 1 })}
      />,
      { backend },
    )
    const dialog = await screen.findByTestId('revoke')
    expect(element).toBe(dialog)
    expect(dialog).toHaveAttribute('id', 'revoke-it')
    expect(dialog).toHaveAttribute('aria-describedby', 'elsewhere')
    expect(dialog).toHaveClass('waiting')
    expect(dialog).not.toHaveClass('patkit-RevokeDialog')
    expect(dialog).not.toHaveAttribute('data-confirmed')
    expect(dialog.style.opacity).toBe('1')
  })

  it('takes messages from its messages prop', async () => {
    const { backend, apiKey } = await setup()
    renderWithBackend(<RevokeDialog apiKey={apiKey} isOpen messages={{ revokeTitle: 'Widerrufen: {name}', cancel: 'Abbrechen' }} />, {
      backend,
    })
    const dialog = await screen.findByRole('alertdialog', { name: 'Widerrufen: Deploy bot' })
    expect(within(dialog).getByRole('button', { name: 'Abbrechen' })).toBeInTheDocument()
  })

  it('takes its direction from the locale, though portalled out of the app', async () => {
    const { backend, apiKey } = await setup()
    renderWithBackend(
      <I18nProvider locale="ar-EG">
        <RevokeDialog apiKey={apiKey} defaultOpen />
      </I18nProvider>,
      { backend },
    )
    expect((await screen.findByRole('alertdialog')).closest('[dir]')).toHaveAttribute('dir', 'rtl')
  })

  it('names itself when rendered without a provider', async () => {
    const { apiKey } = await setup()
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<RevokeDialog apiKey={apiKey} isOpen />)).toThrow(
      'patkit: <RevokeDialog> must be inside <AuthFrontendApisProvider>',
    )
    vi.restoreAllMocks()
  })
})
