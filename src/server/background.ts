import type { KeyStore } from './store.ts'
import type { WebhookWorker } from './webhooks.ts'

/** How long an Idempotency-Key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000
/** Delivered or given-up webhooks are kept this long, for inspection, then purged. */
const WEBHOOK_RETENTION_MS = 7 * 24 * 60 * 60 * 1000
/** Rate-limit windows that started this long ago are over for any limit of a day or less. */
const RATE_LIMIT_RETENTION_MS = 24 * 60 * 60 * 1000
const PURGE_INTERVAL_MS = 10 * 60 * 1000

export interface BackgroundWorkOptions {
  store: Pick<KeyStore, 'purgeExpired'>
  now: () => Date
  /** The webhook worker, when webhooks are configured. */
  worker: WebhookWorker | null
  /** How often a pass runs; default the purge interval (10 minutes). */
  pollIntervalMs?: number
  onError: (error: unknown) => void
}

/**
 * The work no request waits for: delivering the webhook outbox, and purging what expired, by
 * whichever instance runs it (the store's queries make that safe on several at once). One pass at a
 * time per instance; a pass asked for while one runs runs right after it, so nothing kicked is missed.
 */
export function createBackgroundWork({ store, now, worker, pollIntervalMs = PURGE_INTERVAL_MS, onError }: BackgroundWorkOptions) {
  let timer: ReturnType<typeof setInterval> | undefined
  let running: Promise<void> | null = null
  let again = false
  let lastPurge = Number.NEGATIVE_INFINITY
  const tracked = new Set<Promise<unknown>>()

  async function pass() {
    if (worker) await worker.runOnce()
    const at = now().getTime()
    if (at - lastPurge >= PURGE_INTERVAL_MS) {
      lastPurge = at
      const before = (ms: number) => new Date(at - ms).toISOString()
      await store.purgeExpired({
        idempotencyRecords: before(IDEMPOTENCY_TTL_MS),
        rateLimits: before(RATE_LIMIT_RETENTION_MS),
        webhooks: before(WEBHOOK_RETENTION_MS),
      })
    }
  }

  function run(): Promise<void> {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        try {
          await pass()
        } catch (error) {
          onError(error)
        }
      } while (again)
    })().finally(() => {
      running = null
    })
    return running
  }

  function track(work: Promise<unknown>) {
    const settled = work.catch(() => undefined).finally(() => tracked.delete(settled))
    tracked.add(settled)
  }

  return {
    run,
    track,
    /** Starts the timer, once; it never keeps a Node process alive by itself. */
    start() {
      if (timer !== undefined) return
      timer = setInterval(() => void run(), pollIntervalMs)
      ;(timer as { unref?: () => void }).unref?.()
    },
    async settle() {
      while (tracked.size > 0) await Promise.all([...tracked])
      await run()
    },
    async stop() {
      clearInterval(timer)
      timer = undefined
      await running
    },
  }
}
