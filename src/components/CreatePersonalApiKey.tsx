import { createContext, Suspense, useContext, useId, useMemo, useRef, useState, type JSX, type Ref } from 'react'
import { Button, ButtonContext, type ButtonProps } from 'react-aria-components/Button'
import { CheckboxButton, CheckboxField } from 'react-aria-components/Checkbox'
import { CheckboxGroup, CheckboxGroupContext, type CheckboxGroupProps } from 'react-aria-components/CheckboxGroup'
import { FieldError } from 'react-aria-components/FieldError'
import { Form } from 'react-aria-components/Form'
import { Heading, HeadingContext } from 'react-aria-components/Heading'
import { useLocale } from 'react-aria-components/I18nProvider'
import { Input } from 'react-aria-components/Input'
import { Label } from 'react-aria-components/Label'
import { RadioButton, RadioField, RadioGroup, RadioGroupContext } from 'react-aria-components/RadioGroup'
import { Text, TextContext } from 'react-aria-components/Text'
import { TextField, TextFieldContext, type TextFieldProps } from 'react-aria-components/TextField'
import { VisuallyHidden } from 'react-aria-components/VisuallyHidden'
import { DEFAULT_SLOT, Provider, useContextProps, type ContextValue, type SlotProps } from 'react-aria-components/slots'
import type { RenderProps } from 'react-aria-components/useRenderProps'
import { availableExpirationOptions, checkExpiration, latestExpiresAt, resolveExpiresAt } from '../client/expiration.ts'
import type {
  ApiError,
  CreatedPersonalApiKey,
  ErrorKind,
  Expiration,
  ExpirationOption,
  PersonalApiKeyPolicy,
} from '../client/types.ts'
import { useCreatePersonalAccessToken, usePersonalApiKeyPolicy } from '../react/hooks.ts'
import { usePatkitContext } from '../react/provider.tsx'
import { useDateFormatters } from './format.ts'
import { useMessages, type PatkitMessages, type Translate } from './messages.tsx'
import { domProps, isRetryable, keyErrorMessage, SelectionIndicator, useEnclosingTitle, useLazyComponent, usePartRenderProps, type PartDOMProps } from './shared.tsx'
import type { CreateKeyDatePickerProps } from './CreateKeyDatePicker.tsx'
import { TokenReveal } from './TokenReveal.tsx'

// ---------------------------------------------------------------------------------------------
// Types

export type CreatePersonalApiKeyStep = 'form' | 'reveal'

export interface CreatePersonalApiKeyRenderProps {
  /**
   * The create request is on its way.
   * @selector [data-pending]
   */
  isPending: boolean
  /**
   * The server said this user may not create keys (no permission, or keys turned off); the form stays disabled.
   * @selector [data-disabled]
   */
  isDisabled: boolean
  /**
   * Filling in the form, or showing the new token once.
   * @selector [data-step="form | reveal"]
   */
  step: CreatePersonalApiKeyStep
  /**
   * The last error: the policy failing to load, or the create request failing.
   * @selector [data-error="<kind>"]
   */
  error: ApiError | null
  /** The server's rules for new keys, once loaded. */
  policy: PersonalApiKeyPolicy | null
  /**
   * The policy is loading; the fields wait for it.
   * @selector [data-loading-policy]
   */
  isLoadingPolicy: boolean
}

export interface CreatePersonalApiKeyProps extends RenderProps<CreatePersonalApiKeyRenderProps>, PartDOMProps {
  /** Called once the server created the key. The token is handed over here and to the reveal, never kept elsewhere. */
  onCreated?: (created: CreatedPersonalApiKey) => void
  /** Called when the user dismissed the reveal; the form has reset for another key by then. */
  onDone?: () => void
  /** The name the form starts with. */
  defaultName?: string
  messages?: Partial<PatkitMessages>
  ref?: Ref<HTMLDivElement>
}

/** Props an app gives every `CreatePersonalApiKey` inside it. */
export const CreatePersonalApiKeyContext = createContext<ContextValue<Partial<CreatePersonalApiKeyProps>, HTMLDivElement>>(null)

/** A preset, or a date picked in the calendar. */
export type ExpirationSelection = ExpirationOption | 'custom'
const CUSTOM = 'custom' as const

/** The form's fields, by their `name`: RAC's `Form` puts `validationErrors` on them by it. */
type FieldName = 'name' | 'expiration' | 'expiresAt' | 'scopes'
type FieldErrors = Partial<Record<FieldName, string>>

// ---------------------------------------------------------------------------------------------
// Expiration dates

// Custom dates are calendar days where the user is, written `YYYY-MM-DD` (the date picker's own
// date library loads with it, only when "Custom date" is chosen).

/** The day `date` falls on where the user is, `days` later. */
function localDay(date: Date, days = 0): string {
  const day = new Date(date.getFullYear(), date.getMonth(), date.getDate() + days)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${String(day.getFullYear()).padStart(4, '0')}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`
}

/** The last instant of `day` where the user is: a custom date means "until the end of that day". */
function endOfDay(day: string): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number]
  const next = new Date(0)
  next.setFullYear(year, month - 1, date + 1) // setFullYear, not the constructor: years below 100 stay as they are
  next.setHours(0, 0, 0, 0)
  return new Date(next.getTime() - 1)
}

/** Tomorrow up to the last day whose end still fits the policy's lifetime cap. */
function customDateRange(policy: PersonalApiKeyPolicy, now = new Date()): { minValue: string; maxValue?: string } {
  const minValue = localDay(now, 1)
  const latest = latestExpiresAt(policy, now)
  if (!latest) return { minValue }
  const lastDay = localDay(latest)
  return { minValue, maxValue: endOfDay(lastDay) > latest ? localDay(latest, -1) : lastDay }
}

/** The date picker's code, loaded when "Custom date" is first chosen. */
const loadDatePicker = () => import('./CreateKeyDatePicker.tsx')

/** In the picker's place when its code could not be loaded: a message and a retry, the form keeps working. */
function DatePickerFailed({ t, retry }: CreateKeyDatePickerProps & { retry(): void }) {
  return (
    <div className="patkit-CreateKeyDatePickerError" role="alert">
      {t('datePickerFailed')} <Button onPress={retry}>{t('retry')}</Button>
    </div>
  )
}

function defaultSelection(policy: PersonalApiKeyPolicy, options: ExpirationOption[]): ExpirationSelection | null {
  if (options.includes(policy.defaultExpiration)) return policy.defaultExpiration
  return options[0] ?? (policy.allowCustomExpiration ? CUSTOM : null)
}

/** Server field errors (`/name`, `/expirationOption`, `/expiresAt`, `/scopes`) onto the form's fields. */
function placeFieldErrors(error: ApiError, expirationField: FieldName): FieldErrors {
  const placed: FieldErrors = {}
  for (const [field, message] of Object.entries(error.fieldErrors ?? {})) {
    if (field === 'name' || field === 'scopes') placed[field] = message
    else if (field === 'expirationOption' || field === 'expiresAt') placed[expirationField] = message
  }
  return placed
}

// ---------------------------------------------------------------------------------------------
// State shared with the parts

interface CreateKeyState {
  t: Translate
  policy: PersonalApiKeyPolicy | null
  options: ExpirationOption[]
  selection: ExpirationSelection | null
  /** Where the chosen expiration lands: a date, `null` for never, `undefined` while no custom date is picked. */
  expiresAt: Date | null | undefined
  /** What the custom-date picker shows and reports; `null` until the policy is loaded. */
  datePicker: CreateKeyDatePickerProps | null
  isLoadingPolicy: boolean
  policyError: ApiError | null
  /** A create error that belongs to no field. */
  formError: ApiError | null
}

const CreateKeyStateContext = createContext<CreateKeyState | null>(null)

function useCreateKeyState(part: string): CreateKeyState {
  const state = useContext(CreateKeyStateContext)
  if (!state) throw new Error(`patkit: <${part}> must be inside <CreatePersonalApiKey>`)
  return state
}

// ---------------------------------------------------------------------------------------------
// Root

/**
 * A form that creates a personal API key under the server's policy, then shows its token once in a
 * `TokenReveal`. After the reveal is dismissed the form resets for another key and `onDone` is called.
 *
 * Custom children are the form's content; they get wired through slots: `<TextField slot="name">`,
 * `<RadioGroup slot="expiration">`, `<CheckboxGroup slot="scopes">`,
 * `<Button slot="submit">`, `<Button slot="retry">`, `<Heading slot="title">` — or use the ready parts
 * `CreateKeyNameField`, `CreateKeyExpirationField`, `CreateKeyScopesField`, `CreateKeyFormError`,
 * `CreateKeyPolicyStatus`, `CreateKeySubmit`. The reveal step is always a `TokenReveal` (style it through
 * `TokenRevealContext`), so no custom markup can lose the token.
 */
export function CreatePersonalApiKey(props: CreatePersonalApiKeyProps): JSX.Element {
  const [merged, ref] = useContextProps<CreatePersonalApiKeyProps, Partial<CreatePersonalApiKeyProps> & SlotProps, HTMLDivElement>(
    props,
    props.ref,
    CreatePersonalApiKeyContext,
  )
  const { onCreated, onDone, defaultName = '', messages } = merged
  usePatkitContext('<CreatePersonalApiKey>')
  const t = useMessages(messages)
  const { direction } = useLocale()
  const policyQuery = usePersonalApiKeyPolicy()
  const create = useCreatePersonalAccessToken()
  const policy = policyQuery.data ?? null
  const [name, setName] = useState(defaultName)
  const [chosen, setChosen] = useState<ExpirationSelection | null>(null)
  const [customDate, setCustomDate] = useState<string | null>(null)
  const [scopes, setScopes] = useState<string[]>([])
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({})
  const [submitError, setSubmitError] = useState<{ error: ApiError; onFields: boolean } | null>(null)
  // The plaintext token lives here, and only here, until the reveal is dismissed.
  const [created, setCreated] = useState<CreatedPersonalApiKey | null>(null)
  const [focusNameOnReset, setFocusNameOnReset] = useState(false)
  // isPending reaches the button a render late; a second click in between must not create a second key.
  const submitting = useRef(false)
  const titleId = useId()
  const enclosingTitle = useEnclosingTitle()

  const options = useMemo(() => (policy ? availableExpirationOptions(policy) : []), [policy])
  const selection = chosen ?? (policy ? defaultSelection(policy, options) : null)
  const expiration: Expiration | null =
    selection === CUSTOM ? (customDate ? { expiresAt: endOfDay(customDate).toISOString() } : null) : selection
  const expiresAt = expiration === null ? undefined : resolveExpiresAt(expiration)
  const expirationField: FieldName = selection === CUSTOM ? 'expiresAt' : 'expiration'

  const policyError = policy ? null : policyQuery.error
  const error = submitError?.error ?? policyError
  const isDisabled = error !== null && !isRetryable(error)
  const step: CreatePersonalApiKeyStep = created ? 'reveal' : 'form'
  const isLoadingPolicy = policyQuery.isLoading

  const clearFieldErrors = (...fields: FieldName[]) =>
    setFieldErrors((current) => (fields.some((field) => field in current) ? omit(current, fields) : current))

  function validate(current: PersonalApiKeyPolicy): FieldErrors {
    const errors: FieldErrors = {}
    const trimmed = name.trim()
    if (trimmed === '') errors.name = t('nameRequired')
    else if ([...trimmed].length > current.nameMaxLength) errors.name = t('nameTooLong', { max: current.nameMaxLength })
    if (selection === CUSTOM && !customDate) errors.expiresAt = t('customDateRequired')
    else if (expiration === null || !checkExpiration(expiration, current).ok) errors[expirationField] = t.error('invalidExpirationOption')
    return errors
  }

  async function submit() {
    if (!policy || submitting.current || isDisabled) return
    const errors = validate(policy)
    setFieldErrors(errors)
    if (Object.keys(errors).length > 0 || expiration === null) return
    submitting.current = true
    setSubmitError(null)
    const fail = (failure: ApiError, onFields: FieldErrors = {}) => {
      const placed = Object.keys(onFields).length > 0
      setSubmitError({ error: failure, onFields: placed })
      if (placed) setFieldErrors(onFields)
    }
    try {
      const response = await create.mutateAsync({
        name: name.trim(),
        expiration,
        ...(policy.scopes.length > 0 ? { scopes } : {}),
      })
      await response.handle({
        success: (data) => {
          setCreated(data)
          onCreated?.(data)
        },
        invalidExpirationOption: (failure) => {
          const placed = placeFieldErrors(failure, expirationField)
          fail(failure, Object.keys(placed).length > 0 ? placed : { [expirationField]: failure.userFacingError })
        },
        badRequest: (failure) => fail(failure, placeFieldErrors(failure, expirationField)),
        conflict: (failure) => {
          if (failure.code !== 'name_taken') return fail(failure)
          fail(failure, { name: failure.fieldErrors?.name ?? failure.userFacingError })
        },
        // unauthorized has reached the provider's onUnauthorized already; here it is a message.
        unexpectedOrUnhandled: (failure) => fail(failure),
      })
    } finally {
      submitting.current = false
    }
  }

  function dismissReveal() {
    setCreated(null)
    setName('')
    setChosen(null)
    setCustomDate(null)
    setScopes([])
    setFieldErrors({})
    setSubmitError(null)
    create.reset()
    setFocusNameOnReset(true)
    onDone?.()
  }

  const values: CreatePersonalApiKeyRenderProps = {
    isPending: create.isPending,
    isDisabled,
    step,
    error,
    policy,
    isLoadingPolicy,
  }
  const state: CreateKeyState = {
    t,
    policy,
    options,
    selection,
    expiresAt,
    datePicker: policy && {
      ...customDateRange(policy),
      value: customDate,
      onChange: (value) => {
        setCustomDate(value)
        clearFieldErrors('expiresAt')
      },
      isDisabled,
      t,
    },
    isLoadingPolicy,
    policyError,
    formError: submitError && !submitError.onFields ? submitError.error : null,
  }
  const renderProps = usePartRenderProps(
    merged,
    values,
    'CreatePersonalApiKey',
    <>
      <Heading slot="title">{t('createTitle')}</Heading>
      {policy ? (
        <>
          <CreateKeyNameField />
          <CreateKeyExpirationField />
          <CreateKeyScopesField />
          <CreateKeyFormError />
          <CreateKeySubmit />
        </>
      ) : (
        <CreateKeyPolicyStatus />
      )}
    </>,
  )
  const titleProps = { level: 2, ...enclosingTitle, id: enclosingTitle?.id ?? titleId }

  return (
    // The locale's direction, so an Arabic form lays out right to left on any page; a `dir` prop wins.
    <div dir={direction} {...domProps(merged)} {...renderProps} data-error={error?.kind} ref={ref}>
      <CreateKeyStateContext.Provider value={state}>
        <Provider
          values={[
            [HeadingContext, { slots: { [DEFAULT_SLOT]: {}, title: titleProps } }],
            [TextContext, { slots: { [DEFAULT_SLOT]: {}, message: {} } }],
            [
              TextFieldContext,
              {
                slots: {
                  [DEFAULT_SLOT]: {},
                  name: {
                    name: 'name',
                    value: name,
                    onChange: (value: string) => {
                      setName(value)
                      clearFieldErrors('name')
                    },
                    isRequired: true,
                    isDisabled,
                    autoFocus: focusNameOnReset,
                  },
                },
              },
            ],
            [
              RadioGroupContext,
              {
                slots: {
                  [DEFAULT_SLOT]: {},
                  expiration: {
                    name: 'expiration',
                    value: selection,
                    onChange: (value: string) => {
                      setChosen(value as ExpirationSelection)
                      clearFieldErrors('expiration', 'expiresAt')
                    },
                    isRequired: true,
                    isDisabled,
                  },
                },
              },
            ],
            [
              CheckboxGroupContext,
              {
                slots: {
                  [DEFAULT_SLOT]: {},
                  scopes: {
                    name: 'scopes',
                    value: scopes,
                    onChange: (value: string[]) => {
                      setScopes(value)
                      clearFieldErrors('scopes')
                    },
                    isDisabled,
                  },
                },
              },
            ],
            [
              ButtonContext,
              {
                slots: {
                  [DEFAULT_SLOT]: {},
                  submit: { type: 'submit', isPending: create.isPending, isDisabled: isDisabled || !policy },
                  retry: policyError
                    ? { isPending: policyQuery.isFetching, onPress: () => void policyQuery.refetch() }
                    : { isPending: create.isPending, onPress: () => void submit() },
                },
              },
            ],
          ]}
        >
          {created ? (
            <TokenReveal token={created.token} onDismiss={dismissReveal} messages={messages} />
          ) : (
            <Form
              className="patkit-CreatePersonalApiKeyForm"
              validationBehavior="aria"
              validationErrors={fieldErrors}
              onSubmit={(event) => {
                event.preventDefault()
                void submit()
              }}
            >
              {renderProps.children}
            </Form>
          )}
        </Provider>
      </CreateKeyStateContext.Provider>
      <VisuallyHidden role="status" aria-live="polite">
        {created ? t('created') : ''}
      </VisuallyHidden>
    </div>
  )
}

function omit<T extends object>(object: T, keys: (keyof T)[]): T {
  const copy = { ...object }
  for (const key of keys) delete copy[key]
  return copy
}

// ---------------------------------------------------------------------------------------------
// Parts

/** The key's name: required, trimmed, at most the policy's length. A react-aria `TextField` in the `name` slot. */
export function CreateKeyNameField(props: Omit<TextFieldProps, 'slot'>) {
  const { t, policy } = useCreateKeyState('CreateKeyNameField')
  return (
    <TextField {...props} slot="name" className={props.className ?? 'patkit-CreateKeyNameField'}>
      {props.children ?? (
        <>
          <Label>{t('nameLabel')}</Label>
          <Input />
          {policy && <Text slot="description">{t('nameDescription', { max: policy.nameMaxLength })}</Text>}
          <FieldError />
        </>
      )}
    </TextField>
  )
}

export interface CreateKeyExpirationFieldRenderProps {
  /**
   * The chosen preset, or `custom`.
   * @selector [data-selection="OneMonth | … | custom"]
   */
  selection: ExpirationSelection | null
  /**
   * The key would never expire.
   * @selector [data-never]
   */
  isNever: boolean
}

export interface CreateKeyExpirationFieldProps extends RenderProps<CreateKeyExpirationFieldRenderProps>, PartDOMProps {
  ref?: Ref<HTMLDivElement>
}

/**
 * The policy's presets as radios (`expiration` slot), a live caption with the resulting date, and for
 * "Custom…" a date picker bounded by the policy (loaded when first chosen; its field is named `expiresAt`).
 */
export function CreateKeyExpirationField(props: CreateKeyExpirationFieldProps) {
  const { t, policy, options, selection, expiresAt, datePicker } = useCreateKeyState('CreateKeyExpirationField')
  const DatePicker = useLazyComponent(loadDatePicker, DatePickerFailed)
  const formatters = useDateFormatters()
  const values: CreateKeyExpirationFieldRenderProps = { selection, isNever: selection === 'Never' }
  const caption =
    expiresAt === null
      ? t('expirationCaptionNever')
      : expiresAt
        ? t('expirationCaption', { date: formatters.date(expiresAt.toISOString()) })
        : ''
  const renderProps = usePartRenderProps(
    props,
    values,
    'CreateKeyExpirationField',
    <>
      <RadioGroup slot="expiration">
        <Label>{t('expirationLabel')}</Label>
        {[...options, ...(policy?.allowCustomExpiration ? [CUSTOM] : [])].map((option) => (
          <RadioField key={option} value={option}>
            <RadioButton>
              {({ isSelected }) => (
                <>
                  <SelectionIndicator isSelected={isSelected} type="radio" />
                  {option === CUSTOM ? t('expirationCustom') : t.expiration(option)}
                </>
              )}
            </RadioButton>
          </RadioField>
        ))}
        <Text slot="description" aria-live="polite">
          {caption}
        </Text>
        <FieldError />
      </RadioGroup>
      {selection === CUSTOM && datePicker && (
        <Suspense
          fallback={
            <div className="patkit-CreateKeyDatePickerLoading" role="status">
              {t('loadingDatePicker')}
            </div>
          }
        >
          <DatePicker {...datePicker} />
        </Suspense>
      )}
    </>,
  )
  if (!policy) return null
  return (
    <div {...domProps(props)} {...renderProps} ref={props.ref}>
      {renderProps.children}
    </div>
  )
}

/** The policy's scopes as checkboxes (`scopes` slot); renders nothing when the policy has none. */
export function CreateKeyScopesField(props: Omit<CheckboxGroupProps, 'slot'>) {
  const { t, policy } = useCreateKeyState('CreateKeyScopesField')
  if (!policy || policy.scopes.length === 0) return null
  return (
    <CheckboxGroup {...props} slot="scopes" className={props.className ?? 'patkit-CreateKeyScopesField'}>
      {props.children ?? (
        <>
          <Label>{t('scopesLabel')}</Label>
          <Text slot="description">{t('scopesDescription')}</Text>
          {policy.scopes.map((scope) => (
            <CheckboxField key={scope.id} value={scope.id}>
              <CheckboxButton>
                {({ isSelected }) => (
                  <>
                    <SelectionIndicator isSelected={isSelected} type="checkbox" />
                    {scope.id}
                  </>
                )}
              </CheckboxButton>
              <Text slot="description">{scope.description}</Text>
            </CheckboxField>
          ))}
          <FieldError />
        </>
      )}
    </CheckboxGroup>
  )
}

/** The submit button (`submit` slot): pending while the key is created, so a double click creates one key. */
export function CreateKeySubmit(props: Omit<ButtonProps, 'slot'>) {
  const { t } = useCreateKeyState('CreateKeySubmit')
  return (
    <Button {...props} slot="submit" className={props.className ?? 'patkit-CreateKeySubmit'}>
      {props.children ?? (({ isPending }) => (isPending ? t('createPending') : t('createSubmit')))}
    </Button>
  )
}

export interface CreateKeyFormErrorRenderProps {
  /** The create error that belongs to no single field. */
  error: ApiError
  /**
   * Its kind.
   * @selector [data-kind="<kind>"]
   */
  kind: ErrorKind
  /**
   * Trying again might work (a retry button shows for unexpected failures).
   * @selector [data-can-retry]
   */
  canRetry: boolean
}

export interface CreateKeyFormErrorProps extends RenderProps<CreateKeyFormErrorRenderProps>, PartDOMProps {
  ref?: Ref<HTMLDivElement>
}

/**
 * A create error that no field owns, as an alert: permission, sign-in, rate limit (with the wait), or an
 * unexpected failure with a `retry` button. Renders nothing without one.
 */
export function CreateKeyFormError(props: CreateKeyFormErrorProps) {
  const { t, formError } = useCreateKeyState('CreateKeyFormError')
  return formError ? <FormErrorAlert {...props} error={formError} t={t} /> : null
}

function FormErrorAlert({ error, t, ...props }: CreateKeyFormErrorProps & { error: ApiError; t: Translate }) {
  const values: CreateKeyFormErrorRenderProps = { error, kind: error.kind, canRetry: error.kind === 'unexpectedOrUnhandled' }
  const renderProps = usePartRenderProps(
    props,
    values,
    'CreateKeyFormError',
    <>
      <Text slot="message">{keyErrorMessage(error, t)}</Text>
      {values.canRetry && <Button slot="retry">{t('retry')}</Button>}
    </>,
  )
  return (
    <div {...domProps(props)} {...renderProps} ref={props.ref} role="alert">
      {renderProps.children}
    </div>
  )
}

export interface CreateKeyPolicyStatusRenderProps {
  /**
   * The policy is loading.
   * @selector [data-loading]
   */
  isLoading: boolean
  /**
   * Why the policy did not load.
   * @selector [data-error]
   */
  error: ApiError | null
  /**
   * Trying again might work (not for a missing permission).
   * @selector [data-can-retry]
   */
  canRetry: boolean
}

export interface CreateKeyPolicyStatusProps extends RenderProps<CreateKeyPolicyStatusRenderProps>, PartDOMProps {
  ref?: Ref<HTMLDivElement>
}

/** While the policy loads: a status; if it fails: the error and a `retry` button. Nothing once it has loaded. */
export function CreateKeyPolicyStatus(props: CreateKeyPolicyStatusProps) {
  const { t, isLoadingPolicy, policyError } = useCreateKeyState('CreateKeyPolicyStatus')
  const values: CreateKeyPolicyStatusRenderProps = {
    isLoading: isLoadingPolicy,
    error: policyError,
    canRetry: policyError !== null && isRetryable(policyError),
  }
  const renderProps = usePartRenderProps(
    props,
    values,
    'CreateKeyPolicyStatus',
    policyError ? (
      <>
        <Text slot="message">{keyErrorMessage(policyError, t)}</Text>
        {values.canRetry && <Button slot="retry">{t('retry')}</Button>}
      </>
    ) : (
      t('loadingPolicy')
    ),
  )
  if (!isLoadingPolicy && !policyError) return null
  return (
    <div
      {...domProps(props)}
      {...renderProps}
      data-error={policyError?.kind}
      ref={props.ref}
      role={policyError ? 'alert' : 'status'}
    >
      {renderProps.children}
    </div>
  )
}
