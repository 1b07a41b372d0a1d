/**
 * `patkit/locales`: the catalogs patkit ships besides English. Import the ones your app needs and
 * give them to `<PatkitLocalesProvider locales={{ de, fr }}>`; the locale itself comes from
 * react-aria's `I18nProvider`.
 */
import { ar } from './components/locales/ar.ts'
import { de } from './components/locales/de.ts'
import { fr } from './components/locales/fr.ts'
import { ja } from './components/locales/ja.ts'

export { ar, de, fr, ja }

/** Every shipped catalog, for apps that offer them all. */
export const patkitLocales = { de, fr, ja, ar }
