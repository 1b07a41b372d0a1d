/**
 * A server component: it reads the session on the server and renders patkit directly. Only plain
 * values cross to the client, so the provider gets `baseUrl` and makes the client itself.
 */
import { AuthFrontendApisProvider, CreatePersonalApiKey } from 'patkit'
import { currentUser } from '../lib/session'
import { signIn, signOut } from './actions'
import { KeyList } from './KeyList'

export default async function Page() {
  const userId = await currentUser()
  return (
    <main>
      <header>
        <h1>API keys</h1>
        <form action={userId ? signOut : signIn}>
          {userId && <span>Signed in as {userId} </span>}
          <button type="submit">{userId ? 'Sign out' : 'Sign in as Ada'}</button>
        </form>
      </header>
      {userId ? (
        <AuthFrontendApisProvider baseUrl="/api" credentials="include">
          <CreatePersonalApiKey />
          <KeyList />
        </AuthFrontendApisProvider>
      ) : (
        <p>Sign in to manage your personal API keys.</p>
      )}
    </main>
  )
}
