import { useEffect, useMemo, useRef, useState } from 'react'
import { Button } from 'react-aria-components'
import { AuthFrontendApisProvider, CreatePersonalApiKey, TokenList, createPatkitQueryClient } from 'patkit'
import { createHttpClient } from 'patkit/client'
import { TryYourKey } from './TryYourKey.tsx'

// Types only: erased from the page, which loads no server code.
import type { AuthenticatedUser } from 'patkit/server'
import type { DemoUserName } from './session.ts'

const SIGN_IN_CHOICES: { name: DemoUserName; label: string; description: string }[] = [
  { name: 'alice', label: 'Sign in as Alice', description: 'may manage personal API keys' },
  { name: 'bob', label: 'Sign in as Bob', description: 'may not manage personal API keys' },
]

// The session is an HttpOnly cookie, so the client sends credentials instead of a bearer token.
const client = createHttpClient({ baseUrl: '/api', credentials: 'include' })

async function postSession(path: string, body?: unknown): Promise<AuthenticatedUser | null> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  })
  if (!response.ok) throw new Error(`${path} answered ${response.status}`)
  return ((await response.json()) as { user: AuthenticatedUser | null }).user
}

export function App() {
  const [user, setUser] = useState<AuthenticatedUser | null | undefined>(undefined)
  const [sessionError, setSessionError] = useState<string | null>(null)
  const queryClient = useMemo(() => createPatkitQueryClient(), [])

  useEffect(() => {
    fetch('/demo/session', { credentials: 'same-origin' })
      .then((response) => response.json() as Promise<{ user: AuthenticatedUser | null }>)
      .then(({ user }) => setUser(user))
      .catch(() => setSessionError('Could not reach the demo server.'))
  }, [])

  const changeSession = async (path: string, body?: unknown) => {
    setSessionError(null)
    try {
      const next = await postSession(path, body)
      // Another user's keys must not flash up from the cache.
      queryClient.clear()
      setUser(next)
    } catch {
      setSessionError('Signing in or out failed. Is the demo server running?')
    }
  }

  return (
    <>
      <header className="page-header">
        <p className="brand">patkit demo</p>
        <nav aria-label="Session" className="session">
          {user === undefined ? null : user ? (
            <p>
              Signed in as <strong>{user.userId}</strong>
            </p>
          ) : (
            <p>Signed out</p>
          )}
          <div className="session-actions">
            {SIGN_IN_CHOICES.map((choice) => (
              <Button
                key={choice.name}
                className="button secondary"
                isDisabled={user?.userId === choice.name}
                onPress={() => void changeSession('/demo/sign-in', { user: choice.name })}
              >
                {choice.label}
                <span className="hint"> ({choice.description})</span>
              </Button>
            ))}
            <Button className="button secondary" isDisabled={user === null} onPress={() => void changeSession('/demo/sign-out')}>
              Sign out
            </Button>
          </div>
        </nav>
      </header>
      <main>
        <h1>Personal API keys</h1>
        <p className="lead">
          Keys let scripts and tools act as you. Each key is shown once, when it is created or rotated; store it in a password
          manager or secret store.
        </p>
        {sessionError && (
          <p role="alert" className="error">
            {sessionError}
          </p>
        )}
        <AuthFrontendApisProvider client={client} queryClient={queryClient}>
          {/* Remounting per user drops any component state (an open reveal, a typed name) of the last one. */}
          <KeysSection key={user?.userId ?? 'signed-out'} />
        </AuthFrontendApisProvider>
        <TryYourKey />
      </main>
    </>
  )
}

function KeysSection() {
  const createRef = useRef<HTMLDivElement>(null)
  // The empty list's "Create a key" button leads to the form above it.
  const focusCreateForm = () => createRef.current?.querySelector<HTMLInputElement>('input')?.focus()
  return (
    <>
      {/* The components bring their own card styling from patkit/styles.css. */}
      <section aria-label="Create a key" className="component">
        <CreatePersonalApiKey ref={createRef} />
      </section>
      <section aria-labelledby="keys-heading" className="component">
        <h2 id="keys-heading">Your keys</h2>
        <TokenList onCreateRequest={focusCreateForm} />
      </section>
    </>
  )
}
