import { createContext } from 'react'
import { useContextProps, type ContextValue } from 'react-aria-components/slots'
import type { RenderProps } from 'react-aria-components/useRenderProps'
import type { PersonalApiKey } from '../client/types.ts'
import { usePatkitContext } from '../react/provider.tsx'
import { KeyDialogLoader, useKeyDialogOpenState, type KeyActionRenderProps, type KeyDialogProps } from './KeyDialog.tsx'

export interface RenameDialogRenderProps extends KeyActionRenderProps {
  /**
   * The name field holds a name the server may accept (not blank, not unchanged).
   * @selector [data-changed]
   */
  isChanged: boolean
}

export interface RenameDialogProps extends KeyDialogProps, Omit<RenderProps<RenameDialogRenderProps>, 'render'> {
  /** Called once the server confirms the new name. */
  onRenamed?: (apiKey: PersonalApiKey) => void
}

/** Props an app gives every `RenameDialog` inside it. */
export const RenameDialogContext = createContext<ContextValue<Partial<RenameDialogProps>, HTMLElement>>(null)

/**
 * Renames a key. The server's `name_taken` (and any field error) shows on the name field; the dialog
 * stays open until the server confirms. Custom children sit inside its form and are wired through
 * slots: `<Heading slot="title">`, `<TextField slot="name">`, `<Button slot="confirm">` (submits),
 * `<Button slot="cancel">`. Its content (overlays/RenameDialogContent.tsx) loads when it first opens.
 */
export function RenameDialog(props: RenameDialogProps) {
  const [merged, ref] = useContextProps(props, props.ref, RenameDialogContext)
  usePatkitContext('<RenameDialog>')
  const open = useKeyDialogOpenState(merged)
  return (
    <KeyDialogLoader {...open} messages={merged.messages}>
      {({ RenameDialogContent }) => <RenameDialogContent {...merged} dialogRef={ref} {...open} />}
    </KeyDialogLoader>
  )
}
