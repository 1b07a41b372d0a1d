/**
 * What the three key dialogs (RevokeDialog, RotateDialog, RenameDialog) share on first load: their
 * common props, the open state, and the loader of their content. The content — react-aria's Modal and
 * Dialog, each dialog's fields and request — is in `./overlays/`, one chunk with the list's row menu,
 * loaded when a dialog or menu first opens (or when an app calls `preloadOverlays()`).
 */
import { useState, type ReactNode, type Ref } from 'react'
import { Button } from 'react-aria-components/Button'
import type { SlotProps } from 'react-aria-components/slots'
import type { ApiError, ErrorKind, PersonalApiKey } from '../client/types.ts'
import { lazyModule, useLazyModule } from './lazy.ts'
import { useMessages, type PatkitMessages } from './messages.tsx'
import type { PartDOMProps } from './shared.tsx'
import { revealCode } from './TokenReveal.tsx'

export interface KeyDialogOpenProps {
  /** Whether the dialog is open (controlled). */
  isOpen?: boolean
  /** Whether the dialog is open at first (uncontrolled). Inside a `<DialogTrigger>`, leave both unset. */
  defaultOpen?: boolean
  /** Called when the dialog opens or closes, whichever mode it is in. */
  onOpenChange?: (isOpen: boolean) => void
}

/** What every key dialog reports about its request. */
export interface KeyActionRenderProps {
  /**
   * The request is in flight.
   * @selector [data-pending]
   */
  isPending: boolean
  /**
   * Why the last attempt failed; `null` before a failure and while retrying. The dialog stays open.
   * @selector [data-error="rateLimited"]
   */
  error: ApiError | null
  /**
   * The failure's `handle()` callback name, e.g. `"rateLimited"` (the same `data-error`).
   * @selector [data-error="rateLimited"]
   */
  errorKind: ErrorKind | null
  /**
   * Seconds until the server said a retry may help (a 429, or a 503 with `Retry-After`); the confirm
   * button counts them down and is disabled until then. `null` when there is nothing to wait for.
   * @selector [data-retry-in-seconds]
   */
  retryInSeconds: number | null
}

/** The props every key dialog takes. */
export interface KeyDialogProps extends KeyDialogOpenProps, SlotProps, PartDOMProps {
  /** The key the dialog acts on. */
  apiKey: PersonalApiKey
  messages?: Partial<PatkitMessages>
  /** Reaches the dialog element. */
  ref?: Ref<HTMLElement>
}

export interface KeyDialogOpenState {
  isOpen: boolean
  setOpen(isOpen: boolean): void
  /**
   * Neither `isOpen` nor `defaultOpen` is given: an enclosing react-aria `<DialogTrigger>` may own the
   * state. Its context lives in react-aria's Dialog module, which loads with the overlay chunk, so the
   * dialog loads that chunk at once and reads the trigger there.
   */
  byTrigger: boolean
}

/**
 * Open state the react-aria way: controlled by `isOpen`, else by `defaultOpen`, else by an enclosing
 * `<DialogTrigger>` (see `byTrigger`). Owning it here (rather than leaving it to `ModalOverlay`) lets
 * `onOpenChange` fire in every mode and lets the dialog close itself after success.
 */
export function useKeyDialogOpenState({ isOpen, defaultOpen, onOpenChange }: KeyDialogOpenProps): KeyDialogOpenState {
  const [localOpen, setLocalOpen] = useState(defaultOpen ?? false)
  const setOpen = (next: boolean) => {
    if (isOpen === undefined) setLocalOpen(next)
    onOpenChange?.(next)
  }
  return { isOpen: isOpen ?? localOpen, setOpen, byTrigger: isOpen === undefined && defaultOpen === undefined }
}

/** The overlay chunk: the row actions menu and the three dialogs' content. */
export const overlays = lazyModule(() => import('./overlays/index.ts'))
export type Overlays = typeof import('./overlays/index.ts')

/**
 * Loads the code of patkit's overlays — TokenList's row actions menu, RevokeDialog, RotateDialog,
 * RenameDialog (one chunk) and the one-time reveal — before they are first needed, e.g. on hover or
 * when the browser is idle, so even the first opening shows no loading state. The components load it
 * themselves otherwise.
 */
export function preloadOverlays(): Promise<void> {
  return Promise.all([overlays.load(), revealCode.load()]).then(() => undefined)
}

/**
 * A dialog's content once the overlay chunk is there. On a warm cache that is the first render; on a
 * cold one an open dialog shows a status until the chunk arrives, or an alert with a retry if it
 * cannot load (offline, or a deploy replaced it). Once loaded the content stays mounted while closed,
 * so its announcement ("Key revoked") is still read.
 */
export function KeyDialogLoader({
  isOpen,
  setOpen,
  byTrigger,
  messages,
  children,
}: KeyDialogOpenState & { messages?: Partial<PatkitMessages>; children: (overlays: Overlays) => ReactNode }) {
  const t = useMessages(messages)
  const { module, failed, retry } = useLazyModule(overlays, isOpen || byTrigger)
  if (module) return children(module)
  if (!isOpen) return null
  if (failed) {
    return (
      <div role="alert" className="patkit-KeyDialogLoadError">
        {t('dialogFailed')} <Button onPress={retry}>{t('retry')}</Button> <Button onPress={() => setOpen(false)}>{t('cancel')}</Button>
      </div>
    )
  }
  return (
    <div role="status" className="patkit-KeyDialogLoading">
      {t('loadingDialog')}
    </div>
  )
}
