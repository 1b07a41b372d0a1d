/**
 * TokenReveal's content, in a module of its own: a page shows it only after a key was created or
 * rotated, so it loads then — `CreatePersonalApiKey` starts loading it as the form is submitted, and
 * the rotate dialog's chunk brings it along. Its public face (props, render props, context) is
 * TokenReveal.tsx.
 */
import { useEffect, useId, useRef, useState, type JSX } from 'react'
import { Button, ButtonContext } from 'react-aria-components/Button'
// The context only: an app's own react-aria Checkbox in slot="acknowledge" is wired through it.
import { CheckboxContext } from 'react-aria-components/Checkbox'
import { Heading, HeadingContext } from 'react-aria-components/Heading'
import { useLocale } from 'react-aria-components/I18nProvider'
import { Label } from 'react-aria-components/Label'
import { Text, TextContext } from 'react-aria-components/Text'
import { TextArea } from 'react-aria-components/TextArea'
import { TextField, TextFieldContext } from 'react-aria-components/TextField'
import { VisuallyHidden } from 'react-aria-components/VisuallyHidden'
import { DEFAULT_SLOT, Provider } from 'react-aria-components/slots'
import type { PersonalApiKey } from '../client/types.ts'
import { useDateFormatters, type DateFormatters } from './format.ts'
import { laterEn } from './laterMessages.ts'
import { useMessages, type Translate } from './messages.tsx'
import { domProps, useEnclosingTitle, useLeaveGuard, usePartRenderProps } from './shared.tsx'
import type { TokenRevealProps, TokenRevealRenderProps } from './TokenReveal.tsx'

/** How long the copy button says "Copied" before it can announce another copy. */
const COPIED_MS = 3_000

/** Copies through the Clipboard API, else the old selection + `execCommand`; false when both fail. */
async function copyText(text: string, field: HTMLInputElement | HTMLTextAreaElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    // No Clipboard API (insecure context, old browser) or permission refused: execCommand copies the selection.
    field?.focus()
    field?.select()
    try {
      return document.execCommand('copy')
    } catch {
      return false
    }
  }
}

/** Which key the token belongs to: its name and description, when it expires, what it may do. */
function KeyFacts({ apiKey, t, format }: { apiKey: PersonalApiKey; t: Translate; format: DateFormatters }) {
  const at = apiKey.expiresAt
  return (
    <dl className="patkit-TokenRevealFacts">
      <dt>{t('columnName')}</dt>
      <dd dir="auto">{apiKey.name}</dd>
      {apiKey.description && (
        <>
          <dt>{t('keyDescription')}</dt>
          <dd dir="auto" className="patkit-TokenRevealDescription">
            {apiKey.description}
          </dd>
        </>
      )}
      <dt>{t('columnExpires')}</dt>
      <dd>
        {at === null ? (
          t('never')
        ) : (
          <time dateTime={at}>
            {format.relative(at)} ({format.date(at)})
          </time>
        )}
      </dd>
      <dt>{t('columnScopes')}</dt>
      <dd>{apiKey.scopes.length > 0 ? apiKey.scopes.join(', ') : t('noScopes')}</dd>
    </dl>
  )
}

/** A check mark for the copy button's confirmation; the words say it too. */
const CHECK = (
  <svg aria-hidden="true" className="patkit-TokenRevealCopiedIcon" width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="2.2">
    <path d="M3 8.5l3.2 3L13 4.5" />
  </svg>
)

/** The reveal itself, with the props TokenReveal already merged from its context. */
export function TokenRevealContent(props: TokenRevealProps): JSX.Element | null {
  const { token, apiKey = null, onDismiss, messages } = props
  const t = useMessages(messages, laterEn)
  const format = useDateFormatters()
  const { direction } = useLocale()
  const [isAcknowledged, setAcknowledged] = useState(false)
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle')
  const [isDismissed, setDismissed] = useState(false)
  const rootRef = useRef<HTMLDivElement | null>(null)
  const titleId = useId()
  const warningId = useId()
  const enclosingTitle = useEnclosingTitle()
  // The token cannot be shown again: leaving the page before the user said it is saved asks first.
  useLeaveGuard(!isAcknowledged && !isDismissed)

  useEffect(() => {
    if (copy !== 'copied') return
    const timer = setTimeout(() => setCopy('idle'), COPIED_MS)
    return () => clearTimeout(timer)
  }, [copy])

  const values: TokenRevealRenderProps = { isCopied: copy === 'copied', copyFailed: copy === 'failed', isAcknowledged, apiKey }
  const renderProps = usePartRenderProps(
    props,
    values,
    'TokenReveal',
    <>
      <Heading slot="title">{t('revealTitle')}</Heading>
      {apiKey && <KeyFacts apiKey={apiKey} t={t} format={format} />}
      <Text slot="warning">{t('revealWarning')}</Text>
      <TextField slot="token">
        <Label>{t('revealLabel')}</Label>
        {/* A text area, so the whole token wraps into view on a narrow screen instead of scrolling out of it. */}
        <TextArea rows={2} />
      </TextField>
      <Button slot="copy">
        {copy === 'copied' ? (
          <>
            {CHECK} {t('copied')}
          </>
        ) : (
          t('copy')
        )}
      </Button>
      {copy === 'failed' && <Text slot="copyFailed">{t('copyFailed')}</Text>}
      <label className="patkit-TokenRevealAcknowledge">
        <input type="checkbox" checked={isAcknowledged} onChange={(event) => setAcknowledged(event.target.checked)} /> {t('acknowledge')}
      </label>
      <Button slot="done">{t('done')}</Button>
    </>,
  )

  // Once dismissed, nothing of the token stays in the DOM even if the parent keeps this mounted.
  if (isDismissed) return null

  const onCopy = async () => {
    // On failure copyText leaves the text selected, ready for a manual copy.
    const field = rootRef.current?.querySelector<HTMLInputElement | HTMLTextAreaElement>('textarea, input:not([type=checkbox])') ?? null
    setCopy((await copyText(token, field)) ? 'copied' : 'failed')
  }

  const dismiss = () => {
    setDismissed(true)
    onDismiss?.()
  }

  const ref = props.ref
  return (
    <div
      // The locale's direction, so an Arabic reveal lays out right to left on any page; a `dir` prop wins.
      dir={direction}
      {...domProps(props)}
      {...renderProps}
      ref={(element) => {
        rootRef.current = element
        if (typeof ref === 'function') ref(element)
        else if (ref) ref.current = element
      }}
      role="group"
      aria-labelledby={(props['aria-labelledby'] as string | undefined) ?? enclosingTitle?.id ?? titleId}
    >
      <Provider
        values={[
          [HeadingContext, { slots: { [DEFAULT_SLOT]: {}, title: { level: 2, ...enclosingTitle, id: enclosingTitle?.id ?? titleId } } }],
          [TextContext, { slots: { [DEFAULT_SLOT]: {}, warning: { id: warningId }, copyFailed: {} } }],
          [
            TextFieldContext,
            {
              slots: {
                [DEFAULT_SLOT]: {},
                token: {
                  value: token,
                  isReadOnly: true,
                  autoComplete: 'off',
                  autoCorrect: 'off',
                  spellCheck: 'false',
                  autoFocus: true,
                  'aria-describedby': warningId,
                  onFocus: (event) => (event.target as HTMLInputElement | HTMLTextAreaElement).select(),
                },
              },
            },
          ],
          [
            ButtonContext,
            {
              slots: {
                [DEFAULT_SLOT]: {},
                copy: { onPress: () => void onCopy() },
                done: { isDisabled: !isAcknowledged, onPress: dismiss },
              },
            },
          ],
          [CheckboxContext, { slots: { [DEFAULT_SLOT]: {}, acknowledge: { isSelected: isAcknowledged, onChange: setAcknowledged } } }],
        ]}
      >
        {renderProps.children}
      </Provider>
      <VisuallyHidden role="status" aria-live="polite">
        {copy === 'copied' ? t('copiedAnnouncement') : copy === 'failed' ? t('copyFailed') : ''}
      </VisuallyHidden>
    </div>
  )
}
