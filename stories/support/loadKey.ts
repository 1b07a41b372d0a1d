import type { Loader } from '@storybook/react-vite'
import type { PersonalApiKey } from '../../src/client/index.ts'
import type { DemoBackendOptions } from './backend.ts'
import { loadBackend, type LoadedBackend } from './withBackend.tsx'

export interface LoadedKey extends LoadedBackend {
  apiKey: PersonalApiKey
  /** The key's plaintext token, for play functions that check it works (or no longer does). */
  token: string
}

/**
 * `loadBackend` plus one key, created through the API and used once (so it has a "last used"), as
 * the list would show it. For stories of components that act on a single key.
 */
export function loadKey(name: string, options: DemoBackendOptions = {}) {
  const loadBase = loadBackend(options)
  // `context: unknown`: a loader typed for one component's args could not sit in another's meta.
  return async (context: unknown): Promise<LoadedKey> => {
    const loaded = (await loadBase(context as Parameters<Loader>[0])) as LoadedBackend
    const { id, token } = await loaded.backend.createKey(name)
    await loaded.backend.server.fetch(new Request('https://api.patkit.test/v1/me', { headers: { Authorization: `Bearer ${token}` } }))
    const page = await loaded.backend.client.fetchPersonalApiKeys()
    const apiKey = page.ok ? page.data.items.find((item) => item.id === id) : undefined
    if (!apiKey) throw new Error(`loadKey: ${name} did not load`)
    return { ...loaded, apiKey, token }
  }
}

/** A story's `loaded` context from `loadKey`, typed. */
export const loadedKey = (loaded: Record<string, unknown>) => loaded as unknown as LoadedKey
