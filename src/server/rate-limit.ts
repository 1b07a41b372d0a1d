export type RateLimitResult = { ok: true } | { ok: false; retryAfterSeconds: number }

/** Decides whether one more request under `key` (e.g. `${userId}:create`) may go ahead now. */
export interface RateLimiter {
  check(key: string): Promise<RateLimitResult>
}

export interface FixedWindowOptions {
  /** Requests allowed per key in one window. */
  limit: number
  windowMs: number
  now?: () => Date
}

/**
 * At most `limit` requests per key in each window of `windowMs`, counted in memory. Good for one
 * process; several instances behind a load balancer each count separately (use a shared limiter there).
 */
export function fixedWindowRateLimiter({ limit, windowMs, now = () => new Date() }: FixedWindowOptions): RateLimiter {
  if (!(limit >= 1 && windowMs > 0)) throw new Error('patkit fixedWindowRateLimiter: limit must be >= 1 and windowMs > 0')
  const windows = new Map<string, { startsAt: number; count: number }>()

  function sweep(at: number) {
    for (const [key, window] of windows) if (at - window.startsAt >= windowMs) windows.delete(key)
  }

  return {
    async check(key) {
      const at = now().getTime()
      // Bounded memory: old windows are dropped once the map grows, not on every call.
      if (windows.size > 10_000) sweep(at)
      let window = windows.get(key)
      if (!window || at - window.startsAt >= windowMs) {
        window = { startsAt: at, count: 0 }
        windows.set(key, window)
      }
      if (window.count >= limit) {
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((window.startsAt + windowMs - at) / 1000)) }
      }
      window.count++
      return { ok: true }
    },
  }
}
