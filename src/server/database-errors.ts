/**
 * What a database error means for the answer: the database being away or busy is the service's
 * state (503 with Retry-After, the client may retry), a value the database refuses is the request's
 * fault (400), anything else is a bug (500).
 */

export type DatabaseFault =
  | { kind: 'unavailable'; retryAfterSeconds: number; /** The connection is gone (not merely a timeout): never reuse it. */ connectionLost: boolean }
  | { kind: 'invalidInput' }

/** Thrown by patkit's own database adapters when the database cannot be reached in time (pool exhausted, connection lost). */
export class DatabaseUnavailableError extends Error {
  readonly retryAfterSeconds: number

  constructor(message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, { cause: options.cause })
    this.name = 'DatabaseUnavailableError'
    this.retryAfterSeconds = options.retryAfterSeconds ?? 2
  }
}

/** The connection or the server is gone or going: try again once it is back. */
const DOWN = /^(?:08...|57P0[1-3]|53300|25P03)$/
/** Waiting was cut short (statement or lock timeout) or lost a race (serialization, deadlock): try again soon. */
const BUSY = /^(?:57014|55P03|40001|40P01|53[0-9A-Z]{3})$/
/** Errors of the socket under a driver. */
const SOCKET = /^(?:ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ENOTFOUND)$/
/** node-postgres reports a dropped connection by message only. */
const DRIVER_MESSAGES = /Connection terminated|not queryable|timeout exceeded when trying to connect|Query read timeout|terminating connection/i

function codeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined
  return typeof code === 'string' ? code : undefined
}

export function classifyDatabaseError(error: unknown): DatabaseFault | null {
  if (error instanceof DatabaseUnavailableError) return { kind: 'unavailable', retryAfterSeconds: error.retryAfterSeconds, connectionLost: false }
  const lost = { kind: 'unavailable', retryAfterSeconds: 2, connectionLost: true } as const
  const code = codeOf(error)
  if (code !== undefined) {
    // SQLSTATE class 22, data exception: a date out of range, a string the column cannot hold…
    if (/^22[0-9A-Z]{3}$/.test(code)) return { kind: 'invalidInput' }
    if (DOWN.test(code) || SOCKET.test(code)) return lost
    if (BUSY.test(code)) return { kind: 'unavailable', retryAfterSeconds: 1, connectionLost: false }
  }
  if (error instanceof Error && DRIVER_MESSAGES.test(error.message)) return lost
  // AggregateError (several addresses refused), or an error wrapping the driver's.
  if (error instanceof AggregateError) return error.errors.map(classifyDatabaseError).find((fault) => fault !== null) ?? null
  if (error instanceof Error && error.cause !== undefined && error.cause !== error) return classifyDatabaseError(error.cause)
  return null
}
