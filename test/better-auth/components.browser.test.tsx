import { apiKeyClient } from '@better-auth/api-key/client'
import { screen, render, waitFor, within } from '@testing-library/react'
import { createAuthClient } from 'better-auth/client'
import type { ReactNode } from 'react'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import { createBetterAuthApis } from '../../src/better-auth/index.ts'
import { forOrganization, type ApiError, type AuthFrontendApis } from '../../src/client/index.ts'
import { CreatePersonalApiKey, TokenList } from '../../src/index.ts'
import { AuthFrontendApisProvider } from '../../src/react/index.ts'
import { failFastQueryClient } from '../../stories/support/backend.ts'
import { everywhereTheTokenCouldHide } from '../components/support.tsx'

/**
 * The components on a running Better Auth (mounted on the test page's origin by vite-plugin.ts):
 * create → reveal → list → revoke, an organization's keys, and Better Auth's refusals as the person sees them.
 */
const client = () => createAuthClient({ baseURL: location.origin, plugins: [apiKeyClient()] })
const whoAmI = async (token: string) => (await fetch('/v1/me', { headers: { Authorization: `Bearer ${token}` }, credentials: 'omit' })).status

async function signUp(prefix = 'components') {
  const auth = client()
  // One page, many tests: whoever signed in last is signed out first.
  await auth.signOut()
  const result = await auth.signUp.email({ email: `${prefix}-${crypto.randomUUID()}@example.com`, password: 'correct horse battery', name: 'Browser' })
  expect(result.error).toBeNull()
  return auth
}

function renderOn(api: AuthFrontendApis, ui: ReactNode) {
  const queryClient = failFastQueryClient()
  const unauthorized: ApiError[] = []
  render(
    <AuthFrontendApisProvider client={api} queryClient={queryClient} onUnauthorized={(error) => unauthorized.push(error)}>
      <main>{ui}</main>
    </AuthFrontendApisProvider>,
  )
  return { queryClient, unauthorized }
}

const dataRows = () => screen.queryAllByRole('row').filter((row) => row.hasAttribute('data-status'))
const statusOf = (name: string) => screen.getByRole('row', { name: new RegExp(name) }).querySelector('[data-column="status"]')

async function createThroughTheForm(name: string) {
  await userEvent.type(await screen.findByRole('textbox', { name: /^Name/ }), name)
  await userEvent.click(screen.getByRole('button', { name: 'Create key' }))
  const field = await screen.findByRole<HTMLInputElement>('textbox', { name: /Your new API key/ }, { timeout: 15_000 })
  return field.value
}

async function dismissReveal() {
  await userEvent.click(screen.getByRole('checkbox', { name: 'I have saved this key' }).closest('label')!)
  await userEvent.click(screen.getByRole('button', { name: 'Done' }))
}

async function revokeThroughTheMenu(name: string) {
  await userEvent.click(await screen.findByRole('button', { name: `Actions for ${name}` }))
  await userEvent.click(await screen.findByRole('menuitem', { name: 'Revoke' }))
  const dialog = await screen.findByRole('alertdialog')
  await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }))
}

describe('the components on a running Better Auth', () => {
  // The first request starts Better Auth and its database (migrations included): seconds on a loaded machine.
  beforeAll(async () => {
    expect((await fetch('/api/auth/ok')).status).toBe(200)
  }, 60_000)
  afterEach(() => client().signOut())

  it('create → reveal → list → revoke: the token works until revoked and ends up nowhere', async () => {
    const api = createBetterAuthApis(await signUp())
    const { queryClient } = renderOn(api, (
      <>
        <CreatePersonalApiKey />
        <TokenList />
      </>
    ))
    const token = await createThroughTheForm('Deploy from Chromium')
    expect(token.length).toBeGreaterThan(16)
    expect(await whoAmI(token)).toBe(200)
    await dismissReveal()
    await waitFor(() => expect(dataRows()).toHaveLength(1), { timeout: 15_000 })
    expect(statusOf('Deploy from Chromium')).toHaveTextContent('Active')
    expect(everywhereTheTokenCouldHide(queryClient)).not.toContain(token)

    await revokeThroughTheMenu('Deploy from Chromium')
    await waitFor(() => expect(statusOf('Deploy from Chromium')).toHaveTextContent('Revoked'), { timeout: 15_000 })
    // The row says Revoked at once (optimistic); the server's answer follows.
    await expect.poll(() => whoAmI(token), { timeout: 15_000 }).toBe(401)
    // Better Auth still lists it, disabled: the adapter revokes by disabling.
    expect((await api.fetchPersonalApiKeys({ status: 'revoked' })).data?.totalCount).toBe(1)
  })

  it('an organization’s keys through forOrganization: created, listed apart from the user’s own, revoked', async () => {
    const auth = await signUp()
    // The page creates the organization as its owner, through Better Auth's own route.
    const response = await fetch('/api/auth/organization/create', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Acme', slug: `acme-${crypto.randomUUID()}` }),
    })
    expect(response.status).toBe(200)
    const { id: orgId } = (await response.json()) as { id: string }
    const api = createBetterAuthApis(auth, { organizations: { configId: 'organization' } })
    renderOn(forOrganization(api, orgId), (
      <>
        <CreatePersonalApiKey />
        <TokenList />
      </>
    ))
    const token = await createThroughTheForm('Acme CI')
    const me = (await (await fetch('/v1/me', { headers: { Authorization: `Bearer ${token}` } })).json()) as { data: { owner: unknown } }
    expect(me.data.owner).toEqual({ type: 'organization', id: orgId })
    await dismissReveal()
    await waitFor(() => expect(dataRows()).toHaveLength(1), { timeout: 15_000 })
    expect((await api.fetchPersonalApiKeys()).data?.totalCount, 'not among the user’s own keys').toBe(0)
    await revokeThroughTheMenu('Acme CI')
    await waitFor(() => expect(statusOf('Acme CI')).toHaveTextContent('Revoked'), { timeout: 15_000 })
    // The row says Revoked at once (optimistic); the server's answer follows.
    await expect.poll(() => whoAmI(token), { timeout: 15_000 }).toBe(401)
  })

  it('signed out: the list and the form say so in one sentence and offer the app’s sign-in', async () => {
    const auth = client()
    await auth.signOut()
    const { unauthorized } = renderOn(createBetterAuthApis(auth), (
      <>
        <CreatePersonalApiKey />
        <TokenList />
      </>
    ))
    const alerts = await screen.findAllByRole('alert', {}, { timeout: 15_000 })
    expect(alerts.map((alert) => alert.textContent).join(' ')).toContain('You are signed out. Sign in again to manage your API keys.')
    await waitFor(() => expect(unauthorized.length).toBeGreaterThan(0))
    const before = unauthorized.length
    await userEvent.click((await screen.findAllByRole('button', { name: 'Sign in' }))[0]!)
    expect(unauthorized.length, 'Sign in reaches the provider’s onUnauthorized').toBe(before + 1)
  })

  it('a user Better Auth refuses (403 from the app’s hook): the server’s sentence, and nothing created', async () => {
    // vite-plugin.ts lets no one whose address starts with noperm- manage keys.
    const api = createBetterAuthApis(await signUp('noperm'))
    renderOn(api, <TokenList />)
    const alert = await screen.findByRole('alert', {}, { timeout: 15_000 })
    expect(alert).toHaveTextContent('You do not have permission to manage API keys.')
    expect(dataRows()).toHaveLength(0)
  })
})
