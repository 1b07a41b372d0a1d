import { beforeAll, describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render, screen, waitFor } from '@testing-library/react'
import { useState } from 'react'
import { Button, Checkbox, Input, Label, TextField } from 'react-aria-components'
import { revealCode, TokenReveal } from '../../src/components/TokenReveal.tsx'

const TOKEN = 'pat_FAKEfakeFAKEfakeFAKEfakeFAKEfake000000'

/** The checkbox input is visually hidden inside its label; a pointer user clicks the label. */
async function tick(name: string) {
  await userEvent.click(screen.getByRole('checkbox', { name }).closest('label')!)
}

function Host({ onDismiss }: { onDismiss?: () => void }) {
  const [token, setToken] = useState<string | null>(TOKEN)
  return token ? (
    <TokenReveal
      token={token}
      onDismiss={() => {
        setToken(null)
        onDismiss?.()
      }}
    />
  ) : (
    <p>Gone</p>
  )
}

describe('TokenReveal', () => {
  // Its code loads on first use (overlays.test.tsx covers the cold load); here it is there, as after a submit.
  beforeAll(() => revealCode.load(), 30_000)

  it('shows the token in a read-only, labelled field with spelling and autofill off', () => {
    render(<TokenReveal token={TOKEN} />)
    const field = screen.getByRole('textbox', { name: 'Your new API key' })
    expect(field).toHaveValue(TOKEN)
    expect(field).toHaveAttribute('readonly')
    expect(field).toHaveAttribute('autocomplete', 'off')
    expect(field).toHaveAttribute('spellcheck', 'false')
    expect(field).toHaveAccessibleDescription(/will not be shown again/)
  })

  it('moves focus to the field, with the token selected, when it appears', async () => {
    render(<TokenReveal token={TOKEN} />)
    const field = screen.getByRole<HTMLInputElement>('textbox', { name: 'Your new API key' })
    await waitFor(() => expect(field).toHaveFocus())
    expect(field.selectionStart).toBe(0)
    expect(field.selectionEnd).toBe(TOKEN.length)
  })

  it('says which key it is when given the key: its name, when it expires, its scopes', () => {
    const expiresAt = new Date(Date.now() + 61 * 86_400_000).toISOString()
    render(
      <TokenReveal
        token={TOKEN}
        apiKey={{ id: 'k1', name: 'CI deploy', start: 'pat_abcd', scopes: ['read:projects'], status: 'active', createdAt: new Date().toISOString(), expiresAt, lastUsedAt: null, revokedAt: null }}
      />,
    )
    const facts = screen.getByRole('group', { name: 'Copy your new key' }).querySelector('dl')!
    expect(facts).toHaveTextContent('NameCI deploy')
    expect(facts).toHaveTextContent(`Expiresin 2 months (${new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' }).format(new Date(expiresAt))})`)
    expect(facts).toHaveTextContent('Scopesread:projects')
  })

  it('shows the whole token in a field that wraps it, not cut off, on a 320 px screen', async () => {
    render(
      <div style={{ width: 288 }}>
        <TokenReveal token={TOKEN} />
      </div>,
    )
    const field = screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Your new API key' })
    expect(field.localName).toBe('textarea')
    // Nothing scrolls out of view sideways: the token wraps within the field's width.
    expect(field.scrollWidth).toBeLessThanOrEqual(field.clientWidth)
    expect(field.getBoundingClientRect().right).toBeLessThanOrEqual(288 + field.parentElement!.getBoundingClientRect().left)
  })

  it('asks before the page is left while the token is shown and not yet saved, and not after', async () => {
    render(<TokenReveal token={TOKEN} />)
    const leave = () => {
      const event = new Event('beforeunload', { cancelable: true })
      window.dispatchEvent(event)
      return event.defaultPrevented
    }
    expect(leave()).toBe(true)
    await tick('I have saved this key')
    expect(leave()).toBe(false)
  })

  it('names the group after its heading', () => {
    render(<TokenReveal token={TOKEN} />)
    expect(screen.getByRole('group', { name: 'Copy your new key' })).toBeInTheDocument()
  })

  it('puts the token on the clipboard and announces it when the copy button is pressed', async () => {
    render(<TokenReveal token={TOKEN} />)
    await userEvent.click(screen.getByRole('button', { name: 'Copy' }))
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('API key copied to the clipboard.'))
    expect(await navigator.clipboard.readText()).toBe(TOKEN)
    const copied = screen.getByRole('button', { name: 'Copied' })
    // A check mark confirms it besides the word (decoration: hidden from assistive technology).
    expect(copied.querySelector('svg')).toHaveAttribute('aria-hidden', 'true')
    expect(screen.getByRole('group')).toHaveAttribute('data-copied', 'true')
  })

  it('falls back to execCommand when the Clipboard API refuses', async () => {
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new DOMException('Denied', 'NotAllowedError'))
    const execCommand = vi.spyOn(document, 'execCommand').mockReturnValue(true)
    try {
      render(<TokenReveal token={TOKEN} />)
      await userEvent.click(screen.getByRole('button', { name: 'Copy' }))
      await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('API key copied to the clipboard.'))
      expect(execCommand).toHaveBeenCalledWith('copy')
    } finally {
      writeText.mockRestore()
      execCommand.mockRestore()
    }
  })

  it('says copying failed and leaves the token selected when both ways fail', async () => {
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new DOMException('Denied', 'NotAllowedError'))
    const execCommand = vi.spyOn(document, 'execCommand').mockReturnValue(false)
    try {
      render(<TokenReveal token={TOKEN} />)
      await userEvent.click(screen.getByRole('button', { name: 'Copy' }))
      await waitFor(() => expect(screen.getByRole('group')).toHaveAttribute('data-copy-failed', 'true'))
      expect(screen.getByRole('status')).toHaveTextContent('Could not copy automatically')
      const field = screen.getByRole<HTMLInputElement>('textbox', { name: 'Your new API key' })
      expect(field).toHaveFocus()
      expect(field.value.slice(field.selectionStart ?? 0, field.selectionEnd ?? 0)).toBe(TOKEN)
    } finally {
      writeText.mockRestore()
      execCommand.mockRestore()
    }
  })

  it('keeps Done disabled until the user acknowledges saving the key', async () => {
    const onDismiss = vi.fn()
    render(<Host onDismiss={onDismiss} />)
    const done = screen.getByRole('button', { name: 'Done' })
    expect(done).toBeDisabled()
    await userEvent.click(done, { force: true })
    expect(onDismiss).not.toHaveBeenCalled()

    await tick('I have saved this key')
    expect(screen.getByRole('group')).toHaveAttribute('data-acknowledged', 'true')
    expect(done).toBeEnabled()
    await userEvent.click(done)
    expect(onDismiss).toHaveBeenCalledTimes(1)
  })

  it('leaves no trace of the token in the DOM after it is dismissed', async () => {
    render(<Host />)
    await tick('I have saved this key')
    await userEvent.click(screen.getByRole('button', { name: 'Done' }))
    expect(screen.getByText('Gone')).toBeInTheDocument()
    expect(document.documentElement.outerHTML).not.toContain(TOKEN)
  })

  it('renders nothing after Done even when the parent keeps it mounted', async () => {
    render(<TokenReveal token={TOKEN} />)
    await tick('I have saved this key')
    await userEvent.click(screen.getByRole('button', { name: 'Done' }))
    expect(document.documentElement.outerHTML).not.toContain(TOKEN)
    expect(screen.queryByRole('group')).not.toBeInTheDocument()
  })

  it('leaves no trace of the token after it unmounts while its parent stays', async () => {
    function Parent() {
      const [shown, setShown] = useState(true)
      return (
        <section aria-label="Parent">
          <button type="button" onClick={() => setShown(false)}>
            Hide
          </button>
          {shown && <TokenReveal token={TOKEN} />}
        </section>
      )
    }
    render(<Parent />)
    // The token is on the page first (in the field's value), so the check below can fail.
    expect(screen.getByRole('textbox', { name: 'Your new API key' })).toHaveValue(TOKEN)
    await userEvent.click(screen.getByRole('button', { name: 'Hide' }))
    expect(screen.getByRole('region', { name: 'Parent' })).toBeInTheDocument()
    expect(document.documentElement.outerHTML).not.toContain(TOKEN)
    expect(Array.from(document.querySelectorAll('input'), (input) => input.value)).not.toContain(TOKEN)
  })

  it('applies the default class, a className function, a ref and DOM props to its root', () => {
    let root: HTMLDivElement | null = null
    const { rerender } = render(<TokenReveal token={TOKEN} ref={(el) => void (root = el)} id="reveal" data-testid="reveal" />)
    expect(root).toBe(screen.getByTestId('reveal'))
    expect(root).toHaveClass('patkit-TokenReveal')
    expect(root).toHaveAttribute('id', 'reveal')
    rerender(<TokenReveal token={TOKEN} data-testid="reveal" className={({ isAcknowledged }) => (isAcknowledged ? 'saved' : 'unsaved')} />)
    expect(screen.getByTestId('reveal')).toHaveClass('unsaved')
    expect(screen.getByTestId('reveal')).not.toHaveClass('patkit-TokenReveal')
  })

  it('wires the app’s own react-aria parts through slots', async () => {
    const onDismiss = vi.fn()
    render(
      <TokenReveal token={TOKEN} onDismiss={onDismiss}>
        <TextField slot="token" className="mine">
          <Label>Secret</Label>
          <Input />
        </TextField>
        <Button slot="copy">Copy secret</Button>
        <Checkbox slot="acknowledge">Saved it</Checkbox>
        <Button slot="done">Close</Button>
      </TokenReveal>,
    )
    expect(screen.getByRole('textbox', { name: 'Secret' })).toHaveValue(TOKEN)
    expect(screen.getByRole('button', { name: 'Close' })).toBeDisabled()
    await userEvent.click(screen.getByRole('button', { name: 'Copy secret' }))
    expect(await navigator.clipboard.readText()).toBe(TOKEN)
    await tick('Saved it')
    await userEvent.click(screen.getByRole('button', { name: 'Close' }))
    expect(onDismiss).toHaveBeenCalledTimes(1)
  })

  it('takes its text from the messages prop', () => {
    render(<TokenReveal token={TOKEN} messages={{ revealLabel: 'Neuer Schlüssel', done: 'Fertig' }} />)
    expect(screen.getByRole('textbox', { name: 'Neuer Schlüssel' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Fertig' })).toBeInTheDocument()
  })
})
