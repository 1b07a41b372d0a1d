/**
 * An app's own design-system components, built on react-aria-components as many apps already have
 * them. Given a `slot`, each drops into a patkit component and is wired by it (value, pending state,
 * press handler, validation), because react-aria components read their props from slot contexts.
 */
import type { ReactNode } from 'react'
import {
  Button,
  FieldError,
  Input,
  Label,
  SearchField,
  Text,
  TextField,
  composeRenderProps,
  type ButtonProps,
  type SearchFieldProps,
  type TextFieldProps,
} from 'react-aria-components'

export const appCss = `
.app-button { font: 600 0.9375rem/1.2 system-ui, sans-serif; display: inline-flex; align-items: center; gap: 0.5rem; padding: 0.625rem 1.125rem; border-radius: 999px; border: 2px solid #3b0764; background: #fff; color: #3b0764; }
.app-button[data-variant='primary'] { background: #6b21a8; border-color: #6b21a8; color: #fff; }
.app-button[data-variant='danger'] { background: #9f1239; border-color: #9f1239; color: #fff; }
.app-button[data-hovered] { filter: brightness(1.1); }
.app-button[data-pressed] { transform: scale(0.97); }
.app-button[data-disabled] { background: #f4f4f5; border-color: #a1a1aa; color: #52525b; }
.app-button[data-focus-visible] { outline: 3px solid #c026d3; outline-offset: 2px; }
.app-spinner { width: 0.9em; height: 0.9em; border: 2px solid currentColor; border-inline-end-color: transparent; border-radius: 50%; animation: app-spin 0.8s linear infinite; }
@keyframes app-spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .app-spinner { animation: none; } .app-button[data-pressed] { transform: none; } }
.app-field { display: grid; gap: 0.25rem; font-family: system-ui, sans-serif; }
.app-field label { font-weight: 700; color: #3b0764; }
.app-field input { font: inherit; padding: 0.625rem 0.875rem; border: 2px solid #6b21a8; border-radius: 0.75rem; color: #18181b; background: #fff; }
.app-field input[data-focused] { outline: 3px solid #c026d3; outline-offset: 1px; }
.app-field input[data-invalid] { border-color: #9f1239; }
.app-field [slot='description'] { color: #52525b; font-size: 0.875rem; }
.app-field .react-aria-FieldError { color: #9f1239; font-size: 0.875rem; font-weight: 600; }
.app-card { display: grid; gap: 1rem; max-width: 32rem; padding: 1.5rem; border-radius: 1.25rem; background: #faf5ff; color: #18181b; font-family: system-ui, sans-serif; }
.app-card h2 { margin: 0; color: #3b0764; }
.app-card p { margin: 0; }
.app-row { display: flex; flex-wrap: wrap; gap: 0.75rem; justify-content: flex-end; }
.patkit-RevokeDialogOverlay { position: fixed; inset: 0; display: grid; place-items: center; background: rgb(24 24 27 / 0.6); }
.app-dialog { outline: none; }
`

export function AppButton({ variant = 'secondary', ...props }: ButtonProps & { variant?: 'primary' | 'secondary' | 'danger' }) {
  return (
    <Button {...props} className="app-button" data-variant={variant}>
      {composeRenderProps(props.children, (children, { isPending }) => (
        <>
          {isPending && <span className="app-spinner" aria-hidden="true" />}
          {children}
        </>
      ))}
    </Button>
  )
}

export function AppTextField({ label, description, ...props }: TextFieldProps & { label: string; description?: ReactNode }) {
  return (
    <TextField {...props} className="app-field">
      <Label>{label}</Label>
      <Input />
      {description && <Text slot="description">{description}</Text>}
      <FieldError />
    </TextField>
  )
}

export function AppSearchField({ label, ...props }: SearchFieldProps & { label: string }) {
  return (
    <SearchField {...props} className="app-field">
      <Label>{label}</Label>
      <Input />
    </SearchField>
  )
}
