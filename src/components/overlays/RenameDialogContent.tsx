import { useState } from 'react'
import { Button } from 'react-aria-components/Button'
import { FieldError } from 'react-aria-components/FieldError'
import { Form } from 'react-aria-components/Form'
import { Heading } from 'react-aria-components/Heading'
import { Input } from 'react-aria-components/Input'
import { Label } from 'react-aria-components/Label'
import { Text } from 'react-aria-components/Text'
import { TextArea } from 'react-aria-components/TextArea'
import { TextField, TextFieldContext } from 'react-aria-components/TextField'
import { DEFAULT_SLOT } from 'react-aria-components/slots'
import { characterCount } from '../../client/names.ts'
import type { ApiError } from '../../client/types.ts'
import { usePersonalApiKeyCapabilities, usePersonalApiKeyPolicy, useUpdatePersonalApiKey } from '../../react/hooks.ts'
import { laterEn } from '../laterMessages.ts'
import { useMessages } from '../messages.tsx'
import type { RenameDialogProps, RenameDialogRenderProps } from '../RenameDialog.tsx'
import { useFocusInvalidAfterSubmit } from '../shared.tsx'
import { confirmLabel, KeyDialogError, KeyDialogShell, keyActionValues, useKeyAction, useTriggeredOpenState, type KeyDialogContentProps } from './KeyDialogShell.tsx'

type Field = 'name' | 'description'

/**
 * RenameDialog's content: the name and, where the backend keeps them, the description (their own and
 * the server's errors on them, focus on the first in error), and the update request with what changed.
 */
export function RenameDialogContent({ isOpen: ownOpen, setOpen: setOwnOpen, byTrigger, dialogRef, ...props }: KeyDialogContentProps<RenameDialogProps>) {
  const { isOpen, setOpen } = useTriggeredOpenState({ isOpen: ownOpen, setOpen: setOwnOpen, byTrigger }, props.onOpenChange)
  const { apiKey, onRenamed, messages } = props
  const t = useMessages(messages, laterEn)
  const update = useUpdatePersonalApiKey()
  const { description: hasDescription } = usePersonalApiKeyCapabilities()
  // The length limits; without the policy the server's own check still answers at the field.
  const policy = usePersonalApiKeyPolicy({ enabled: isOpen }).data
  const [name, setName] = useState(apiKey.name)
  const [description, setDescription] = useState(apiKey.description ?? '')
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({})
  const { ref: formRef, failed: focusInvalid } = useFocusInvalidAfterSubmit<HTMLFormElement>()
  const { error, setError, announcement, announce, retryInSeconds } = useKeyAction(isOpen, () => {
    setName(apiKey.name)
    setDescription(apiKey.description ?? '')
    setFieldErrors({})
  })
  const isPending = update.isPending
  const trimmed = name.trim()
  const trimmedDescription = description.trim()
  const descriptionChanged = hasDescription && trimmedDescription !== (apiKey.description ?? '')

  function check(): Partial<Record<Field, string>> {
    const errors: Partial<Record<Field, string>> = {}
    if (trimmed === '') errors.name = t('nameRequired')
    else if (policy && characterCount(trimmed) > policy.nameMaxLength) errors.name = t('nameTooLong', { max: policy.nameMaxLength })
    if (policy && descriptionChanged && characterCount(trimmedDescription) > policy.descriptionMaxLength) {
      errors.description = t('descriptionTooLong', { max: policy.descriptionMaxLength })
    }
    return errors
  }

  async function submit() {
    if (isPending || retryInSeconds !== null) return
    const errors = check()
    setFieldErrors(errors)
    if (Object.keys(errors).length > 0) return focusInvalid()
    setError(null)
    announce('')
    // Only what changed: an emptied description is removed (`null`).
    const response = await update.mutateAsync({
      id: apiKey.id,
      name: trimmed,
      ...(descriptionChanged ? { description: trimmedDescription === '' ? null : trimmedDescription } : {}),
    })
    const onFields = (failure: ApiError) => {
      const placed: Partial<Record<Field, string>> = {}
      if (failure.fieldErrors?.description) placed.description = failure.fieldErrors.description
      if (failure.fieldErrors?.name || !placed.description) placed.name = failure.fieldErrors?.name ?? failure.userFacingError
      setFieldErrors(placed)
      focusInvalid()
    }
    await response.handle({
      success: (edited) => {
        announce(hasDescription ? t('edited', { name: edited.name }) : t('renamed', { name: edited.name }))
        setOpen(false)
        onRenamed?.(edited)
      },
      conflict: onFields,
      badRequest: onFields,
      unexpectedOrUnhandled: setError,
    })
  }

  const clear = (field: Field) => setFieldErrors(({ [field]: _, ...rest }) => rest)
  const values: RenameDialogRenderProps = {
    ...keyActionValues(isPending, error, retryInSeconds),
    isChanged: trimmed !== '' && (trimmed !== apiKey.name || descriptionChanged),
  }
  const count = characterCount(trimmedDescription)
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
      pendingLabel={t('savePending')}
      wrap={(children) => (
        <Form
          ref={formRef}
          className="patkit-RenameDialogForm"
          // One way for every error, the field's own or the server's: marked, described, focused.
          validationBehavior="aria"
          validationErrors={fieldErrors}
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
                    clear('name')
                  },
                  isRequired: true,
                  autoFocus: true,
                },
                description: {
                  name: 'description',
                  value: description,
                  onChange: (next: string) => {
                    setDescription(next)
                    clear('description')
                  },
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
            {hasDescription ? t('editTitle', { name: apiKey.name }) : t('renameTitle', { name: apiKey.name })}
          </Heading>
          <TextField slot="name" className="patkit-RenameDialogName">
            <Label>{hasDescription ? t('nameLabel') : t('renameLabel')}</Label>
            <Input />
            <FieldError />
          </TextField>
          {hasDescription && (
            <TextField slot="description" className="patkit-RenameDialogDescription">
              <Label>{t('descriptionLabel')}</Label>
              <TextArea rows={3} />
              {/* There from the start, so the field is described by it once the policy's limit arrives. */}
              <Text slot="description">
                {policy && (
                  <span className="patkit-RenameDialogDescriptionCount" data-over={count > policy.descriptionMaxLength || undefined}>
                    {t('descriptionCount', { count, max: policy.descriptionMaxLength })}
                  </span>
                )}
              </Text>
              <FieldError />
            </TextField>
          )}
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
