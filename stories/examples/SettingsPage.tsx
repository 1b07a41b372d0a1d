/**
 * An app's "API keys" settings page built from patkit's components, for the examples and the README
 * screenshots. The page chrome (heading, lead, the create dialog) is the app's; the rest is patkit.
 */
import { useState } from 'react'
import { Button, Dialog, DialogTrigger, Modal, ModalOverlay, useLocale } from 'react-aria-components'
import { CreatePersonalApiKey, TokenList } from '../../src/components/index.ts'
import type { DemoBackend } from '../support/backend.ts'

/** The app's own words (patkit's come from its catalogs). */
const PAGE: Record<string, { title: string; lead: string; create: string }> = {
  en: {
    title: 'API keys',
    lead: 'Personal API keys let scripts and integrations call the API as you. Give each one only the scopes it needs.',
    create: 'Create a key',
  },
  de: {
    title: 'API-Schlüssel',
    lead: 'Mit persönlichen API-Schlüsseln rufen Skripte und Integrationen die API in Ihrem Namen auf. Geben Sie jedem nur die nötigen Berechtigungen.',
    create: 'Schlüssel erstellen',
  },
  fr: {
    title: 'Clés d’API',
    lead: 'Les clés d’API personnelles permettent à vos scripts et intégrations d’appeler l’API en votre nom. N’accordez à chacune que le nécessaire.',
    create: 'Créer une clé',
  },
  ja: {
    title: 'API キー',
    lead: '個人用 API キーを使うと、スクリプトや連携サービスがあなたとして API を呼び出せます。各キーには必要なスコープだけを付与してください。',
    create: 'キーを作成',
  },
  ar: {
    title: 'مفاتيح API',
    lead: 'تتيح مفاتيح API الشخصية للبرامج النصية والتكاملات استدعاء واجهة API باسمك. امنح كل مفتاح النطاقات التي يحتاج إليها فقط.',
    create: 'إنشاء مفتاح',
  },
}

/** The page's own chrome, on the starter theme's custom properties (with fallbacks without it). */
export const pageCss = `
.settings-page { font-family: var(--patkit-font, system-ui, sans-serif); color: var(--patkit-color-text, #17191c); background: var(--patkit-color-bg, #fff); max-width: 72rem; padding: 1.5rem; display: grid; gap: 1.25rem; }
.settings-page header { display: flex; flex-wrap: wrap; align-items: end; justify-content: space-between; gap: 1rem; }
.settings-page h1 { margin: 0 0 0.25rem; font-size: 1.75rem; line-height: 1.2; }
.settings-page header p { margin: 0; max-width: 44rem; color: var(--patkit-color-muted, #51565e); }
.settings-page .settings-create { font: inherit; font-weight: 600; padding: 0.5rem 1rem; border-radius: var(--patkit-radius, 0.5rem); border: 1px solid var(--patkit-color-accent, #1d4ed8); background: var(--patkit-color-accent, #1d4ed8); color: var(--patkit-color-accent-text, #fff); }
.settings-page .settings-create[data-focus-visible] { outline: 2px solid var(--patkit-color-focus, #1d4ed8); outline-offset: 2px; }
.settings-overlay { position: fixed; inset: 0; z-index: 50; display: grid; place-items: center; padding: 1rem; background: var(--patkit-color-overlay, rgb(15 17 21 / 0.55)); }
.settings-overlay .react-aria-Dialog { outline: none; max-height: 90vh; overflow: auto; border-radius: var(--patkit-radius, 0.5rem); }
`

/** Realistic keys for a screenshot: a few in use, one expired, one revoked, and some older ones. */
export async function seedSettings(backend: DemoBackend) {
  await backend.seed(6, { status: 'mixed', namePrefix: 'Staging bot', scopes: ['read:projects'] })
  for (const [name, scopes] of [
    ['Nightly backup', ['read:projects']],
    ['Grafana exporter', ['read:projects']],
    ['Terraform', ['read:projects', 'write:projects']],
    ['CI deploy (GitHub Actions)', ['read:projects', 'write:projects']],
  ] as const) {
    const { token } = await backend.createKey(name, { scopes: [...scopes] })
    // Used once, so "Last used" says when.
    await backend.server.fetch(new Request('https://api.patkit.test/v1/me', { headers: { Authorization: `Bearer ${token}` } }))
  }
}

export function SettingsPage() {
  const { locale } = useLocale()
  const words = PAGE[locale.split('-')[0] ?? 'en'] ?? PAGE.en!
  const [isCreating, setCreating] = useState(false)
  return (
    <main className="settings-page">
      <header>
        <div>
          <h1>{words.title}</h1>
          <p>{words.lead}</p>
        </div>
        <DialogTrigger isOpen={isCreating} onOpenChange={setCreating}>
          <Button className="settings-create">{words.create}</Button>
          <ModalOverlay isDismissable className="settings-overlay">
            <Modal>
              {/* The form's own heading names the dialog (it takes the dialog's title slot). */}
              <Dialog>
                <CreatePersonalApiKey onDone={() => setCreating(false)} />
              </Dialog>
            </Modal>
          </ModalOverlay>
        </DialogTrigger>
      </header>
      <TokenList onCreateRequest={() => setCreating(true)} />
    </main>
  )
}
