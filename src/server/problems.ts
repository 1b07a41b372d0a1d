/** Error answers as `application/problem+json` (RFC 9457), one table of codes. */

export const PROBLEM_TYPE_BASE = 'https://patkit.dev/problems/'

const PROBLEMS = {
  validation_failed: { status: 400, title: 'Invalid request', detail: 'Some fields are not valid.' },
  invalid_json: { status: 400, title: 'Invalid JSON', detail: 'The request body is not valid JSON.' },
  invalid_expiration_option: { status: 400, title: 'Invalid expiration', detail: 'That expiration is not allowed.' },
  invalid_query: { status: 400, title: 'Invalid query', detail: 'The list parameters are not valid.' },
  invalid_cursor: { status: 400, title: 'Invalid cursor', detail: 'The page cursor is not valid. Start again from the first page.' },
  invalid_value: { status: 400, title: 'Invalid value', detail: 'A value in the request is out of range or malformed.' },
  unauthorized: { status: 401, title: 'Unauthorized', detail: 'You need to sign in.' },
  invalid_token: { status: 401, title: 'Invalid token', detail: 'The access token is missing, invalid, expired or revoked.' },
  no_personal_api_key_permission: {
    status: 403, title: 'Forbidden', detail: 'You do not have permission to manage personal API keys.',
  },
  personal_api_keys_disabled: { status: 403, title: 'Disabled', detail: 'Personal API keys are turned off.' },
  no_org_api_key_permission: {
    status: 403, title: 'Forbidden', detail: 'You do not have permission to manage this organization’s API keys.',
  },
  key_owner_not_accepted: { status: 403, title: 'Wrong kind of key', detail: 'This route does not accept this kind of API key.' },
  insufficient_scope: { status: 403, title: 'Insufficient scope', detail: 'The access token lacks a scope this request needs.' },
  api_key_not_found: { status: 404, title: 'Not found', detail: 'That API key does not exist.' },
  organization_not_found: { status: 404, title: 'Not found', detail: 'That organization does not exist, or you are not a member of it.' },
  name_taken: { status: 409, title: 'Name taken', detail: 'You already have an active key with that name.' },
  already_revoked: { status: 409, title: 'Already revoked', detail: 'That API key has been revoked.' },
  already_replaced: { status: 409, title: 'Already replaced', detail: 'That API key was already rotated. Rotate or edit its replacement instead.' },
  token_limit_reached: { status: 409, title: 'Too many keys', detail: 'You have reached the maximum number of active keys.' },
  idempotency_key_reused: {
    status: 409,
    title: 'Already created',
    detail: 'This request was already completed: the key was created and its secret was shown once. It cannot be shown again.',
  },
  idempotency_key_mismatch: {
    status: 422,
    title: 'Idempotency-Key reused',
    detail: 'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
  },
  body_too_large: { status: 413, title: 'Body too large', detail: 'The request body is too large.' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type', detail: 'Send the request body as JSON with Content-Type: application/json.' },
  rate_limited: { status: 429, title: 'Too many requests', detail: 'Too many requests. Try again shortly.' },
  not_found: { status: 404, title: 'Not found', detail: 'There is nothing at this address.' },
  internal_error: { status: 500, title: 'Internal error', detail: 'Something went wrong on our side. Try again later.' },
  service_unavailable: { status: 503, title: 'Service unavailable', detail: 'The service is briefly unavailable. Try again in a few seconds.' },
} as const satisfies Record<string, { status: number; title: string; detail: string }>

export type ProblemCode = keyof typeof PROBLEMS

export interface FieldError {
  /** JSON pointer into the request body (`/name`), or to a query parameter (`/sort`). */
  pointer: string
  detail: string
}

export interface ProblemOptions {
  detail?: string
  errors?: FieldError[]
  /** Extra members of the problem body (RFC 9457 extensions), e.g. `apiKeyId`. */
  extensions?: Record<string, unknown>
  headers?: Record<string, string>
}

/** Thrown anywhere in a request (also inside a store transaction, which then rolls back); the app answers it. */
export class ProblemError extends Error {
  readonly code: ProblemCode
  readonly options: ProblemOptions

  constructor(code: ProblemCode, options: ProblemOptions = {}) {
    super(options.detail ?? PROBLEMS[code].detail)
    this.name = 'ProblemError'
    this.code = code
    this.options = options
  }
}

/** A problem about one field (a JSON pointer into the body, or `/parameter` of the query), said on the field too. */
export function fieldProblem(code: ProblemCode, pointer: string, detail: string): ProblemError {
  return new ProblemError(code, { detail, errors: [{ pointer, detail }] })
}

export function problemResponse(code: ProblemCode, requestId: string, options: ProblemOptions = {}): Response {
  const { status, title, detail } = PROBLEMS[code]
  const body = {
    ...options.extensions,
    type: PROBLEM_TYPE_BASE + code,
    title,
    status,
    detail: options.detail ?? detail,
    code,
    requestId,
    ...(options.errors?.length ? { errors: options.errors } : {}),
  }
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...options.headers, 'Content-Type': 'application/problem+json' },
  })
}
