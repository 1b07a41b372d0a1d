import { useContext, useEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react'
import { HeadingContext, type HeadingProps } from 'react-aria-components/Heading'
import { useRenderProps, type RenderProps } from 'react-aria-components/useRenderProps'
import type { ApiError, ErrorKind } from '../client/types.ts'
import { usePatkitContext } from '../react/provider.tsx'
import type { Translate } from './messages.tsx'

/** How one render-prop value becomes `data-*` attributes (Base UI's `stateAttributesMapping`); `null` leaves none. */
export type StateAttributesMapping<T> = { [K in keyof T]?: (value: T[K]) => Record<string, string> | null }

const errorAttribute = (kind: ErrorKind | null | undefined) => (kind ? { 'data-error': kind } : null)

/**
 * The mapping every part shares, so one idea has one spelling everywhere: a failure is
 * `data-error="<kind>"` (whether the part's render prop is the error, its kind, or a flag), free text
 * (`message`) and objects (`policy`) never become attributes.
 */
const COMMON_MAPPING: Record<string, (value: never) => Record<string, string> | null> = {
  error: (error: ApiError | null) => errorAttribute(error?.kind),
  errorKind: errorAttribute,
  kind: errorAttribute,
  isError: () => null,
  message: () => null,
  policy: () => null,
}

const attributeName = (name: string) =>
  `data-${name.replace(/^is(?=[A-Z])/, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/^-/, '')}`

/**
 * `data-*` attributes derived from a part's render props, so the CSS selectors and the render-prop
 * values cannot drift: `isPending: true` → `data-pending="true"`, `status: 'revoked'` →
 * `data-status="revoked"`, `totalCount: 0` → `data-total-count="0"`. False, null, undefined and the
 * empty string leave no attribute (so `[data-query]` means "there is a query"); objects and functions
 * are skipped; the names in the common mapping above (and the part's own `mapping`) are spelt as it says.
 */
export function dataAttributes<T extends object>(values: T, mapping: StateAttributesMapping<T> = {}): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(values)) {
    const map = (mapping as Record<string, ((value: unknown) => Record<string, string> | null) | undefined>)[name] ?? COMMON_MAPPING[name]
    if (map) {
      Object.assign(out, map(value as never))
      continue
    }
    if (value === false || value === null || value === undefined || value === '') continue
    if (value === true) out[attributeName(name)] = 'true'
    else if (typeof value === 'string' || typeof value === 'number') out[attributeName(name)] = String(value)
  }
  return out
}

/**
 * react-aria's `useRenderProps` plus patkit's `data-*` attributes and its `patkit-{Part}` default class
 * (applied only when the caller gives no className), for a part that renders its own element.
 */
export function usePartRenderProps<T extends object>(
  props: Omit<RenderProps<T>, 'render'>,
  values: T,
  part: string,
  defaultChildren?: ReactNode,
  mapping?: StateAttributesMapping<T>,
): PartRenderProps {
  const { render: _render, ...renderProps } = useRenderProps({ ...props, values, defaultClassName: `patkit-${part}`, defaultChildren })
  return { ...renderProps, ...dataAttributes(values, mapping) }
}

/** What `usePartRenderProps` gives a part's element. */
export interface PartRenderProps {
  className?: string
  style?: CSSProperties
  children?: ReactNode
  'data-rac': string
  [attribute: `data-${string}`]: string | undefined
}

type WithDefaults<T> = T & { defaultClassName?: string; defaultStyle?: CSSProperties; defaultChildren?: ReactNode }

/**
 * For a part that renders a react-aria component (a `Radio`, a `SearchField`…): its
 * className, style and children functions receive react-aria's render props of that component
 * (`isSelected`, `isHovered`, `isPressed`, `isFocusVisible`, …) together with patkit's `values`, as
 * `composeRenderProps` would; patkit's default class replaces react-aria's; `values` also become `data-*`.
 */
export function composePartRenderProps<R extends object, T extends object>(
  props: Omit<RenderProps<R & T>, 'render'>,
  values: T,
  part: string,
  defaultChildren?: ReactNode,
) {
  const defaultClassName = `patkit-${part}`
  const { className, style, children } = props as {
    className?: string | ((values: WithDefaults<R & T>) => string)
    style?: CSSProperties | ((values: WithDefaults<R & T>) => CSSProperties | undefined)
    children?: ReactNode | ((values: WithDefaults<R & T>) => ReactNode)
  }
  return {
    className: (rac: R) => (typeof className === 'function' ? className({ ...rac, ...values, defaultClassName }) : (className ?? defaultClassName)),
    style: (rac: R & { defaultStyle?: CSSProperties }) => (typeof style === 'function' ? style({ ...rac, ...values }) : style),
    children: (rac: R) =>
      typeof children === 'function' ? children({ ...rac, ...values, defaultChildren }) : children === undefined ? defaultChildren : children,
    ...dataAttributes(values),
  }
}

/** The plain DOM props a part passes through to its element: ids, titles, `aria-*` and `data-*`. */
export interface PartDOMProps {
  id?: string
  title?: string
  lang?: string
  dir?: string
  [attribute: `aria-${string}`]: unknown
  [attribute: `data-${string}`]: unknown
}

const PASSED_THROUGH = /^(id|title|lang|dir|aria-.+|data-.+)$/

/** Keeps the props `PartDOMProps` names and drops everything else (patkit's own props among them). */
export function domProps(props: object): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(props)) if (PASSED_THROUGH.test(name)) out[name] = value
  return out
}

/** Answers that retrying cannot change: the user lacks the permission, the feature is off, or the user is signed out. */
const FINAL_KINDS: ReadonlySet<ErrorKind> = new Set(['noPersonalApiKeyPermission', 'personalApiKeysDisabled', 'unauthorized'])

/** Whether a Retry button can help with this error (a 401 needs signing in, offered by `useSignIn`). */
export function isRetryable(error: ApiError): boolean {
  return !FINAL_KINDS.has(error.kind)
}

/** The way out of a 401: the app's `onUnauthorized` (the provider's), for a "Sign in" button; `null` for other errors or without one. */
export function useSignIn(error: ApiError | null): (() => void) | null {
  const { onUnauthorized } = usePatkitContext('patkit')
  return error?.kind === 'unauthorized' && onUnauthorized ? () => onUnauthorized(error as ApiError<'unauthorized'>) : null
}

/** A whole number of a unit as the locale says it: "30 seconds", "90 Tage" (`long`) or "30 sec." (`short`); Intl knows the plurals. */
export function formatUnit(value: number, unit: 'second' | 'day', t: Translate, unitDisplay: 'long' | 'short' = 'long'): string {
  return new Intl.NumberFormat(t.locale, { style: 'unit', unit, unitDisplay }).format(value)
}

/** Whether the server asked to wait before trying again (429, or a 503 with `Retry-After`). */
const asksToWait = (error: ApiError) =>
  error.retryAfterSeconds !== undefined && (error.kind === 'rateLimited' || error.status === 503)

/**
 * The sentence to show for a failed key action: the server's own (`userFacingError`), except where the
 * catalog says it better — the wait for a rate limit or a busy server, a plain "already revoked", and
 * being signed out.
 */
export function keyErrorMessage(error: ApiError, t: Translate): string {
  if (asksToWait(error)) {
    // Intl knows each language's plural forms ("1 Sekunde", "30 Sekunden", "30 ثانية").
    const duration = formatUnit(error.retryAfterSeconds!, 'second', t)
    return t(error.kind === 'rateLimited' ? 'errorRateLimitedWait' : 'errorUnavailableWait', { seconds: error.retryAfterSeconds!, duration })
  }
  if (error.kind === 'conflict' && error.code === 'already_revoked') return t('errorAlreadyRevoked')
  // One sentence for being signed out, in the user's language, wherever it shows (a server's wording varies).
  if (error.kind === 'unauthorized') return t.error('unauthorized')
  return error.userFacingError
}

/**
 * Seconds left before a retry may help: the error's `Retry-After` (429, or 503), counted down once a
 * second from when the error arrived; `null` when the server asked for no wait or it is over.
 */
export function useRetryCountdown(error: ApiError | null): number | null {
  const wait = error && asksToWait(error) ? error.retryAfterSeconds! : 0
  const [state, setState] = useState({ error, left: wait })
  if (state.error !== error) setState({ error, left: wait })
  const left = state.error === error ? state.left : wait
  useEffect(() => {
    if (left <= 0) return
    const timer = setTimeout(() => setState((current) => (current.error === error ? { error, left: current.left - 1 } : current)), 1_000)
    return () => clearTimeout(timer)
  }, [error, left])
  return left > 0 ? left : null
}

/** The retry button's label: "Try again", or "Try again in 12 sec." while the server asks to wait. */
export function retryLabel(t: Translate, secondsLeft: number | null): string {
  return secondsLeft === null ? t('retry') : t('retryIn', { duration: formatUnit(secondsLeft, 'second', t, 'short') })
}

/**
 * The `title` slot of an enclosing react-aria `HeadingContext` (a `Dialog` provides one), so a heading
 * inside a patkit part can still name the dialog around it while the part provides its own slots.
 */
export function useEnclosingTitle(): HeadingProps | undefined {
  const context = useContext(HeadingContext)
  if (context && typeof context === 'object' && 'slots' in context && context.slots) {
    return (context.slots as Record<string, HeadingProps | undefined>).title
  }
  return undefined
}

/**
 * While `isActive`, leaving the page (refresh, back, closing the tab) asks first: a revealed token
 * that was not saved cannot be shown again. An app's own client-side router does not fire
 * `beforeunload`; it can read the reveal's `isAcknowledged` to guard its routes.
 */
export function useLeaveGuard(isActive: boolean) {
  useEffect(() => {
    if (!isActive) return
    const ask = (event: BeforeUnloadEvent) => {
      event.preventDefault()
      // Older browsers ask only when returnValue is set.
      event.returnValue = ''
    }
    addEventListener('beforeunload', ask)
    return () => removeEventListener('beforeunload', ask)
  }, [isActive])
}

const dropOrphanedAnnouncements = () => {
  for (const node of document.querySelectorAll('[data-live-announcer] [role="img"][aria-labelledby]')) {
    if (!node.getAttribute('aria-labelledby')!.split(' ').some((id) => document.getElementById(id))) node.remove()
  }
}

/** How long react-aria keeps an announcement in its live region (its default), and a little more. */
const ANNOUNCEMENT_LIFETIME_MS = 7_500
let watchUntil = 0
let watcher: MutationObserver | null = null

/**
 * Drops announcements labelled by nothing now, and those that arrive while one could still be on its way
 * (react-aria adds the page's first announcement late, and a busy page runs timers late): one shared
 * observer, only on a page where react-aria has announced something, gone with the next change after
 * an announcement's lifetime.
 */
function dropOrphanedAnnouncementsForAWhile() {
  if (!document.querySelector('[data-live-announcer]')) return
  dropOrphanedAnnouncements()
  watchUntil = Date.now() + ANNOUNCEMENT_LIFETIME_MS
  if (watcher) return
  watcher = new MutationObserver(() => {
    if (Date.now() > watchUntil) {
      watcher?.disconnect()
      watcher = null
    } else dropOrphanedAnnouncements()
  })
  watcher.observe(document.body, { childList: true, subtree: true })
}

/**
 * Stands in for a pending button that was replaced (the form by the reveal, a dialog's content by its
 * result or by closing): react-aria's announcement of the pending state is labelled by the button's id
 * and stays in its live region for 7 s, so the id keeps naming something (hidden, not page content)
 * for as long as the part is there. Give the button `id` and render this where it was.
 */
export function PendingLabelKeeper({ id, label }: { id: string; label: string }) {
  return (
    <span hidden id={id}>
      {label}
      {/* And once it goes too (the part unmounts), the announcement goes with it. */}
      <AnnouncementsLeaveWithMe />
    </span>
  )
}

/**
 * Rendered inside a part that holds a pending button and goes away once the request succeeds (the
 * form the reveal replaces, a dialog that closes, an error state that clears). react-aria's pending
 * Button announces itself through a `role="img"` node in its live region labelled by the button's id,
 * kept there for 7 s; once the button is gone that node is labelled by nothing, which a screen reader
 * cannot read and axe reports (`role-img-alt`). It was read when it was added, so it goes with the
 * button.
 */
export function AnnouncementsLeaveWithMe(): null {
  useEffect(
    () => () => {
      // After React has removed the part (so the ids it held are gone).
      setTimeout(dropOrphanedAnnouncementsForAWhile)
    },
    [],
  )
  return null
}

/**
 * After a failed submit, focus goes to the first field marked invalid inside `root`, so a screen
 * reader reads its label and error (linked by `aria-describedby`); a group (radios, a date field)
 * hands focus to its chosen or first input. Returns whether there was one.
 */
export function focusFirstInvalid(root: Element | null): boolean {
  const invalid = root?.querySelector<HTMLElement>('[aria-invalid="true"]')
  if (!invalid) return false
  const target = invalid.matches('input, textarea, select, button')
    ? invalid
    : invalid.querySelector<HTMLElement>('input:checked, input:not([disabled]), [role="spinbutton"], [tabindex="0"]')
  ;(target ?? invalid).focus()
  return true
}

/**
 * For a form whose errors can come back from the server: `failed()` after a submit that left a field
 * invalid; once the field shows its error, focus moves to it (see `focusFirstInvalid`).
 */
export function useFocusInvalidAfterSubmit<T extends Element>() {
  const ref = useRef<T>(null)
  const [failures, setFailures] = useState(0)
  useEffect(() => {
    if (failures > 0) focusFirstInvalid(ref.current)
  }, [failures])
  return { ref, failed: () => setFailures((n) => n + 1) }
}
