import { useId, useState } from 'react'
import { Button } from 'react-aria-components/Button'
import { Heading } from 'react-aria-components/Heading'
import { RadioGroupContext } from 'react-aria-components/RadioGroup'
import { Text } from 'react-aria-components/Text'
import { DEFAULT_SLOT } from 'react-aria-components/slots'
import { availableExpirationOptions, gracePeriodMs, resolveExpiresAt } from '../../client/expiration.ts'
import type { ExpirationOption, GracePeriodOption, PersonalApiKey, RotatedPersonalApiKey } from '../../client/types.ts'
import { usePersonalApiKeyPolicy, useRotatePersonalApiKey } from '../../react/hooks.ts'
import { useDateFormatters } from '../format.ts'
import { laterEn } from '../laterMessages.ts'
import { useMessages, type MessageKey, type Translate } from '../messages.tsx'
import type { RotateDialogProps, RotateDialogRenderProps } from '../RotateDialog.tsx'
import { Choice, ChoiceGroup } from '../choice.tsx'
import { revealCode, TokenReveal } from '../TokenReveal.tsx'
import { confirmLabel, KeyDialogError, KeyDialogShell, KeyFacts, keyActionValues, useKeyAction, useTriggeredOpenState, type KeyDialogContentProps } from './KeyDialogShell.tsx'

/** The expiration radio's value that keeps the old key's lifetime (the request then sends none). */
const SAME = 'same'

/** When the old key stops: the end of the grace period, or its own expiry if that comes first. */
function graceEnd(apiKey: PersonalApiKey, gracePeriod: GracePeriodOption, now = Date.now()): string {
  const end = now + gracePeriodMs(gracePeriod)
  return apiKey.expiresAt !== null && Date.parse(apiKey.expiresAt) < end ? apiKey.expiresAt : new Date(end).toISOString()
}

const graceLabel = (t: Translate, option: GracePeriodOption) => t(`gracePeriod.${option}` as MessageKey)

/**
 * RotateDialog's content: the question, how long the old key keeps working (the policy's grace
 * periods, none by default), an optional new expiration, the request, then the new token once with
 * what became of the old key.
 */
export function RotateDialogContent({ isOpen: ownOpen, setOpen: setOwnOpen, byTrigger, dialogRef, ...props }: KeyDialogContentProps<RotateDialogProps>) {
  const { isOpen, setOpen } = useTriggeredOpenState({ isOpen: ownOpen, setOpen: setOwnOpen, byTrigger }, props.onOpenChange)
  const { apiKey, allowsExpirationChange = false, onRotated, messages } = props
  const t = useMessages(messages, laterEn)
  const format = useDateFormatters()
  const rotate = useRotatePersonalApiKey()
  // The grace periods and presets the server allows.
  const policy = usePersonalApiKeyPolicy({ enabled: isOpen })
  const [expiration, setExpiration] = useState<ExpirationOption | typeof SAME>(SAME)
  const [gracePeriod, setGracePeriod] = useState<GracePeriodOption>('None')
  // The new plaintext token: here and in the reveal's field only, for as long as the reveal is open.
  const [revealed, setRevealed] = useState<{ token: string; apiKey: PersonalApiKey; previous: RotatedPersonalApiKey['previous'] } | null>(null)
  const token = revealed?.token ?? null
  const { error, setError, announcement, announce, retryInSeconds } = useKeyAction(isOpen, () => {
    setRevealed(null)
    setExpiration(SAME)
    setGracePeriod('None')
  })
  const graceName = useId()
  const name = useId()
  const isPending = rotate.isPending
  const options = policy.data ? availableExpirationOptions(policy.data) : []
  // A backend without grace periods offers only `None`: then there is nothing to choose.
  const graceOptions = policy.data?.gracePeriodOptions ?? []

  const confirm = async () => {
    if (isPending || retryInSeconds !== null) return
    setError(null)
    // The reveal's code loads while the server rotates the key.
    void revealCode.load().catch(() => undefined)
    const response = await rotate.mutateAsync({ id: apiKey.id, expiration: expiration === SAME ? undefined : expiration, gracePeriod })
    await response.handle({
      success: ({ token: created, ...result }) => {
        setRevealed({ token: created, apiKey: result.apiKey, previous: result.previous })
        announce(oldKeyFate(result.previous))
        onRotated?.(result)
      },
      unexpectedOrUnhandled: setError,
    })
  }

  const close = () => {
    setRevealed(null)
    // The mutation holds only metadata, but a closed dialog keeps nothing of the rotation around.
    rotate.reset()
    setOpen(false)
  }

  /** What became of the old key, as the server says: stopped, or working until the grace period ends. */
  const oldKeyFate = (previous: RotatedPersonalApiKey['previous']) =>
    previous.status === 'active' && previous.expiresAt
      ? t('rotatedGrace', { date: format.dateTime(previous.expiresAt), relative: format.relative(previous.expiresAt) })
      : t('rotated')

  const caption = (() => {
    if (expiration === SAME) return null
    const expiresAt = resolveExpiresAt(expiration)
    return expiresAt ? t('expirationCaption', { date: format.date(expiresAt.toISOString()) }) : t('expirationCaptionNever')
  })()

  const values: RotateDialogRenderProps = {
    ...keyActionValues(isPending, error, retryInSeconds),
    step: token === null ? 'confirm' : 'reveal',
    expiration: expiration === SAME ? null : expiration,
    gracePeriod,
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
      replacement={
        revealed ? (
          <>
            <p className="patkit-RotateDialogResult">{oldKeyFate(revealed.previous)}</p>
            <TokenReveal token={revealed.token} apiKey={revealed.apiKey} onDismiss={close} messages={messages} />
          </>
        ) : undefined
      }
      confirm={{ onPress: () => void confirm() }}
      pendingLabel={t('rotatePending')}
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
            {gracePeriod === 'None' ? t('rotateDescription') : t('rotateDescriptionGrace')}
          </Text>
          <KeyFacts apiKey={apiKey} t={t} part="RotateDialog" />
          {graceOptions.length > 1 && (
            <ChoiceGroup
              role="radiogroup"
              label={t('rotateGraceLabel')}
              description={
                // Follows the choice: read when it changes.
                <span aria-live="polite">
                  {gracePeriod === 'None' ? t('rotateGraceNone') : t('rotateGraceUntil', { date: format.dateTime(graceEnd(apiKey, gracePeriod)) })}
                </span>
              }
              isDisabled={isPending}
              className="patkit-RotateDialogGracePeriod"
            >
              {graceOptions.map((option) => (
                <Choice key={option} type="radio" name={graceName} value={option} isSelected={gracePeriod === option} onChange={() => setGracePeriod(option)} isDisabled={isPending}>
                  {graceLabel(t, option)}
                </Choice>
              ))}
            </ChoiceGroup>
          )}
          {allowsExpirationChange && (
            <ChoiceGroup role="radiogroup" label={t('rotateExpirationLabel')} description={caption} isDisabled={isPending} className="patkit-RotateDialogExpiration">
              {([SAME, ...options] as const).map((option) => (
                <Choice key={option} type="radio" name={name} value={option} isSelected={expiration === option} onChange={() => setExpiration(option)} isDisabled={isPending}>
                  {option === SAME ? t('rotateExpirationSame') : t.expiration(option)}
                </Choice>
              ))}
            </ChoiceGroup>
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
