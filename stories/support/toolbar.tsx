/**
 * What the Storybook toolbar asks of the in-page backend (latency, the next answer's fault), carried
 * from the global decorator in `.storybook/preview.tsx` to `withBackend`, which owns the backend of
 * the story on screen. With the toolbar at its defaults nothing changes, so stories and their tests
 * behave exactly as written.
 */
import { createContext, useContext, useLayoutEffect, useRef, type ReactNode } from 'react'
import type { DemoBackend, Fault } from './backend.ts'

/** The toolbar's fault choices, by the HTTP answer a reader recognizes. */
export const TOOLBAR_FAULTS = {
  '401': 'unauthorized',
  '403': 'forbidden',
  '404': 'notFound',
  '409': 'conflict',
  '429': 'rateLimited',
  '500': 'serverError',
  '503': 'unavailable',
  offline: 'offline',
} as const satisfies Record<string, Fault>

export type ToolbarFault = keyof typeof TOOLBAR_FAULTS

export interface BackendToolbar {
  /** Delay before every answer; `null` leaves the story's own. */
  latencyMs: number | null
  /** The fault for the next answer; `null` for none. Choosing one queues it once. */
  fault: ToolbarFault | null
}

export const BackendToolbarContext = createContext<BackendToolbar>({ latencyMs: null, fault: null })

/**
 * Applies the toolbar to `backend`. A layout effect: it runs before the story's queries subscribe
 * (their fetches start in passive effects), so even the first request sees the chosen fault.
 */
export function ToolbarOnBackend({ backend, children }: { backend: DemoBackend; children: ReactNode }) {
  const { latencyMs, fault } = useContext(BackendToolbarContext)
  const storyLatency = useRef(backend.latencyMs)
  const queued = useRef<ToolbarFault | null>(null)
  useLayoutEffect(() => {
    backend.latencyMs = latencyMs ?? storyLatency.current
  }, [backend, latencyMs])
  useLayoutEffect(() => {
    // Once per choice: picking the same fault again (after "none") queues another.
    if (fault && queued.current !== fault) backend.faults.push(TOOLBAR_FAULTS[fault])
    queued.current = fault
  }, [backend, fault])
  return children
}
