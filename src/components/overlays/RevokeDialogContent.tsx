import { useState } from 'react'
import { Button } from 'react-aria-components/Button'
import { Heading } from 'react-aria-components/Heading'
import { Input } from 'react-aria-components/Input'
import { Label } from 'react-aria-components/Label'
import { Text } from 'react-aria-components/Text'
import { TextField, TextFieldContext } from 'react-aria-components/TextField'
import { DEFAULT_SLOT } from 'react-aria-components/slots'
import type { PersonalApiKey } from '../../client/types.ts'
import { useRevokePersonalApiKey } from '../../react/hooks.ts'
import { laterEn } from '../laterMessages.ts'
import { useMessages } from '../messages.tsx'
import type { RevokeDialogProps, RevokeDialogRenderProps } from '../RevokeDialog.tsx'
import { confirmLabel, isConfirmingEnter, KeyDialogError, KeyDialogShell, KeyFacts, keyActionValues, useKeyAction, useTriggeredOpenState, type KeyDialogContentProps } from './KeyDialogShell.tsx'

/** Trimmed and NFC-normalized, so surrounding spaces and composed/decomposed input compare equal. */
const comparable = (text: string) => text.normalize('NFC').trim()

/** RevokeDialog's content: the question, the optional typed confirmation, and the revoke request. */
export function RevokeDialogContent({ isOpen: ownOpen, setOpen: setOwnOpen, byTrigger, dialogRef, ...props }: KeyDialogContentProps<RevokeDialogProps>) {
  const { isOpen, setOpen } = useTriggeredOpenState({ isOpen: ownOpen, setOpen: setOwnOpen, byTrigger }, props.onOpenChange)
  const { apiKey, confirmationText, onRevoked, messages } = props
  const t = useMessages(messages, laterEn)
  const revoke = useRevokePersonalApiKey()
  const [typed, setTyped] = useState('')
  const { error, setError, announcement, announce, retryInSeconds } = useKeyAction(isOpen, () => setTyped(''))
  const isConfirmed = confirmationText === undefined || comparable(typed) === comparable(confirmationText)
  const isPending = revoke.isPending

  const finish = (revoked: PersonalApiKey) => {
    announce(t('revoked', { name: revoked.name }))
    setOpen(false)
    onRevoked?.(revoked)
  }

  const confirm = async () => {
    if (!isConfirmed || isPending || retryInSeconds !== null) return
    setError(null)
    announce('')
    const response = await revoke.mutateAsync({ id: apiKey.id })
    await response.handle({
      success: finish,
      // Someone (or another tab) got there first: the key is gone, which is what the user asked for.
      apiKeyNotFound: () => finish({ ...apiKey, status: 'revoked', revokedAt: apiKey.revokedAt ?? new Date().toISOString() }),
      unexpectedOrUnhandled: setError,
    })
  }

  const values: RevokeDialogRenderProps = { ...keyActionValues(isPending, error, retryInSeconds), isConfirmed }
  return (
    <KeyDialogShell
      part="RevokeDialog"
      role="alertdialog"
      // A destructive action: the safe choice takes the initial focus.
      focusesCancel
      props={props}
      values={values}
      dialogRef={dialogRef}
      isOpen={isOpen}
      setOpen={setOpen}
      announcement={announcement}
      confirm={{ onPress: () => void confirm(), isDisabled: !isConfirmed }}
      pendingLabel={t('revokePending')}
      wrap={(children) => (
        <TextFieldContext.Provider
          value={{
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
          }}
        >
          {children}
        </TextFieldContext.Provider>
      )}
      defaultChildren={
        <>
          <Heading slot="title" className="patkit-RevokeDialogTitle">
            {t('revokeTitle', { name: apiKey.name })}
          </Heading>
          <Text slot="description" elementType="p" className="patkit-RevokeDialogDescription">
            {t('revokeDescription')}
          </Text>
          <KeyFacts apiKey={apiKey} t={t} part="RevokeDialog" />
          {confirmationText !== undefined && (
            <TextField slot="confirmation" className="patkit-RevokeDialogConfirmation">
              <Label>{t('revokeConfirmLabel', { text: confirmationText })}</Label>
              <Input />
            </TextField>
          )}
          <KeyDialogError error={error} t={t} part="RevokeDialog" />
          <div className="patkit-RevokeDialogActions">
            <Button slot="cancel">{t('cancel')}</Button>
            <Button slot="confirm">{confirmLabel(values, t, t('revokeConfirm'), t('revokePending'))}</Button>
          </div>
        </>
      }
    />
  )
}
