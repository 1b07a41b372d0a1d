import { createContext, useContext, useId, useMemo, useRef, useState, type JSX, type Ref } from 'react'
import { Button, ButtonContext, type ButtonProps, type ButtonRenderProps } from 'react-aria-components/Button'
// The contexts only (a few bytes): an app's own react-aria CheckboxGroup and RadioGroup in the `scopes`
// and `expiration` slots are wired through them; patkit's own fields are native inputs (choice.tsx).
import { CheckboxGroupContext } from 'react-aria-components/CheckboxGroup'
import { RadioGroupContext } from 'react-aria-components/RadioGroup'
import { FieldError } from 'react-aria-components/FieldError'
import { Form } from 'react-aria-components/Form'
import { Heading, HeadingContext } from 'react-aria-components/Heading'
import { useLocale } from 'react-aria-components/I18nProvider'
import { Input } from 'react-aria-components/Input'
import { Label } from 'react-aria-components/Label'
import { Text, TextContext } from 'react-aria-components/Text'
import { TextArea } from 'react-aria-components/TextArea'
import { TextField, TextFieldContext, type TextFieldProps, type TextFieldRenderProps } from 'react-aria-components/TextField'
import { VisuallyHidden } from 'react-aria-components/VisuallyHidden'
import { DEFAULT_SLOT, Provider, useContextProps, type ContextValue, type SlotProps } from 'react-aria-components/slots'
import type { RenderProps } from 'react-aria-components/useRenderProps'
import type { ResolvedCapabilities } from '../client/capabilities.ts'
import { availableExpirationOptions, checkExpiration, latestExpiresAt, resolveExpiresAt, type ExpirationCheck } from '../client/expiration.ts'
import { characterCount } from '../client/names.ts'
import type {
  ApiError,
  CreatedPersonalApiKey,
  ErrorKind,
  Expiration,
  ExpirationOption,
  PersonalApiKeyPolicy,
} from '../client/types.ts'
import { useCreatePersonalApiKey, usePersonalApiKeyCapabilities, usePersonalApiKeyPolicy } from '../react/hooks.ts'
import { usePatkitContext } from '../react/provider.tsx'
import { useDateFormatters, type DateFormatters } from './format.ts'
import { useMessages, type PatkitMessages, type Translate } from './messages.tsx'
import { lazyModule, useLazyModule } from './lazy.ts'
import { Choice, ChoiceGroup } from './choice.tsx'
import {
  AnnouncementsLeaveWithMe,
  PendingLabelKeeper,
  composePartRenderProps,
  domProps,
  formatUnit,
  isRetryable,
  keyErrorMessage,
  retryLabel,
  useEnclosingTitle,
  useFocusInvalidAfterSubmit,
  usePartRenderProps,
  useRetryCountdown,
  useSignIn,
  type PartDOMProps,
} from './shared.tsx'
import { OrganizationReadOnlyNotice, useCanManageKeys } from './organization.tsx'
import type { CreateKeyDatePickerProps } from './CreateKeyDatePicker.tsx'
import { CreateKeyScopesPicker, groupScopes, type ScopeLayout } from './scopes.tsx'
import { revealCode, TokenReveal } from './TokenReveal.tsx'

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
  /** The server's rules for new keys, once loaded, without what the backend cannot do (no custom date without `capabilities.customExpiration`, no scopes without `capabilities.scopes`). */
  policy: PersonalApiKeyPolicy | null
  /**
   * The policy is loading; the fields wait for it.
   * @selector [data-loading-policy]
   */
  isLoadingPolicy: boolean
}

export interface CreatePersonalApiKeyProps extends Omit<RenderProps<CreatePersonalApiKeyRenderProps>, 'render'>, PartDOMProps {
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
type FieldName = 'name' | 'description' | 'expiration' | 'expiresAt' | 'scopes'
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

/**
 * The days the picker offers: exactly those whose end passes `checkExpiration`, so the calendar, the
 * form's own check and the server agree — today included (it ends in the future), up to the last day
 * that ends within the lifetime cap.
 */
function customDateRange(policy: PersonalApiKeyPolicy, now = new Date()): { minValue: string; maxValue?: string } {
  const today = localDay(now)
  const minValue = endOfDay(today) > now ? today : localDay(now, 1)
  const latest = latestExpiresAt(policy, now)
  if (!latest) return { minValue }
  const lastDay = localDay(latest)
  return { minValue, maxValue: endOfDay(lastDay) > latest ? localDay(latest, -1) : lastDay }
}

/**
 * The policy as far as the backend can carry it out: no custom date without `customExpiration`, no
 * scopes without `scopes`, so the form offers neither and never sends them.
 */
function usablePolicy(policy: PersonalApiKeyPolicy, capabilities: ResolvedCapabilities): PersonalApiKeyPolicy {
  if (capabilities.customExpiration && capabilities.scopes) return policy
  return {
    ...policy,
    allowCustomExpiration: policy.allowCustomExpiration && capabilities.customExpiration,
    scopes: capabilities.scopes ? policy.scopes : [],
  }
}

/** The date picker's code, loaded when "Custom date" is first chosen. */
const datePickerCode = lazyModule(() => import('./CreateKeyDatePicker.tsx'))

function defaultSelection(policy: PersonalApiKeyPolicy, options: ExpirationOption[]): ExpirationSelection | null {
  if (options.includes(policy.defaultExpiration)) return policy.defaultExpiration
  return options[0] ?? (policy.allowCustomExpiration ? CUSTOM : null)
}

/** The policy's lifetime cap in words ("90 days"), `null` without one. */
const capDuration = (policy: PersonalApiKeyPolicy, t: Translate) => (policy.maxLifetimeDays === null ? null : formatUnit(policy.maxLifetimeDays, 'day', t))

/**
 * What is wrong with a refused expiration, in the user's language and with the limit: "Choose a date
 * in the future.", "Keys can last at most 90 days: choose a date by Mar 2, 2027." — the same sentence
 * whether the calendar, the form's check or a submit found it.
 */
function expirationProblem(check: Extract<ExpirationCheck, { ok: false }>, policy: PersonalApiKeyPolicy, t: Translate, format: DateFormatters): string {
  const duration = capDuration(policy, t) ?? ''
  switch (check.problem) {
    case 'inPast':
      return t('expirationInPast')
    case 'tooLate': {
      const { maxValue } = customDateRange(policy)
      return t('expirationTooLate', { duration, date: maxValue ? format.date(endOfDay(maxValue).toISOString()) : '' })
    }
    case 'neverNotAllowed':
      return t('expirationNeverNotAllowed', { duration })
    case 'customNotAllowed':
      return t('expirationCustomNotAllowed')
    case 'invalidDate':
      return t('expirationInvalidDate')
    case 'notOffered':
      return t('expirationNotOffered')
  }
}

/** Server field errors (`/name`, `/description`, `/expirationOption`, `/expiresAt`, `/scopes`) onto the form's fields. */
function placeFieldErrors(error: ApiError, expirationField: FieldName): FieldErrors {
  const placed: FieldErrors = {}
  for (const [field, message] of Object.entries(error.fieldErrors ?? {})) {
    if (field === 'name' || field === 'description' || field === 'scopes') placed[field] = message
    else if (field === 'expirationOption' || field === 'expiresAt') placed[expirationField] = message
  }
  return placed
}

// ---------------------------------------------------------------------------------------------
// State shared with the parts

interface CreateKeyState {
  t: Translate
  policy: PersonalApiKeyPolicy | null
  /** What the backend supports: no description field, scopes picker or custom date without it. */
  capabilities: ResolvedCapabilities
  /** The description as typed, for the counter. */
  description: string
  options: ExpirationOption[]
  selection: ExpirationSelection | null
  select(selection: ExpirationSelection): void
  /** Where the chosen expiration lands: a date, `null` for never, `undefined` while no custom date is picked. */
  expiresAt: Date | null | undefined
  /** What the custom-date picker shows and reports; `null` until the policy is loaded. */
  datePicker: CreateKeyDatePickerProps | null
  scopes: string[]
  setScopes(scopes: string[]): void
  fieldErrors: FieldErrors
  isDisabled: boolean
  isLoadingPolicy: boolean
  policyError: ApiError | null
  /** A create error that belongs to no field. */
  formError: ApiError | null
  /** Seconds until the server said a retry may help (429, or 503 with `Retry-After`); `null` otherwise. */
  retryInSeconds: number | null
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
 * `TokenReveal` that says which key it is. After the reveal is dismissed the form resets for another
 * key and `onDone` is called. After a failed submit, focus moves to the first field in error.
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
  const format = useDateFormatters()
  const { direction } = useLocale()
  const policyQuery = usePersonalApiKeyPolicy()
  const create = useCreatePersonalApiKey()
  const capabilities = usePersonalApiKeyCapabilities()
  const policy = useMemo(() => policyQuery.data && usablePolicy(policyQuery.data, capabilities), [policyQuery.data, capabilities]) ?? null
  const [name, setName] = useState(defaultName)
  const [description, setDescription] = useState('')
  const [chosen, setChosen] = useState<ExpirationSelection | null>(null)
  const [customDate, setCustomDate] = useState<string | null>(null)
  const [scopes, setScopes] = useState<string[]>([])
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({})
  const [submitError, setSubmitError] = useState<{ error: ApiError; onFields: boolean } | null>(null)
  // The plaintext token lives here, and only here, until the reveal is dismissed.
  const [created, setCreated] = useState<CreatedPersonalApiKey | null>(null)
  const [focusNameOnReset, setFocusNameOnReset] = useState(false)
  // After a failed submit the first field in error takes focus, once it shows its error.
  const { ref: formRef, failed: focusInvalid } = useFocusInvalidAfterSubmit<HTMLFormElement>()
  // isPending reaches the button a render late; a second click in between must not create a second key.
  const submitting = useRef(false)
  const titleId = useId()
  const submitId = useId()
  const enclosingTitle = useEnclosingTitle()

  const options = useMemo(() => (policy ? availableExpirationOptions(policy) : []), [policy])
  const selection = chosen ?? (policy ? defaultSelection(policy, options) : null)
  const expiration: Expiration | null =
    selection === CUSTOM ? (customDate ? { expiresAt: endOfDay(customDate).toISOString() } : null) : selection
  const expiresAt = expiration === null ? undefined : resolveExpiresAt(expiration)
  const expirationField: FieldName = selection === CUSTOM ? 'expiresAt' : 'expiration'

  const policyError = policy ? null : policyQuery.error
  const error = submitError?.error ?? policyError
  // Nothing here can work until that changes: no permission, keys turned off, or (before the policy) signed out.
  const canManage = useCanManageKeys()
  const isDisabled = !canManage || (error !== null && !isRetryable(error) && (error.kind !== 'unauthorized' || !policy))
  const step: CreatePersonalApiKeyStep = created ? 'reveal' : 'form'
  const isLoadingPolicy = policyQuery.isLoading
  const retryInSeconds = useRetryCountdown(error)

  const clearFieldErrors = (...fields: FieldName[]) =>
    setFieldErrors((current) => (fields.some((field) => field in current) ? omit(current, fields) : current))

  function validate(current: PersonalApiKeyPolicy): FieldErrors {
    const errors: FieldErrors = {}
    const trimmed = name.trim()
    if (trimmed === '') errors.name = t('nameRequired')
    else if (characterCount(trimmed) > current.nameMaxLength) errors.name = t('nameTooLong', { max: current.nameMaxLength })
    if (capabilities.description && characterCount(description.trim()) > current.descriptionMaxLength) {
      errors.description = t('descriptionTooLong', { max: current.descriptionMaxLength })
    }
    if (selection === CUSTOM && !customDate) errors.expiresAt = t('customDateRequired')
    else if (expiration === null) errors[expirationField] = t('expirationNotOffered')
    else {
      const check = checkExpiration(expiration, current)
      if (!check.ok) errors[expirationField] = expirationProblem(check, current, t, format)
    }
    return errors
  }

  async function submit() {
    if (!policy || submitting.current || isDisabled) return
    const errors = validate(policy)
    setFieldErrors(errors)
    if (Object.keys(errors).length > 0 || expiration === null) {
      focusInvalid()
      return
    }
    submitting.current = true
    setSubmitError(null)
    // The reveal's code loads while the server creates the key.
    void revealCode.load().catch(() => undefined)
    const fail = (failure: ApiError, onFields: FieldErrors = {}) => {
      const placed = Object.keys(onFields).length > 0
      setSubmitError({ error: failure, onFields: placed })
      if (placed) {
        setFieldErrors(onFields)
        focusInvalid()
      }
    }
    try {
      const response = await create.mutateAsync({
        name: name.trim(),
        expiration,
        ...(policy.scopes.length > 0 ? { scopes } : {}),
        ...(capabilities.description && description.trim() !== '' ? { description: description.trim() } : {}),
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
    setDescription('')
    setChosen(null)
    setCustomDate(null)
    setScopes([])
    setFieldErrors({})
    setSubmitError(null)
    create.reset()
    setFocusNameOnReset(true)
    onDone?.()
  }

  const select = (value: ExpirationSelection) => {
    setChosen(value)
    clearFieldErrors('expiration', 'expiresAt')
  }
  const changeScopes = (value: string[]) => {
    setScopes(value)
    clearFieldErrors('scopes')
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
    capabilities,
    description,
    options,
    selection,
    select,
    expiresAt,
    datePicker: policy && {
      ...customDateRange(policy),
      value: customDate,
      onChange: (value) => {
        setCustomDate(value)
        clearFieldErrors('expiresAt')
      },
      // The calendar's own range message would differ from the form's: one sentence for one rule.
      validate: (day) => {
        const check = checkExpiration({ expiresAt: endOfDay(day).toISOString() }, policy)
        return check.ok ? null : expirationProblem(check, policy, t, format)
      },
      description: [t('customDateDescription'), capDuration(policy, t) && t('expirationCap', { duration: capDuration(policy, t)! })].filter(Boolean).join(' '),
      isDisabled,
      t,
    },
    scopes,
    setScopes: changeScopes,
    fieldErrors,
    isDisabled,
    isLoadingPolicy,
    policyError,
    formError: submitError && !submitError.onFields ? submitError.error : null,
    retryInSeconds,
  }
  const renderProps = usePartRenderProps(
    merged,
    values,
    'CreatePersonalApiKey',
    <>
      <Heading slot="title">{t('createTitle')}</Heading>
      {!canManage ? (
        <OrganizationReadOnlyNotice messages={messages} />
      ) : policy ? (
        <>
          <CreateKeyNameField />
          <CreateKeyDescriptionField />
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
    <div dir={direction} {...domProps(merged)} {...renderProps} ref={ref}>
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
                  description: {
                    name: 'description',
                    value: description,
                    onChange: (value: string) => {
                      setDescription(value)
                      clearFieldErrors('description')
                    },
                    isDisabled,
                  },
                },
              },
            ],
            [
              RadioGroupContext,
              {
                slots: {
                  [DEFAULT_SLOT]: {},
                  expiration: { name: 'expiration', value: selection, onChange: (value: string) => select(value as ExpirationSelection), isRequired: true, isDisabled },
                },
              },
            ],
            [CheckboxGroupContext, { slots: { [DEFAULT_SLOT]: {}, scopes: { name: 'scopes', value: scopes, onChange: changeScopes, isDisabled } } }],
            [
              ButtonContext,
              {
                slots: {
                  [DEFAULT_SLOT]: {},
                  submit: { id: submitId, type: 'submit', isPending: create.isPending, isDisabled: isDisabled || !policy || retryInSeconds !== null },
                  retry: policyError
                    ? { isPending: policyQuery.isFetching, isDisabled: retryInSeconds !== null, onPress: () => void policyQuery.refetch() }
                    : { isPending: create.isPending, isDisabled: retryInSeconds !== null, onPress: () => void submit() },
                },
              },
            ],
          ]}
        >
          {created ? (
            <>
              <TokenReveal token={created.token} apiKey={created.apiKey} onDismiss={dismissReveal} messages={messages} />
              <PendingLabelKeeper id={submitId} label={t('createPending')} />
            </>
          ) : (
            <Form
              ref={formRef}
              className="patkit-CreatePersonalApiKeyForm"
              validationBehavior="aria"
              validationErrors={fieldErrors}
              onSubmit={(event) => {
                event.preventDefault()
                void submit()
              }}
            >
              {renderProps.children}
              <AnnouncementsLeaveWithMe />
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

export interface CreateKeyNameFieldProps extends Omit<TextFieldProps, 'slot' | 'render'> {
  ref?: Ref<HTMLDivElement>
}

/** Props an app gives the form's name field. */
export const CreateKeyNameFieldContext = createContext<ContextValue<Partial<CreateKeyNameFieldProps>, HTMLDivElement>>(null)

/**
 * The key's name: required, trimmed, at most the policy's length. A react-aria `TextField` in the `name`
 * slot; its render props are the `TextField`'s (`isInvalid`, `isDisabled`, …).
 */
export function CreateKeyNameField(props: CreateKeyNameFieldProps) {
  const [merged, ref] = useContextProps(props, props.ref, CreateKeyNameFieldContext)
  const { t, policy } = useCreateKeyState('CreateKeyNameField')
  return (
    <TextField
      {...merged}
      ref={ref}
      slot="name"
      {...composePartRenderProps<TextFieldRenderProps, object>(
        merged,
        {},
        'CreateKeyNameField',
        <>
          <Label>{t('nameLabel')}</Label>
          <Input />
          {policy && <Text slot="description">{t('nameDescription', { max: policy.nameMaxLength })}</Text>}
          <FieldError />
        </>,
      )}
    />
  )
}

export interface CreateKeyDescriptionFieldProps extends Omit<TextFieldProps, 'slot' | 'render'> {
  ref?: Ref<HTMLDivElement>
}

/** Props an app gives the form's description field. */
export const CreateKeyDescriptionFieldContext = createContext<ContextValue<Partial<CreateKeyDescriptionFieldProps>, HTMLDivElement>>(null)

/**
 * The key's optional description: several lines, at most the policy's length, with a count of the
 * characters used. A react-aria `TextField` (its `TextArea`) in the `description` slot. Renders nothing
 * when the backend keeps no descriptions (`capabilities.description: false`).
 */
export function CreateKeyDescriptionField(props: CreateKeyDescriptionFieldProps) {
  const [merged, ref] = useContextProps(props, props.ref, CreateKeyDescriptionFieldContext)
  const { t, policy, capabilities, description } = useCreateKeyState('CreateKeyDescriptionField')
  if (!policy || !capabilities.description) return null
  const used = characterCount(description.trim())
  return (
    <TextField
      {...merged}
      ref={ref}
      slot="description"
      {...composePartRenderProps<TextFieldRenderProps, object>(
        merged,
        {},
        'CreateKeyDescriptionField',
        <>
          <Label>{t('descriptionLabel')}</Label>
          <TextArea rows={3} />
          <Text slot="description">
            {t('descriptionHint')}{' '}
            <span className="patkit-CreateKeyDescriptionCount" data-over={used > policy.descriptionMaxLength || undefined}>
              {t('descriptionCount', { count: used, max: policy.descriptionMaxLength })}
            </span>
          </Text>
          <FieldError />
        </>,
      )}
    />
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

export interface CreateKeyExpirationFieldProps extends SlotProps, Omit<RenderProps<CreateKeyExpirationFieldRenderProps>, 'render'>, PartDOMProps {
  ref?: Ref<HTMLDivElement>
}

/** Props an app gives the form's expiration field. */
export const CreateKeyExpirationFieldContext = createContext<ContextValue<Partial<CreateKeyExpirationFieldProps>, HTMLDivElement>>(null)

/**
 * The policy's presets as a radio group on native radios, its lifetime cap said up front, a live
 * caption with the resulting date, and for "Custom…" a date picker bounded by the policy (loaded when
 * first chosen; its field is named `expiresAt`). A refused choice says what is wrong and the limit.
 */
export function CreateKeyExpirationField(props: CreateKeyExpirationFieldProps) {
  const [merged, ref] = useContextProps(props, props.ref, CreateKeyExpirationFieldContext)
  const { t, policy, options, selection, select, expiresAt, datePicker, fieldErrors, isDisabled } = useCreateKeyState('CreateKeyExpirationField')
  const picker = useLazyModule(datePickerCode, selection === CUSTOM)
  const formatters = useDateFormatters()
  const name = useId()
  const values: CreateKeyExpirationFieldRenderProps = { selection, isNever: selection === 'Never' }
  const caption =
    expiresAt === null
      ? t('expirationCaptionNever')
      : expiresAt
        ? t('expirationCaption', { date: formatters.date(expiresAt.toISOString()) })
        : ''
  const cap = policy && capDuration(policy, t)
  const DatePicker = picker.module?.default
  const renderProps = usePartRenderProps(
    merged,
    values,
    'CreateKeyExpirationField',
    <>
      <ChoiceGroup
        role="radiogroup"
        label={t('expirationLabel')}
        description={
          <>
            {cap && <span className="patkit-CreateKeyExpirationCap">{t('expirationCap', { duration: cap })}</span>}
            {cap && ' '}
            {/* Follows the choice: read when it changes. */}
            <span aria-live="polite">{caption}</span>
          </>
        }
        error={fieldErrors.expiration}
        isDisabled={isDisabled}
        className="patkit-CreateKeyExpirationPresets"
      >
        {[...options, ...(policy?.allowCustomExpiration ? [CUSTOM] : [])].map((option) => (
          <Choice key={option} type="radio" name={name} value={option} isSelected={selection === option} onChange={() => select(option)} isDisabled={isDisabled}>
            {option === CUSTOM ? t('expirationCustom') : t.expiration(option)}
          </Choice>
        ))}
      </ChoiceGroup>
      {selection === CUSTOM &&
        datePicker &&
        (DatePicker ? (
          <DatePicker {...datePicker} />
        ) : picker.failed ? (
          // The form keeps working: a preset is still a choice.
          <div className="patkit-CreateKeyDatePickerError" role="alert">
            {t('datePickerFailed')} <Button onPress={picker.retry}>{t('retry')}</Button>
          </div>
        ) : (
          <div className="patkit-CreateKeyDatePickerLoading" role="status">
            {t('loadingDatePicker')}
          </div>
        ))}
    </>,
  )
  if (!policy) return null
  return <div {...domProps(merged)} {...renderProps} ref={ref} />
}

export interface CreateKeyScopesFieldRenderProps {
  /**
   * `grouped`: one choice per resource (none, read, write…), for `resource:action` scope ids; `flat`: a checkbox per scope.
   * @selector [data-layout="grouped"]
   */
  layout: ScopeLayout
  /**
   * How many scopes are chosen.
   * @selector [data-selected-count="2"]
   */
  selectedCount: number
  /**
   * The server refused the chosen scopes.
   * @selector [data-invalid]
   */
  isInvalid: boolean
  /**
   * The form cannot be used now.
   * @selector [data-disabled]
   */
  isDisabled: boolean
}

export interface CreateKeyScopesFieldProps extends SlotProps, Omit<RenderProps<CreateKeyScopesFieldRenderProps>, 'render'>, PartDOMProps {
  ref?: Ref<HTMLDivElement>
}

/** Props an app gives the form's scopes field. */
export const CreateKeyScopesFieldContext = createContext<ContextValue<Partial<CreateKeyScopesFieldProps>, HTMLDivElement>>(null)

/**
 * The policy's scopes: grouped by resource with none/read/write… when their ids read `resource:action`
 * (a level grants the ones below it), else a checkbox each with its description, with "Select all" and
 * a count once there are many. Renders nothing when the policy has no scopes.
 */
export function CreateKeyScopesField(props: CreateKeyScopesFieldProps) {
  const [merged, ref] = useContextProps(props, props.ref, CreateKeyScopesFieldContext)
  const { t, policy, scopes, setScopes, fieldErrors, isDisabled } = useCreateKeyState('CreateKeyScopesField')
  const offered = policy?.scopes ?? []
  const groups = useMemo(() => groupScopes(offered), [offered])
  const values: CreateKeyScopesFieldRenderProps = {
    layout: groups ? 'grouped' : 'flat',
    selectedCount: scopes.length,
    isInvalid: fieldErrors.scopes !== undefined,
    isDisabled,
  }
  const renderProps = usePartRenderProps(
    merged,
    values,
    'CreateKeyScopesField',
    <CreateKeyScopesPicker scopes={offered} groups={groups} value={scopes} onChange={setScopes} isDisabled={isDisabled} error={fieldErrors.scopes ?? null} t={t} />,
  )
  if (offered.length === 0) return null
  return <div {...domProps(merged)} {...renderProps} ref={ref} />
}

export interface CreateKeySubmitProps extends Omit<ButtonProps, 'slot' | 'render'> {
  ref?: Ref<HTMLButtonElement>
}

/** Props an app gives the form's submit button. */
export const CreateKeySubmitContext = createContext<ContextValue<Partial<CreateKeySubmitProps>, HTMLButtonElement>>(null)

/**
 * The submit button (`submit` slot): pending while the key is created, so a double click creates one
 * key. Its render props are the `Button`'s (`isPending`, `isPressed`, `isFocusVisible`, …).
 */
export function CreateKeySubmit(props: CreateKeySubmitProps) {
  const [merged, ref] = useContextProps(props, props.ref, CreateKeySubmitContext)
  const { t } = useCreateKeyState('CreateKeySubmit')
  const composed = composePartRenderProps<ButtonRenderProps, object>(merged, {}, 'CreateKeySubmit')
  return (
    <Button
      {...merged}
      ref={ref}
      slot="submit"
      {...composed}
      children={(values) => (merged.children === undefined ? (values.isPending ? t('createPending') : t('createSubmit')) : composed.children(values))}
    />
  )
}

export interface CreateKeyFormErrorRenderProps {
  /** The create error that belongs to no single field. */
  error: ApiError
  /**
   * Its kind (the same `data-error`).
   * @selector [data-error="<kind>"]
   */
  kind: ErrorKind
  /**
   * Trying again might work (a retry button shows for unexpected failures and rate limits).
   * @selector [data-can-retry]
   */
  canRetry: boolean
  /**
   * Seconds until the server said a retry may help; the retry button counts them down, disabled.
   * @selector [data-retry-in-seconds]
   */
  retryInSeconds: number | null
}

export interface CreateKeyFormErrorProps extends SlotProps, Omit<RenderProps<CreateKeyFormErrorRenderProps>, 'render'>, PartDOMProps {
  ref?: Ref<HTMLDivElement>
}

/** Props an app gives the form's error alert. */
export const CreateKeyFormErrorContext = createContext<ContextValue<Partial<CreateKeyFormErrorProps>, HTMLDivElement>>(null)

/**
 * A create error that no field owns, as an alert: permission, sign-in, rate limit (with the wait), or an
 * unexpected failure, with a `retry` button where trying again can help. Renders nothing without one.
 */
export function CreateKeyFormError(props: CreateKeyFormErrorProps) {
  const [merged, ref] = useContextProps(props, props.ref, CreateKeyFormErrorContext)
  const { t, formError, retryInSeconds } = useCreateKeyState('CreateKeyFormError')
  return formError ? <FormErrorAlert {...merged} ref={ref} error={formError} retryInSeconds={retryInSeconds} t={t} /> : null
}

function FormErrorAlert({ error, retryInSeconds, t, ...props }: CreateKeyFormErrorProps & { error: ApiError; retryInSeconds: number | null; t: Translate }) {
  const canRetry = error.kind === 'unexpectedOrUnhandled' || error.kind === 'rateLimited'
  const signIn = useSignIn(error)
  const values: CreateKeyFormErrorRenderProps = { error, kind: error.kind, canRetry, retryInSeconds }
  const renderProps = usePartRenderProps(
    props,
    values,
    'CreateKeyFormError',
    <>
      <Text slot="message">{keyErrorMessage(error, t)}</Text>
      {canRetry && <Button slot="retry">{retryLabel(t, retryInSeconds)}</Button>}
      {signIn && <Button onPress={signIn}>{t('signIn')}</Button>}
      <AnnouncementsLeaveWithMe />
    </>,
  )
  return <div {...domProps(props)} {...renderProps} ref={props.ref} role="alert" />
}

export interface CreateKeyPolicyStatusRenderProps {
  /**
   * The policy is loading.
   * @selector [data-loading]
   */
  isLoading: boolean
  /**
   * Why the policy did not load.
   * @selector [data-error="<kind>"]
   */
  error: ApiError | null
  /**
   * Trying again might work (not for a missing permission, nor when signed out: a "Sign in" button calls the provider's `onUnauthorized`).
   * @selector [data-can-retry]
   */
  canRetry: boolean
  /**
   * Seconds until the server said a retry may help; the retry button counts them down, disabled.
   * @selector [data-retry-in-seconds]
   */
  retryInSeconds: number | null
}

export interface CreateKeyPolicyStatusProps extends SlotProps, Omit<RenderProps<CreateKeyPolicyStatusRenderProps>, 'render'>, PartDOMProps {
  ref?: Ref<HTMLDivElement>
}

/** Props an app gives the form's policy status. */
export const CreateKeyPolicyStatusContext = createContext<ContextValue<Partial<CreateKeyPolicyStatusProps>, HTMLDivElement>>(null)

/**
 * While the policy loads: a status; if it fails: the error and a `retry` button where trying again can
 * help, or "Sign in" (the provider's `onUnauthorized`) when signed out. Nothing once it has loaded.
 */
export function CreateKeyPolicyStatus(props: CreateKeyPolicyStatusProps) {
  const [merged, ref] = useContextProps(props, props.ref, CreateKeyPolicyStatusContext)
  const { t, isLoadingPolicy, policyError, retryInSeconds } = useCreateKeyState('CreateKeyPolicyStatus')
  const signIn = useSignIn(policyError)
  const values: CreateKeyPolicyStatusRenderProps = {
    isLoading: isLoadingPolicy,
    error: policyError,
    canRetry: policyError !== null && isRetryable(policyError),
    retryInSeconds: policyError ? retryInSeconds : null,
  }
  const renderProps = usePartRenderProps(
    merged,
    values,
    'CreateKeyPolicyStatus',
    policyError ? (
      <>
        <Text slot="message">{keyErrorMessage(policyError, t)}</Text>
        {values.canRetry && <Button slot="retry">{retryLabel(t, values.retryInSeconds)}</Button>}
        {signIn && <Button onPress={signIn}>{t('signIn')}</Button>}
        <AnnouncementsLeaveWithMe />
      </>
    ) : (
      t('loadingPolicy')
    ),
  )
  if (!isLoadingPolicy && !policyError) return null
  return <div {...domProps(merged)} {...renderProps} ref={ref} role={policyError ? 'alert' : 'status'} />
}
