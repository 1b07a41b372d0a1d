import { createContext, useEffect, useId, useRef, useState, type JSX, type Ref } from 'react'
import { FieldInputContext } from 'react-aria-components/Autocomplete'
import { Button, ButtonContext } from 'react-aria-components/Button'
import { Checkbox, CheckboxContext } from 'react-aria-components/Checkbox'
import { Heading, HeadingContext } from 'react-aria-components/Heading'
import { useLocale } from 'react-aria-components/I18nProvider'
import { Input } from 'react-aria-components/Input'
import { Label } from 'react-aria-components/Label'
import { Text, TextContext } from 'react-aria-components/Text'
import { TextField, TextFieldContext } from 'react-aria-components/TextField'
import { VisuallyHidden } from 'react-aria-components/VisuallyHidden'
import { DEFAULT_SLOT, Provider, useContextProps, type ContextValue, type SlotProps } from 'react-aria-components/slots'
import type { RenderProps } from 'react-aria-components/useRenderProps'
import { useMessages, type PatkitMessages } from './messages.tsx'
import { domProps, SelectionIndicator, useEnclosingTitle, usePartRenderProps, type PartDOMProps } from './shared.tsx'

export interface TokenRevealRenderProps {
  /**
   * The token was copied a moment ago (the copy button says so for a few seconds).
   * @selector [data-copied]
   */
  isCopied: boolean
  /**
   * Neither the Clipboard API nor the fallback could copy; the text is selected for copying by hand.
   * @selector [data-copy-failed]
   */
  copyFailed: boolean
  /**
   * The user ticked "I have saved this key", so the reveal may be dismissed.
   * @selector [data-acknowledged]
   */
  isAcknowledged: boolean
}

export interface TokenRevealProps extends Omit<RenderProps<TokenRevealRenderProps>, 'render'>, PartDOMProps {
  /** The plaintext token, shown this once. Keep it in component state only; drop it in `onDismiss`. */
  token: string
  /** Called after the user acknowledged and pressed Done. The reveal renders nothing from then on. */
  onDismiss?: () => void
  messages?: Partial<PatkitMessages>
  ref?: Ref<HTMLDivElement>
}

/** Props an app gives every `TokenReveal` inside it (a className, messages…). */
export const TokenRevealContext = createContext<ContextValue<Partial<TokenRevealProps>, HTMLDivElement>>(null)

/** How long the copy button says "Copied" before it can announce another copy. */
const COPIED_MS = 3_000

/** Copies through the Clipboard API, else the old selection + `execCommand`; false when both fail. */
async function copyText(text: string, field: HTMLInputElement | null): Promise<boolean> {
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

/**
 * The one-time secret: a read-only field with the token, a copy button, the warning that it will not
 * be shown again, and an "I have saved this key" acknowledgement before Done. Focus moves to the field
 * (its text selected) when the reveal appears.
 *
 * Custom children use the slots `title` (Heading), `warning` (Text), `token` (TextField),
 * `copy` and `done` (Button), `acknowledge` (Checkbox).
 */
export function TokenReveal(props: TokenRevealProps): JSX.Element | null {
  const [merged, ref] = useContextProps<TokenRevealProps, Partial<TokenRevealProps> & SlotProps, HTMLDivElement>(props, props.ref, TokenRevealContext)
  const { token, onDismiss, messages } = merged
  const t = useMessages(messages)
  const { direction } = useLocale()
  const [isAcknowledged, setAcknowledged] = useState(false)
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle')
  const [isDismissed, setDismissed] = useState(false)
  const fieldRef = useRef<HTMLInputElement>(null)
  const titleId = useId()
  const warningId = useId()
  const enclosingTitle = useEnclosingTitle()

  useEffect(() => {
    if (copy !== 'copied') return
    const timer = setTimeout(() => setCopy('idle'), COPIED_MS)
    return () => clearTimeout(timer)
  }, [copy])

  const values: TokenRevealRenderProps = { isCopied: copy === 'copied', copyFailed: copy === 'failed', isAcknowledged }
  const renderProps = usePartRenderProps(
    merged,
    values,
    'TokenReveal',
    <>
      <Heading slot="title">{t('revealTitle')}</Heading>
      <Text slot="warning">{t('revealWarning')}</Text>
      <TextField slot="token">
        <Label>{t('revealLabel')}</Label>
        <Input />
      </TextField>
      <Button slot="copy">{copy === 'copied' ? t('copied') : t('copy')}</Button>
      {copy === 'failed' && <Text slot="copyFailed">{t('copyFailed')}</Text>}
      <Checkbox slot="acknowledge">
        {({ isSelected }) => (
          <>
            <SelectionIndicator isSelected={isSelected} type="checkbox" />
            {t('acknowledge')}
          </>
        )}
      </Checkbox>
      <Button slot="done">{t('done')}</Button>
    </>,
  )

  // Once dismissed, nothing of the token stays in the DOM even if the parent keeps this mounted.
  if (isDismissed) return null

  const onCopy = async () => {
    // On failure copyText leaves the text selected, ready for a manual copy.
    setCopy((await copyText(token, fieldRef.current)) ? 'copied' : 'failed')
  }

  const dismiss = () => {
    setDismissed(true)
    onDismiss?.()
  }

  return (
    <div
      // The locale's direction, so an Arabic reveal lays out right to left on any page; a `dir` prop wins.
      dir={direction}
      {...domProps(merged)}
      {...renderProps}
      ref={ref}
      role="group"
      aria-labelledby={(merged['aria-labelledby'] as string | undefined) ?? enclosingTitle?.id ?? titleId}
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
                  onFocus: (event) => event.target.select(),
                },
              },
            },
          ],
          [FieldInputContext, { slots: { [DEFAULT_SLOT]: {}, token: { ref: fieldRef } } }],
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
