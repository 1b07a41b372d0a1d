import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient, type ApiError, type AuthFrontendApis, type HttpClientOptions } from '../../src/client/index.ts'
import { startServer, type TestServer } from './http-server.ts'

/**
 * Answers the reference server can't give (HTML error pages, broken JSON, hung connections, stack
 * traces), from a real HTTP server the client reaches through the platform's fetch.
 */
let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

function client(options: Partial<HttpClientOptions> = {}) {
  return createHttpClient({ baseUrl: server.url, timeoutMs: 2_000, ...options })
}

/** Which callback ran, and with what. */
async function route(response: Awaited<ReturnType<AuthFrontendApis['createPersonalApiKey']>>) {
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

const never = () => new Promise<never>(() => {})

const problem = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json', ...headers } })

/** Each call of the client once, with arguments that reach the server. */
const EVERY_CALL: Record<string, (api: AuthFrontendApis) => Promise<{ ok: boolean; error?: ApiError }>> = {
  createPersonalApiKey: (api) => api.createPersonalApiKey({ name: 'k', expiration: 'OneMonth' }),
  fetchPersonalApiKeys: (api) => api.fetchPersonalApiKeys({ q: 'k' }),
  revokePersonalApiKey: (api) => api.revokePersonalApiKey('key-1'),
  rotatePersonalApiKey: (api) => api.rotatePersonalApiKey('key-1'),
  updatePersonalApiKey: (api) => api.updatePersonalApiKey('key-1', { name: 'n' }),
  fetchPersonalApiKeyPolicy: (api) => api.fetchPersonalApiKeyPolicy(),
}

/** The client's own sentence for any 5xx. */
const SERVER_FAULT = 'Something went wrong on our side. Try again in a moment.'

const STACK_TRACE = `error: terminating connection due to administrator command
    at Parser.parseErrorMessage (/srv/app/node_modules/pg-protocol/dist/parser.js:283:98)
    at Socket.<anonymous> (/srv/app/node_modules/pg/lib/connection.js:117:22)`

describe('the reference server’s problem codes, each at its callback with a sentence for the person at the form', () => {
  const cases: [string, number, Record<string, unknown>, string, string][] = [
    // [what, status, problem body, callback, the sentence the person reads]
    ['413 body_too_large', 413, { code: 'body_too_large', detail: 'The request body is too large.' }, 'badRequest', 'That is more text than the server accepts. Shorten it and try again.'],
    ['415 unsupported_media_type', 415, { code: 'unsupported_media_type', detail: 'Send the request body as JSON with Content-Type: application/json.' }, 'unexpectedOrUnhandled', 'The server could not read the request. Reload the page and try again.'],
    ['422 idempotency_key_mismatch', 422, { code: 'idempotency_key_mismatch', detail: 'This Idempotency-Key was already used for a different request.' }, 'conflict', 'This was already submitted with other details. Submit again to send the new ones.'],
    ['422 from another backend', 422, { detail: 'Name is too short.', errors: [{ pointer: '/name', detail: 'Name is too short.' }] }, 'badRequest', 'Name is too short.'],
    ['400 invalid_value', 400, { code: 'invalid_value', detail: 'A value in the request is out of range or malformed.' }, 'badRequest', 'A value in the request is out of range or malformed.'],
    ['403 insufficient_scope', 403, { code: 'insufficient_scope', detail: 'This key lacks the scope manage:keys.' }, 'noPersonalApiKeyPermission', 'This key lacks the scope manage:keys.'],
  ]
  for (const [what, status, body, callback, sentence] of cases) {
    it(`${what} → ${callback}`, async () => {
      server.answer(() => problem(status, body))
      const outcome = await (await client().createPersonalApiKey({ name: 'k' })).handle({
        success: () => ({ callback: 'success', error: undefined as ApiError | undefined }),
        badRequest: (error) => ({ callback: 'badRequest', error: error as ApiError }),
        conflict: (error) => ({ callback: 'conflict', error: error as ApiError }),
        noPersonalApiKeyPermission: (error) => ({ callback: 'noPersonalApiKeyPermission', error: error as ApiError }),
        unexpectedOrUnhandled: (error) => ({ callback: 'unexpectedOrUnhandled', error }),
      })
      expect(outcome).toMatchObject({ callback, error: { status, userFacingError: sentence } })
    })
  }

  it('any 403 on an organization call is noOrgApiKeyPermission, with or without a code', async () => {
    for (const body of [{ code: 'no_org_api_key_permission' }, {}, { code: 'insufficient_scope', detail: 'This key lacks a scope.' }]) {
      server.answer(() => problem(403, body))
      const response = await client().createOrgApiKey('acme', { name: 'k' })
      expect(response.error?.kind, JSON.stringify(body)).toBe('noOrgApiKeyPermission')
    }
    server.answer(() => problem(404, { code: 'organization_not_found' }))
    expect((await client().fetchOrgApiKeys('acme')).error?.kind).toBe('orgNotFound')
    // A personal call cannot reach orgNotFound: a 404 there is the key's, and create has none.
    expect((await client().revokePersonalApiKey('key-1')).error?.kind).toBe('apiKeyNotFound')
    expect((await client().createPersonalApiKey('Never')).error?.kind).toBe('unexpectedOrUnhandled')
  })
})

describe('createHttpClient with hostile answers', () => {
  it('sends an HTML 500 page to unexpectedOrUnhandled with a readable message', async () => {
    server.answer(() => new Response('<!doctype html><h1>502 Bad Gateway</h1>', { status: 500, headers: { 'Content-Type': 'text/html' } }))
    const { callback, error } = await route(await client().createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
    expect(error?.status).toBe(500)
    expect(error?.userFacingError).toBe(SERVER_FAULT)
  })

  it('sends a 200 HTML page (a proxy login page) to unexpectedOrUnhandled as invalid_response', async () => {
    server.answer(() => new Response('<html>Sign in</html>', { status: 200, headers: { 'Content-Type': 'text/html' } }))
    const { callback, error } = await route(await client().createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
    expect(error?.code).toBe('invalid_response')
  })

  it('sends truncated JSON to unexpectedOrUnhandled', async () => {
    server.answer(() => new Response('{"data": {"apiKey": {"id": "a', { status: 201, headers: { 'Content-Type': 'application/json' } }))
    const { callback, error } = await route(await client().createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
    expect(error?.code).toBe('invalid_response')
  })

  it('sends well-formed JSON of the wrong shape to unexpectedOrUnhandled', async () => {
    server.answer(() => Response.json({ data: { apiKey: null } }, { status: 201 }))
    const { callback } = await route(await client().createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
  })

  it('sends an empty body to unexpectedOrUnhandled', async () => {
    server.answer(() => new Response(null, { status: 201 }))
    const { callback, error } = await route(await client().createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
    expect(error?.code).toBe('invalid_response')
  })

  it('uses the default sentence when a 400 problem body is truncated', async () => {
    server.answer(() => new Response('{"code":"validation_fa', { status: 400, headers: { 'Content-Type': 'application/problem+json' } }))
    const { callback, error } = await route(await client().createPersonalApiKey('Never'))
    expect(callback).toBe('badRequest')
    expect(error?.userFacingError).toMatch(/not valid/)
  })

  it('sends a 409 with an unknown code to unexpectedOrUnhandled', async () => {
    server.answer(() => problem(409, { code: 'quantum_flux', detail: 'Flux.' }))
    const { callback, error } = await route(await client().createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
    expect(error?.code).toBe('quantum_flux')
  })

  it('sends an unknown status (418) to unexpectedOrUnhandled', async () => {
    server.answer(() => problem(418, { detail: 'I am a teapot.' }))
    const { callback, error } = await route(await client().createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
    expect(error?.status).toBe(418)
  })

  it('sends a 404 on create (not in its table) to unexpectedOrUnhandled', async () => {
    server.answer(() => problem(404, { code: 'not_found' }))
    const { callback } = await route(await client().createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
  })

  it('sends a network failure (connection refused) to unexpectedOrUnhandled', async () => {
    const gone = await startServer()
    await gone.close()
    const { callback, error } = await route(await createHttpClient({ baseUrl: gone.url }).createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
    expect(error).toMatchObject({ status: null, code: 'network_error' })
    expect(error?.userFacingError).toMatch(/Could not reach the server/)
  })

  it('gives up after timeoutMs when the server never answers', async () => {
    server.answer(never)
    const { callback, error } = await route(await client({ timeoutMs: 50 }).createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
    expect(error?.code).toBe('timeout')
    expect(error?.userFacingError).toMatch(/too long/)
  })

  it('gives up after timeoutMs when the server sends its headers and then stalls the body', async () => {
    server.answer(() => new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"data":')) }), {
      status: 201,
      headers: { 'Content-Type': 'application/json' },
    }))
    const { error } = await route(await client({ timeoutMs: 100 }).createPersonalApiKey('Never'))
    expect(error?.code).toBe('timeout')
  })

  it('reports a timeout even when an in-process fetch ignores the abort and answers late', async () => {
    // Only a `fetch` option (e.g. a server's app.fetch in process) can ignore the signal; a socket cannot.
    const api = createHttpClient({
      baseUrl: 'http://in-process.test',
      fetch: () => new Promise<Response>((resolve) => setTimeout(() => resolve(Response.json({ data: {} })), 120)),
      timeoutMs: 30,
    })
    const { error } = await route(await api.createPersonalApiKey('Never'))
    expect(error?.code).toBe('timeout')
  })

  it('reports an abort by the caller as aborted, not as a timeout', async () => {
    server.answer(never)
    const controller = new AbortController()
    const pending = client().fetchPersonalApiKeys({}, { signal: controller.signal })
    await expect.poll(() => server.received.length).toBe(1)
    controller.abort()
    const response = await pending
    expect(response.ok).toBe(false)
    expect(response.error).toMatchObject({ kind: 'unexpectedOrUnhandled', code: 'aborted' })
  })

  it('does not even send a request whose signal is already aborted', async () => {
    server.answer(() => Response.json({}))
    const response = await client().revokePersonalApiKey('x', { signal: AbortSignal.abort() })
    expect(response.error?.code).toBe('aborted')
    expect(server.received).toEqual([])
  })

  it('ignores an over-long or non-string detail and keeps the default sentence', async () => {
    server.answer(() => problem(403, { detail: 'x'.repeat(5_000) }))
    const response = await client().fetchPersonalApiKeys()
    expect(response.error?.kind).toBe('noPersonalApiKeyPermission')
    expect(response.error?.userFacingError).toBe('You do not have permission to manage personal API keys.')
  })

  it('URL-encodes ids and sends an Idempotency-Key on create and rotate', async () => {
    server.answer(() => problem(404, {}))
    const api = client()
    await api.revokePersonalApiKey('a/../b?c#d')
    await api.rotatePersonalApiKey('x y')
    await api.createPersonalApiKey({ name: 'n', expiration: 'OneMonth' })
    const [revoke, rotate, create] = server.received
    expect(revoke).toMatchObject({ method: 'DELETE', target: '/v1/personal-access-tokens/a%2F..%2Fb%3Fc%23d' })
    expect(rotate).toMatchObject({ method: 'POST', target: '/v1/personal-access-tokens/x%20y/rotate' })
    expect(rotate!.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/)
    expect(create!.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/)
    expect(create!.headers.get('Idempotency-Key')).not.toBe(rotate!.headers.get('Idempotency-Key'))
    expect(revoke!.headers.get('Idempotency-Key')).toBeNull()
  })

  it('rejects with a TypeError naming the fallback when a JS caller omits unexpectedOrUnhandled', async () => {
    server.answer(() => problem(401, {}))
    const response = await client().fetchPersonalApiKeys()
    // A JavaScript caller can omit the fallback; handle() then rejects with a clear TypeError, not a crash deeper in.
    await expect((response.handle as (h: object) => Promise<unknown>)({ success: () => 1 })).rejects.toThrow(
      /unexpectedOrUnhandled/,
    )
  })
})

describe('getAccessToken', () => {
  it('answers unexpectedOrUnhandled, sending nothing, when it throws', async () => {
    server.answer(() => Response.json({}))
    const api = client({
      getAccessToken: () => {
        throw new Error('session store down')
      },
    })
    const { callback, error } = await route(await api.createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
    expect(error?.code).toBe('client_error')
    expect(server.received).toEqual([])
  })

  it('is covered by timeoutMs: one that never settles ends the call as a timeout, sending nothing', async () => {
    server.answer(() => Response.json({}))
    let signal: AbortSignal | undefined
    const api = client({
      timeoutMs: 50,
      getAccessToken: (context) => {
        signal = context.signal
        return never()
      },
    })
    const { callback, error } = await route(await api.createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
    expect(error?.code).toBe('timeout')
    // The token source is told, so it can stop a refresh nobody waits for.
    expect(signal?.aborted).toBe(true)
    expect(server.received).toEqual([])
  })

  it('is cancelled by the caller’s signal while it is pending', async () => {
    server.answer(() => Response.json({}))
    const controller = new AbortController()
    let asked = false
    const api = client({
      getAccessToken: () => {
        asked = true
        return never()
      },
    })
    const pending = api.fetchPersonalApiKeys({}, { signal: controller.signal })
    await expect.poll(() => asked).toBe(true)
    controller.abort()
    expect((await pending).error).toMatchObject({ kind: 'unexpectedOrUnhandled', code: 'aborted' })
    expect(server.received).toEqual([])
  })

  it('sends the token it resolves to as a Bearer token', async () => {
    server.answer(() => problem(401, {}))
    await client({ getAccessToken: async () => 'session-abc' }).fetchPersonalApiKeys()
    expect(server.received[0]?.headers.get('Authorization')).toBe('Bearer session-abc')
  })
})

describe('5xx answers', () => {
  it('never show the server’s detail (here a stack trace) to the user, and keep the request id', async () => {
    server.answer(() => problem(500, { code: 'internal_error', detail: STACK_TRACE, requestId: 'req-500' }))
    const { callback, error } = await route(await client().createPersonalApiKey('Never'))
    expect(callback).toBe('unexpectedOrUnhandled')
    expect(error).toMatchObject({ status: 500, code: 'internal_error', requestId: 'req-500' })
    expect(error?.userFacingError).toBe(SERVER_FAULT)
  })

  it('take the request id from X-Request-Id when the body has none', async () => {
    server.answer(() => problem(502, { detail: 'upstream connect error or disconnect/reset before headers' }, { 'X-Request-Id': 'req-502' }))
    const response = await client().fetchPersonalApiKeys()
    expect(response.error).toMatchObject({ status: 502, requestId: 'req-502', userFacingError: SERVER_FAULT })
  })

  it('a 503 with Retry-After carries retryAfterSeconds on every call', async () => {
    server.answer(() => problem(503, { code: 'service_unavailable', detail: STACK_TRACE }, { 'Retry-After': '7' }))
    for (const [name, call] of Object.entries(EVERY_CALL)) {
      const response = await call(client())
      expect(response.error, name).toMatchObject({
        kind: 'unexpectedOrUnhandled',
        status: 503,
        retryAfterSeconds: 7,
        userFacingError: 'The service is briefly unavailable. Try again in a moment.',
      })
    }
    expect(server.received).toHaveLength(Object.keys(EVERY_CALL).length)
  })

  it('a 503 says the service is briefly away, not that something broke', async () => {
    server.answer(() => problem(503, { code: 'service_unavailable', detail: 'The service is briefly unavailable.' }, { 'Retry-After': '2' }))
    const response = await client().fetchPersonalApiKeys()
    expect(response.error).toMatchObject({ kind: 'unexpectedOrUnhandled', userFacingError: 'The service is briefly unavailable. Try again in a moment.' })
  })

  it('a 429 with Retry-After carries retryAfterSeconds on every call', async () => {
    server.answer(() => problem(429, { code: 'rate_limited', detail: 'Slow down.' }, { 'Retry-After': '12' }))
    for (const [name, call] of Object.entries(EVERY_CALL)) {
      expect((await call(client())).error, name).toMatchObject({ kind: 'rateLimited', retryAfterSeconds: 12, userFacingError: 'Slow down.' })
    }
  })
})

describe('Retry-After on the wire', () => {
  it('turns delta-seconds into retryAfterSeconds', async () => {
    server.answer(() => problem(429, { code: 'rate_limited' }, { 'Retry-After': '17' }))
    const { callback, error } = await route(await client().createPersonalApiKey('Never'))
    expect(callback).toBe('rateLimited')
    expect(error?.retryAfterSeconds).toBe(17)
    expect(error?.userFacingError).toMatch(/Too many requests/)
  })

  it('turns an HTTP date into retryAfterSeconds, measured from the answer’s Date header', async () => {
    // The server's clock is an hour behind this one: the wait is what the server meant, 90 s.
    const serverNow = Math.floor(Date.now() / 1000) * 1000 - 3_600_000
    server.answer(() =>
      problem(503, {}, { Date: new Date(serverNow).toUTCString(), 'Retry-After': new Date(serverNow + 90_000).toUTCString() }),
    )
    const response = await client().fetchPersonalApiKeys()
    expect(response.error?.retryAfterSeconds).toBe(90)
  })

  it('leaves retryAfterSeconds out for a value that is not an RFC 9110 form (banana 1)', async () => {
    server.answer(() => problem(429, { code: 'rate_limited' }, { 'Retry-After': 'banana 1' }))
    const { callback, error } = await route(await client().createPersonalApiKey('Never'))
    expect(callback).toBe('rateLimited')
    expect(error).not.toHaveProperty('retryAfterSeconds')
  })

  it('leaves retryAfterSeconds out when there is no Retry-After', async () => {
    server.answer(() => problem(429, {}))
    const { callback, error } = await route(await client().createPersonalApiKey('Never'))
    expect(callback).toBe('rateLimited')
    expect(error?.retryAfterSeconds).toBeUndefined()
  })
})
