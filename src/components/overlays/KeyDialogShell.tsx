/**
 * The one shell of the key dialogs (revoke, rotate, rename): the modal and its overlay in the locale's
 * direction, the dialog element with the part's render props, the cancel/close/confirm button slots,
 * the announcement that outlives the dialog, and the pieces each dialog shows (key facts, error alert).
 * Loaded with the rest of the overlay chunk.
 */
import { useContext, useId, useState, type ReactNode, type Ref } from 'react'
import { Button, ButtonContext, type ButtonProps } from 'react-aria-components/Button'
import { Dialog, OverlayTriggerStateContext } from 'react-aria-components/Dialog'
import { useLocale } from 'react-aria-components/I18nProvider'
import { Modal, ModalOverlay } from 'react-aria-components/Modal'
import { VisuallyHidden } from 'react-aria-components/VisuallyHidden'
import { DEFAULT_SLOT, Provider } from 'react-aria-components/slots'
import type { RenderProps } from 'react-aria-components/useRenderProps'
import type { ApiError, PersonalApiKey } from '../../client/types.ts'
import { useDateFormatters } from '../format.ts'
import type { KeyActionRenderProps, KeyDialogOpenState } from '../KeyDialog.tsx'
import type { Translate } from '../messages.tsx'
import { AnnouncementsLeaveWithMe, PendingLabelKeeper, domProps, keyErrorMessage, retryLabel, useRetryCountdown, usePartRenderProps, useSignIn } from '../shared.tsx'

/** What each dialog's content component receives from its public wrapper. */
export type KeyDialogContentProps<P> = P & KeyDialogOpenState & { dialogRef: Ref<HTMLElement> }

/** The wrapper's open state, or an enclosing `<DialogTrigger>`'s when the dialog is left to one. */
export function useTriggeredOpenState({ isOpen, setOpen, byTrigger }: KeyDialogOpenState, onOpenChange?: (isOpen: boolean) => void) {
  const trigger = useContext(OverlayTriggerStateContext)
  if (!byTrigger || !trigger) return { isOpen, setOpen }
  return {
    isOpen: trigger.isOpen,
    setOpen: (next: boolean) => {
      trigger.setOpen(next)
      onOpenChange?.(next)
    },
  }
}

/**
 * The request state every key dialog keeps: the last error, the announcement, the countdown of a
 * rate limit. Opening or closing, however it happens, starts clean (`reset` clears the dialog's own
 * fields too: a revealed token is dropped as the dialog closes).
 */
export function useKeyAction(isOpen: boolean, reset: () => void) {
  const [error, setError] = useState<ApiError | null>(null)
  const [announcement, announce] = useState('')
  const [wasOpen, setWasOpen] = useState(isOpen)
  if (isOpen !== wasOpen) {
    setWasOpen(isOpen)
    setError(null)
    // The last announcement ("Key revoked") is read after the dialog closes; a new opening drops it.
    if (isOpen) announce('')
    reset()
  }
  const retryInSeconds = useRetryCountdown(error)
  return { error, setError, announcement, announce, retryInSeconds }
}

/** The render props the shell reports for every dialog, from its request state. */
export function keyActionValues(isPending: boolean, error: ApiError | null, retryInSeconds: number | null): KeyActionRenderProps {
  return { isPending, error, errorKind: error?.kind ?? null, retryInSeconds }
}

type Part = 'RevokeDialog' | 'RotateDialog' | 'RenameDialog'

export interface KeyDialogShellProps<T extends KeyActionRenderProps> extends Omit<KeyDialogOpenState, 'byTrigger'> {
  part: Part
  /** The dialog's props: className/style/children (of `T`) and DOM props. */
  props: Omit<RenderProps<T>, 'render'> & object
  values: T
  defaultChildren: ReactNode
  dialogRef: Ref<HTMLElement>
  /** `alertdialog` for a destructive confirmation. */
  role?: 'dialog' | 'alertdialog'
  /** The cancel button takes the initial focus (the action cannot be undone). */
  focusesCancel?: boolean
  /** The confirm button's wiring (press, or `type: 'submit'` inside a form). */
  confirm: ButtonProps
  /** What the confirm button says while pending ("Rotating…"): it stands in for the button once the button is gone. */
  pendingLabel: string
  /** Called instead of closing at once (e.g. to drop a revealed token first). */
  onClose?: () => void
  isKeyboardDismissDisabled?: boolean
  /** Around the slotted children: the dialog's own slot contexts (a confirmation field, expiration radios…), a form. */
  wrap?: (children: ReactNode) => ReactNode
  /** Shown instead of the slotted children (the rotate dialog's reveal step). */
  replacement?: ReactNode
  /** Read by screen readers once the request succeeds; stays after the dialog closes. */
  announcement: string
}

export function KeyDialogShell<T extends KeyActionRenderProps>({
  part,
  props,
  values,
  defaultChildren,
  dialogRef,
  role = 'dialog',
  focusesCancel = false,
  isOpen,
  setOpen,
  confirm,
  pendingLabel,
  onClose = () => setOpen(false),
  isKeyboardDismissDisabled,
  wrap = (children) => children,
  replacement,
  announcement,
}: KeyDialogShellProps<T>) {
  const { direction } = useLocale()
  const renderProps = usePartRenderProps(props, values, part, defaultChildren)
  const waiting = values.retryInSeconds !== null
  const confirmId = useId()
  return (
    <>
      <VisuallyHidden role="status">{announcement}</VisuallyHidden>
      {/* The confirm button went pending, then away (the dialog closed): its announcement still names something. */}
      {!isOpen && <PendingLabelKeeper id={confirmId} label={pendingLabel} />}
      <ModalOverlay
        isOpen={isOpen}
        onOpenChange={(open) => (open ? setOpen(true) : onClose())}
        isKeyboardDismissDisabled={isKeyboardDismissDisabled}
        className={`patkit-${part}Overlay`}
        // Portalled out of the app's tree, the modal takes its direction from the locale instead.
        dir={direction}
      >
        <Modal className={`patkit-${part}Modal`}>
          <Dialog {...domProps(props)} {...renderProps} ref={dialogRef} role={role}>
            {replacement && (
              <>
                {replacement}
                <PendingLabelKeeper id={confirmId} label={pendingLabel} />
              </>
            )}
            {!replacement && (
              <Provider
                values={[
                  [
                    ButtonContext,
                    {
                      slots: {
                        [DEFAULT_SLOT]: {},
                        cancel: { onPress: onClose, autoFocus: focusesCancel },
                        close: { onPress: onClose },
                        confirm: { ...confirm, id: confirmId, isPending: values.isPending, isDisabled: confirm.isDisabled || waiting },
                      },
                    },
                  ],
                ]}
              >
                {wrap(renderProps.children)}
                <AnnouncementsLeaveWithMe />
              </Provider>
            )}
            <AnnouncementsLeaveWithMe />
          </Dialog>
        </Modal>
      </ModalOverlay>
    </>
  )
}

/** Key start and last use, so the user can tell which key the dialog is about. */
export function KeyFacts({ apiKey, t, part }: { apiKey: PersonalApiKey; t: Translate; part: Part }) {
  const format = useDateFormatters()
  return (
    <dl className={`patkit-${part}Facts`}>
      <dt>{t('keyStart')}</dt>
      <dd>
        <code>{apiKey.start}…</code>
      </dd>
      <dt>{t('lastUsed')}</dt>
      <dd>
        {apiKey.lastUsedAt ? (
          <time dateTime={apiKey.lastUsedAt} title={format.dateTime(apiKey.lastUsedAt)}>
            {format.relative(apiKey.lastUsedAt)}
          </time>
        ) : (
          t('neverUsed')
        )}
      </dd>
    </dl>
  )
}

/** The failed request's sentence, as an alert; when the user is signed out, with the app's "Sign in". */
export function KeyDialogError({ error, t, part }: { error: ApiError | null; t: Translate; part: Part }) {
  const signIn = useSignIn(error)
  if (!error) return null
  return (
    <p role="alert" className={`patkit-${part}Error`}>
      {keyErrorMessage(error, t)} {signIn && <Button onPress={signIn}>{t('signIn')}</Button>}
    </p>
  )
}

/** The confirm button's label: pending, counting down a server-asked wait, or the action. */
export function confirmLabel(values: KeyActionRenderProps, t: Translate, action: string, pending: string): string {
  if (values.isPending) return pending
  return values.retryInSeconds === null ? action : retryLabel(t, values.retryInSeconds)
}

/**
 * Enter confirms, except while an IME is composing (that Enter picks a candidate). Safari reports
 * the composing Enter with `isComposing` false but `keyCode` 229.
 */
export function isConfirmingEnter(event: { key: string; nativeEvent: KeyboardEvent }): boolean {
  return event.key === 'Enter' && !event.nativeEvent.isComposing && event.nativeEvent.keyCode !== 229
}
