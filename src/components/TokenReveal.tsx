import { createContext, type JSX, type Ref } from 'react'
import { Button } from 'react-aria-components/Button'
import { useContextProps, type ContextValue, type SlotProps } from 'react-aria-components/slots'
import type { RenderProps } from 'react-aria-components/useRenderProps'
import type { PersonalApiKey } from '../client/types.ts'
import { lazyModule, useLazyModule } from './lazy.ts'
import { useMessages, type PatkitMessages } from './messages.tsx'
import { useLeaveGuard, type PartDOMProps } from './shared.tsx'

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
  /** The key the token belongs to, when the reveal was given it (no attribute). */
  apiKey: PersonalApiKey | null
}

export interface TokenRevealProps extends Omit<RenderProps<TokenRevealRenderProps>, 'render'>, PartDOMProps {
  /** The plaintext token, shown this once. Keep it in component state only; drop it in `onDismiss`. */
  token: string
  /** The key it belongs to: the reveal then says which key it is (name, expiry, scopes). */
  apiKey?: PersonalApiKey
  /** Called after the user acknowledged and pressed Done. The reveal renders nothing from then on. */
  onDismiss?: () => void
  messages?: Partial<PatkitMessages>
  ref?: Ref<HTMLDivElement>
}

/** Props an app gives every `TokenReveal` inside it (a className, messages…). */
export const TokenRevealContext = createContext<ContextValue<Partial<TokenRevealProps>, HTMLDivElement>>(null)

/** The reveal's code, loaded when a key is about to be shown (`CreatePersonalApiKey` starts it on submit). */
export const revealCode = lazyModule(() => import('./TokenRevealContent.tsx'))

/**
 * The one-time secret: which key it is (given `apiKey`), the token in a read-only field that wraps it
 * whole, a copy button, the warning that it will not be shown again, and an "I have saved this key"
 * acknowledgement before Done. Focus moves to the field (its text selected) when the reveal appears;
 * leaving the page before the acknowledgement asks first (`beforeunload`).
 *
 * Custom children use the slots `title` (Heading), `warning` (Text), `token` (TextField),
 * `copy` and `done` (Button), `acknowledge` (Checkbox). Its code (TokenRevealContent.tsx) loads when a
 * reveal is first shown, or earlier through `preloadOverlays()`; meanwhile a status says it is loading.
 */
export function TokenReveal(props: TokenRevealProps): JSX.Element | null {
  const [merged, ref] = useContextProps<TokenRevealProps, Partial<TokenRevealProps> & SlotProps, HTMLDivElement>(props, props.ref, TokenRevealContext)
  const t = useMessages(merged.messages)
  const { module, failed, retry } = useLazyModule(revealCode, true)
  // The token is held here until its reveal can show it; leaving now would lose it as surely.
  useLeaveGuard(!module)
  if (module) return <module.TokenRevealContent {...merged} ref={ref} />
  return failed ? (
    <div role="alert" className="patkit-TokenRevealLoadError">
      {t('revealFailed')} <Button onPress={retry}>{t('retry')}</Button>
    </div>
  ) : (
    <div role="status" className="patkit-TokenRevealLoading">
      {t('loadingDialog')}
    </div>
  )
}
