import type { ReactElement, ReactNode } from 'react'
import { render } from '@testing-library/react'
import type { QueryClient } from '@tanstack/react-query'
import { AuthFrontendApisProvider } from '../../src/react/index.ts'
import { createDemoBackend, failFastQueryClient, type DemoBackend, type DemoBackendOptions } from '../../stories/support/backend.ts'
import type { ApiError } from '../../src/client/index.ts'


export interface Rendered {
  backend: DemoBackend
  queryClient: QueryClient
  unauthorized: ApiError[]
}

/**
 * Renders `ui` inside a provider wired to the reference server running in the page (memory store)
 * through the real HTTP client. Inject faults with `backend.faults.push('rateLimited')`.
 */
export function renderWithBackend(ui: ReactElement, options: DemoBackendOptions & { backend?: DemoBackend } = {}) {
  const backend = options.backend ?? createDemoBackend(options)
  const queryClient = failFastQueryClient()
  const unauthorized: ApiError[] = []
  const wrapper = ({ children }: { children: ReactNode }) => (
    <AuthFrontendApisProvider
      client={backend.client}
      queryClient={queryClient}
      organization={backend.organization}
      onUnauthorized={(e) => unauthorized.push(e)}
    >
      {children}
    </AuthFrontendApisProvider>
  )
  const result = render(ui, { wrapper })
  return { ...result, backend, queryClient, unauthorized }
}

/** Everything a test can reach that might hold a secret: the DOM, both caches, web storage. */
export function everywhereTheTokenCouldHide(queryClient: QueryClient): string {
  return [
    document.documentElement.outerHTML,
    // Live input values are properties, not attributes: outerHTML alone would miss them.
    ...Array.from(document.querySelectorAll('input, textarea'), (field) => (field as HTMLInputElement).value),
    JSON.stringify(queryClient.getQueryCache().getAll().map((q) => q.state)),
    JSON.stringify(queryClient.getMutationCache().getAll().map((m) => ({ state: m.state, options: m.options.mutationKey }))),
    JSON.stringify({ ...localStorage }),
    JSON.stringify({ ...sessionStorage }),
    location.href,
  ].join('\n')
}
