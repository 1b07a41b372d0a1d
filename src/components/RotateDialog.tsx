import { createContext, useState, type ReactNode } from 'react'
import { Button, ButtonContext } from 'react-aria-components/Button'
import { Dialog } from 'react-aria-components/Dialog'
import { Heading } from 'react-aria-components/Heading'
import { useLocale } from 'react-aria-components/I18nProvider'
import { Label } from 'react-aria-components/Label'
import { Modal, ModalOverlay } from 'react-aria-components/Modal'
import { Radio, RadioGroup, RadioGroupContext } from 'react-aria-components/RadioGroup'
import { Text } from 'react-aria-components/Text'
import { VisuallyHidden } from 'react-aria-components/VisuallyHidden'
import { DEFAULT_SLOT, Provider, useContextProps, type ContextValue } from 'react-aria-components/slots'
import type { RenderProps } from 'react-aria-components/useRenderProps'
import { availableExpirationOptions, resolveExpiresAt } from '../client/expiration.ts'
import type { ApiError, ExpirationOption, RotatedPersonalApiKey } from '../client/types.ts'
import { usePersonalApiKeyPolicy, useRotatePersonalAccessToken } from '../react/hooks.ts'
import { usePatkitContext } from '../react/provider.tsx'
import { useDateFormatters } from './format.ts'
import { useMessages } from './messages.tsx'
import { KeyFacts, useKeyDialogOpenState, type KeyActionRenderProps, type KeyDialogProps } from './RevokeDialog.tsx'
import { domProps, keyErrorMessage, usePartRenderProps } from './shared.tsx'
import { TokenReveal } from './TokenReveal.tsx'

export type RotateDialogStep = 'confirm' | 'reveal'

/** The expiration radio's value that keeps the old key's lifetime (the request then sends none). */
const SAME = 'same'

export interface RotateDialogRenderProps extends KeyActionRenderProps {
  /**
   * Asking (`confirm`), or showing the new token once (`reveal`).
   * @selector [data-step="reveal"]
   */
  step: RotateDialogStep
  /**
   * The new key's expiration as chosen; `null` keeps the old key's lifetime.
   * @selector [data-expiration="OneMonth"]
   */
  expiration: ExpirationOption | null
}

/** What `onRotated` reports: the new key's metadata and the old key's id. Never the token. */
export type RotateResult = Omit<RotatedPersonalApiKey, 'token'>

export interface RotateDialogProps extends KeyDialogProps, Omit<RenderProps<RotateDialogRenderProps>, 'render'> {
  /** Offers a new expiration from the policy's presets; default: the new key keeps the old one's lifetime. */
  allowsExpirationChange?: boolean
  /** Called once the server confirms, before the new token is shown. The token is never passed out. */
  onRotated?: (result: RotateResult) => void
}

export const RotateDialogContext = createContext<ContextValue<RotateDialogProps, HTMLElement>>(null)

/**
 * Replaces a key with a new one (same name and scopes) and shows the new token once. Custom children
 * shape the confirm step through the slots `<Heading slot="title">`, `<Text slot="description">`,
 * `<RadioGroup slot="expiration">`, `<Button slot="confirm">`, `<Button slot="cancel">`; the reveal step
 * is always a `TokenReveal` (style it through `TokenRevealContext`), so no custom markup can lose the token.
 */
export function RotateDialog(props: RotateDialogProps) {
  const [merged, ref] = useContextProps(props, props.ref, RotateDialogContext)
  usePatkitContext('<RotateDialog>')
  const { apiKey, allowsExpirationChange = false, onRotated, messages } = merged
  const t = useMessages(messages)
  const format = useDateFormatters()
  const { direction } = useLocale()
  const { isOpen, setOpen } = useKeyDialogOpenState(merged)
  const rotate = useRotatePersonalAccessToken()
  const policy = usePersonalApiKeyPolicy({ enabled: allowsExpirationChange && isOpen })
  const [expiration, setExpiration] = useState<ExpirationOption | typeof SAME>(SAME)
  const [error, setError] = useState<ApiError | null>(null)
  const [announcement, setAnnouncement] = useState('')
  // The new plaintext token: here and in the reveal's field only, for as long as the reveal is open.
  const [token, setToken] = useState<string | null>(null)

  // Opening or closing (however it happens) drops the token and any stale error or choice.
  const [wasOpen, setWasOpen] = useState(isOpen)
  if (isOpen !== wasOpen) {
    setWasOpen(isOpen)
    setToken(null)
    setError(null)
    setAnnouncement('')
    setExpiration(SAME)
  }

  const step: RotateDialogStep = token === null ? 'confirm' : 'reveal'
  const isPending = rotate.isPending
  const options = policy.data ? availableExpirationOptions(policy.data) : []

  const confirm = async () => {
    if (isPending) return
    setError(null)
    const response = await rotate.mutateAsync({ id: apiKey.id, expiration: expiration === SAME ? undefined : expiration })
    await response.handle({
      success: ({ token: created, ...result }) => {
        setToken(created)
        setAnnouncement(t('rotated'))
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
    step,
    isPending,
    error,
    errorKind: error?.kind ?? null,
    expiration: expiration === SAME ? null : expiration,
  }
  const confirmChildren: ReactNode = (
    <>
      <Heading slot="title" className="patkit-RotateDialogTitle">
        {t('rotateTitle', { name: apiKey.name })}
      </Heading>
      <Text slot="description" elementType="p" className="patkit-RotateDialogDescription">
        {t('rotateDescription')}
      </Text>
      <KeyFacts apiKey={apiKey} t={t} className="patkit-RotateDialogFacts" />
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
      {error && (
        <p role="alert" className="patkit-RotateDialogError">
          {keyErrorMessage(error, t)}
        </p>
      )}
      <div className="patkit-RotateDialogActions">
        <Button slot="cancel">{t('cancel')}</Button>
        <Button slot="confirm">{isPending ? t('rotatePending') : t('rotateConfirm')}</Button>
      </div>
    </>
  )
  const { render: _render, ...renderProps } = usePartRenderProps(merged, values, 'RotateDialog', confirmChildren)

  return (
    <ModalOverlay
      isOpen={isOpen}
      onOpenChange={(open) => (open ? setOpen(true) : close())}
      // Until the user has acknowledged the new token, only the reveal's own Done button may close the dialog.
      isKeyboardDismissDisabled={step === 'reveal'}
      className="patkit-RotateDialogOverlay"
      // Portalled out of the app's tree, the modal takes its direction from the locale instead.
      dir={direction}
    >
      <Modal className="patkit-RotateDialogModal">
        <Dialog {...domProps(merged)} {...renderProps} ref={ref}>
          {step === 'reveal' && token !== null ? (
            <TokenReveal token={token} onDismiss={close} messages={messages} />
          ) : (
            <Provider
              values={[
                [
                  ButtonContext,
                  {
                    slots: {
                      [DEFAULT_SLOT]: {},
                      // The old key stops working on confirm: the safe choice takes the initial focus.
                      cancel: { onPress: close, autoFocus: true },
                      close: { onPress: close },
                      confirm: { onPress: confirm, isPending },
                    },
                  },
                ],
                [
                  RadioGroupContext,
                  {
                    slots: {
                      [DEFAULT_SLOT]: {},
                      expiration: {
                        value: expiration,
                        onChange: (value) => setExpiration(value as ExpirationOption | typeof SAME),
                        isDisabled: isPending,
                      },
                    },
                  },
                ],
              ]}
            >
              {renderProps.children}
            </Provider>
          )}
          <VisuallyHidden role="status">{announcement}</VisuallyHidden>
        </Dialog>
      </Modal>
    </ModalOverlay>
  )
}
