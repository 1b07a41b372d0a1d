/**
 * patkit restyled with Tailwind utility classes, through nothing but each part's `className` render
 * prop handed down by its `XContext`. Wrap any patkit component in `<TailwindTheme>` and it takes
 * these classes; no patkit CSS is involved. Parts that patkit renders itself (cells, menu items, the
 * reveal's fields) are reached from their part's root with Tailwind's arbitrary variants on the
 * `patkit-*` class names and `data-*` attributes, e.g. `[&_[data-status=revoked]]:…`.
 */
import type { ReactNode } from 'react'
import { Provider } from 'react-aria-components'
import {
  CreatePersonalApiKeyContext,
  RevokeDialogContext,
  RotateDialogContext,
  TokenListContext,
  TokenListEmptyStateContext,
  TokenListErrorStateContext,
  TokenListRowContext,
  TokenListSearchContext,
  TokenListStatusTabsContext,
  TokenListStatusTabContext,
  TokenListTableContext,
  TokenRevealContext,
  type RevokeDialogProps,
  type RotateDialogProps,
} from '../../src/components/index.ts'

/** Shared by every surface: buttons, fields, labels, focus rings; Tailwind classes only. */
export const tw = {
  surface: 'font-sans text-[15px] leading-6 text-slate-900 bg-white',
  button:
    'inline-flex items-center justify-center gap-2 rounded-md border border-slate-400 bg-white px-4 py-2 font-medium text-slate-900 outline-none hover:bg-slate-50 data-[pressed]:translate-y-px data-[focus-visible]:ring-2 data-[focus-visible]:ring-blue-700 data-[focus-visible]:ring-offset-2 data-[disabled]:border-slate-200 data-[disabled]:bg-slate-100 data-[disabled]:text-slate-600 motion-reduce:transition-none transition',
  primary:
    'inline-flex items-center justify-center gap-2 rounded-md bg-blue-700 px-4 py-2 font-semibold text-white outline-none hover:bg-blue-800 data-[pressed]:translate-y-px data-[focus-visible]:ring-2 data-[focus-visible]:ring-blue-700 data-[focus-visible]:ring-offset-2 data-[disabled]:bg-slate-200 data-[disabled]:text-slate-700 data-[pending]:cursor-progress motion-reduce:transition-none transition',
  danger:
    'inline-flex items-center justify-center gap-2 rounded-md bg-red-700 px-4 py-2 font-semibold text-white outline-none hover:bg-red-800 data-[focus-visible]:ring-2 data-[focus-visible]:ring-red-700 data-[focus-visible]:ring-offset-2 data-[disabled]:bg-slate-200 data-[disabled]:text-slate-700',
  field: 'flex flex-col gap-1',
  label: 'text-sm font-semibold text-slate-900',
  input:
    'rounded-md border border-slate-500 bg-white px-3 py-2 text-slate-900 outline-none data-[focused]:ring-2 data-[focused]:ring-blue-700 data-[invalid]:border-red-700',
  description: 'text-sm text-slate-600',
  error: 'text-sm font-medium text-red-700',
  card: 'grid max-w-xl gap-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm',
  /** A dialog that centres itself and casts its own backdrop: the overlay around it has no styles here. */
  dialog:
    'font-sans fixed inset-0 z-50 m-auto grid h-fit max-h-[90vh] w-[min(32rem,calc(100%-2rem))] gap-4 overflow-auto rounded-xl bg-white p-6 text-slate-900 shadow-[0_0_0_100vmax_rgb(15_23_42/0.55),0_20px_40px_rgb(15_23_42/0.3)] outline-none',
}

/** Descendant styling for patkit-rendered parts, as arbitrary variants on one root. */
const inner = {
  headings: '[&_h2]:m-0 [&_h2]:text-xl [&_h2]:font-semibold [&_p]:m-0',
  fields:
    '[&_:is(.react-aria-TextField,.patkit-CreateKeyNameField,.patkit-RevokeDialogConfirmation,.patkit-CreateKeyScopesField)]:flex [&_:is(.react-aria-TextField,.patkit-CreateKeyNameField,.patkit-RevokeDialogConfirmation,.patkit-CreateKeyScopesField)]:flex-col [&_:is(.react-aria-TextField,.patkit-CreateKeyNameField,.patkit-RevokeDialogConfirmation,.patkit-CreateKeyScopesField)]:gap-1 [&_.react-aria-Label]:text-sm [&_.react-aria-Label]:font-semibold [&_.react-aria-Input]:rounded-md [&_.react-aria-Input]:border [&_.react-aria-Input]:border-slate-500 [&_.react-aria-Input]:px-3 [&_.react-aria-Input]:py-2 [&_.react-aria-Input]:outline-none [&_.react-aria-Input[data-focused]]:ring-2 [&_.react-aria-Input[data-focused]]:ring-blue-700 [&_[slot=description]]:text-sm [&_[slot=description]]:text-slate-600 [&_.react-aria-FieldError]:text-sm [&_.react-aria-FieldError]:text-red-700',
  buttons:
    '[&_.react-aria-Button]:rounded-md [&_.react-aria-Button]:border [&_.react-aria-Button]:border-slate-400 [&_.react-aria-Button]:bg-white [&_.react-aria-Button]:px-4 [&_.react-aria-Button]:py-2 [&_.react-aria-Button]:font-medium [&_.react-aria-Button]:outline-none [&_.react-aria-Button[data-focus-visible]]:ring-2 [&_.react-aria-Button[data-focus-visible]]:ring-blue-700 [&_.react-aria-Button[data-focus-visible]]:ring-offset-2 [&_.react-aria-Button[data-disabled]]:bg-slate-100 [&_.react-aria-Button[data-disabled]]:text-slate-600',
  primaryButtons:
    '[&_.react-aria-Button:is([slot=submit],[slot=done],[slot=confirm],[slot=create],[type=submit])]:border-blue-700 [&_.react-aria-Button:is([slot=submit],[slot=done],[slot=confirm],[slot=create],[type=submit])]:bg-blue-700 [&_.react-aria-Button:is([slot=submit],[slot=done],[slot=confirm],[slot=create],[type=submit])]:text-white',
  choices:
    '[&_.react-aria-RadioGroup]:flex [&_.react-aria-RadioGroup]:flex-wrap [&_.react-aria-RadioGroup]:gap-2 [&_.react-aria-RadioGroup>.react-aria-Label]:basis-full [&_.react-aria-RadioGroup>[slot=description]]:basis-full [&_.react-aria-RadioButton]:rounded-full [&_.react-aria-RadioButton]:border [&_.react-aria-RadioButton]:border-slate-400 [&_.react-aria-RadioButton]:px-3 [&_.react-aria-RadioButton]:py-1 [&_.react-aria-RadioButton[data-selected]]:border-blue-700 [&_.react-aria-RadioButton[data-selected]]:bg-blue-700 [&_.react-aria-RadioButton[data-selected]]:text-white [&_.react-aria-RadioButton[data-focus-visible]]:ring-2 [&_.react-aria-RadioButton[data-focus-visible]]:ring-blue-700 [&_.react-aria-CheckboxGroup]:flex [&_.react-aria-CheckboxGroup]:flex-col [&_.react-aria-CheckboxGroup]:gap-2 [&_.react-aria-CheckboxButton]:font-mono [&_.react-aria-CheckboxButton]:text-sm [&_.react-aria-CheckboxButton[data-focus-visible]]:ring-2 [&_.react-aria-CheckboxButton[data-focus-visible]]:ring-blue-700',
  alerts: '[&_[role=alert]]:rounded-md [&_[role=alert]]:border-s-4 [&_[role=alert]]:border-red-700 [&_[role=alert]]:bg-red-50 [&_[role=alert]]:p-3',
  facts: '[&_dl]:m-0 [&_dl]:grid [&_dl]:grid-cols-[max-content_1fr] [&_dl]:gap-x-4 [&_dl]:gap-y-1 [&_dl]:rounded-md [&_dl]:bg-slate-50 [&_dl]:p-3 [&_dt]:text-slate-600 [&_dd]:m-0 [&_code]:font-mono [&_code]:text-sm',
  actions: '[&_[class$=Actions]]:flex [&_[class$=Actions]]:justify-end [&_[class$=Actions]]:gap-2',
}

const form = [tw.surface, inner.headings, inner.fields, inner.buttons, inner.primaryButtons, inner.choices, inner.alerts].join(' ')

export function TailwindTheme({ children }: { children: ReactNode }) {
  return (
    <Provider
      values={[
        [
          CreatePersonalApiKeyContext,
          {
            className: ({ isPending, isDisabled }) =>
              `${tw.card} ${form} [&_form]:grid [&_form]:gap-4 ${isPending ? 'cursor-progress' : ''} ${isDisabled ? 'opacity-80' : ''}`,
          },
        ],
        [
          TokenRevealContext,
          {
            className: ({ isAcknowledged }) =>
              `grid gap-4 ${form} [&_[slot=warning]]:rounded-md [&_[slot=warning]]:border-s-4 [&_[slot=warning]]:border-amber-600 [&_[slot=warning]]:bg-amber-50 [&_[slot=warning]]:p-3 [&_.react-aria-Input]:font-mono [&_.react-aria-Input]:text-sm [&_[slot=done]]:justify-self-end ${isAcknowledged ? '' : '[&_[slot=done]]:opacity-90'}`,
          },
        ],
        [
          RevokeDialogContext,
          {
            className: ({ isPending }) =>
              `${tw.dialog} ${inner.headings} ${inner.fields} ${inner.buttons} ${inner.alerts} ${inner.facts} ${inner.actions} [&_[slot=confirm]]:border-red-700 [&_[slot=confirm]]:bg-red-700 [&_[slot=confirm]]:text-white [&_[slot=confirm][data-disabled]]:border-slate-300 [&_[slot=confirm][data-disabled]]:bg-slate-100 [&_[slot=confirm][data-disabled]]:text-slate-600 ${isPending ? 'cursor-progress' : ''}`,
          } as RevokeDialogProps,
        ],
        [
          RotateDialogContext,
          {
            className: ({ step }) =>
              `${tw.dialog} ${form} ${inner.facts} ${inner.actions} ${step === 'reveal' ? 'border-t-4 border-emerald-600' : ''}`,
          } as RotateDialogProps,
        ],
        [
          TokenListContext,
          {
            className: ({ isLoading }) =>
              `${tw.surface} grid max-w-6xl gap-3 [--patkit-token-list-height:26rem] ${isLoading ? 'cursor-progress' : ''} ${inner.buttons} [&_code]:font-mono [&_code]:text-[13px]`,
          },
        ],
        [
          TokenListSearchContext,
          {
            className: ({ isEmpty }) =>
              `flex flex-wrap items-center gap-2 [&_.react-aria-Label]:basis-full [&_.react-aria-Label]:text-sm [&_.react-aria-Label]:font-semibold [&_input]:w-72 [&_input]:rounded-md [&_input]:border [&_input]:border-slate-500 [&_input]:px-3 [&_input]:py-2 [&_input]:outline-none [&_input[data-focused]]:ring-2 [&_input[data-focused]]:ring-blue-700 [&_input::-webkit-search-cancel-button]:hidden [&_button]:!px-3 ${isEmpty ? '[&_button]:invisible' : ''}`,
          },
        ],
        [
          TokenListStatusTabsContext,
          {
            className: 'flex flex-wrap gap-2',
          },
        ],
        [
          TokenListStatusTabContext,
          {
            // react-aria's Radio states reach the className function beside patkit's status and count.
            className: ({ isSelected, isHovered, isFocusVisible }) =>
              [
                '!rounded-full !py-1 [&_.patkit-TokenListStatusTabCount]:ms-1 [&_.patkit-TokenListStatusTabCount]:rounded-full [&_.patkit-TokenListStatusTabCount]:bg-slate-100 [&_.patkit-TokenListStatusTabCount]:px-2 [&_.patkit-TokenListStatusTabCount]:text-xs [&_.patkit-TokenListStatusTabCount]:text-slate-900',
                isSelected ? '!border-slate-900 !bg-slate-900 !text-white' : isHovered ? '!bg-slate-100' : '',
                isFocusVisible ? 'ring-2 ring-blue-700 ring-offset-2' : '',
              ].join(' '),
          },
        ],
        [
          TokenListTableContext,
          {
            className: () =>
              `rounded-xl border border-slate-200 bg-white text-sm outline-none [&_.patkit-TokenListCell:focus-visible]:outline-2 [&_.patkit-TokenListCell:focus-visible]:outline-blue-700 [&_.patkit-TokenListHeader]:bg-slate-50 [&_.patkit-TokenListColumn]:h-full [&_.patkit-TokenListColumn]:flex [&_.patkit-TokenListColumn]:items-center [&_.patkit-TokenListColumn]:px-3 [&_.patkit-TokenListColumn]:text-start [&_.patkit-TokenListColumn]:text-xs [&_.patkit-TokenListColumn]:font-semibold [&_.patkit-TokenListColumn]:uppercase [&_.patkit-TokenListColumn]:tracking-wide [&_.patkit-TokenListColumn]:text-slate-700 [&_[aria-sort=ascending]]:after:content-['▲'] [&_[aria-sort=descending]]:after:content-['▼'] [&_[aria-sort]]:after:ms-1 [&_[aria-sort]]:after:text-[9px] [&_.patkit-TokenListBodyMessage]:p-4 [&_.patkit-TokenListBodyMessage]:text-slate-600`,
          },
        ],
        [
          TokenListRowContext,
          {
            // The row's own hover and keyboard-focus states come in as render props, beside the key's.
            className: ({ isRevoked, isExpiringSoon, isHovered, isFocusVisible }) =>
              [
                'h-full border-b border-slate-100 outline-none',
                isHovered ? 'bg-slate-50' : '',
                isFocusVisible ? 'ring-2 ring-inset ring-blue-700' : '',
                '[&_.patkit-TokenListCell]:h-full [&_.patkit-TokenListCell]:flex [&_.patkit-TokenListCell]:items-center [&_.patkit-TokenListCell]:gap-1 [&_.patkit-TokenListCell]:overflow-hidden [&_.patkit-TokenListCell]:whitespace-nowrap [&_.patkit-TokenListCell]:px-3',
                '[&_[data-column=name]]:font-semibold [&_.patkit-TokenListDate]:text-slate-600',
                '[&_.patkit-TokenListStatus]:rounded-full [&_.patkit-TokenListStatus]:px-2 [&_.patkit-TokenListStatus]:text-xs [&_.patkit-TokenListStatus]:font-semibold',
                '[&_[data-status=active]]:bg-emerald-100 [&_[data-status=active]]:text-emerald-900 [&_[data-status=expired]]:bg-amber-100 [&_[data-status=expired]]:text-amber-900 [&_[data-status=revoked]]:bg-rose-100 [&_[data-status=revoked]]:text-rose-900',
                '[&_.patkit-TokenListActionsButton]:!border-transparent [&_.patkit-TokenListActionsButton]:!bg-transparent [&_.patkit-TokenListActionsButton]:!p-1',
                isRevoked ? 'text-slate-600 [&_[data-column=name]>span]:line-through' : '',
                isExpiringSoon ? '[&_.patkit-TokenListExpiresSoon]:font-semibold [&_.patkit-TokenListExpiresSoon]:text-amber-800' : '',
              ].join(' '),
          },
        ],
        [TokenListEmptyStateContext, { className: 'grid justify-items-center gap-2 rounded-xl border border-dashed border-slate-400 p-8 text-center [&_p]:m-0 [&_[slot=title]]:text-lg [&_[slot=title]]:font-semibold [&_[slot=description]]:text-slate-600 [&_[slot=create]]:!border-blue-700 [&_[slot=create]]:!bg-blue-700 [&_[slot=create]]:!text-white' }],
        [
          TokenListErrorStateContext,
          {
            className: ({ isRetrying }) =>
              `flex flex-wrap items-center justify-between gap-3 rounded-md border-s-4 border-red-700 bg-red-50 p-3 [&_p]:m-0 ${isRetrying ? 'cursor-progress' : ''}`,
          },
        ],
      ]}
    >
      {children}
    </Provider>
  )
}
