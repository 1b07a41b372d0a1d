import { describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render, screen, waitFor } from '@testing-library/react'
import { useState } from 'react'
import { Button, Checkbox, Input, Label, TextField } from 'react-aria-components'
import { TokenReveal } from '../../src/components/TokenReveal.tsx'

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

  it('names the group after its heading', () => {
    render(<TokenReveal token={TOKEN} />)
    expect(screen.getByRole('group', { name: 'Copy your new key' })).toBeInTheDocument()
  })

  it('puts the token on the clipboard and announces it when the copy button is pressed', async () => {
    render(<TokenReveal token={TOKEN} />)
    await userEvent.click(screen.getByRole('button', { name: 'Copy' }))
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('API key copied to the clipboard.'))
    expect(await navigator.clipboard.readText()).toBe(TOKEN)
    expect(screen.getByRole('button', { name: 'Copied' })).toBeInTheDocument()
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
