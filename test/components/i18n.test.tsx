import type { ReactElement } from 'react'
import { describe, expect, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import { screen, waitFor, within } from '@testing-library/react'
import { I18nProvider } from 'react-aria-components'
import { CreatePersonalApiKey } from '../../src/components/CreatePersonalApiKey.tsx'
import { RevokeDialog } from '../../src/components/RevokeDialog.tsx'
import { RotateDialog } from '../../src/components/RotateDialog.tsx'
import { TokenList } from '../../src/components/TokenList.tsx'
import { TokenReveal } from '../../src/components/TokenReveal.tsx'
import { PatkitLocalesProvider, type MessageKey, type PatkitMessages } from '../../src/components/messages.tsx'
// English whole (what loads with the page and what loads later), as patkit/locales exports it.
import { en, patkitLocales } from '../../src/locales.ts'
import type { PersonalApiKey } from '../../src/client/index.ts'
import { createDemoBackend, type DemoBackend } from '../../stories/support/backend.ts'
import { renderWithBackend } from './support.tsx'

/** The shipped languages and the locale each is tested in. */
const LOCALES = { en: 'en-US', de: 'de-DE', fr: 'fr-FR', ja: 'ja-JP', ar: 'ar-EG' } as const
type Language = keyof typeof LOCALES
const LANGUAGES = Object.keys(LOCALES) as Language[]
const TRANSLATED = LANGUAGES.filter((language) => language !== 'en')

/** What the test renders with: English built in, the rest as an app registers them from `patkit/locales`. */
const catalogs: Record<string, Partial<PatkitMessages>> = { en, ...patkitLocales }

const TOKEN = 'pat_EXAMPLEexampleEXAMPLEexample0000FAKE00'
const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort()

/** A message as the given language's catalog has it, with placeholders left in. */
const message = (language: Language, key: MessageKey) => ({ ...en, ...catalogs[language] })[key]

/** Everything a user can see or hear: the text (visually hidden announcers too) and the accessible labels. */
function everythingRendered(): string {
  const parts = [document.body.textContent ?? '']
  for (const element of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
    for (const attribute of ['aria-label', 'title', 'placeholder']) parts.push(element.getAttribute(attribute) ?? '')
  }
  return parts.join('\n')
}

/**
 * English catalog text on screen in another language: each English message the language does not
 * itself use (French "Actions" is French too), cut at its placeholders, fragments with a word in them.
 */
function englishLeaks(language: Language): string[] {
  const own = new Set(Object.values(catalogs[language] ?? {}))
  const rendered = everythingRendered()
  return Object.entries(en)
    .filter(([, english]) => !own.has(english))
    .flatMap(([key, english]) =>
      english
        .split(/\{\w+\}/)
        .map((fragment) => fragment.trim())
        .filter((fragment) => /\p{L}{3}/u.test(fragment) && fragment.length > 3 && rendered.includes(fragment))
        .map((fragment) => `${key}: “${fragment}”`),
    )
}

async function keyFor(backend: DemoBackend, name: string): Promise<PersonalApiKey> {
  const { id } = await backend.createKey(name)
  const page = await backend.client.fetchPersonalApiKeys()
  const apiKey = page.ok ? page.data.items.find((item) => item.id === id) : undefined
  if (!apiKey) throw new Error(`test: ${name} is not in the list`)
  return apiKey
}

function renderIn(language: Language, ui: ReactElement, backend = createDemoBackend()) {
  return renderWithBackend(
    <PatkitLocalesProvider locales={patkitLocales}>
      <I18nProvider locale={LOCALES[language]}>{ui}</I18nProvider>
    </PatkitLocalesProvider>,
    { backend },
  )
}

/** react-aria hides the native checkbox or radio under its glyph; a user clicks its label. */
const tick = (input: HTMLElement) => userEvent.click(input.closest('label') ?? input)

const direction = (element: Element) => getComputedStyle(element).direction

describe('message catalogs', () => {
  it('ships English, German, French, Japanese and Arabic', () => {
    expect(Object.keys(catalogs).sort()).toEqual(['ar', 'de', 'en', 'fr', 'ja'])
  })

  it.each(TRANSLATED)('gives %s every message, none empty, with the English placeholders', (language) => {
    const catalog = catalogs[language] as PatkitMessages
    expect(Object.keys(catalog).sort()).toEqual(Object.keys(en).sort())
    for (const key of Object.keys(en) as MessageKey[]) {
      expect(catalog[key].trim(), key).not.toBe('')
      expect(placeholders(catalog[key]), key).toEqual(placeholders(en[key]))
    }
  })
})

describe.each(TRANSLATED)('components in %s', (language) => {
  const t = (key: MessageKey) => message(language, key)

  it('CreatePersonalApiKey: form, validation, captions, custom date and the reveal speak the language', async () => {
    renderIn(language, <CreatePersonalApiKey />)
    const name = await screen.findByRole('textbox', { name: t('nameLabel') })
    await userEvent.click(screen.getByRole('button', { name: t('createSubmit') }))
    await screen.findByText(t('nameRequired'))
    await tick(screen.getByRole('radio', { name: t('expiration.Never') }))
    await screen.findByText(t('expirationCaptionNever'))
    await tick(screen.getByRole('radio', { name: t('expirationCustom') }))
    await screen.findByText(t('customDateDescription'))
    expect(englishLeaks(language)).toEqual([])

    await tick(screen.getByRole('radio', { name: t('expiration.OneMonth') }))
    await userEvent.type(name, 'Bot 1')
    await userEvent.click(screen.getByRole('button', { name: t('createSubmit') }))
    await screen.findByRole('textbox', { name: t('revealLabel') })
    await screen.findByText(t('created'))
    expect(englishLeaks(language)).toEqual([])
  })

  it('TokenReveal: labels, warning, copy announcement and acknowledgement speak the language', async () => {
    renderIn(language, <TokenReveal token={TOKEN} />)
    expect(screen.getByRole('textbox', { name: t('revealLabel') })).toHaveValue(TOKEN)
    await userEvent.click(screen.getByRole('button', { name: t('copy') }))
    await screen.findByText(t('copiedAnnouncement'))
    await tick(screen.getByRole('checkbox', { name: t('acknowledge') }))
    expect(screen.getByRole('button', { name: t('done') })).toBeEnabled()
    expect(englishLeaks(language)).toEqual([])
  })

  it('TokenList: columns, dates, statuses, filters, row menu, no results and the result count speak the language', async () => {
    const backend = createDemoBackend()
    await backend.seed(8, { status: 'mixed', namePrefix: 'Bot' })
    renderIn(language, <TokenList />, backend)
    const grid = await screen.findByRole('grid', { name: t('listLabel') })
    await waitFor(() => expect(within(grid).getAllByRole('row').length).toBeGreaterThan(5))
    expect(within(grid).getAllByRole('columnheader').map((column) => column.textContent)).toEqual(
      expect.arrayContaining([t('columnName'), t('columnCreated'), t('columnStatus')]),
    )
    const row = within(grid).getAllByRole('row').find((candidate) => candidate.dataset.status === 'active')!
    await userEvent.click(within(row).getByRole('button'))
    const menu = await screen.findByRole('menu')
    expect(within(menu).getAllByRole('menuitem').map((item) => item.textContent)).toEqual([t('rotateAction'), t('edit'), t('revokeAction')])
    expect(englishLeaks(language)).toEqual([])
    await userEvent.keyboard('{Escape}')

    await userEvent.type(screen.getByRole('searchbox', { name: t('searchLabel') }), 'zzz')
    // Arabic isolates the Latin query in its sentence (U+2068…U+2069); French keeps its no-break spaces.
    const query = language === 'ar' ? '\u2068zzz\u2069' : 'zzz'
    await waitFor(() => expect(grid.textContent).toContain(t('noResults').replace('{query}', query)))
    expect(englishLeaks(language)).toEqual([])
  })

  it('TokenList: the empty state speaks the language', async () => {
    renderIn(language, <TokenList onCreateRequest={() => {}} />)
    await screen.findByText(t('emptyTitle'))
    expect(screen.getByRole('button', { name: t('emptyAction') })).toBeVisible()
    expect(englishLeaks(language)).toEqual([])
  })

  it('TokenList: a rate-limited load says how long to wait in the language', async () => {
    const backend = createDemoBackend()
    backend.stickyFaults.set('GET', 'rateLimited')
    renderIn(language, <TokenList />, backend)
    const alert = await screen.findByRole('alert')
    const seconds = new Intl.NumberFormat(LOCALES[language], { style: 'unit', unit: 'second', unitDisplay: 'long' }).format(30)
    expect(alert.textContent).toContain(seconds)
    expect(englishLeaks(language)).toEqual([])
  })

  it('RevokeDialog: question, facts, confirmation and buttons speak the language', async () => {
    const backend = createDemoBackend()
    const apiKey = await keyFor(backend, 'Bot 1')
    renderIn(language, <RevokeDialog apiKey={apiKey} defaultOpen confirmationText="Bot 1" />, backend)
    const dialog = await screen.findByRole('alertdialog')
    expect(within(dialog).getByRole('button', { name: t('revokeConfirm') })).toBeDisabled()
    expect(within(dialog).getByText(t('revokeDescription'))).toBeVisible()
    expect(englishLeaks(language)).toEqual([])
  })

  it('RotateDialog: question, expiration choice and the reveal speak the language', async () => {
    const backend = createDemoBackend()
    const apiKey = await keyFor(backend, 'Bot 1')
    renderIn(language, <RotateDialog apiKey={apiKey} defaultOpen allowsExpirationChange />, backend)
    const dialog = await screen.findByRole('dialog')
    await tick(await within(dialog).findByRole('radio', { name: t('expiration.Never') }))
    await within(dialog).findByText(t('expirationCaptionNever'))
    expect(englishLeaks(language)).toEqual([])
    await userEvent.click(within(dialog).getByRole('button', { name: t('rotateConfirm') }))
    await within(dialog).findByRole('textbox', { name: t('revealLabel') })
    expect(englishLeaks(language)).toEqual([])
  })
})

describe('right to left (Arabic)', () => {
  it('lays out the inline components right to left inside an I18nProvider, on a left-to-right page', async () => {
    const backend = createDemoBackend()
    await backend.seed(3, { status: 'active', namePrefix: 'Bot' })
    renderIn(
      'ar',
      <>
        <CreatePersonalApiKey />
        <TokenReveal token={TOKEN} />
        <TokenList />
      </>,
      backend,
    )
    expect(document.documentElement.dir || 'ltr').toBe('ltr')
    await screen.findByRole('textbox', { name: message('ar', 'nameLabel') })
    for (const selector of ['.patkit-CreatePersonalApiKey', '.patkit-TokenReveal', '.patkit-TokenList']) {
      const root = document.querySelector(selector)!
      expect(root, selector).toHaveAttribute('dir', 'rtl')
      expect(direction(root), selector).toBe('rtl')
    }
    const grid = await screen.findByRole('grid')
    await waitFor(() => expect(within(grid).getAllByRole('row').length).toBeGreaterThan(1))
    const row = within(grid).getAllByRole('row').find((candidate) => candidate.dataset.status === 'active')!
    expect(direction(row)).toBe('rtl')
    // The row menu is portalled to <body>: it takes the locale's direction itself.
    await userEvent.click(within(row).getByRole('button'))
    expect(direction(await screen.findByRole('menu'))).toBe('rtl')
  })

  it('opens the key dialogs right to left though they are portalled out of the tree', async () => {
    const backend = createDemoBackend()
    const apiKey = await keyFor(backend, 'Bot 1')
    renderIn('ar', <RevokeDialog apiKey={apiKey} defaultOpen />, backend)
    expect(direction(await screen.findByRole('alertdialog'))).toBe('rtl')
  })

  it('opens the rotate dialog right to left', async () => {
    const backend = createDemoBackend()
    const apiKey = await keyFor(backend, 'Bot 1')
    renderIn('ar', <RotateDialog apiKey={apiKey} defaultOpen />, backend)
    expect(direction(await screen.findByRole('dialog'))).toBe('rtl')
  })

  it('keeps a Latin key name whole inside an Arabic sentence (bidi-isolated)', async () => {
    const backend = createDemoBackend()
    const apiKey = await keyFor(backend, 'CI deploy (GitHub Actions)')
    renderIn('ar', <RevokeDialog apiKey={apiKey} defaultOpen />, backend)
    const dialog = await screen.findByRole('alertdialog')
    expect(within(dialog).getByRole('heading').textContent).toBe('إبطال «\u2068CI deploy (GitHub Actions)\u2069»؟')
  })

  it('leaves a key name in the sentence’s own direction as it is', async () => {
    const backend = createDemoBackend()
    const apiKey = await keyFor(backend, 'Bot 1')
    renderIn('en', <RevokeDialog apiKey={apiKey} defaultOpen />, backend)
    expect(within(await screen.findByRole('alertdialog')).getByRole('heading').textContent).toBe('Revoke “Bot 1”?')
  })
})
