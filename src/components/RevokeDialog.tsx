import { createContext, useContext, useState, type ReactNode, type Ref } from 'react'
import { Button, ButtonContext } from 'react-aria-components/Button'
import { Dialog, OverlayTriggerStateContext } from 'react-aria-components/Dialog'
import { Heading } from 'react-aria-components/Heading'
import { useLocale } from 'react-aria-components/I18nProvider'
import { Input } from 'react-aria-components/Input'
import { Label } from 'react-aria-components/Label'
import { Modal, ModalOverlay } from 'react-aria-components/Modal'
import { Text } from 'react-aria-components/Text'
import { TextField, TextFieldContext } from 'react-aria-components/TextField'
import { VisuallyHidden } from 'react-aria-components/VisuallyHidden'
import { DEFAULT_SLOT, Provider, useContextProps, type ContextValue, type SlotProps } from 'react-aria-components/slots'
import type { RenderProps } from 'react-aria-components/useRenderProps'
import type { ApiError, ErrorKind, PersonalApiKey } from '../client/types.ts'
import { usePatkitContext } from '../react/provider.tsx'
import { useRevokePersonalAccessToken } from '../react/hooks.ts'
import { useDateFormatters } from './format.ts'
import { useMessages, type PatkitMessages, type Translate } from './messages.tsx'
import { domProps, keyErrorMessage, usePartRenderProps, type PartDOMProps } from './shared.tsx'

// ---------------------------------------------------------------------------------------------
// Shared by the key dialogs (RevokeDialog, RotateDialog)

export interface KeyDialogOpenProps {
  /** Whether the dialog is open (controlled). */
  isOpen?: boolean
  /** Whether the dialog is open at first (uncontrolled). Inside a `<DialogTrigger>`, leave both unset. */
  defaultOpen?: boolean
  /** Called when the dialog opens or closes, whichever mode it is in. */
  onOpenChange?: (isOpen: boolean) => void
}

/** What both key dialogs report about their request. */
export interface KeyActionRenderProps {
  /**
   * The request is in flight.
   * @selector [data-pending]
   */
  isPending: boolean
  /**
   * Why the last attempt failed; `null` before a failure and while retrying. The dialog stays open.
   * @selector [data-error-kind]
   */
  error: ApiError | null
  /**
   * The failure's `handle()` callback name, e.g. `"rateLimited"`.
   * @selector [data-error-kind="rateLimited"]
   */
  errorKind: ErrorKind | null
}

/** The props both key dialogs share. */
export interface KeyDialogProps extends KeyDialogOpenProps, SlotProps, PartDOMProps {
  /** The key the dialog acts on. */
  apiKey: PersonalApiKey
  messages?: Partial<PatkitMessages>
  /** Reaches the dialog element. */
  ref?: Ref<HTMLElement>
}

/**
 * Open state the react-aria way: controlled by `isOpen`, else by `defaultOpen`, else by an enclosing
 * `<DialogTrigger>`. Owning it here (rather than leaving it to `ModalOverlay`) lets `onOpenChange`
 * fire in every mode and lets the dialog close itself after success.
 */
export function useKeyDialogOpenState({ isOpen, defaultOpen, onOpenChange }: KeyDialogOpenProps) {
  const trigger = useContext(OverlayTriggerStateContext)
  const [localOpen, setLocalOpen] = useState(defaultOpen ?? false)
  const byTrigger = isOpen === undefined && defaultOpen === undefined && trigger !== null
  const open = isOpen ?? (byTrigger ? trigger.isOpen : localOpen)
  const setOpen = (next: boolean) => {
    if (isOpen === undefined) {
      if (byTrigger) trigger.setOpen(next)
      else setLocalOpen(next)
    }
    onOpenChange?.(next)
  }
  return { isOpen: open, setOpen }
}

/** Trimmed and NFC-normalized, so surrounding spaces and composed/decomposed input compare equal. */
const comparable = (text: string) => text.normalize('NFC').trim()

/**
 * Enter confirms, except while an IME is composing (that Enter picks a candidate). Safari reports
 * the composing Enter with `isComposing` false but `keyCode` 229.
 */
export function isConfirmingEnter(event: { key: string; nativeEvent: KeyboardEvent }): boolean {
  return event.key === 'Enter' && !event.nativeEvent.isComposing && event.nativeEvent.keyCode !== 229
}

/** Key start and last use, so the user can tell which key the dialog is about. */
export function KeyFacts({ apiKey, t, className }: { apiKey: PersonalApiKey; t: Translate; className: string }) {
  const format = useDateFormatters()
  return (
    <dl className={className}>
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

// ---------------------------------------------------------------------------------------------
// RevokeDialog

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

export const RevokeDialogContext = createContext<ContextValue<RevokeDialogProps, HTMLElement>>(null)

/**
 * Asks before revoking a key, then revokes it. Custom children are wired through slots:
 * `<Heading slot="title">`, `<Text slot="description">`, `<TextField slot="confirmation">`,
 * `<Button slot="confirm">`, `<Button slot="cancel">`.
 */
export function RevokeDialog(props: RevokeDialogProps) {
  const [merged, ref] = useContextProps(props, props.ref, RevokeDialogContext)
  usePatkitContext('<RevokeDialog>')
  const { apiKey, confirmationText, onRevoked, messages } = merged
  const t = useMessages(messages)
  const { direction } = useLocale()
  const { isOpen, setOpen } = useKeyDialogOpenState(merged)
  const revoke = useRevokePersonalAccessToken()
  const [typed, setTyped] = useState('')
  const [error, setError] = useState<ApiError | null>(null)
  const [announcement, setAnnouncement] = useState('')

  // Each opening starts clean: no stale error or typed text from the last time.
  const [wasOpen, setWasOpen] = useState(isOpen)
  if (isOpen !== wasOpen) {
    setWasOpen(isOpen)
    if (isOpen) {
      setTyped('')
      setError(null)
    }
  }

  const isConfirmed = confirmationText === undefined || comparable(typed) === comparable(confirmationText)
  const isPending = revoke.isPending

  const finish = (revoked: PersonalApiKey) => {
    setAnnouncement(t('revoked', { name: revoked.name }))
    setOpen(false)
    onRevoked?.(revoked)
  }

  const confirm = async () => {
    if (!isConfirmed || isPending) return
    setError(null)
    setAnnouncement('')
    const response = await revoke.mutateAsync({ id: apiKey.id })
    await response.handle({
      success: finish,
      // Someone (or another tab) got there first: the key is gone, which is what the user asked for.
      apiKeyNotFound: () => finish({ ...apiKey, status: 'revoked', revokedAt: apiKey.revokedAt ?? new Date().toISOString() }),
      unexpectedOrUnhandled: setError,
    })
  }

  const values: RevokeDialogRenderProps = { isPending, error, errorKind: error?.kind ?? null, isConfirmed }
  const defaultChildren: ReactNode = (
    <>
      <Heading slot="title" className="patkit-RevokeDialogTitle">
        {t('revokeTitle', { name: apiKey.name })}
      </Heading>
      <Text slot="description" elementType="p" className="patkit-RevokeDialogDescription">
        {t('revokeDescription')}
      </Text>
      <KeyFacts apiKey={apiKey} t={t} className="patkit-RevokeDialogFacts" />
      {confirmationText !== undefined && (
        <TextField slot="confirmation" className="patkit-RevokeDialogConfirmation">
          <Label>{t('revokeConfirmLabel', { text: confirmationText })}</Label>
          <Input />
        </TextField>
      )}
      {error && (
        <p role="alert" className="patkit-RevokeDialogError">
          {keyErrorMessage(error, t)}
        </p>
      )}
      <div className="patkit-RevokeDialogActions">
        <Button slot="cancel">{t('cancel')}</Button>
        <Button slot="confirm">{isPending ? t('revokePending') : t('revokeConfirm')}</Button>
      </div>
    </>
  )
  const { render: _render, ...renderProps } = usePartRenderProps(merged, values, 'RevokeDialog', defaultChildren)
  const close = () => setOpen(false)

  return (
    <>
      <VisuallyHidden role="status">{announcement}</VisuallyHidden>
      {/* Portalled out of the app's tree, the modal takes its direction from the locale instead. */}
      <ModalOverlay isOpen={isOpen} onOpenChange={setOpen} className="patkit-RevokeDialogOverlay" dir={direction}>
        <Modal className="patkit-RevokeDialogModal">
          <Dialog {...domProps(merged)} {...renderProps} ref={ref} role="alertdialog">
            <Provider
              values={[
                [
                  ButtonContext,
                  {
                    slots: {
                      [DEFAULT_SLOT]: {},
                      // A destructive action: the safe choice takes the initial focus.
                      cancel: { onPress: close, autoFocus: true },
                      close: { onPress: close },
                      confirm: { onPress: confirm, isPending, isDisabled: !isConfirmed },
                    },
                  },
                ],
                [
                  TextFieldContext,
                  {
                    slots: {
                      [DEFAULT_SLOT]: {},
                      confirmation: {
                        value: typed,
                        onChange: setTyped,
                        autoComplete: 'off',
                        onKeyDown: (event) => {
                          if (isConfirmingEnter(event)) void confirm()
                          // react-aria stops key events at a handler by default; Escape must still reach the modal.
                          else event.continuePropagation()
                        },
                      },
                    },
                  },
                ],
              ]}
            >
              {renderProps.children}
            </Provider>
          </Dialog>
        </Modal>
      </ModalOverlay>
    </>
  )
}
