import { createContext, useContext, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { QueryClient, QueryClientContext } from '@tanstack/react-query'
import { createHttpClient } from '../client/http.ts'
import { forOrganization } from '../client/organizations.ts'
import type { ApiError, AuthFrontendApis, OrganizationView } from '../client/types.ts'

/** The client options a server component can pass to the provider: plain values (functions cannot cross to the client). */
export interface HttpClientSource {
  /** Where the REST contract is served, e.g. `/api`. */
  baseUrl: string
  /** `include` sends the session cookie (also cross-origin). */
  credentials?: RequestCredentials
  headers?: Record<string, string>
  timeoutMs?: number
}

/** The provider's backend: a client object, or the options from which it makes `createHttpClient(options)`. */
export type AuthFrontendApisSource =
  | ({
      /** Your backend: `createHttpClient({ baseUrl })`, or anything implementing `AuthFrontendApis`. */
      client: AuthFrontendApis
    } & { [K in keyof HttpClientSource]?: never })
  | ({ client?: never } & HttpClientSource)

export type AuthFrontendApisProviderProps = AuthFrontendApisSource & {
  /** The app's QueryClient. Default: the one from an enclosing `QueryClientProvider`, else one of patkit's own. */
  queryClient?: QueryClient
  /**
   * Manage this organization's keys instead of the signed-in user's: the components and hooks inside
   * then work on them (`forOrganization(client, id, { canManage })`, made here once per id and
   * permission). `canManage: false`: the user's role may see the keys but not change them. Plain
   * values, so a server component can pass it.
   */
  organization?: { id: string; canManage?: boolean }
  /** Called whenever any call answers 401, e.g. to send the user to sign in. */
  onUnauthorized?: (error: ApiError<'unauthorized'>) => void
  children?: ReactNode
}

interface PatkitContextValue {
  client: AuthFrontendApis
  queryClient: QueryClient
  /** The app's `onUnauthorized`, if it gave one: the components offer it as the way out of a 401 ("Sign in"). */
  onUnauthorized?: (error: ApiError<'unauthorized'>) => void
}

const PatkitContext = createContext<PatkitContextValue | null>(null)

/** Retries only what might succeed a moment later: 5xx and network failures, twice. */
function retryUnexpected(failureCount: number, error: unknown): boolean {
  const e = error as Partial<ApiError>
  return failureCount < 2 && e.kind === 'unexpectedOrUnhandled' && e.code !== 'aborted' && e.code !== 'invalid_response'
}

export function createPatkitQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: retryUnexpected, refetchOnWindowFocus: false } } })
}

const CLIENT_METHODS = [
  'createPersonalApiKey',
  'fetchPersonalApiKeys',
  'revokePersonalApiKey',
  'rotatePersonalApiKey',
  'updatePersonalApiKey',
  'fetchPersonalApiKeyPolicy',
] as const satisfies readonly (keyof AuthFrontendApis)[]

/** Reports every 401 to `onUnauthorized` without each component having to remember to. */
function reportUnauthorized(client: AuthFrontendApis, onUnauthorized: (error: ApiError<'unauthorized'>) => void): AuthFrontendApis {
  // The declared capabilities travel with the wrapper, or the components would offer everything.
  // So do the owner and its permission, or an organization's view would read as the user's own keys.
  const wrapped: Record<string, unknown> = { capabilities: client.capabilities, owner: client.owner }
  // By name, not Object.keys: an app's client may be a class whose methods live on its prototype.
  for (const name of CLIENT_METHODS) {
    const method = client[name] as (...args: unknown[]) => ReturnType<AuthFrontendApis[typeof name]>
    wrapped[name] = async (...args: unknown[]) => {
      const response = await method.apply(client, args)
      if (!response.ok && response.error.kind === 'unauthorized') onUnauthorized(response.error as ApiError<'unauthorized'>)
      return response
    }
  }
  return wrapped as unknown as AuthFrontendApis
}

/** The given client, or one made from plain props and kept while they are equal (a server sends new objects each render). */
function useSourceClient(source: AuthFrontendApisSource): AuthFrontendApis {
  const { client, baseUrl, credentials, headers, timeoutMs }: { client?: AuthFrontendApis } & Partial<HttpClientSource> = source
  const headersKey = headers ? JSON.stringify(headers) : ''
  return useMemo(() => {
    if (client) return client
    if (typeof baseUrl !== 'string') throw new Error('patkit: <AuthFrontendApisProvider> needs a client or a baseUrl')
    return createHttpClient({ baseUrl, credentials, headers, timeoutMs })
    // `headers` by value: headersKey stands for it.
  }, [client, baseUrl, credentials, headersKey, timeoutMs])
}

export function AuthFrontendApisProvider({ queryClient, onUnauthorized, organization, children, ...source }: AuthFrontendApisProviderProps) {
  const sourceClient = useSourceClient(source)
  const orgId = organization?.id
  const canManage = organization?.canManage
  // By value: `organization={{ id }}` written inline is a new object on every render.
  const client = useMemo(
    () => (orgId === undefined ? sourceClient : forOrganization(sourceClient, orgId, { canManage })),
    [sourceClient, orgId, canManage],
  )
  const ambient = useContext(QueryClientContext)
  const [own] = useState(() => (queryClient || ambient ? null : createPatkitQueryClient()))
  const resolvedQueryClient = queryClient ?? ambient ?? own!
  // The latest callback, read when a 401 arrives: an inline `onUnauthorized={() => …}` is a new function
  // on every render, and must not make a new client (and re-render every patkit component) each time.
  const latestOnUnauthorized = useRef(onUnauthorized)
  useLayoutEffect(() => {
    latestOnUnauthorized.current = onUnauthorized
  })
  const reports = onUnauthorized !== undefined
  const value = useMemo<PatkitContextValue>(() => {
    const report = reports ? (error: ApiError<'unauthorized'>) => latestOnUnauthorized.current?.(error) : undefined
    return { client: report ? reportUnauthorized(client, report) : client, queryClient: resolvedQueryClient, onUnauthorized: report }
  }, [client, reports, resolvedQueryClient])
  return <PatkitContext.Provider value={value}>{children}</PatkitContext.Provider>
}

export interface PatkitHookOptions {
  /** Use this client instead of the provider's (then no provider is needed). */
  client?: AuthFrontendApis
  queryClient?: QueryClient
}

/** The client and QueryClient for a hook or component; `consumer` names it in the error when the provider is missing. */
export function usePatkitContext(consumer: string, options: PatkitHookOptions = {}): PatkitContextValue {
  const context = useContext(PatkitContext)
  const ambient = useContext(QueryClientContext)
  const client = options.client ?? context?.client
  const queryClient = options.queryClient ?? context?.queryClient ?? ambient
  if (!client || !queryClient) {
    throw new Error(`patkit: ${consumer} must be inside <AuthFrontendApisProvider>`)
  }
  return { client, queryClient, onUnauthorized: context?.onUnauthorized }
}

/** The client of the nearest `<AuthFrontendApisProvider>` (PropelAuth-style). */
export function useAuthFrontendApis(): AuthFrontendApis {
  return usePatkitContext('useAuthFrontendApis()').client
}

/**
 * The organization whose keys the provider's client manages (`forOrganization`), or `undefined` for the
 * user's own keys and outside a provider: how the components choose their wording and whether to offer actions.
 */
export function useKeyOwner(): OrganizationView | undefined {
  return useContext(PatkitContext)?.client.owner
}
