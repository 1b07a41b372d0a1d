import { describe, expect, it } from 'vitest'
import { screen } from '@testing-library/react'
import { preloadOverlays, RevokeDialog, TokenReveal } from '../../src/components/index.ts'
import { revealCode } from '../../src/components/TokenReveal.tsx'
import { overlays } from '../../src/components/KeyDialog.tsx'
import { createDemoBackend } from '../../stories/support/backend.ts'
import { renderWithBackend } from './support.tsx'

// Each browser test file has a module graph of its own, so the overlay chunk is cold when this file starts.
async function keyOn(backend = createDemoBackend()) {
  await backend.createKey('Deploy bot')
  return { backend, apiKey: (await backend.client.fetchPersonalApiKeys()).data!.items[0]! }
}

describe('the overlay chunk (row menu and dialogs), loaded on first open', () => {
  it('shows the reveal’s status while its code loads, keeping the token, then the token; the page asks before it is left meanwhile', async () => {
    expect(revealCode.current).toBeNull()
    renderWithBackend(<TokenReveal token="pat_EXAMPLEexampleEXAMPLEexample0000FAKE00" />)
    expect(screen.getByRole('status')).toHaveTextContent('Loading…')
    const event = new Event('beforeunload', { cancelable: true })
    window.dispatchEvent(event)
    expect(event.defaultPrevented).toBe(true)
    expect(await screen.findByRole('textbox', { name: 'Your new API key' }, { timeout: 15_000 })).toHaveValue('pat_EXAMPLEexampleEXAMPLEexample0000FAKE00')
  })

  it('shows a loading status while a dialog’s code loads on a cold cache, then the dialog', async () => {
    expect(overlays.current).toBeNull()
    const { backend, apiKey } = await keyOn()
    renderWithBackend(<RevokeDialog apiKey={apiKey} isOpen />, { backend })
    expect(screen.getByRole('status')).toHaveTextContent('Loading…')
    // The chunk is fetched and compiled now (the test server transforms it on first request): give it time.
    expect(await screen.findByRole('alertdialog', { name: 'Revoke “Deploy bot”?' }, { timeout: 15_000 })).toHaveClass('patkit-RevokeDialog')
    expect(screen.queryByText('Loading…')).toBeNull()
  })

  it('opens a dialog in its very first render once the code is there (no loading state on a warm cache)', async () => {
    await preloadOverlays()
    const { backend, apiKey } = await keyOn()
    renderWithBackend(<RevokeDialog apiKey={apiKey} isOpen />, { backend })
    // Synchronously after render: nothing suspended, nothing waited for.
    expect(screen.getByRole('alertdialog', { name: 'Revoke “Deploy bot”?' })).toHaveClass('patkit-RevokeDialog')
    expect(screen.queryByText('Loading…')).toBeNull()
  })

})
