import { useState } from 'react'
import { Button } from 'react-aria-components/Button'
import { FieldError } from 'react-aria-components/FieldError'
import { Form } from 'react-aria-components/Form'
import { Heading } from 'react-aria-components/Heading'
import { Input } from 'react-aria-components/Input'
import { Label } from 'react-aria-components/Label'
import { TextField, TextFieldContext } from 'react-aria-components/TextField'
import { DEFAULT_SLOT } from 'react-aria-components/slots'
import type { ApiError } from '../../client/types.ts'
import { useUpdatePersonalApiKey } from '../../react/hooks.ts'
import { laterEn } from '../laterMessages.ts'
import { useMessages } from '../messages.tsx'
import type { RenameDialogProps, RenameDialogRenderProps } from '../RenameDialog.tsx'
import { confirmLabel, KeyDialogError, KeyDialogShell, keyActionValues, useKeyAction, useTriggeredOpenState, type KeyDialogContentProps } from './KeyDialogShell.tsx'

/** RenameDialog's content: the name field (its own and the server's errors on it) and the update request. */
export function RenameDialogContent({ isOpen: ownOpen, setOpen: setOwnOpen, byTrigger, dialogRef, ...props }: KeyDialogContentProps<RenameDialogProps>) {
  const { isOpen, setOpen } = useTriggeredOpenState({ isOpen: ownOpen, setOpen: setOwnOpen, byTrigger }, props.onOpenChange)
  const { apiKey, onRenamed, messages } = props
  const t = useMessages(messages, laterEn)
  const update = useUpdatePersonalApiKey()
  const [name, setName] = useState(apiKey.name)
  const [nameError, setNameError] = useState<string | null>(null)
  const { error, setError, announcement, announce, retryInSeconds } = useKeyAction(isOpen, () => {
    setName(apiKey.name)
    setNameError(null)
  })
  const isPending = update.isPending
  const trimmed = name.trim()

  async function submit() {
    if (isPending || retryInSeconds !== null) return
    setError(null)
    announce('')
    const response = await update.mutateAsync({ id: apiKey.id, name: trimmed })
    const onNameField = (failure: ApiError) => setNameError(failure.fieldErrors?.name ?? failure.userFacingError)
    await response.handle({
      success: (renamed) => {
        announce(t('renamed', { name: renamed.name }))
        setOpen(false)
        onRenamed?.(renamed)
      },
      conflict: onNameField,
      badRequest: onNameField,
      unexpectedOrUnhandled: setError,
    })
  }

  const values: RenameDialogRenderProps = { ...keyActionValues(isPending, error, retryInSeconds), isChanged: trimmed !== '' && trimmed !== apiKey.name }
  return (
    <KeyDialogShell
      part="RenameDialog"
      props={props}
      values={values}
      dialogRef={dialogRef}
      isOpen={isOpen}
      setOpen={setOpen}
      announcement={announcement}
      confirm={{ type: 'submit' }}
      wrap={(children) => (
        <Form
          className="patkit-RenameDialogForm"
          validationErrors={nameError ? { name: nameError } : {}}
          onSubmit={(event) => {
            event.preventDefault()
            void submit()
          }}
        >
          <TextFieldContext.Provider
            value={{
              slots: {
                [DEFAULT_SLOT]: {},
                name: {
                  name: 'name',
                  value: name,
                  onChange: (next: string) => {
                    setName(next)
                    setNameError(null)
                  },
                  isRequired: true,
                  validate: (value: string) => (value.trim() === '' ? t('nameRequired') : null),
                  autoFocus: true,
                },
              },
            }}
          >
            {children}
          </TextFieldContext.Provider>
        </Form>
      )}
      defaultChildren={
        <>
          <Heading slot="title" className="patkit-RenameDialogTitle">
            {t('renameTitle', { name: apiKey.name })}
          </Heading>
          <TextField slot="name" className="patkit-RenameDialogName">
            <Label>{t('renameLabel')}</Label>
            <Input />
            <FieldError />
          </TextField>
          <KeyDialogError error={error} t={t} part="RenameDialog" />
          <div className="patkit-RenameDialogActions">
            <Button slot="cancel">{t('cancel')}</Button>
            <Button slot="confirm">{confirmLabel(values, t, t('save'), t('savePending'))}</Button>
          </div>
        </>
      }
    />
  )
}
