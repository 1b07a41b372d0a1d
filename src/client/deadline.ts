import type { TransportCode } from './http.ts'

/**
 * One AbortController for a call's two ends: its own timeout and the caller's signal. `reason()` tells
 * which fired first; `dispose()` clears the timer and the listener. (AbortSignal.any() signals can be
 * collected mid-request on Node 20, hence a controller of our own.)
 */
export function callDeadline(timeoutMs: number, callerSignal?: AbortSignal) {
  const controller = new AbortController()
  let reason: TransportCode | null = null
  const abortFor = (why: TransportCode) => {
    reason ??= why
    controller.abort()
  }
  const timer = setTimeout(() => abortFor('timeout'), timeoutMs)
  const onCallerAbort = () => abortFor('aborted')
  callerSignal?.addEventListener('abort', onCallerAbort)
  return {
    signal: controller.signal,
    reason: (): TransportCode | null => reason,
    dispose() {
      clearTimeout(timer)
      callerSignal?.removeEventListener('abort', onCallerAbort)
    },
  }
}
