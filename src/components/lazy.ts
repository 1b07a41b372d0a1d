import { useEffect, useState } from 'react'

/**
 * Code loaded on first use (a dynamic `import()`), kept once loaded: a part that renders after the
 * module has arrived gets it synchronously, so a warm cache shows no loading state at all — unlike
 * `React.lazy`, which suspends once more on every new use.
 */
export interface LazyModule<M> {
  /** Starts loading (once; again after a failure) and resolves with the module. */
  load(): Promise<M>
  /** The module, once loaded. */
  readonly current: M | null
}

export function lazyModule<M>(importer: () => Promise<M>): LazyModule<M> {
  let loaded: M | null = null
  let pending: Promise<M> | null = null
  return {
    load() {
      pending ??= importer().then(
        (module) => (loaded = module),
        (error: unknown) => {
          // Offline, or a deploy replaced the chunk: the next load() tries the import again.
          pending = null
          throw error
        },
      )
      return pending
    },
    get current() {
      return loaded
    },
  }
}

export interface LazyModuleState<M> {
  /** The module, once loaded. */
  module: M | null
  /** The import failed; `retry()` tries again. */
  failed: boolean
  retry(): void
}

/** A lazy module for a part: loads it while `isNeeded` (and keeps it afterwards), with a failed state and a retry. */
export function useLazyModule<M>(lazy: LazyModule<M>, isNeeded: boolean): LazyModuleState<M> {
  const [module, setModule] = useState(lazy.current)
  const [attempt, setAttempt] = useState<number | 'failed'>(0)
  const failed = attempt === 'failed'
  useEffect(() => {
    if (!isNeeded || failed || lazy.current) return
    let live = true
    lazy.load().then(
      (loaded) => live && setModule(() => loaded),
      () => live && setAttempt('failed'),
    )
    return () => {
      live = false
    }
  }, [lazy, isNeeded, failed, attempt])
  return { module: module ?? lazy.current, failed, retry: () => setAttempt((n) => (n === 'failed' ? 0 : n + 1)) }
}
