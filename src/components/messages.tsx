import { createContext, useContext, useMemo, useRef, type ReactNode } from 'react'
import { isRTL, useLocale } from 'react-aria-components/I18nProvider'
import { DEFAULT_ERROR_MESSAGES } from '../client/response.ts'
import type { ExpirationOption, PersonalErrorKind, PersonalApiKeyStatus } from '../client/types.ts'
import { useKeyOwner } from '../react/provider.tsx'
import type { laterEn } from './laterMessages.ts'

/**
 * patkit's English sentences for the parts that load with the page. Placeholders are `{name}`. Apps
 * override any message through `<PatkitMessagesProvider messages={…}>` or a component's `messages`
 * prop; the locale comes from react-aria's `I18nProvider`. The dialogs', the row menu's and the
 * reveal's sentences are in laterMessages.ts and load with them; `en` in `patkit/locales` is both.
 */
export const en = {
  // Create
  createTitle: 'Create a personal API key',
  nameLabel: 'Name',
  nameDescription: 'What is this key for? Up to {max} characters.',
  nameRequired: 'Enter a name for the key.',
  nameTooLong: 'Use {max} characters or fewer.',
  descriptionLabel: 'Description (optional)',
  descriptionHint: 'A note on where the key is used or who owns it.',
  descriptionCount: '{count} of {max} characters.',
  descriptionTooLong: 'Use {max} characters or fewer.',
  expirationLabel: 'Expiration',
  expirationCustom: 'Custom…',
  expirationCaption: 'The key will expire on {date}.',
  expirationCaptionNever: 'The key will never expire. Keys that never expire are a risk if they leak.',
  expirationCap: 'Keys last at most {duration}.',
  expirationInPast: 'Choose a date in the future.',
  expirationTooLate: 'Keys last at most {duration}: choose a date by {date}.',
  expirationNeverNotAllowed: 'Keys must expire within {duration}.',
  expirationCustomNotAllowed: 'A custom expiration date is not allowed. Choose one of the options.',
  expirationInvalidDate: 'Enter a valid date.',
  expirationNotOffered: 'Choose one of the options offered.',
  customDateLabel: 'Expiration date',
  scopesLabel: 'Scopes',
  scopesDescription: 'Grant only what this key needs.',
  scopesNone: 'None',
  scopesGrants: 'Grants {scopes}.',
  scopesGrantNone: 'No access.',
  scopesSelectAll: 'Select all',
  scopesCount: '{count} of {total} selected.',
  createSubmit: 'Create key',
  createPending: 'Creating key…',
  created: 'Key created.',
  loadingPolicy: 'Loading…',
  customDateRequired: 'Choose an expiration date.',
  customDateDescription: 'The key expires at the end of the chosen day.',
  loadingDatePicker: 'Loading the calendar…',
  datePickerFailed: 'The calendar could not be loaded. Check your connection, or choose a preset.',
  retry: 'Try again',
  retryIn: 'Try again in {duration}',
  signIn: 'Sign in',
  loadingDialog: 'Loading…',
  dialogFailed: 'This dialog could not be loaded. Check your connection and try again.',
  revealFailed: 'Your new key is ready, but this part of the page could not be loaded. Check your connection and try again: the key is kept until then.',
  // List
  listLabel: 'Personal API keys',
  searchLabel: 'Search keys by name',
  statusAll: 'All',
  columnName: 'Name',
  columnKey: 'Key',
  columnScopes: 'Scopes',
  columnCreated: 'Created',
  columnExpires: 'Expires',
  columnLastUsed: 'Last used',
  columnStatus: 'Status',
  columnActions: 'Actions',
  never: 'Never',
  neverUsed: 'Never used',
  expiresSoon: 'Expires soon',
  // {when} is the relative expiry: "in 1 hour".
  replacedExpires: 'Replaced — expires {when}',
  noScopes: 'No scopes',
  loadingKeys: 'Loading keys…',
  loadingMore: 'Loading more keys…',
  emptyTitle: 'No API keys yet',
  emptyDescription: 'Create a key to call the API from scripts and integrations.',
  emptyAction: 'Create a key',
  noResults: 'No keys match “{query}”.',
  'noResultsInStatus.active': 'No active keys.',
  'noResultsInStatus.expired': 'No expired keys.',
  'noResultsInStatus.revoked': 'No revoked keys.',
  keyCount: '{count} keys',
  keyCountOne: '{count} key',
  statusFilterLabel: 'Filter keys by status',
  clearSearch: 'Clear search',
  rowActions: 'Actions for {name}',
  menuFailed: 'The actions menu could not be loaded. Check your connection and try again.',
  // An organization's keys (a client from `forOrganization`): each `org.` sentence replaces the one of its name there.
  'org.createTitle': 'Create an organization API key',
  'org.nameDescription': 'What is this key for? Up to {max} characters. The key belongs to the organization: it keeps working when the member who created it leaves.',
  'org.listLabel': 'Organization API keys',
  'org.emptyTitle': 'This organization has no API keys yet',
  'org.emptyDescription': 'Create a key for the organization’s scripts and integrations. It keeps working when the member who created it leaves.',
  /** Shown to a member whose role may see but not manage the organization's keys (`canManage: false`). */
  orgReadOnly: 'You can see this organization’s API keys, but you do not have permission to create, rotate, edit or revoke them.',
  /** After a key's creation date, in an organization's list: who created it. */
  createdBy: 'by {name}',
  // Dialogs, as they load (their own sentences are in laterMessages.ts)
  cancel: 'Cancel',
  close: 'Close',
  // Errors (the server's own sentence wins when it sends one)
  // {duration} is `Intl.NumberFormat`'s "30 seconds" in the locale (plural forms included); {seconds} is the bare number.
  errorRateLimitedWait: 'Too many requests. Try again in {duration}.',
  errorUnavailableWait: 'The service is busy. Try again in {duration}.',
  errorAlreadyRevoked: 'This key was already revoked.',
  // Enumerations
  'status.active': 'Active',
  'status.expired': 'Expired',
  'status.revoked': 'Revoked',
  'expiration.TwoWeeks': '2 weeks',
  'expiration.OneMonth': '1 month',
  'expiration.ThreeMonths': '3 months',
  'expiration.SixMonths': '6 months',
  'expiration.OneYear': '1 year',
  'expiration.Never': 'Never',
  'error.invalidExpirationOption': DEFAULT_ERROR_MESSAGES.invalidExpirationOption,
  'error.badRequest': DEFAULT_ERROR_MESSAGES.badRequest,
  'error.unauthorized': DEFAULT_ERROR_MESSAGES.unauthorized,
  'error.noPersonalApiKeyPermission': DEFAULT_ERROR_MESSAGES.noPersonalApiKeyPermission,
  'error.personalApiKeysDisabled': DEFAULT_ERROR_MESSAGES.personalApiKeysDisabled,
  'error.apiKeyNotFound': DEFAULT_ERROR_MESSAGES.apiKeyNotFound,
  'error.conflict': DEFAULT_ERROR_MESSAGES.conflict,
  'error.rateLimited': DEFAULT_ERROR_MESSAGES.rateLimited,
  'error.unexpectedOrUnhandled': DEFAULT_ERROR_MESSAGES.unexpectedOrUnhandled,
}

/** Every sentence patkit renders, by key: what loads with the page and what loads later. */
export type PatkitMessages = { [K in keyof typeof en | keyof typeof laterEn]: string }
export type MessageKey = keyof PatkitMessages

/** Catalogs by language subtag (`de`) or full locale (`de-CH`, which wins over its language). */
export type PatkitLocales = Record<string, Partial<PatkitMessages>>

/**
 * The catalogs an app ships, from `patkit/locales` or its own. Only English is built in, so an app
 * pays for the languages it uses, not for all of them; English fills any gap.
 */
const LocalesContext = createContext<PatkitLocales>({})

export function PatkitLocalesProvider({ locales, children }: { locales: PatkitLocales; children?: ReactNode }) {
  const outer = useContext(LocalesContext)
  // `locales={{ de, fr }}` written inline must not hand every list row a new `t` on each render.
  const stable = useShallowStable(locales)
  const value = useMemo(() => ({ ...outer, ...stable }), [outer, stable])
  return <LocalesContext.Provider value={value}>{children}</LocalesContext.Provider>
}

const MessagesContext = createContext<Partial<PatkitMessages>>({})
export const PatkitMessagesProvider = MessagesContext.Provider

// Strong right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko…, not Arabic-Indic digits) and strong left-to-right ones.
const RTL_LETTER = /[\u0590-\u065F\u066A-\u06EF\u06FA-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/
const LTR_LETTER = /[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF\u3040-\u30FF\u4E00-\u9FFF\uAC00-\uD7AF]/

/**
 * Fills `{name}` placeholders. A value written in the other direction than the sentence (a Latin key
 * name in an Arabic sentence, an Arabic one in an English sentence) is bidi-isolated (U+2068…U+2069),
 * so its own punctuation stays with it: «CI deploy (GitHub Actions)» keeps its parentheses in place.
 */
function interpolate(template: string, params: Record<string, string | number> | undefined, rtl: boolean): string {
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (match, name: string) => {
    if (!(name in params)) return match
    const value = String(params[name])
    return (rtl ? LTR_LETTER : RTL_LETTER).test(value) ? `\u2068${value}\u2069` : value
  })
}

export interface Translate {
  (key: MessageKey, params?: Record<string, string | number>): string
  /** The locale these messages are for (react-aria's), for `Intl` formatting next to them. */
  locale: string
  status(status: PersonalApiKeyStatus): string
  expiration(option: ExpirationOption): string
  error(kind: PersonalErrorKind): string
}

/** The previous object while the new one has the same entries, so `messages={{ … }}` written inline stays one value. */
function useShallowStable<T extends object | undefined>(value: T): T {
  const kept = useRef(value)
  const same =
    kept.current === value ||
    (kept.current !== undefined && value !== undefined &&
      Object.keys(kept.current).length === Object.keys(value).length &&
      Object.entries(value).every(([key, entry]) => (kept.current as Record<string, unknown>)[key] === entry))
  if (!same) kept.current = value
  return kept.current
}

const ORG_PREFIX = 'org.'

/**
 * An organization's wording over the personal one: `org.listLabel` becomes `listLabel`, whichever
 * catalog or override each came from, so a component asks for `listLabel` and reads right for both.
 */
function forOrganization(merged: PatkitMessages) {
  for (const key of Object.keys(merged) as MessageKey[]) {
    if (key.startsWith(ORG_PREFIX)) merged[key.slice(ORG_PREFIX.length) as MessageKey] = merged[key]
  }
}

/**
 * Messages for the current locale, with the app's and the component's overrides on top. A part that
 * loads later passes its English sentences (`later`), which the page's first load does not carry.
 */
export function useMessages(messages?: Partial<PatkitMessages>, later?: Partial<PatkitMessages>): Translate {
  const { locale } = useLocale()
  const isOrganization = useKeyOwner()?.type === 'organization'
  const catalogs = useContext(LocalesContext)
  const fromApp = useShallowStable(useContext(MessagesContext))
  // A new `t` would make every list row re-render, so it changes only when a message does.
  const overrides = useShallowStable(messages)
  return useMemo(() => {
    const language = locale.split('-')[0] ?? 'en'
    const merged = { ...en, ...later, ...catalogs[language], ...catalogs[locale], ...fromApp, ...overrides } as PatkitMessages
    if (isOrganization) forOrganization(merged)
    const rtl = isRTL(locale)
    // A key no catalog has (a later part's sentence asked for without its catalog) shows as itself, not a crash.
    const t = ((key, params) => interpolate(merged[key] ?? key, params, rtl)) as Translate
    t.locale = locale
    t.status = (status) => merged[`status.${status}`]
    t.expiration = (option) => merged[`expiration.${option}`]
    t.error = (kind) => merged[`error.${kind}`]
    return t
  }, [locale, catalogs, fromApp, overrides, later, isOrganization])
}
