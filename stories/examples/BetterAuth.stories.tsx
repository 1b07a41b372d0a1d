import { apiKeyClient } from '@better-auth/api-key/client'
import type { Decorator, Meta, StoryObj } from '@storybook/react-vite'
import { createAuthClient } from 'better-auth/client'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import starterTheme from '../../src/styles.css?inline'
import { createBetterAuthApis } from '../../src/better-auth/index.ts'
import { forOrganization, type AuthFrontendApis } from '../../src/client/index.ts'
import { CreatePersonalApiKey, TokenList } from '../../src/components/index.ts'
import { AuthFrontendApisProvider } from '../../src/react/index.ts'
import { failFastQueryClient } from '../support/backend.ts'

/**
 * The components on a running Better Auth: `createBetterAuthApis(authClient)` over Better Auth's
 * API-key plugin, served by the Storybook dev server itself (test/better-auth/vite-plugin.ts mounts
 * `betterAuth({ plugins: [apiKey(), organization()] })` on an embedded PGlite). Each story signs a
 * new user up with email and password, seeds a few keys through the adapter, and renders with the
 * real session cookie. Capabilities come from the adapter: no scopes and no descriptions (Better Auth
 * lets only the server set them), rotation emulated.
 *
 * Needs the dev server (`npm run storybook`, or the Storybook tests); a static build has no Better Auth.
 */

interface Loaded {
  api: AuthFrontendApis
  organizationId: string
}

const SEEDED = ['Deploy bot', 'Nightly export', 'Laptop CLI']

async function signUpAndSeed(): Promise<Loaded> {
  // The first request starts Better Auth and its database (migrations included); without the dev server, say so plainly.
  const ok = await fetch('/api/auth/ok')
  if (!ok.ok) throw new Error(`Better Auth is not running here (${ok.status}): this story needs the Storybook dev server`)
  const authClient = createAuthClient({ baseURL: location.origin, plugins: [apiKeyClient()] })
  await authClient.signOut()
  const signedUp = await authClient.signUp.email({ email: `story-${crypto.randomUUID()}@example.com`, password: 'correct horse battery', name: 'Story user' })
  if (signedUp.error) throw new Error(`Better Auth refused the sign-up: ${signedUp.error.status} ${signedUp.error.message}`)
  const api = createBetterAuthApis(authClient, { organizations: { configId: 'organization' } })
  // The organization is created by its owner, through Better Auth's own route.
  const response = await fetch('/api/auth/organization/create', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Acme', slug: `acme-${crypto.randomUUID()}` }),
  })
  if (!response.ok) throw new Error(`Better Auth refused the organization: ${response.status}`)
  const { id: organizationId } = (await response.json()) as { id: string }
  for (const name of SEEDED) {
    const created = await api.createPersonalApiKey({ name, expiration: 'OneMonth' })
    if (!created.ok) throw new Error(`seeding failed: ${created.error.userFacingError}`)
  }
  const revoked = (await api.fetchPersonalApiKeys({ q: 'Laptop' })).data?.items[0]
  if (revoked) await api.revokePersonalApiKey(revoked.id)
  await api.createOrgApiKey!(organizationId, { name: 'Acme CI', expiration: 'ThreeMonths' })
  return { api, organizationId }
}

const onBetterAuth = (owner: 'user' | 'organization'): Decorator =>
  function OnBetterAuth(Story, { loaded }) {
    const { api, organizationId } = loaded as Loaded
    return (
      <AuthFrontendApisProvider client={owner === 'user' ? api : forOrganization(api, organizationId)} queryClient={failFastQueryClient()}>
        <style>{starterTheme}</style>
        <main style={{ maxWidth: 960, margin: '0 auto', padding: 24 }}>
          <h1>{owner === 'user' ? 'Your API keys' : 'Acme’s API keys'}</h1>
          <Story />
        </main>
      </AuthFrontendApisProvider>
    )
  }

const meta: Meta = {
  title: 'Examples/Better Auth',
  // The static Storybook has no server: its test skips stories tagged dev-server.
  tags: ['dev-server'],
  loaders: [signUpAndSeed],
  parameters: { layout: 'fullscreen' },
  render: () => (
    <>
      <CreatePersonalApiKey />
      <TokenList />
    </>
  ),
}
export default meta
type Story = StoryObj

const keyRows = (canvasElement: HTMLElement) => within(canvasElement).queryAllByRole('row').filter((row) => row.hasAttribute('data-status'))

/** A user's keys on Better Auth: the seeded keys listed (one revoked, kept as Better Auth disables it), then a new one created and revealed once. */
export const PersonalKeys: Story = {
  decorators: [onBetterAuth('user')],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(keyRows(canvasElement)).toHaveLength(3), { timeout: 15_000 })
    await expect(canvas.getByRole('row', { name: /Laptop CLI/ }).querySelector('[data-column="status"]')).toHaveTextContent('Revoked')
    await userEvent.type(canvas.getByRole('textbox', { name: /^Name/ }), 'Release pipeline')
    await userEvent.click(canvas.getByRole('button', { name: 'Create key' }))
    const field = await canvas.findByRole<HTMLInputElement>('textbox', { name: /Your new API key/ }, { timeout: 15_000 })
    await expect(field.value.length).toBeGreaterThan(16)
  },
}

/** An organization's keys on Better Auth, through `forOrganization`: the organization plugin decides who may manage them. */
export const OrganizationKeys: Story = {
  decorators: [onBetterAuth('organization')],
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(keyRows(canvasElement)).toHaveLength(1), { timeout: 15_000 })
    await expect(within(canvasElement).getByRole('row', { name: /Acme CI/ })).toBeInTheDocument()
  },
}
