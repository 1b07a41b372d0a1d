import { createContext } from 'react'
import { useContextProps, type ContextValue } from 'react-aria-components/slots'
import type { RenderProps } from 'react-aria-components/useRenderProps'
import type { PersonalApiKey } from '../client/types.ts'
import { usePatkitContext } from '../react/provider.tsx'
import { KeyDialogLoader, useKeyDialogOpenState, type KeyActionRenderProps, type KeyDialogProps } from './KeyDialog.tsx'

export interface RevokeDialogRenderProps extends KeyActionRenderProps {
  /**
   * The typed text matches `confirmationText`, or no confirmation is asked for.
   * @selector [data-confirmed]
   */
  isConfirmed: boolean
}

export interface RevokeDialogProps extends KeyDialogProps, Omit<RenderProps<RevokeDialogRenderProps>, 'render'> {
  /**
   * Text the user must type before Revoke is enabled (e.g. the key's name). Compared trimmed and
   * NFC-normalized. Omit for a plain confirmation.
   */
  confirmationText?: string
  /** Called once the server confirms; an already-deleted key counts as revoked. */
  onRevoked?: (apiKey: PersonalApiKey) => void
}

/** Props an app gives every `RevokeDialog` inside it. */
export const RevokeDialogContext = createContext<ContextValue<Partial<RevokeDialogProps>, HTMLElement>>(null)

/**
 * Asks before revoking a key, then revokes it. Custom children are wired through slots:
 * `<Heading slot="title">`, `<Text slot="description">`, `<TextField slot="confirmation">`,
 * `<Button slot="confirm">`, `<Button slot="cancel">`. Its content (overlays/RevokeDialogContent.tsx)
 * loads when it first opens.
 */
export function RevokeDialog(props: RevokeDialogProps) {
  const [merged, ref] = useContextProps(props, props.ref, RevokeDialogContext)
  usePatkitContext('<RevokeDialog>')
  const open = useKeyDialogOpenState(merged)
  return (
    <KeyDialogLoader {...open} messages={merged.messages}>
      {({ RevokeDialogContent }) => <RevokeDialogContent {...merged} dialogRef={ref} {...open} />}
    </KeyDialogLoader>
  )
}
