import { describe, expect, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render, screen } from '@testing-library/react'
import { lazyModule, useLazyModule, type LazyModule } from '../../src/components/lazy.ts'

interface Calendar {
  label: string
}

function Host({ code }: { code: LazyModule<Calendar> }) {
  const { module, failed, retry } = useLazyModule(code, true)
  if (module) return <p>{module.label} is here</p>
  if (failed)
    return (
      <div role="alert">
        Could not load <button onClick={retry}>Retry</button>
      </div>
    )
  return <p role="status">Loading…</p>
}

/** A module whose import the test settles by hand. */
function deferredImport() {
  let resolve!: (module: Calendar) => void
  let calls = 0
  const code = lazyModule(() => {
    calls++
    return new Promise<Calendar>((settle) => (resolve = settle))
  })
  return { code, resolve: (module: Calendar) => resolve(module), calls: () => calls }
}

describe('useLazyModule', () => {
  it('shows the pending state until the import settles, then the module', async () => {
    const { code, resolve } = deferredImport()
    render(<Host code={code} />)
    expect(screen.getByRole('status')).toHaveTextContent('Loading…')
    resolve({ label: 'Calendar' })
    expect(await screen.findByText('Calendar is here')).toHaveTextContent('Calendar is here')
  })

  it('renders a module that is already loaded on the first render, with no pending state', async () => {
    const { code, resolve, calls } = deferredImport()
    const loading = code.load()
    resolve({ label: 'Warm' })
    await loading
    render(<Host code={code} />)
    // Synchronously, in the very first render: a warm cache shows no loading state at all.
    expect(screen.getByText('Warm is here')).toHaveTextContent('Warm is here')
    expect(screen.queryByRole('status')).toBeNull()
    expect(calls()).toBe(1)
  })

  it('shows the failure in place of a failed import, not an error, and imports again on retry', async () => {
    let calls = 0
    const code = lazyModule(async () => {
      calls++
      if (calls === 1) throw new TypeError('Failed to fetch dynamically imported module')
      return { label: 'Calendar' }
    })
    render(<Host code={code} />)
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load')
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }))
    expect(await screen.findByText('Calendar is here')).toHaveTextContent('Calendar is here')
    expect(calls).toBe(2)
  })
})
