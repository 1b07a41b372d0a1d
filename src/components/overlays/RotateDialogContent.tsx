import { useState } from 'react'
import { Button } from 'react-aria-components/Button'
import { Heading } from 'react-aria-components/Heading'
import { Label } from 'react-aria-components/Label'
import { Radio, RadioGroup, RadioGroupContext } from 'react-aria-components/RadioGroup'
import { Text } from 'react-aria-components/Text'
import { DEFAULT_SLOT } from 'react-aria-components/slots'
import { availableExpirationOptions, resolveExpiresAt } from '../../client/expiration.ts'
import type { ExpirationOption } from '../../client/types.ts'
import { usePersonalApiKeyPolicy, useRotatePersonalApiKey } from '../../react/hooks.ts'
import { useDateFormatters } from '../format.ts'
import { useMessages } from '../messages.tsx'
import type { RotateDialogProps, RotateDialogRenderProps } from '../RotateDialog.tsx'
import { TokenReveal } from '../TokenReveal.tsx'
import { confirmLabel, KeyDialogError, KeyDialogShell, KeyFacts, keyActionValues, useKeyAction, useTriggeredOpenState, type KeyDialogContentProps } from './KeyDialogShell.tsx'

/** The expiration radio's value that keeps the old key's lifetime (the request then sends none). */
const SAME = 'same'

/** RotateDialog's content: the question, an optional new expiration, the request, then the new token once. */
export function RotateDialogContent({ isOpen: ownOpen, setOpen: setOwnOpen, byTrigger, dialogRef, ...props }: KeyDialogContentProps<RotateDialogProps>) {
  const { isOpen, setOpen } = useTriggeredOpenState({ isOpen: ownOpen, setOpen: setOwnOpen, byTrigger }, props.onOpenChange)
  const { apiKey, allowsExpirationChange = false, onRotated, messages } = props
  const t = useMessages(messages)
  const format = useDateFormatters()
  const rotate = useRotatePersonalApiKey()
  const policy = usePersonalApiKeyPolicy({ enabled: allowsExpirationChange && isOpen })
  const [expiration, setExpiration] = useState<ExpirationOption | typeof SAME>(SAME)
  // The new plaintext token: here and in the reveal's field only, for as long as the reveal is open.
  const [token, setToken] = useState<string | null>(null)
  const { error, setError, announcement, announce, retryInSeconds } = useKeyAction(isOpen, () => {
    setToken(null)
    setExpiration(SAME)
  })
  const isPending = rotate.isPending
  const options = policy.data ? availableExpirationOptions(policy.data) : []

  const confirm = async () => {
    if (isPending || retryInSeconds !== null) return
    setError(null)
    const response = await rotate.mutateAsync({ id: apiKey.id, expiration: expiration === SAME ? undefined : expiration })
    await response.handle({
      success: ({ token: created, ...result }) => {
        setToken(created)
        announce(t('rotated'))
        onRotated?.(result)
      },
      unexpectedOrUnhandled: setError,
    })
  }

  const close = () => {
    setToken(null)
    // The mutation holds only metadata, but a closed dialog keeps nothing of the rotation around.
    rotate.reset()
    setOpen(false)
  }

  const caption = (() => {
    if (expiration === SAME) return null
    const expiresAt = resolveExpiresAt(expiration)
    return expiresAt ? t('expirationCaption', { date: format.date(expiresAt.toISOString()) }) : t('expirationCaptionNever')
  })()

  const values: RotateDialogRenderProps = {
    ...keyActionValues(isPending, error, retryInSeconds),
    step: token === null ? 'confirm' : 'reveal',
    expiration: expiration === SAME ? null : expiration,
  }
  return (
    <KeyDialogShell
      part="RotateDialog"
      // The old key stops working on confirm: the safe choice takes the initial focus.
      focusesCancel
      props={props}
      values={values}
      dialogRef={dialogRef}
      isOpen={isOpen}
      setOpen={setOpen}
      onClose={close}
      // Until the user has acknowledged the new token, only the reveal's own Done button may close the dialog.
      isKeyboardDismissDisabled={token !== null}
      announcement={announcement}
      replacement={token !== null ? <TokenReveal token={token} onDismiss={close} messages={messages} /> : undefined}
      confirm={{ onPress: () => void confirm() }}
      wrap={(children) => (
        <RadioGroupContext.Provider
          value={{
            slots: {
              [DEFAULT_SLOT]: {},
              expiration: {
                value: expiration,
                onChange: (value) => setExpiration(value as ExpirationOption | typeof SAME),
                isDisabled: isPending,
              },
            },
          }}
        >
          {children}
        </RadioGroupContext.Provider>
      )}
      defaultChildren={
        <>
          <Heading slot="title" className="patkit-RotateDialogTitle">
            {t('rotateTitle', { name: apiKey.name })}
          </Heading>
          <Text slot="description" elementType="p" className="patkit-RotateDialogDescription">
            {t('rotateDescription')}
          </Text>
          <KeyFacts apiKey={apiKey} t={t} part="RotateDialog" />
          {allowsExpirationChange && (
            <RadioGroup slot="expiration" className="patkit-RotateDialogExpiration">
              <Label>{t('rotateExpirationLabel')}</Label>
              <Radio value={SAME}>{t('rotateExpirationSame')}</Radio>
              {options.map((option) => (
                <Radio key={option} value={option}>
                  {t.expiration(option)}
                </Radio>
              ))}
              {caption && <Text slot="description">{caption}</Text>}
            </RadioGroup>
          )}
          <KeyDialogError error={error} t={t} part="RotateDialog" />
          <div className="patkit-RotateDialogActions">
            <Button slot="cancel">{t('cancel')}</Button>
            <Button slot="confirm">{confirmLabel(values, t, t('rotateConfirm'), t('rotatePending'))}</Button>
          </div>
        </>
      }
    />
  )
}
