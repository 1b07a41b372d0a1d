import { describe, expect, it } from 'vitest'
import { createHttpClient, parseRetryAfter, type ApiError } from '../../src/client/index.ts'

/**
 * Answers the reference server can't give (HTML error pages, broken JSON, hung connections):
 * a hand-written fetch is the only way to produce them.
 */
function clientAnswering(answer: (request: Request) => Promise<Response> | Response, timeoutMs = 2_000) {
  return createHttpClient({ baseUrl: 'http://api.test', fetch: async (request) => answer(request), timeoutMs })
}

/** Which callback ran, and with what. */
async function route(response: Awaited<ReturnType<ReturnType<typeof createHttpClient>['createPersonalApiKey']>>) {
  return response.handle({
    success: () => ({ callback: 'success' as const, error: undefined }),
    invalidExpirationOption: (error) => ({ callback: 'invalidExpirationOption' as const, error: error as ApiError }),
    badRequest: (error) => ({ callback: 'badRequest' as const, error: error as ApiError }),
    unauthorized: (error) => ({ callback: 'unauthorized' as const, error: error as ApiError }),
    conflict: (error) => ({ callback: 'conflict' as const, error: error as ApiError }),
    rateLimited: (error) => ({ callback: 'rateLimited' as const, error: error as ApiError }),
    unexpectedOrUnhandled: (error) => ({ callback: 'unexpectedOrUnhandled' as const, error }),
  })
}

/** A server that never answers. Holds the request: Node links a Request's signal to its parent weakly. */
const inFlight = new Set<Request>()
function hangUntilAborted(request: Request) {
  inFlight.add(request)
  return new Promise<Response>((_, reject) =>
    request.signal.addEventListener('abort', () => {
      inFlight.delete(request)
      reject(request.signal.reason)
    }),
  )
}

const problem = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json', ...headers } })

describe('createHttpClient with hostile answers', () => {
  it('sends an HTML 500 page to unexpectedOrUnhandled with a readable message', async () => {
    const client = clientAnswering(
      () => new Response('<!doctype html><h1>502 Bad Gateway</h1>', { status: 500, headers: { 'Content-Type': 'text/html' } }),
    )
    const { callback, error } = await route(await client.createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
    expect(error?.status).toBe(500)
    expect(error?.userFacingError).toBe('Something went wrong. Try again.')
    expect(error?.userFacingError).not.toContain('<')
  })

  it('sends a 200 HTML page (a proxy login page) to unexpectedOrUnhandled as invalid_response', async () => {
    const client = clientAnswering(() => new Response('<html>Sign in</html>', { status: 200, headers: { 'Content-Type': 'text/html' } }))
    const { callback, error } = await route(await client.createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
    expect(error?.code).toBe('invalid_response')
  })

  it('sends truncated JSON to unexpectedOrUnhandled', async () => {
    const client = clientAnswering(
      () => new Response('{"data": {"apiKey": {"id": "a', { status: 201, headers: { 'Content-Type': 'application/json' } }),
    )
    const { callback, error } = await route(await client.createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
    expect(error?.code).toBe('invalid_response')
  })

  it('sends well-formed JSON of the wrong shape to unexpectedOrUnhandled', async () => {
    const client = clientAnswering(() => Response.json({ data: { apiKey: null } }, { status: 201 }))
    const { callback } = await route(await client.createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
  })

  it('sends an empty body to unexpectedOrUnhandled', async () => {
    const client = clientAnswering(() => new Response(null, { status: 201 }))
    const { callback, error } = await route(await client.createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
    expect(error?.code).toBe('invalid_response')
  })

  it('uses the default sentence when a 400 problem body is truncated', async () => {
    const client = clientAnswering(
      () => new Response('{"code":"validation_fa', { status: 400, headers: { 'Content-Type': 'application/problem+json' } }),
    )
    const { callback, error } = await route(await client.createPersonalApiKey('Never'))
    expect(callback).toBe('badRequest')
    expect(error?.userFacingError).toMatch(/not valid/)
  })

  it('sends a 409 with an unknown code to unexpectedOrUnhandled', async () => {
    const client = clientAnswering(() => problem(409, { code: 'quantum_flux', detail: 'Flux.' }))
    const { callback, error } = await route(await client.createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
    expect(error?.code).toBe('quantum_flux')
  })

  it('sends an unknown status (418) to unexpectedOrUnhandled', async () => {
    const client = clientAnswering(() => problem(418, { detail: 'I am a teapot.' }))
    const { callback, error } = await route(await client.createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
    expect(error?.status).toBe(418)
  })

  it('sends a 404 on create (not in its table) to unexpectedOrUnhandled', async () => {
    const client = clientAnswering(() => problem(404, { code: 'not_found' }))
    const { callback } = await route(await client.createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
  })

  it('turns Retry-After in seconds into retryAfterSeconds', async () => {
    const client = clientAnswering(() => problem(429, { code: 'rate_limited' }, { 'Retry-After': '17' }))
    const { callback, error } = await route(await client.createPersonalApiKey('Never'))
    expect(callback).toBe('rateLimited')
    expect(error?.retryAfterSeconds).toBe(17)
    expect(error?.userFacingError).toMatch(/Too many requests/)
  })

  it('turns Retry-After as an HTTP date into retryAfterSeconds', async () => {
    const at = new Date(Date.now() + 90_000).toUTCString()
    const client = clientAnswering(() => problem(429, { code: 'rate_limited' }, { 'Retry-After': at }))
    const { callback, error } = await route(await client.createPersonalApiKey('Never'))
    expect(callback).toBe('rateLimited')
    // The HTTP date has one-second resolution.
    expect(error?.retryAfterSeconds).toBeGreaterThanOrEqual(88)
    expect(error?.retryAfterSeconds).toBeLessThanOrEqual(90)
  })

  it('sends a 429 without Retry-After to rateLimited with no wait time', async () => {
    const client = clientAnswering(() => problem(429, {}))
    const { callback, error } = await route(await client.createPersonalApiKey('Never'))
    expect(callback).toBe('rateLimited')
    expect(error?.retryAfterSeconds).toBeUndefined()
  })

  it('sends a network failure to unexpectedOrUnhandled', async () => {
    const client = clientAnswering(() => {
      throw new TypeError('fetch failed')
    })
    const { callback, error } = await route(await client.createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
    expect(error).toMatchObject({ status: null, code: 'network_error' })
    expect(error?.userFacingError).toMatch(/Could not reach the server/)
  })

  it('gives up after timeoutMs when the server never answers', async () => {
    const client = clientAnswering(
      (request) =>
hangUntilAborted(request),
      50,
    )
    const started = Date.now()
    const { callback, error } = await route(await client.createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
    expect(error?.code).toBe('timeout')
    expect(Date.now() - started).toBeLessThan(1_000)
  })

  it('reports a timeout even when the server ignores the abort and answers late', async () => {
    const client = clientAnswering(
      () => new Promise<Response>((resolve) => setTimeout(() => resolve(Response.json({ data: {} })), 120)),
      30,
    )
    const { error } = await route(await client.createPersonalApiKey('Never'))
    expect(error?.code).toBe('timeout')
  })

  it('reports an abort by the caller as aborted, not as a timeout', async () => {
    const controller = new AbortController()
    const client = clientAnswering(
      (request) =>
hangUntilAborted(request),
    )
    const pending = client.fetchPersonalApiKeys({}, { signal: controller.signal })
    controller.abort()
    const response = await pending
    expect(response.ok).toBe(false)
    expect(response.error).toMatchObject({ kind: 'unexpectedOrUnhandled', code: 'aborted' })
  })

  it('does not even send a request whose signal is already aborted', async () => {
    let calls = 0
    const client = clientAnswering(() => {
      calls++
      return Response.json({})
    })
    const response = await client.revokePersonalApiKey('x', { signal: AbortSignal.abort() })
    expect(response.error?.code).toBe('aborted')
    expect(calls).toBe(0)
  })

  it('answers unexpectedOrUnhandled when getAccessToken throws', async () => {
    const client = createHttpClient({
      baseUrl: 'http://api.test',
      fetch: async () => Response.json({}),
      getAccessToken: () => {
        throw new Error('session store down')
      },
    })
    const { callback } = await route(await client.createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
  })

  it('ignores an over-long or non-string detail and keeps the default sentence', async () => {
    const client = clientAnswering(() => problem(403, { detail: 'x'.repeat(5_000) }))
    const response = await client.fetchPersonalApiKeys()
    expect(response.error?.kind).toBe('noPersonalApiKeyPermission')
    expect(response.error?.userFacingError).toBe('You do not have permission to manage personal API keys.')
  })

  it('URL-encodes ids and sends an Idempotency-Key on create and rotate', async () => {
    const seen: Request[] = []
    const client = clientAnswering((request) => {
      seen.push(request)
      return problem(404, {})
    })
    await client.revokePersonalApiKey('a/../b?c#d')
    await client.rotatePersonalApiKey('x y')
    await client.createPersonalApiKey({ name: 'n', expiration: 'OneMonth' })
    expect(new URL(seen[0]!.url).pathname).toBe('/v1/personal-access-tokens/a%2F..%2Fb%3Fc%23d')
    expect(new URL(seen[1]!.url).pathname).toBe('/v1/personal-access-tokens/x%20y/rotate')
    expect(seen[1]!.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/)
    expect(seen[2]!.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/)
    expect(seen[2]!.headers.get('Idempotency-Key')).not.toBe(seen[1]!.headers.get('Idempotency-Key'))
    expect(seen[0]!.headers.get('Idempotency-Key')).toBeNull()
  })

  it('rejects with a TypeError naming the fallback when a JS caller omits unexpectedOrUnhandled', async () => {
    const client = clientAnswering(() => problem(401, {}))
    const response = await client.fetchPersonalApiKeys()
    // A JavaScript caller can omit the fallback; handle() then rejects with a clear TypeError, not a crash deeper in.
    await expect((response.handle as (h: object) => Promise<unknown>)({ success: () => 1 })).rejects.toThrow(
      /unexpectedOrUnhandled/,
    )
  })
})

describe('parseRetryAfter', () => {
  it('reads delta-seconds, HTTP dates, and rejects garbage', () => {
    const now = Date.parse('2026-11-22T10:00:00Z')
    expect(parseRetryAfter('0', now)).toBe(0)
    expect(parseRetryAfter(' 120 ', now)).toBe(120)
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:01:00 GMT', now)).toBe(60)
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('-5', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })
})
