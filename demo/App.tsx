import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { Button } from 'react-aria-components'
import { AuthFrontendApisProvider, CreatePersonalApiKey, TokenList, createPatkitQueryClient } from 'patkit'
import { createHttpClient, resolveCapabilities, type AuthFrontendApis } from 'patkit/client'
import { createBetterAuthApis } from 'patkit/better-auth'
import { createAuthClient } from 'better-auth/client'
import { apiKeyClient } from '@better-auth/api-key/client'
import { SignIn, type DemoAccount } from './SignIn.tsx'
import { TryYourKey } from './TryYourKey.tsx'

// Types only: erased from the page, which loads no server code.
import type { DemoBackend, DemoOrganization } from './auth.ts'

interface Session {
  user: { id: string; name: string; email: string } | null
  organizations: DemoOrganization[]
  backend: DemoBackend
  accounts: DemoAccount[]
  password: string
}

/** The roles patkit/server lets manage an organization's keys (its default `manageRoles`). */
const MANAGING_ROLES = new Set(['owner', 'admin'])

/**
 * The keys' client for the backend the server runs (PATKIT_DEMO_BACKEND): patkit/server's REST
 * contract, or Better Auth's API-key plugin through patkit/better-auth. Either way the session is
 * Better Auth's HttpOnly cookie, so requests carry credentials instead of a bearer token.
 */
function keysClient(backend: DemoBackend): AuthFrontendApis {
  if (backend === 'reference') return createHttpClient({ baseUrl: '/api', credentials: 'include' })
  const authClient = createAuthClient({ baseURL: `${window.location.origin}/api/auth`, plugins: [apiKeyClient()] })
  return createBetterAuthApis(authClient)
}

async function readSession(): Promise<Session> {
  const response = await fetch('/demo/session', { credentials: 'same-origin', cache: 'no-store' })
  if (!response.ok) throw new Error(`/demo/session answered ${response.status}`)
  return (await response.json()) as Session
}

export function App() {
  const [session, setSession] = useState<Session | undefined>(undefined)
  const [sessionError, setSessionError] = useState<string | null>(null)
  const headingRef = useRef<HTMLHeadingElement>(null)

  const refresh = useCallback(async (moveFocus = false) => {
    setSessionError(null)
    try {
      setSession(await readSession())
      // The sign-in form or the Sign out button that had focus is gone: start again at the top.
      if (moveFocus) headingRef.current?.focus()
    } catch {
      setSessionError('Could not reach the demo server.')
    }
  }, [])

  useEffect(() => void refresh(), [refresh])

  const signOut = async () => {
    setSessionError(null)
    const response = await fetch('/api/auth/sign-out', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
      credentials: 'same-origin',
    }).catch(() => null)
    if (!response?.ok) {
      setSessionError('Signing out failed. Is the demo server running?')
      return
    }
    await refresh(true)
  }

  const user = session?.user
  return (
    <>
      <header className="page-header">
        <p className="brand">patkit demo</p>
        <nav aria-label="Session" className="session">
          {session === undefined ? null : user ? (
            <>
              <p>
                Signed in as <strong>{user.name}</strong> ({user.email})
              </p>
              <Button className="button secondary" onPress={() => void signOut()}>
                Sign out
              </Button>
            </>
          ) : (
            <p>Signed out</p>
          )}
          {session && (
            <p className="hint" data-testid="backend">
              Backend: {session.backend === 'reference' ? 'patkit/server' : 'Better Auth API keys'}
            </p>
          )}
        </nav>
      </header>
      <main>
        <h1 ref={headingRef} tabIndex={-1}>
          API keys
        </h1>
        <p className="lead">
          Keys let scripts and tools act as you, or as your organization. Each key is shown once, when it is created or rotated;
          store it in a password manager or secret store.
        </p>
        {sessionError && (
          <p role="alert" className="error">
            {sessionError}
          </p>
        )}
        {session && !user && <SignIn accounts={session.accounts} password={session.password} onSignedIn={() => void refresh(true)} />}
        {session && (
          // Remounting per user drops any component state (an open reveal, a typed name) and cached keys of the last one.
          <Keys key={user?.id ?? 'signed-out'} session={session} />
        )}
        {session?.backend === 'better-auth' ? <TryYourKey scope="projects:read" everyKeyHasScope /> : <TryYourKey />}
      </main>
    </>
  )
}

function Keys({ session }: { session: Session }) {
  const api = useMemo(() => keysClient(session.backend), [session.backend])
  // One cache for every owner: patkit keys each owner's lists apart (personalApiKeyKeys, organizationApiKeyKeys).
  const [queryClient] = useState(createPatkitQueryClient)
  // "My keys" or one of the user's organizations; offered where the backend has organization keys.
  const [ownerId, setOwnerId] = useState<string | null>(null)
  const organizations = resolveCapabilities(api).organizations ? session.organizations : []
  const organization = organizations.find((org) => org.id === ownerId) ?? null
  // A plain member may list the organization's keys, not change them: the components say so up front
  // (one sentence, no form, row actions off) rather than offering what the server would refuse.
  const canManage = organization === null || MANAGING_ROLES.has(organization.role)

  return (
    <>
      {organizations.length > 0 && (
        <fieldset className="owner-switch">
          <legend>Whose keys</legend>
          {[{ id: null, label: 'My keys' }, ...organizations.map((org) => ({ id: org.id, label: `${org.name} (${org.role})` }))].map((choice) => (
            <label key={choice.id ?? 'me'}>
              <input type="radio" name="owner" checked={ownerId === choice.id} onChange={() => setOwnerId(choice.id)} />
              {choice.label}
            </label>
          ))}
        </fieldset>
      )}
      <AuthFrontendApisProvider client={api} queryClient={queryClient} organization={organization ? { id: organization.id, canManage } : undefined}>
        {/* A fresh section per owner: a half-typed name or open dialog belongs to the keys it was for. */}
        <KeysSection key={organization?.id ?? 'me'} organization={organization} canManage={canManage} />
      </AuthFrontendApisProvider>
    </>
  )
}

function KeysSection({ organization, canManage }: { organization: DemoOrganization | null; canManage: boolean }) {
  const createRef = useRef<HTMLDivElement>(null)
  // The empty list's "Create a key" button leads to the form above it.
  const focusCreateForm = () => createRef.current?.querySelector<HTMLInputElement>('input')?.focus()
  return (
    <>
      {/* A read-only member gets no form: the list above its keys carries the one sentence that says why. */}
      {canManage && (
        // The components bring their own card styling from patkit/styles.css.
        <section aria-label="Create a key" className="component">
          <CreatePersonalApiKey ref={createRef} />
        </section>
      )}
      <section aria-labelledby="keys-heading" className="component">
        <h2 id="keys-heading">{organization ? `${organization.name}’s API keys` : 'Your keys'}</h2>
        <TokenList onCreateRequest={canManage ? focusCreateForm : undefined} />
      </section>
    </>
  )
}
