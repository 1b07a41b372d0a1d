import { describe, expect, it } from 'vitest'
import { addExpiration } from '../../src/client/expiration.ts'
import { DAY, setup } from './helpers.ts'

const PATH = '/v1/personal-access-tokens'

describe('POST /v1/personal-access-tokens', () => {
  it('creates a key and returns the token once, with Cache-Control: no-store', async () => {
    const { call, clock } = setup()
    const response = await call('alice', 'POST', PATH, { name: 'CI', expirationOption: 'OneMonth' })
    expect(response.status).toBe(201)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    const { apiKey, token } = response.body.data
    expect(token).toMatch(/^pat_[0-9A-Za-z]{38}$/)
    expect(apiKey).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'CI',
      start: token.slice(0, 8),
      scopes: [],
      status: 'active',
      createdAt: clock.now().toISOString(),
      expiresAt: addExpiration(clock.now(), 'OneMonth').toISOString(),
      lastUsedAt: null,
      revokedAt: null,
      description: null,
      owner: { type: 'user', id: 'alice' },
      createdBy: { userId: 'alice', name: 'Alice' },
      replacedBy: null,
      replacedAt: null,
    })
  })

  it('stores only the hash and the start, never the plaintext token', async () => {
    const { create, store } = setup()
    const { token } = await create('alice', { name: 'secret holder', expirationOption: 'Never' })
    const [row] = store.snapshot().keys
    expect(row!.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(row!.start).toBe(token.slice(0, 8))
    const serialized = JSON.stringify(store.snapshot())
    expect(serialized).not.toContain(token)
    expect(serialized).not.toContain(token.slice(4, 36))
  })

  it('never sends the hash in answers: exactly the fields of the contract', async () => {
    const { create, call } = setup()
    await create('alice', { name: 'a' })
    const list = await call('alice', 'GET', PATH)
    expect(Object.keys(list.body.items[0]).sort()).toEqual(
      [
        'createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'scopes', 'start', 'status',
        'description', 'owner', 'createdBy', 'replacedBy', 'replacedAt',
      ].sort(),
    )
  })

  it('accepts the seed call without a name and names the key after its start', async () => {
    const { call } = setup()
    const response = await call('alice', 'POST', PATH, { expirationOption: 'Never' })
    expect(response.status).toBe(201)
    const { apiKey } = response.body.data
    expect(apiKey.name).toBe(`API key ${apiKey.start}`)
    expect(apiKey.expiresAt).toBeNull()
  })

  it('uses the policy default expiration when none is given, also for an empty body', async () => {
    const { call, clock } = setup({ policy: { defaultExpiration: 'TwoWeeks' } })
    const response = await call('alice', 'POST', PATH)
    expect(response.status).toBe(201)
    expect(response.body.data.apiKey.expiresAt).toBe(new Date(clock.now().getTime() + 14 * DAY).toISOString())
  })

  it('accepts a custom expiresAt and expiresAt: null for never', async () => {
    const { call } = setup()
    const custom = await call('alice', 'POST', PATH, { name: 'custom', expiresAt: '2030-03-01T00:00:00+01:00' })
    expect(custom.body.data.apiKey.expiresAt).toBe('2030-02-28T23:00:00.000Z')
    const never = await call('alice', 'POST', PATH, { name: 'never', expiresAt: null })
    expect(never.status).toBe(201)
    expect(never.body.data.apiKey.expiresAt).toBeNull()
  })

  describe('names', () => {
    it('trims the name', async () => {
      const { create } = setup()
      expect((await create('alice', { name: '  deploy bot  ' })).apiKey.name).toBe('deploy bot')
    })

    it.each([
      ['empty', ''],
      ['only spaces', '   '],
      ['not text', 42],
      ['too long', 'x'.repeat(257)],
      ['a line break', 'two\nlines'],
      ['a NUL character', 'nul\u0000name'],
      ['only a zero-width space', '\u200b'],
      ['ending in a zero-width space', 'CI deploys\u200b'],
      ['a right-to-left override (exe.png)', '\u202egnp.exe'],
      ['a private-use character', 'key \ue000'],
      ['an unassigned code point', 'key \u0378'],
      ['a lone surrogate', 'key \ud800'],
      ['a line separator', 'two\u2028lines'],
    ])('refuses a name that is %s with 400 validation_failed at /name', async (_, name) => {
      const { call } = setup()
      const response = await call('alice', 'POST', PATH, { name })
      expect(response.status).toBe(400)
      expect(response.headers.get('Content-Type')).toBe('application/problem+json')
      expect(response.body).toMatchObject({ code: 'validation_failed', errors: [{ pointer: '/name', detail: expect.any(String) }] })
    })

    it('stores names in NFC, so one name typed two ways is one name', async () => {
      const { call, create } = setup()
      const composed = await create('alice', { name: 'caf\u00e9' })
      expect(composed.apiKey.name).toBe('caf\u00e9')
      const decomposed = await call('alice', 'POST', PATH, { name: 'cafe\u0301' })
      expect(decomposed.status).toBe(409)
      expect(decomposed.body.code).toBe('name_taken')
      expect((await create('alice', { name: 'Cafe\u0301 2' })).apiKey.name).toBe('Caf\u00e9 2')
    })

    it('counts the length limit in characters, after trimming', async () => {
      const { call } = setup({ policy: { nameMaxLength: 5 } })
      expect((await call('alice', 'POST', PATH, { name: '  12345  ' })).status).toBe(201)
      expect((await call('alice', 'POST', PATH, { name: '😀😀😀😀😀' })).status).toBe(201)
      expect((await call('alice', 'POST', PATH, { name: '123456' })).status).toBe(400)
    })

    it('refuses a name another active key of the user has, with 409 name_taken', async () => {
      const { call, create } = setup()
      await create('alice', { name: 'deploy' })
      const response = await call('alice', 'POST', PATH, { name: ' deploy ' })
      expect(response.status).toBe(409)
      expect(response.body).toMatchObject({ code: 'name_taken', errors: [{ pointer: '/name' }] })
    })

    it('frees the name once the key is revoked or expired', async () => {
      const { call, create, clock } = setup()
      const first = await create('alice', { name: 'deploy' })
      await call('alice', 'DELETE', `${PATH}/${first.apiKey.id}`)
      expect((await call('alice', 'POST', PATH, { name: 'deploy', expirationOption: 'TwoWeeks' })).status).toBe(201)
      clock.advance(15 * DAY)
      expect((await call('alice', 'POST', PATH, { name: 'deploy' })).status).toBe(201)
    })

    it('lets two users use the same name', async () => {
      const { create } = setup()
      await create('alice', { name: 'deploy' })
      await expect(create('bob', { name: 'deploy' })).resolves.toBeDefined()
    })
  })

  describe('expiration', () => {
    it('refuses a preset the policy does not offer, with the check’s message', async () => {
      const { call } = setup({ policy: { expirationOptions: ['TwoWeeks', 'OneMonth'] } })
      const response = await call('alice', 'POST', PATH, { name: 'a', expirationOption: 'OneYear' })
      expect(response.status).toBe(400)
      expect(response.body).toMatchObject({
        code: 'invalid_expiration_option',
        detail: 'That expiration is not one of the options offered.',
        errors: [{ pointer: '/expirationOption', detail: 'That expiration is not one of the options offered.' }],
      })
    })

    it.each([['Forever'], ['toString'], [42], [{ expiresAt: '2030-02-01T00:00:00Z' }]])(
      'refuses the unknown expirationOption %j',
      async (expirationOption) => {
        const { call } = setup()
        const response = await call('alice', 'POST', PATH, { name: 'a', expirationOption })
        expect(response.status).toBe(400)
        expect(response.body.code).toBe('invalid_expiration_option')
      },
    )

    it('refuses Never, as a preset or as expiresAt: null, when lifetimes are capped', async () => {
      const { call } = setup({ policy: { maxLifetimeDays: 90 } })
      for (const body of [{ expirationOption: 'Never' }, { expiresAt: null }]) {
        const response = await call('alice', 'POST', PATH, { name: 'a', ...body })
        expect(response.status).toBe(400)
        expect(response.body).toMatchObject({ code: 'invalid_expiration_option', detail: 'Keys must expire within 90 days.' })
      }
    })

    it('refuses a preset longer than the cap', async () => {
      const { call } = setup({ policy: { maxLifetimeDays: 90 } })
      const response = await call('alice', 'POST', PATH, { name: 'a', expirationOption: 'SixMonths' })
      expect(response.body).toMatchObject({ code: 'invalid_expiration_option', errors: [{ pointer: '/expirationOption' }] })
    })

    it.each([
      ['in the past', '2030-01-15T11:59:59.000Z', 'The expiration date must be in the future.'],
      ['now exactly', '2030-01-15T12:00:00.000Z', 'The expiration date must be in the future.'],
      ['beyond the cap', '2030-06-01T00:00:00.000Z', 'Keys can last at most 90 days: choose a date by Apr 15, 2030, 12:00 PM UTC.'],
      ['not a date', 'next tuesday', 'The expiration date is not a valid date.'],
      ['an impossible date', '2030-02-31T00:00:00Z', 'The expiration date is not a valid date.'],
      ['29 February of a common year', '2031-02-29T00:00:00Z', 'The expiration date is not a valid date.'],
      ['without a time zone', '2030-02-01T00:00:00', 'The expiration date must include a time zone, for example 2030-01-01T00:00:00Z.'],
      ['in year 10000 in UTC', '9999-12-31T23:00:00-14:00', 'The expiration date must fall between the years 0001 and 9999 (UTC).'],
      ['in year 10000', '+010000-01-01T00:00:00Z', 'The expiration date is not a valid date.'],
    ])('refuses a custom date %s at /expiresAt', async (_, expiresAt, detail) => {
      const { call } = setup({ policy: { maxLifetimeDays: expiresAt.startsWith('2030') ? 90 : null } })
      const response = await call('alice', 'POST', PATH, { name: 'a', expiresAt })
      expect(response.status).toBe(400)
      expect(response.body).toMatchObject({ code: 'invalid_expiration_option', detail, errors: [{ pointer: '/expiresAt', detail }] })
    })

    it('refuses a custom date when the policy does not allow custom dates', async () => {
      const { call } = setup({ policy: { allowCustomExpiration: false } })
      const response = await call('alice', 'POST', PATH, { name: 'a', expiresAt: '2030-02-01T00:00:00Z' })
      expect(response.body).toMatchObject({ code: 'invalid_expiration_option', detail: 'A custom expiration date is not allowed.' })
    })

    it('refuses both an option and a date at once', async () => {
      const { call } = setup()
      const response = await call('alice', 'POST', PATH, { name: 'a', expirationOption: 'OneMonth', expiresAt: '2030-02-01T00:00:00Z' })
      expect(response.body.code).toBe('invalid_expiration_option')
    })
  })

  describe('scopes', () => {
    const policy = { scopes: [{ id: 'read', description: 'Read' }, { id: 'write', description: 'Write' }] }

    it('keeps offered scopes, without duplicates', async () => {
      const { create } = setup({ policy })
      expect((await create('alice', { name: 'a', scopes: ['read', 'write', 'read'] })).apiKey.scopes).toEqual(['read', 'write'])
    })

    it.each([[['admin']], ['read'], [[1]]])('refuses scopes %j at /scopes', async (scopes) => {
      const { call } = setup({ policy })
      const response = await call('alice', 'POST', PATH, { name: 'a', scopes })
      expect(response.status).toBe(400)
      expect(response.body).toMatchObject({ code: 'validation_failed', errors: [{ pointer: '/scopes' }] })
    })
  })

  describe('request body', () => {
    it.each([['{"name": '], ['not json'], ['{"name":"a",}']])('answers 400 invalid_json to %j', async (body) => {
      const { call } = setup()
      const response = await call('alice', 'POST', PATH, body)
      expect(response.status).toBe(400)
      expect(response.body.code).toBe('invalid_json')
    })

    it.each([['[]'], ['"name"'], ['null'], ['7']])('answers 400 validation_failed to the non-object %s', async (body) => {
      const { call } = setup()
      const response = await call('alice', 'POST', PATH, body)
      expect(response.status).toBe(400)
      expect(response.body.code).toBe('validation_failed')
    })

    it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['multipart/form-data; boundary=x'], [undefined]])(
      'answers 415 to a body sent as %s, on create, rename and rotate, and stores nothing',
      async (type) => {
        const { app, create, store } = setup()
        const { apiKey } = await create('alice', { name: 'kept' })
        for (const [method, path] of [['POST', PATH], ['PATCH', `${PATH}/${apiKey.id}`], ['POST', `${PATH}/${apiKey.id}/rotate`]] as const) {
          const headers: Record<string, string> = { Authorization: 'Bearer session-alice' }
          if (type !== undefined) headers['Content-Type'] = type
          const response = await app.fetch(new Request(`http://test${path}`, { method, headers, body: '{"name":"x"}' }))
          expect(response.status, `${method} ${path}`).toBe(415)
          expect((await response.json()).code).toBe('unsupported_media_type')
        }
        expect(store.snapshot().keys).toEqual([expect.objectContaining({ name: 'kept', revokedAt: null })])
      },
    )

    it('accepts JSON media types with parameters and +json suffixes', async () => {
      const { app } = setup()
      for (const type of ['application/json; charset=utf-8', 'Application/JSON', 'application/merge-patch+json']) {
        const response = await app.fetch(
          new Request(`http://test${PATH}`, { method: 'POST', headers: { Authorization: 'Bearer session-alice', 'Content-Type': type }, body: JSON.stringify({ name: type }) }),
        )
        expect(response.status, type).toBe(201)
      }
    })

    it('refuses a body over 64 kB with 413 before reading it whole, with or without Content-Length', async () => {
      const { app, store } = setup()
      let pulled = 0
      const chunk = new Uint8Array(16 * 1024).fill(0x20)
      // 50 MB offered as a stream without a length; the server must stop pulling soon after 64 kB.
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled += chunk.length
          if (pulled > 50 * 1024 * 1024) controller.close()
          else controller.enqueue(chunk)
        },
      })
      const streamed = await app.fetch(
        new Request(`http://test${PATH}`, {
          method: 'POST',
          headers: { Authorization: 'Bearer session-alice', 'Content-Type': 'application/json' },
          body: endless,
          duplex: 'half',
        } as RequestInit),
      )
      expect(streamed.status).toBe(413)
      expect((await streamed.json()).code).toBe('body_too_large')
      expect(pulled).toBeLessThan(256 * 1024)
      const declared = await app.fetch(
        new Request(`http://test${PATH}`, {
          method: 'POST',
          headers: { Authorization: 'Bearer session-alice', 'Content-Type': 'application/json', 'Content-Length': String(50 * 1024 * 1024) },
          body: '{}',
        }),
      )
      expect(declared.status).toBe(413)
      expect(store.snapshot().keys).toEqual([])
    })
  })

  describe('Idempotency-Key', () => {
    it('never creates a second key for the same key, and says the secret was shown once', async () => {
      const { call, store } = setup()
      const headers = { 'Idempotency-Key': 'submit-1' }
      const first = await call('alice', 'POST', PATH, { name: 'once' }, headers)
      expect(first.status).toBe(201)
      const replay = await call('alice', 'POST', PATH, { name: 'once' }, headers)
      expect(replay.status).toBe(409)
      expect(replay.body).toMatchObject({ code: 'idempotency_key_reused', apiKeyId: first.body.data.apiKey.id })
      expect(replay.body.detail).toMatch(/shown once/)
      expect(JSON.stringify(replay.body)).not.toContain(first.body.data.token)
      expect(store.snapshot().keys).toHaveLength(1)
    })

    it('answers a concurrent duplicate with one key created', async () => {
      const { call, store } = setup()
      const headers = { 'Idempotency-Key': 'double-click' }
      const answers = await Promise.all([
        call('alice', 'POST', PATH, { name: 'a' }, headers),
        call('alice', 'POST', PATH, { name: 'a' }, headers),
      ])
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409])
      expect(store.snapshot().keys).toHaveLength(1)
    })

    it('is scoped per user', async () => {
      const { call } = setup()
      const headers = { 'Idempotency-Key': 'same' }
      expect((await call('alice', 'POST', PATH, { name: 'a' }, headers)).status).toBe(201)
      expect((await call('bob', 'POST', PATH, { name: 'a' }, headers)).status).toBe(201)
    })

    it('does not remember a request that failed, so it can be retried', async () => {
      const { call } = setup()
      const headers = { 'Idempotency-Key': 'retry-me' }
      expect((await call('alice', 'POST', PATH, { name: '' }, headers)).status).toBe(400)
      expect((await call('alice', 'POST', PATH, { name: 'fixed' }, headers)).status).toBe(201)
    })

    it('forgets a key after 24 hours', async () => {
      const { call, clock, store } = setup()
      const headers = { 'Idempotency-Key': 'old' }
      await call('alice', 'POST', PATH, { name: 'a' }, headers)
      clock.advance(DAY + 1)
      expect((await call('alice', 'POST', PATH, { name: 'b' }, headers)).status).toBe(201)
      expect(store.snapshot().idempotencyRecords).toHaveLength(1)
    })

    it('refuses a malformed key', async () => {
      const { call } = setup()
      const response = await call('alice', 'POST', PATH, { name: 'a' }, { 'Idempotency-Key': 'x'.repeat(256) })
      expect(response.status).toBe(400)
      expect(response.body.code).toBe('validation_failed')
    })
  })

  it('refuses a key beyond maxActiveKeys with 409 token_limit_reached, and counts only active keys', async () => {
    const { call, create } = setup({ maxActiveKeys: 2 })
    const first = await create('alice', { name: 'a' })
    await create('alice', { name: 'b' })
    const refused = await call('alice', 'POST', PATH, { name: 'c' })
    expect(refused.status).toBe(409)
    expect(refused.body.code).toBe('token_limit_reached')
    await call('alice', 'DELETE', `${PATH}/${first.apiKey.id}`)
    expect((await call('alice', 'POST', PATH, { name: 'c' })).status).toBe(201)
    expect((await call('bob', 'POST', PATH, { name: 'a' })).status).toBe(201)
  })
})

describe('GET /v1/personal-access-tokens/policy', () => {
  it('answers the default policy', async () => {
    const { call } = setup()
    const response = await call('alice', 'GET', `${PATH}/policy`)
    expect(response.status).toBe(200)
    expect(response.body).toEqual({
      data: {
        expirationOptions: ['TwoWeeks', 'OneMonth', 'ThreeMonths', 'SixMonths', 'OneYear', 'Never'],
        defaultExpiration: 'OneMonth',
        allowCustomExpiration: true,
        maxLifetimeDays: null,
        scopes: [],
        nameMaxLength: 256,
        descriptionMaxLength: 500,
        gracePeriodOptions: ['None', 'OneHour', 'OneDay', 'SevenDays'],
      },
    })
  })

  it('merges a partial policy and never shows the enabled switch', async () => {
    const { call } = setup({ policy: { enabled: true, expirationOptions: ['TwoWeeks', 'ThreeMonths'], maxLifetimeDays: 100 } })
    const { data } = (await call('alice', 'GET', `${PATH}/policy`)).body
    expect(data).toMatchObject({ expirationOptions: ['TwoWeeks', 'ThreeMonths'], defaultExpiration: 'TwoWeeks', maxLifetimeDays: 100 })
    expect(data).not.toHaveProperty('enabled')
  })

  it('refuses an impossible policy at startup', () => {
    expect(() => setup({ policy: { defaultExpiration: 'Never', maxLifetimeDays: 30 } })).toThrow(/defaultExpiration/)
    expect(() => setup({ policy: { expirationOptions: [] } })).toThrow(/expirationOptions/)
    expect(() => setup({ policy: { gracePeriodOptions: ['OneDay'] } })).toThrow(/gracePeriodOptions must include None/)
    expect(() => setup({ policy: { gracePeriodOptions: ['None', 'Fortnight' as never] } })).toThrow(/gracePeriodOptions: unknown option "Fortnight"/)
    expect(() => setup({ policy: { descriptionMaxLength: 0 } })).toThrow(/descriptionMaxLength/)
    expect(() => setup({ organizations: { maxActiveKeys: 0 } })).toThrow(/organizations.maxActiveKeys/)
    expect(() => setup({ organizations: { policy: { defaultExpiration: 'Never', maxLifetimeDays: 30 } } })).toThrow(/defaultExpiration/)
  })

  it('turns off personal keys with enabled: false, and only them', async () => {
    const { call } = setup({ policy: { enabled: false } })
    expect((await call('alice', 'GET', `${PATH}/policy`)).body.code).toBe('personal_api_keys_disabled')
    expect((await call('alice', 'GET', '/v1/organizations/acme/api-keys/policy')).status).toBe(200)
  })

  it('offers grace periods shortest first, whatever order the app lists them in', async () => {
    const { call } = setup({ policy: { gracePeriodOptions: ['SevenDays', 'None', 'OneHour'] } })
    expect((await call('alice', 'GET', `${PATH}/policy`)).body.data.gracePeriodOptions).toEqual(['None', 'OneHour', 'SevenDays'])
  })
})

describe('descriptions', () => {
  it('keeps a description with its line breaks, as \\n, trimmed and in NFC', async () => {
    const { create } = setup()
    const { apiKey } = await create('alice', { name: 'a', description: '  Used by:\r\n  the nightly cafe\u0301 job\rOwner: ops  ' })
    expect(apiKey.description).toBe('Used by:\n  the nightly café job\nOwner: ops')
  })

  it.each([[undefined], [null], [''], ['  \n  ']])('stores no description for %j', async (description) => {
    const { create } = setup()
    expect((await create('alice', { name: 'a', description })).apiKey.description).toBeNull()
  })

  it.each([
    ['too long', 'x'.repeat(501), 'The description must be at most 500 characters.'],
    ['with a tab', 'a\tb', 'The description cannot contain tabs or invisible, control or formatting characters.'],
    ['with a zero-width space', 'a\u200bb', 'The description cannot contain tabs or invisible, control or formatting characters.'],
    ['with a right-to-left override', 'gnp.\u202eexe', 'The description cannot contain tabs or invisible, control or formatting characters.'],
    ['with a line separator', 'a\u2028b', 'The description cannot contain tabs or invisible, control or formatting characters.'],
    ['with a lone surrogate', 'a\ud800', 'The description contains a broken character.'],
    ['a number', 5, 'The description must be text.'],
  ])('refuses a description %s with 400 at /description', async (_, description, detail) => {
    const { call, store } = setup()
    const response = await call('alice', 'POST', PATH, { name: 'a', description })
    expect(response.status).toBe(400)
    expect(response.body).toMatchObject({ code: 'validation_failed', errors: [{ pointer: '/description', detail }] })
    expect(store.snapshot().keys).toHaveLength(0)
  })

  it('counts the limit in characters, a line break as one, at the policy’s length', async () => {
    const { call } = setup({ policy: { descriptionMaxLength: 5 } })
    expect((await call('alice', 'POST', PATH, { name: 'a', description: '😀\r\n😀😀😀' })).status).toBe(201)
    expect((await call('alice', 'POST', PATH, { name: 'b', description: '😀\n😀😀😀😀' })).status).toBe(400)
  })

  it('finds keys by their description as by their name', async () => {
    const { call, create } = setup()
    await create('alice', { name: 'CI', description: 'Deploys the Billing service' })
    await create('alice', { name: 'billing export' })
    await create('alice', { name: 'other', description: 'nothing to see' })
    const found = await call('alice', 'GET', `${PATH}?q=BILLING`)
    expect(found.body.items.map((key: { name: string }) => key.name).sort()).toEqual(['CI', 'billing export'])
    expect(found.body.facets.status.active).toBe(2)
  })
})
