import type { KeyStore, RateLimitWindow } from './store.ts'

export type RateLimitResult = { ok: true } | { ok: false; retryAfterSeconds: number }

/** Decides whether one more request under `key` (e.g. `${userId}:create`) may go ahead now. */
export interface RateLimiter {
  /** Counts one request under `key` and says whether it may go ahead. */
  check(key: string): Promise<RateLimitResult>
  /**
   * Whether `key` is over its limit now, without counting a request. Failed-verification limits need
   * it (they count failures only, but refuse before the lookup); `check` alone serves the write limits.
   */
  peek?(key: string): Promise<RateLimitResult>
}

export interface FixedWindowOptions {
  /** Requests allowed per key in one window. */
  limit: number
  windowMs: number
  now?: () => Date
}

function checkOptions(name: string, { limit, windowMs }: FixedWindowOptions) {
  if (!(Number.isInteger(limit) && limit >= 1 && windowMs > 0)) throw new Error(`patkit ${name}: limit must be a positive integer and windowMs > 0`)
}

/** The verdict on a window: within the limit, or the seconds until it ends. */
function verdict(window: RateLimitWindow | null, { limit, windowMs }: FixedWindowOptions, at: number): RateLimitResult {
  if (!window || window.count <= limit) return { ok: true }
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((Date.parse(window.windowStart) + windowMs - at) / 1000)) }
}

/**
 * At most `limit` requests per key in each fixed window of `windowMs`, counted in the store's
 * database (`KeyStore.hitRateLimit`): instances sharing a PostgreSQL share the count, and the memory
 * store counts in memory. The reference server's default.
 */
export function storeRateLimiter(store: Pick<KeyStore, 'hitRateLimit' | 'peekRateLimit'>, options: FixedWindowOptions): Required<RateLimiter> {
  checkOptions('storeRateLimiter', options)
  const now = options.now ?? (() => new Date())
  return {
    async check(key) {
      const at = now()
      return verdict(await store.hitRateLimit(key, options.windowMs, at.toISOString()), options, at.getTime())
    },
    async peek(key) {
      const at = now()
      const window = await store.peekRateLimit(key, options.windowMs, at.toISOString())
      // Over the limit once the next hit would be refused.
      return verdict(window && { ...window, count: window.count + 1 }, options, at.getTime())
    },
  }
}

/**
 * At most `limit` requests per key in each window of `windowMs`, counted in this process's memory.
 * Several instances behind a load balancer each count separately: use `storeRateLimiter` there.
 */
export function fixedWindowRateLimiter(options: FixedWindowOptions): Required<RateLimiter> {
  checkOptions('fixedWindowRateLimiter', options)
  const { windowMs } = options
  const now = options.now ?? (() => new Date())
  const windows = new Map<string, { startsAt: number; count: number }>()

  function open(key: string, at: number) {
    const window = windows.get(key)
    return window && at - window.startsAt < windowMs ? window : undefined
  }
  const asWindow = (window: { startsAt: number; count: number }): RateLimitWindow => ({
    windowStart: new Date(window.startsAt).toISOString(),
    count: window.count,
  })

  return {
    async check(key) {
      const at = now().getTime()
      // Bounded memory: old windows are dropped once the map grows, not on every call.
      if (windows.size > 10_000) for (const [k, w] of windows) if (at - w.startsAt >= windowMs) windows.delete(k)
      const window = open(key, at) ?? { startsAt: at, count: 0 }
      // A refused request does not extend the count past the limit forever; it cannot move the window either.
      window.count = Math.min(window.count + 1, options.limit + 1)
      windows.set(key, window)
      return verdict(asWindow(window), options, at)
    },
    async peek(key) {
      const at = now().getTime()
      const window = open(key, at)
      return verdict(window ? asWindow({ ...window, count: window.count + 1 }) : null, options, at)
    },
  }
}
