import { Suspense } from 'react'
import { describe, expect, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render, screen } from '@testing-library/react'
import { useLazyComponent } from '../../src/components/shared.tsx'

function Loaded({ label }: { label: string }) {
  return <p>{label} is here</p>
}

function Failed({ label, retry }: { label: string; retry(): void }) {
  return (
    <div role="alert">
      {label} could not load <button onClick={retry}>Retry</button>
    </div>
  )
}

function Host({ load }: { load: () => Promise<{ default: typeof Loaded }> }) {
  const Part = useLazyComponent(load, Failed)
  return (
    <Suspense fallback={<p role="status">Loading…</p>}>
      <Part label="Calendar" />
    </Suspense>
  )
}

describe('useLazyComponent', () => {
  it('renders the loaded component after the fallback', async () => {
    const load = () => new Promise<{ default: typeof Loaded }>((resolve) => setTimeout(() => resolve({ default: Loaded }), 50))
    render(<Host load={load} />)
    expect(screen.getByRole('status')).toHaveTextContent('Loading…')
    expect(await screen.findByText('Calendar is here')).toBeInTheDocument()
  })

  it('shows the failure in place of a failed import, not an error, and imports again on retry', async () => {
    let calls = 0
    const load = async () => {
      calls++
      if (calls === 1) throw new TypeError('Failed to fetch dynamically imported module')
      return { default: Loaded }
    }
    render(<Host load={load} />)
    expect(await screen.findByRole('alert')).toHaveTextContent('Calendar could not load')
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }))
    expect(await screen.findByText('Calendar is here')).toBeInTheDocument()
    expect(calls).toBe(2)
  })
})
