import { describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { screen, within } from '@testing-library/react'
import { CreatePersonalApiKey, TokenList } from '../../src/index.ts'
import { createDemoBackend, type DemoBackend } from '../../stories/support/backend.ts'
import { everywhereTheTokenCouldHide, renderWithBackend } from './support.tsx'

/**
 * A keyboard-only user on a settings page: create a key, copy it, revoke it, rotate another. Every
 * step is a real key press in Chromium; nothing is clicked. Focus is moved with Tab until it reaches
 * the named control, as a user would, so the test does not depend on the exact tab order.
 */
async function tabTo(matches: (element: Element) => boolean, what: string, shift = false) {
  for (let presses = 0; presses < 40; presses++) {
    if (document.activeElement && matches(document.activeElement)) return document.activeElement as HTMLElement
    await userEvent.keyboard(shift ? '{Shift>}{Tab}{/Shift}' : '{Tab}')
  }
  throw new Error(`Tab never reached ${what}; focus is on ${document.activeElement?.outerHTML.slice(0, 120)}`)
}

/** The element's role (or tag) and a name from aria-label, its label, or its text. */
const named = (role: string, name: RegExp) => (element: Element) => {
  if (element.getAttribute('role') !== role && element.tagName.toLowerCase() !== role) return false
  const label = (element as HTMLInputElement).labels?.[0]?.textContent
  return name.test(element.getAttribute('aria-label') ?? label ?? element.textContent ?? '')
}

async function me(backend: DemoBackend, token: string) {
  const response = await backend.server.fetch(new Request('https://api.patkit.test/v1/me', { headers: { Authorization: `Bearer ${token}` } }))
  return response.status
}

/** Opens a row's actions menu by keyboard and picks an action. */
async function chooseRowAction(keyName: string, action: RegExp) {
  const grid = screen.getByRole('grid')
  const row = within(grid).getByRole('row', { name: new RegExp(keyName) })
  const actions = within(row).getByRole('button', { name: new RegExp(`Actions for ${keyName}`) })
  // Into the grid with Tab, then arrows to the row and its actions button.
  await tabTo((element) => grid.contains(element), 'the key table')
  for (let presses = 0; presses < 30 && document.activeElement !== actions; presses++) {
    const focusedRow = document.activeElement?.closest('[role=row]')
    await userEvent.keyboard(focusedRow === row ? '{ArrowRight}' : '{ArrowDown}')
  }
  expect(document.activeElement).toBe(actions)
  await userEvent.keyboard('{Enter}')
  const menu = await screen.findByRole('menu')
  for (let presses = 0; presses < 5; presses++) {
    if (action.test(document.activeElement?.textContent ?? '')) break
    await userEvent.keyboard('{ArrowDown}')
  }
  expect(within(menu).getByRole('menuitem', { name: action })).toHaveFocus()
  await userEvent.keyboard('{Enter}')
}

describe('Keyboard only: create → copy → revoke → rotate', () => {
  it('works end to end without a pointer, and the tokens end up nowhere', async () => {
    const backend = createDemoBackend()
    const other = await backend.createKey('Nightly export')
    const { queryClient } = renderWithBackend(
      <main>
        <h1 tabIndex={-1}>API keys</h1>
        <CreatePersonalApiKey />
        <TokenList />
      </main>,
      { backend },
    )
    await screen.findByRole('row', { name: /Nightly export/ })
    // Where a page load leaves a keyboard user: at the top of the page (the test frame needs the focus given).
    screen.getByRole('heading', { name: 'API keys' }).focus()

    // Create: type a name, submit with Enter.
    const name = await tabTo(named('input', /^Name/), 'the name field')
    expect(name).toHaveAccessibleName(/Name/)
    await userEvent.keyboard('Keyboard key')
    await userEvent.keyboard('{Enter}')

    // Reveal: focus moves to the token; copy it with the keyboard.
    const field = await screen.findByRole('textbox', { name: /Your new API key/ })
    await vi.waitFor(() => expect(field).toHaveFocus())
    const token = (field as HTMLInputElement).value
    expect(token).toMatch(/^pat_/)
    await tabTo(named('button', /^Copy$/), 'Copy')
    await userEvent.keyboard('{Enter}')
    await vi.waitFor(async () => expect(await navigator.clipboard.readText()).toBe(token))
    expect(await screen.findByText('API key copied to the clipboard.')).toBeInTheDocument()
    expect(await me(backend, token)).toBe(200)

    // Acknowledge with Space, then Done with Enter.
    await tabTo((element) => /I have saved this key/.test(element.closest('label')?.textContent ?? element.getAttribute('aria-label') ?? ''), 'the acknowledgement')
    await userEvent.keyboard(' ')
    await tabTo(named('button', /^Done$/), 'Done')
    await userEvent.keyboard('{Enter}')
    await vi.waitFor(() => expect(screen.queryByRole('textbox', { name: /Your new API key/ })).toBeNull())
    await navigator.clipboard.writeText('')
    expect(everywhereTheTokenCouldHide(queryClient)).not.toContain(token)

    // Revoke the new key from its row, by keyboard; Cancel has focus first, so Tab to confirm.
    await screen.findByRole('row', { name: /Keyboard key/ })
    await chooseRowAction('Keyboard key', /Revoke/)
    const revokeDialog = await screen.findByRole('alertdialog')
    await vi.waitFor(() => expect(within(revokeDialog).getByRole('button', { name: 'Cancel' })).toHaveFocus())
    await tabTo(named('button', /^Revoke key$/), 'Revoke key')
    await userEvent.keyboard('{Enter}')
    await vi.waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull())
    await vi.waitFor(async () => expect(await me(backend, token)).toBe(401))
    expect(within(screen.getByRole('row', { name: /Keyboard key/ })).getByText('Revoked')).toBeInTheDocument()

    // Rotate the other key: a new token works, the old one no longer does.
    await chooseRowAction('Nightly export', /Rotate/)
    const rotateDialog = await screen.findByRole('dialog')
    await tabTo(named('button', /^Rotate key$/), 'Rotate key')
    await userEvent.keyboard('{Enter}')
    const newField = await within(rotateDialog).findByRole('textbox', { name: /Your new API key/ })
    const rotated = (newField as HTMLInputElement).value
    expect(rotated).toMatch(/^pat_/)
    expect(rotated).not.toBe(other.token)
    expect(await me(backend, rotated)).toBe(200)
    expect(await me(backend, other.token)).toBe(401)
    await tabTo((element) => /I have saved this key/.test(element.closest('label')?.textContent ?? ''), 'the acknowledgement')
    await userEvent.keyboard(' ')
    await tabTo(named('button', /^Done$/), 'Done')
    await userEvent.keyboard('{Enter}')
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(everywhereTheTokenCouldHide(queryClient)).not.toContain(rotated)
  })
})
