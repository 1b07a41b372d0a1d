/**
 * Runs a story on the in-page reference backend. `loadBackend(options, setup)` is a Storybook loader
 * that builds the backend (and seeds it) before the story renders; `withBackend` is the decorator
 * that wraps the story in `<AuthFrontendApisProvider>` with it. Play functions reach the backend as
 * `loaded.backend`, e.g. `loaded.backend.faults.push('serverError')`.
 *
 * ```ts
 * const meta = { decorators: [withBackend], loaders: [loadBackend({}, (b) => b.seed(25, { status: 'mixed' }))] }
 * ```
 */
import type { Decorator } from '@storybook/react-vite'
import type { QueryClient } from '@tanstack/react-query'
import { AuthFrontendApisProvider } from '../../src/react/index.ts'
import { createDemoBackend, failFastQueryClient, type DemoBackend, type DemoBackendOptions } from './backend.ts'
import { ToolbarOnBackend } from './toolbar.tsx'

export interface LoadedBackend {
  backend: DemoBackend
  queryClient: QueryClient
}

export function loadBackend(options: DemoBackendOptions = {}, setup?: (backend: DemoBackend) => unknown) {
  // `context?: unknown`: a loader typed for one component's args could not sit in another's meta.
  return async (_context?: unknown): Promise<LoadedBackend> => {
    const backend = createDemoBackend(options)
    await setup?.(backend)
    return { backend, queryClient: failFastQueryClient() }
  }
}

/** Wraps the story in a provider wired to the backend from `loadBackend`. */
export const withBackend: Decorator = (Story, context) => {
  const loaded = (context.loaded as Partial<LoadedBackend>).backend ? (context.loaded as LoadedBackend) : null
  if (!loaded) throw new Error('withBackend: add loaders: [loadBackend()] to the story or its meta')
  return (
    <AuthFrontendApisProvider client={loaded.backend.client} queryClient={loaded.queryClient} organization={loaded.backend.organization}>
      {/* The toolbar's latency and fault choices reach this story's backend (see toolbar.tsx). */}
      <ToolbarOnBackend backend={loaded.backend}>
        <Story />
      </ToolbarOnBackend>
    </AuthFrontendApisProvider>
  )
}

/** The backend of a story's `loaded` context, typed. */
export function backendOf(loaded: Record<string, unknown>): DemoBackend {
  return (loaded as unknown as LoadedBackend).backend
}
