import { lazy, useContext, useMemo, useState, type ComponentType, type CSSProperties, type ReactNode } from 'react'
import { HeadingContext, type HeadingProps } from 'react-aria-components/Heading'
import { useRenderProps, type RenderProps } from 'react-aria-components/useRenderProps'
// Type only (erased from the bundle): the subpath exports do not name it.
import type { DOMRenderFunction } from 'react-aria-components'
import type { ApiError, ErrorKind } from '../client/types.ts'
import type { Translate } from './messages.tsx'

/**
 * `data-*` attributes derived from a part's render props, so the CSS selectors and the render-prop
 * values cannot drift: `isPending: true` → `data-pending="true"`, `status: 'revoked'` →
 * `data-status="revoked"`. False, null and undefined leave no attribute; objects and functions are skipped.
 */
export function dataAttributes(values: object): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(values)) {
    if (value === false || value === null || value === undefined) continue
    const attr = `data-${name.replace(/^is(?=[A-Z])/, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/^-/, '')}`
    if (value === true) out[attr] = 'true'
    else if (typeof value === 'string' || typeof value === 'number') out[attr] = String(value)
  }
  return out
}

/**
 * react-aria's `useRenderProps` plus patkit's `data-*` attributes and its `patkit-{Part}` default class
 * (applied only when the caller gives no className).
 */
export function usePartRenderProps<T extends object>(
  props: RenderProps<T>,
  values: T,
  part: string,
  defaultChildren?: React.ReactNode,
): PartRenderProps<T> {
  const renderProps = useRenderProps({ ...props, values, defaultClassName: `patkit-${part}`, defaultChildren })
  return { ...renderProps, ...dataAttributes(values) }
}

/** What `usePartRenderProps` gives a part's element. */
export interface PartRenderProps<T> {
  className?: string
  style?: CSSProperties
  children?: ReactNode
  'data-rac': string
  render?: DOMRenderFunction<'div', T>
  [attribute: `data-${string}`]: string | undefined
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

/** Answers that retrying cannot change: the user lacks the permission, or the feature is off. */
const FINAL_KINDS: ReadonlySet<ErrorKind> = new Set(['noPersonalApiKeyPermission', 'personalApiKeysDisabled'])

/** Whether a Retry button can help with this error. */
export function isRetryable(error: ApiError): boolean {
  return !FINAL_KINDS.has(error.kind)
}

/**
 * The sentence to show for a failed key action: the server's own (`userFacingError`), except where the
 * catalog says it better — a wait time for rate limits, and a plain "already revoked" for that conflict.
 */
export function keyErrorMessage(error: ApiError, t: Translate): string {
  if (error.kind === 'rateLimited' && error.retryAfterSeconds !== undefined) {
    const seconds = error.retryAfterSeconds
    // Intl knows each language's plural forms ("1 Sekunde", "30 Sekunden", "30 ثانية").
    const duration = new Intl.NumberFormat(t.locale, { style: 'unit', unit: 'second', unitDisplay: 'long' }).format(seconds)
    return t('errorRateLimitedWait', { seconds, duration })
  }
  if (error.kind === 'conflict' && error.code === 'already_revoked') return t('errorAlreadyRevoked')
  return error.userFacingError
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
 * Check mark and radio dot for the unstyled default markup of patkit's checkboxes and radios; hidden
 * from assistive tech, which has the real input.
 */
export function SelectionIndicator({ isSelected, type }: { isSelected: boolean; type: 'checkbox' | 'radio' }) {
  const glyph = type === 'checkbox' ? (isSelected ? '☑' : '☐') : isSelected ? '◉' : '○'
  return (
    <span aria-hidden="true" className={`patkit-${type === 'checkbox' ? 'Checkbox' : 'Radio'}Indicator`}>
      {glyph}{' '}
    </span>
  )
}

/**
 * `React.lazy` that never throws to an error boundary: when the import fails (offline, or a deploy
 * replaced the chunk), `Failed` renders in its place with a `retry` that imports again.
 */
export function useLazyComponent<P extends object>(
  load: () => Promise<{ default: ComponentType<P> }>,
  Failed: ComponentType<P & { retry(): void }>,
): ComponentType<P> {
  const [attempt, setAttempt] = useState(0)
  return useMemo(() => {
    const retry = () => setAttempt((n) => n + 1)
    return lazy(() => load().catch(() => ({ default: (props: P) => <Failed {...props} retry={retry} /> })))
    // A new attempt is a new lazy component, so the import runs again.
  }, [load, Failed, attempt])
}
