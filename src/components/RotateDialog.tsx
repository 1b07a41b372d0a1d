import { createContext } from 'react'
import { useContextProps, type ContextValue } from 'react-aria-components/slots'
import type { RenderProps } from 'react-aria-components/useRenderProps'
import type { ExpirationOption, GracePeriodOption, RotatedPersonalApiKey } from '../client/types.ts'
import { usePatkitContext } from '../react/provider.tsx'
import { KeyDialogLoader, useKeyDialogOpenState, type KeyActionRenderProps, type KeyDialogProps } from './KeyDialog.tsx'

export type RotateDialogStep = 'confirm' | 'reveal'

export interface RotateDialogRenderProps extends KeyActionRenderProps {
  /**
   * Asking (`confirm`), or showing the new token once (`reveal`).
   * @selector [data-step="reveal"]
   */
  step: RotateDialogStep
  /**
   * The new key's expiration as chosen; `null` keeps the old key's lifetime.
   * @selector [data-expiration="OneMonth"]
   */
  expiration: ExpirationOption | null
  /**
   * How long the old key keeps working after the rotation; `None` (the default) stops it at once.
   * @selector [data-grace-period="OneDay"]
   */
  gracePeriod: GracePeriodOption
}

/** What `onRotated` reports: the new key's metadata and the old key's id. Never the token. */
export type RotateResult = Omit<RotatedPersonalApiKey, 'token'>

export interface RotateDialogProps extends KeyDialogProps, Omit<RenderProps<RotateDialogRenderProps>, 'render'> {
  /** Offers a new expiration from the policy's presets; default: the new key keeps the old one's lifetime. */
  allowsExpirationChange?: boolean
  /** Called once the server confirms, before the new token is shown. The token is never passed out. */
  onRotated?: (result: RotateResult) => void
}

/** Props an app gives every `RotateDialog` inside it. */
export const RotateDialogContext = createContext<ContextValue<Partial<RotateDialogProps>, HTMLElement>>(null)

/**
 * Replaces a key with a new one (same name and scopes) and shows the new token once. Where the policy
 * offers grace periods (`gracePeriodOptions` beyond `None`), the user chooses how long the old key keeps
 * working (none by default, the date it stops said as they choose), and the result says which. Custom children
 * shape the confirm step through the slots `<Heading slot="title">`, `<Text slot="description">`,
 * `<RadioGroup slot="expiration">`, `<Button slot="confirm">`, `<Button slot="cancel">`; the reveal step
 * is always a `TokenReveal` (style it through `TokenRevealContext`), so no custom markup can lose the
 * token. Its content (overlays/RotateDialogContent.tsx) loads when it first opens.
 */
export function RotateDialog(props: RotateDialogProps) {
  const [merged, ref] = useContextProps(props, props.ref, RotateDialogContext)
  usePatkitContext('<RotateDialog>')
  const open = useKeyDialogOpenState(merged)
  return (
    <KeyDialogLoader {...open} messages={merged.messages}>
      {({ RotateDialogContent }) => <RotateDialogContent {...merged} dialogRef={ref} {...open} />}
    </KeyDialogLoader>
  )
}
