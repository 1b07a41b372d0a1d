import { useLayoutEffect, useRef, type ReactNode } from 'react'
import type { Decorator, Preview } from '@storybook/react-vite'
import { I18nProvider, isRTL } from 'react-aria-components'
import { PatkitLocalesProvider } from '../src/components/messages.tsx'
import { patkitLocales } from '../src/locales.ts'
import starterTheme from '../src/styles.css?inline'
import { BackendToolbarContext, TOOLBAR_FAULTS, type ToolbarFault } from '../stories/support/toolbar.tsx'
import { TailwindTheme } from '../stories/examples/TailwindTheme.tsx'
// Utilities only, no preflight: harmless to every story that uses no Tailwind class.
import '../stories/examples/tailwind.css'

/**
 * The showroom's toolbar: theme, locale, and the in-page backend's latency and next answer. The
 * defaults change nothing, so every story (and its test) runs exactly as written.
 */
type Theme = 'story' | 'unstyled' | 'light' | 'dark' | 'tailwind'

const LOCALES = [
  { value: 'en-US', title: 'English' },
  { value: 'de-DE', title: 'Deutsch' },
  { value: 'fr-FR', title: 'Français' },
  { value: 'ja-JP', title: '日本語' },
  { value: 'ar-EG', title: 'العربية (RTL)' },
]

/**
 * The page behind a starter-themed story takes the theme's scheme and background, as an app's page
 * would: the starter theme itself styles only patkit's parts, never the page's `color-scheme`.
 */
const starterPage = `:root[data-theme='dark'] { color-scheme: dark; } :root[data-theme='light'] { color-scheme: light; }
body { background: var(--patkit-color-bg); color: var(--patkit-color-text); }`

function Showroom({ theme, locale, children }: { theme: Theme; locale: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null)

  // On <html>, because dialogs and menus are portalled to <body>, outside this wrapper.
  useLayoutEffect(() => {
    const root = document.documentElement
    if (theme === 'light' || theme === 'dark') root.dataset.theme = theme
    else delete root.dataset.theme
    root.classList.toggle('patkit-tw', theme === 'tailwind')
  }, [theme])

  // Stories carry their own plain-CSS example; any other theme switches it off so only that theme shows.
  // A story's page chrome that is no patkit styling opts out with <style data-showroom>.
  useLayoutEffect(() => {
    const container = ref.current
    if (!container) return
    const apply = () => {
      for (const style of container.querySelectorAll<HTMLStyleElement>('style:not([data-showroom])')) style.disabled = theme !== 'story'
    }
    apply()
    const observer = new MutationObserver(apply)
    observer.observe(container, { childList: true, subtree: true, characterData: true })
    return () => observer.disconnect()
  }, [theme])

  const story = theme === 'tailwind' ? <TailwindTheme>{children}</TailwindTheme> : children
  return (
    <I18nProvider locale={locale}>
      {/* Every shipped catalog, as an app offering all of patkit's languages registers them. */}
      <PatkitLocalesProvider locales={patkitLocales}>
        <div ref={ref} lang={locale} dir={isRTL(locale) ? 'rtl' : 'ltr'}>
          {(theme === 'light' || theme === 'dark') && (
            <style data-showroom="">
              {starterTheme}
              {starterPage}
            </style>
          )}
          {story}
        </div>
      </PatkitLocalesProvider>
    </I18nProvider>
  )
}

const withShowroom: Decorator = (Story, context) => {
  const { theme, locale, latency, fault } = context.globals as { theme?: Theme; locale?: string; latency?: string; fault?: string }
  return (
    <BackendToolbarContext.Provider
      value={{
        latencyMs: latency && latency !== 'story' ? Number(latency) : null,
        fault: fault && fault in TOOLBAR_FAULTS ? (fault as ToolbarFault) : null,
      }}
    >
      <Showroom theme={theme ?? 'story'} locale={locale ?? 'en-US'}>
        <Story />
      </Showroom>
    </BackendToolbarContext.Provider>
  )
}

const preview: Preview = {
  parameters: {
    // Every story must pass axe in Chromium; a violation fails the story test.
    // Nothing is excluded: react-aria's live announcer too must pass (no announcement labelled by a
    // button that is gone, see AnnouncementsLeaveWithMe in src/components/shared.tsx).
    a11y: { test: 'error' },
    controls: { matchers: { date: /At$/ } },
  },
  decorators: [withShowroom],
  globalTypes: {
    theme: {
      description: 'How the components are styled',
      toolbar: {
        title: 'Theme',
        icon: 'paintbrush',
        dynamicTitle: true,
        items: [
          { value: 'story', title: 'Story CSS', right: 'each story’s plain-CSS example' },
          { value: 'unstyled', title: 'Unstyled', right: 'no CSS at all' },
          { value: 'light', title: 'Starter light', right: 'patkit/styles.css' },
          { value: 'dark', title: 'Starter dark', right: 'patkit/styles.css, data-theme="dark"' },
          { value: 'tailwind', title: 'Tailwind', right: 'render-prop classNames' },
        ],
      },
    },
    locale: {
      description: 'The locale of react-aria’s I18nProvider',
      toolbar: { title: 'Locale', icon: 'globe', dynamicTitle: true, items: LOCALES },
    },
    latency: {
      description: 'Delay before every answer of the in-page backend',
      toolbar: {
        title: 'Latency',
        icon: 'timer',
        dynamicTitle: true,
        items: [
          { value: 'story', title: 'Story latency' },
          { value: '0', title: 'No latency' },
          { value: '300', title: '300 ms' },
          { value: '1000', title: '1 s' },
          { value: '3000', title: '3 s' },
        ],
      },
    },
    fault: {
      description: 'What the in-page backend answers next (once per choice), to see every handle() outcome',
      toolbar: {
        title: 'Next answer',
        icon: 'lightning',
        dynamicTitle: true,
        items: [
          { value: 'none', title: 'Next answer: server’s own' },
          { value: '401', title: '401 unauthorized' },
          { value: '403', title: '403 no permission' },
          { value: '404', title: '404 not found' },
          { value: '409', title: '409 conflict' },
          { value: '429', title: '429 rate limited' },
          { value: '500', title: '500 server error' },
          { value: '503', title: '503 unavailable (Retry-After)' },
          { value: 'offline', title: 'Offline (network error)' },
        ],
      },
    },
  },
  initialGlobals: { theme: 'story', locale: 'en-US', latency: 'story', fault: 'none' },
}
export default preview
