/**
 * `patkit/locales`: the catalogs patkit ships besides English (and English itself, whole, as `en`). Import the ones your app needs and
 * give them to `<PatkitLocalesProvider locales={{ de, fr }}>`; the locale itself comes from
 * react-aria's `I18nProvider`.
 */
import { laterEn } from './components/laterMessages.ts'
import { en as firstEn, type PatkitMessages } from './components/messages.tsx'
import { ar } from './components/locales/ar.ts'
import { de } from './components/locales/de.ts'
import { fr } from './components/locales/fr.ts'
import { ja } from './components/locales/ja.ts'

export { ar, de, fr, ja }

/**
 * English, whole: the catalog patkit builds in, for apps that start a translation from it. (The
 * components carry it themselves, split between what loads with the page and what loads later.)
 */
export const en: PatkitMessages = { ...firstEn, ...laterEn }

/** Every shipped catalog, for apps that offer them all. */
export const patkitLocales = { de, fr, ja, ar }
