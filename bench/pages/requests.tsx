/**
 * The three components on one page against the reference server running in the page (memory store,
 * real HTTP client): which requests they make, and whether a revoke shows before the server answers.
 */
import { createRoot } from 'react-dom/client'
import { useState } from 'react'
import { AuthFrontendApisProvider } from '../../src/index.ts'
import { CreatePersonalApiKey } from '../../src/components/CreatePersonalApiKey.tsx'
import { TokenList } from '../../src/components/TokenList.tsx'
import { RevokeDialog } from '../../src/components/RevokeDialog.tsx'
import { RotateDialog } from '../../src/components/RotateDialog.tsx'
import { createHttpClient, type PersonalApiKey } from '../../src/client/index.ts'
import { createDemoBackend } from '../../stories/support/backend.ts'

const backend = createDemoBackend()
const log: string[] = []
let held: Promise<void> | null = null
let releaseHeld = () => {}
let revokeAnswered = false

const client = createHttpClient({
  baseUrl: 'https://api.patkit.test',
  fetch: async (request) => {
    const path = new URL(request.url).pathname
    log.push(`${request.method} ${path}`)
    if (request.method === 'DELETE' && held) {
      await held
      const response = await backend.server.fetch(request)
      revokeAnswered = true
      return response
    }
    return backend.server.fetch(request)
  },
})

let open: { revoke: (key: PersonalApiKey | null) => void; rotate: (key: PersonalApiKey | null) => void } | null = null

function Page() {
  const [revokeTarget, setRevokeTarget] = useState<PersonalApiKey | null>(null)
  const [rotateTarget, setRotateTarget] = useState<PersonalApiKey | null>(null)
  open = { revoke: setRevokeTarget, rotate: setRotateTarget }
  return (
    <AuthFrontendApisProvider client={client}>
      <CreatePersonalApiKey />
      <TokenList />
      {revokeTarget && <RevokeDialog apiKey={revokeTarget} isOpen onOpenChange={(isOpen) => !isOpen && setRevokeTarget(null)} />}
      {rotateTarget && <RotateDialog apiKey={rotateTarget} isOpen onOpenChange={(isOpen) => !isOpen && setRotateTarget(null)} />}
    </AuthFrontendApisProvider>
  )
}

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve))
const rowOf = (name: string) =>
  [...document.querySelectorAll<HTMLElement>('[role=row][data-status]')].find((row) => row.textContent?.includes(name)) ?? null

const bench = {
  async start() {
    await backend.seed(20)
    createRoot(document.getElementById('root')!).render(<Page />)
  },
  counts() {
    const count = (method: string, pattern: RegExp) => log.filter((line) => line.startsWith(`${method} `) && pattern.test(line.slice(method.length + 1))).length
    return {
      list: count('GET', /^\/v1\/personal-access-tokens$/),
      policy: count('GET', /\/policy$/),
      create: count('POST', /^\/v1\/personal-access-tokens$/),
      revoke: count('DELETE', /./),
      rotate: count('POST', /\/rotate$/),
      all: [...log],
    }
  },
  async firstActiveKey(offset: number): Promise<PersonalApiKey> {
    const response = await client.fetchPersonalApiKeys({ status: 'active', limit: offset + 1 })
    log.pop() // this look-up is the bench's, not the page's
    if (!response.ok) throw new Error(response.error.userFacingError)
    return response.data.items[offset]!
  },
  openRevoke: (key: PersonalApiKey) => open!.revoke(key),
  openRotate: (key: PersonalApiKey) => open!.rotate(key),
  /** Confirms the open revoke dialog with the server's answer held back; counts frames until the row shows revoked. */
  async revokeOptimistically(name: string) {
    held = new Promise((resolve) => (releaseHeld = resolve))
    revokeAnswered = false
    const button = [...document.querySelectorAll<HTMLButtonElement>('[role=alertdialog] button')].find((b) => b.textContent === 'Revoke key')
    if (!button) throw new Error('bench: no "Revoke key" button')
    const t0 = performance.now()
    button.click()
    let frames = 0
    while (rowOf(name)?.dataset.status !== 'revoked' && frames < 600) {
      await frame()
      frames++
    }
    const shownAfterMs = performance.now() - t0
    const answeredBeforeShown = revokeAnswered
    releaseHeld()
    held = null
    return { frames, shownAfterMs, answeredBeforeShown, shown: rowOf(name)?.dataset.status === 'revoked' }
  },
}

Object.assign(window, { bench })
