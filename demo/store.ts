/** Where the demo keeps its keys. */
import { memoryStore, type KeyStore } from 'patkit/server'

export interface DemoStore {
  store: KeyStore
  /** For the start-up message. */
  description: string
  close(): Promise<void>
}

export async function openDemoStore(): Promise<DemoStore> {
  return { store: memoryStore(), description: 'memory (gone when the server stops)', close: async () => {} }
}
