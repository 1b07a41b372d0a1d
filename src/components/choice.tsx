/**
 * Radios and checkboxes on native inputs, for the parts that load with the page (the status filter,
 * the expiration presets, the scopes). The browser draws a real indicator even without a stylesheet,
 * a group of radios has one tab stop and arrow keys between them (in the page's direction), and
 * assistive technology gets the native roles — without react-aria's RadioGroup and CheckboxGroup, whose
 * focus-scope machinery weighs more than patkit's whole key table. The starter theme redraws the
 * indicators with CSS (`appearance: none`), so they stay the inputs themselves.
 */
import { useId, type ReactNode, type Ref } from 'react'

export interface ChoiceGroupProps {
  /** `radiogroup` for one choice, `group` for checkboxes. */
  role: 'radiogroup' | 'group'
  label: ReactNode
  /** Shown under the choices and read with the group. */
  description?: ReactNode
  /** The field's error: shown, read with the group, and `aria-invalid` on it. */
  error?: string | null
  isDisabled?: boolean
  className: string
  groupRef?: Ref<HTMLDivElement>
  /** More attributes for the group element (a part's style, `data-*`, DOM props). */
  attributes?: object
  children: ReactNode
}

/** A labelled group of choices with its description and error, wired by id as a react-aria field would be. */
export function ChoiceGroup({ role, label, description, error, isDisabled, className, groupRef, attributes, children }: ChoiceGroupProps) {
  const id = useId()
  const describedBy = [description ? `${id}d` : '', error ? `${id}e` : ''].join(' ').trim()
  return (
    <div
      {...attributes}
      role={role}
      className={className}
      ref={groupRef}
      aria-labelledby={`${id}l`}
      aria-describedby={describedBy || undefined}
      aria-invalid={error ? true : undefined}
      aria-disabled={isDisabled || undefined}
      data-invalid={error ? 'true' : undefined}
      data-disabled={isDisabled ? 'true' : undefined}
    >
      <span id={`${id}l`} className="patkit-ChoiceGroupLabel">
        {label}
      </span>
      {children}
      {description ? (
        <span id={`${id}d`} slot="description">
          {description}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}e`} className="patkit-FieldError">
          {error}
        </span>
      ) : null}
    </div>
  )
}

export interface ChoiceProps {
  type: 'radio' | 'checkbox'
  /** The group's name: radios sharing one are one tab stop. */
  name?: string
  value: string
  isSelected: boolean
  /** Checkbox only: some but not all of what it stands for is selected. */
  isIndeterminate?: boolean
  onChange: (isSelected: boolean) => void
  isDisabled?: boolean
  className?: string
  /** Read with the choice (e.g. a scope's description), by id. */
  describedBy?: string
  children: ReactNode
}

/** One native radio or checkbox inside its label (the label is the hit area). */
export function Choice({ type, name, value, isSelected, isIndeterminate, onChange, isDisabled, className = 'patkit-Choice', describedBy, children }: ChoiceProps) {
  return (
    <label className={className} data-selected={isSelected ? 'true' : undefined} data-disabled={isDisabled ? 'true' : undefined}>
      <input
        type={type}
        name={name}
        value={value}
        checked={isSelected}
        disabled={isDisabled}
        aria-describedby={describedBy}
        // `indeterminate` is a property only (no attribute), set on every render.
        ref={(input) => {
          if (input) input.indeterminate = isIndeterminate ?? false
        }}
        onChange={(event) => onChange(event.target.checked)}
      />
      <span className="patkit-ChoiceLabel">{children}</span>
    </label>
  )
}
