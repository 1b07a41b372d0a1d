import { createContext } from 'react'
import { useContextProps, type ContextValue } from 'react-aria-components/slots'
import type { RenderProps } from 'react-aria-components/useRenderProps'
import type { PersonalApiKey } from '../client/types.ts'
import { usePatkitContext } from '../react/provider.tsx'
import { KeyDialogLoader, useKeyDialogOpenState, type KeyActionRenderProps, type KeyDialogProps } from './KeyDialog.tsx'

export interface RenameDialogRenderProps extends KeyActionRenderProps {
  /**
   * The fields hold something to save: a name that is not blank, and a changed name or description.
   * @selector [data-changed]
   */
  isChanged: boolean
}

export interface RenameDialogProps extends KeyDialogProps, Omit<RenderProps<RenameDialogRenderProps>, 'render'> {
  /** Called once the server confirms the new name and/or description. */
  onRenamed?: (apiKey: PersonalApiKey) => void
}

/** Props an app gives every `RenameDialog` inside it. */
export const RenameDialogContext = createContext<ContextValue<Partial<RenameDialogProps>, HTMLElement>>(null)

/**
 * Edits a key: its name and, where the backend keeps descriptions (`capabilities.description`), its
 * description ("Edit “name”"; without descriptions it stays "Rename “name”"). Only what changed is sent;
 * an emptied description is removed. The server's `name_taken` (and any field error) shows on its
 * field, which takes focus; the dialog stays open until the server confirms. Custom children sit inside
 * its form and are wired through slots: `<Heading slot="title">`, `<TextField slot="name">`,
 * `<TextField slot="description">`, `<Button slot="confirm">` (submits), `<Button slot="cancel">`. Its
 * content (overlays/RenameDialogContent.tsx) loads when it first opens.
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
