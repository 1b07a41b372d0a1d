import { createRef, type Context, type ReactElement } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { Button, Heading } from 'react-aria-components'
import {
  CreateKeyExpirationField,
  CreateKeyFormError,
  CreateKeyPolicyStatus,
  CreateKeySubmit,
  CreatePersonalApiKey,
  CreatePersonalApiKeyContext,
  RenameDialog,
  RenameDialogContext,
  RevokeDialog,
  RevokeDialogContext,
  RotateDialog,
  RotateDialogContext,
  TokenList,
  TokenListContext,
  TokenListEmptyStateContext,
  TokenListErrorStateContext,
  TokenListRowContext,
  TokenListStatusTab,
  TokenListStatusTabContext,
  TokenListStatusTabs,
  TokenListTableContext,
  TokenReveal,
  TokenRevealContext,
} from '../../src/index.ts'
import type { PersonalApiKey } from '../../src/client/index.ts'
import { createDemoBackend, type DemoBackend } from '../../stories/support/backend.ts'
import { screen } from '@testing-library/react'
import { userEvent } from 'vitest/browser'
import { renderWithBackend } from './support.tsx'

/**
 * One conformance suite for every public part: default class, className as a value or a function of
 * the part's render props, style function, ref, DOM props, and props from the part's context.
 * Parts deep inside a root are reached through their context (as an app would restyle them).
 */
type Props = Record<string, unknown>

interface PartSpec {
  name: string
  /** Renders the part with `props`; `backend` is the in-page reference server it talks to. */
  render: (props: Props, backend: DemoBackend, apiKey: PersonalApiKey) => ReactElement
  /** A render-prop field and the value it has in the rendered state. */
  renderProp: [string, unknown]
  /** Faults or data the state above needs. */
  prepare?: (backend: DemoBackend) => void | Promise<void>
  /** The part's context, when props can also come from one. */
  context?: Context<unknown>
  /** A part rendered by its root, reachable only through its context. */
  onlyThroughContext?: boolean
  /** Whether the part's root element can take a ref through props. */
  acceptsRef?: boolean
  /** A part rendered many times from one context (a grid row) or a collection item: no DOM id passes through. */
  dropsId?: boolean
  /** A react-aria `Radio`: id and aria-* go to its input, not to the label the part renders. */
  ariaOnInput?: boolean
  /** What a user does after rendering to reach the state (e.g. submit the form). */
  interact?: (backend: DemoBackend) => Promise<void>
}

const MARK = 'data-conformance'

const parts: PartSpec[] = [
  {
    name: 'CreatePersonalApiKey',
    render: (props) => <CreatePersonalApiKey {...props} />,
    renderProp: ['step', 'form'],
    context: CreatePersonalApiKeyContext as Context<unknown>,
    acceptsRef: true,
  },
  {
    name: 'CreateKeyExpirationField',
    render: (props) => (
      <CreatePersonalApiKey>
        <CreateKeyExpirationField {...props} />
      </CreatePersonalApiKey>
    ),
    renderProp: ['selection', 'OneMonth'],
  },
  {
    name: 'CreateKeyPolicyStatus',
    prepare: (backend) => {
      backend.faults.push('serverError')
    },
    render: (props) => (
      <CreatePersonalApiKey>
        <CreateKeyPolicyStatus {...props} />
      </CreatePersonalApiKey>
    ),
    renderProp: ['canRetry', true],
  },
  {
    name: 'CreateKeyFormError',
    render: (props) => (
      <CreatePersonalApiKey defaultName="Refused">
        <CreateKeySubmit />
        <CreateKeyFormError {...props} />
      </CreatePersonalApiKey>
    ),
    interact: async (backend) => {
      const submit = await screen.findByRole('button', { name: 'Create key' })
      await vi.waitFor(() => expect(submit).toBeEnabled())
      backend.faults.push('forbidden')
      submit.click()
    },
    renderProp: ['kind', 'noPersonalApiKeyPermission'],
  },
  {
    name: 'TokenReveal',
    render: (props) => <TokenReveal token="pat_conformanceOnlyNotARealToken0000000000" {...props} />,
    interact: async () => {
      await userEvent.click((await screen.findByRole('checkbox', { name: 'I have saved this key' })).closest('label')!)
    },
    renderProp: ['isAcknowledged', true],
    context: TokenRevealContext as Context<unknown>,
    acceptsRef: true,
  },
  {
    name: 'TokenList',
    render: (props) => <TokenList {...props} />,
    renderProp: ['status', 'all'],
    context: TokenListContext as Context<unknown>,
    acceptsRef: true,
  },
  {
    name: 'TokenListStatusTab',
    render: (props) => (
      <TokenList>
        <TokenListStatusTabs>
          <TokenListStatusTab status="revoked" {...props} />
        </TokenListStatusTabs>
      </TokenList>
    ),
    renderProp: ['status', 'revoked'],
    context: TokenListStatusTabContext as Context<unknown>,
    acceptsRef: true,
    ariaOnInput: true,
  },
  {
    name: 'TokenListRow',
    render: () => <TokenList />,
    renderProp: ['status', 'active'],
    context: TokenListRowContext as Context<unknown>,
    onlyThroughContext: true,
    dropsId: true,
  },
  {
    name: 'TokenListTable',
    render: () => <TokenList defaultSort="name" />,
    renderProp: ['sort', 'name'],
    context: TokenListTableContext as Context<unknown>,
    onlyThroughContext: true,
  },
  {
    name: 'TokenListEmptyState',
    render: () => <TokenList onCreateRequest={() => undefined} />,
    renderProp: ['canCreate', true],
    context: TokenListEmptyStateContext as Context<unknown>,
    onlyThroughContext: true,
  },
  {
    name: 'TokenListErrorState',
    prepare: (backend) => {
      backend.stickyFaults.set('GET', 'rateLimited')
    },
    render: () => <TokenList />,
    renderProp: ['errorKind', 'rateLimited'],
    context: TokenListErrorStateContext as Context<unknown>,
    onlyThroughContext: true,
  },
  {
    name: 'RevokeDialog',
    render: (props, _backend, apiKey) => <RevokeDialog apiKey={apiKey} defaultOpen {...props} />,
    renderProp: ['isConfirmed', true],
    context: RevokeDialogContext as Context<unknown>,
    acceptsRef: true,
  },
  {
    name: 'RotateDialog',
    render: (props, _backend, apiKey) => <RotateDialog apiKey={apiKey} defaultOpen {...props} />,
    renderProp: ['step', 'confirm'],
    context: RotateDialogContext as Context<unknown>,
    acceptsRef: true,
  },
  {
    name: 'RenameDialog',
    render: (props, _backend, apiKey) => <RenameDialog apiKey={apiKey} defaultOpen {...props} />,
    interact: async () => {
      await userEvent.type(await screen.findByRole('textbox', { name: 'Name' }), ' (renamed)')
    },
    renderProp: ['isChanged', true],
    context: RenameDialogContext as Context<unknown>,
    acceptsRef: true,
  },
]

/** Renders a part on a fresh backend, with `props` given directly or through its context. */
async function mount(part: PartSpec, props: Props, via: 'props' | 'context' = part.onlyThroughContext ? 'context' : 'props') {
  const backend = createDemoBackend()
  const { id } = await backend.createKey('Conformance key')
  // The empty state needs a user without keys, so it gets a backend of its own.
  const emptyBackend = part.name === 'TokenListEmptyState' ? createDemoBackend() : backend
  const page = await backend.client.fetchPersonalApiKeys()
  const apiKey = page.data!.items.find((key) => key.id === id)!
  await part.prepare?.(emptyBackend)
  const element =
    via === 'context' && part.context ? (
      <part.context.Provider value={props}>{part.render({}, emptyBackend, apiKey)}</part.context.Provider>
    ) : (
      part.render(props, emptyBackend, apiKey)
    )
  renderWithBackend(element, { backend: emptyBackend })
  await part.interact?.(emptyBackend)
  return vi.waitFor(
    () => {
      const found = document.querySelector<HTMLElement>(`[${MARK}]`)
      if (!found) throw new Error(`${part.name} did not render an element with ${MARK}`)
      return found
    },
    { timeout: 4_000 },
  )
}

describe.each(parts)('$name conformance', (part) => {
  it('has the default class patkit-{Part} when no className is given', async () => {
    const element = await mount(part, { [MARK]: '' })
    expect(element).toHaveClass(`patkit-${part.name}`)
  })

  it('replaces the default class with a className string', async () => {
    const element = await mount(part, { [MARK]: '', className: 'my-part' })
    expect(element).toHaveClass('my-part')
    expect(element).not.toHaveClass(`patkit-${part.name}`)
  })

  it('calls a className function with its render props and the default class', async () => {
    const seen: Props[] = []
    const element = await mount(part, {
      [MARK]: '',
      className: (values: Props) => {
        seen.push(values)
        return `${values.defaultClassName} from-fn-${String(values[part.renderProp[0]])}`
      },
    })
    const [field, value] = part.renderProp
    await vi.waitFor(() => expect(element).toHaveClass(`from-fn-${String(value)}`))
    expect(element).toHaveClass(`patkit-${part.name}`)
    expect(seen.at(-1)?.[field]).toEqual(value)
  })

  it('derives data-* attributes from the same render props', async () => {
    const element = await mount(part, { [MARK]: '' })
    const [field, value] = part.renderProp
    // One spelling for a failure whatever the render prop is called: data-error="<kind>".
    const attr = ['kind', 'errorKind', 'error'].includes(field)
      ? 'data-error'
      : `data-${field.replace(/^is(?=[A-Z])/, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/^-/, '')}`
    await vi.waitFor(() => {
      if (value === false) expect(element).not.toHaveAttribute(attr)
      else expect(element).toHaveAttribute(attr, value === true ? 'true' : String(value))
    })
  })

  it('applies a style function', async () => {
    const element = await mount(part, { [MARK]: '', style: () => ({ outlineOffset: '7px' }) })
    expect(element.style.outlineOffset).toBe('7px')
  })

  it('passes id, aria-* and data-* props through to its element', async () => {
    const element = await mount(part, { [MARK]: '', id: `${part.name}-id`, 'aria-describedby': 'elsewhere', 'data-analytics': 'x' })
    if (part.dropsId) expect(element).not.toHaveAttribute('id', `${part.name}-id`)
    else expect(part.ariaOnInput ? element.querySelector('input') : element).toHaveAttribute('id', `${part.name}-id`)
    if (part.ariaOnInput) expect(element.querySelector('input')).toHaveAttribute('aria-describedby', expect.stringContaining('elsewhere'))
    else expect(element).toHaveAttribute('aria-describedby', 'elsewhere')
    expect(element).toHaveAttribute('data-analytics', 'x')
  })

  if (part.acceptsRef) it('forwards its ref to its element', async () => {
    const ref = createRef<HTMLElement>()
    const element = await mount(part, { [MARK]: '', ref })
    expect(ref.current).toBe(element)
  })

  if (part.context && !part.onlyThroughContext) it('takes props from its context, as an app-wide restyle', async () => {
    const element = await mount(part, { [MARK]: '', className: 'from-context' }, 'context')
    expect(element).toHaveClass('from-context')
  })
})

describe('slots wire an app’s own react-aria parts', () => {
  it('CreatePersonalApiKey: a custom Button slot="submit" submits the form', async () => {
    const backend = createDemoBackend()
    const { findByRole, getByRole } = renderWithBackend(
      <CreatePersonalApiKey defaultName="Slotted">
        <Heading slot="title">Custom form</Heading>
        <Button slot="submit" className="app-button">
          Make it
        </Button>
      </CreatePersonalApiKey>,
      { backend },
    )
    const submit = await findByRole('button', { name: 'Make it' })
    await vi.waitFor(() => expect(submit).toBeEnabled())
    getByRole('heading', { name: 'Custom form' })
    submit.click()
    await vi.waitFor(() => expect(backend.store.snapshot().keys.map((key) => key.name)).toEqual(['Slotted']))
  })

  it('RevokeDialog: custom Button slots confirm and cancel', async () => {
    const backend = createDemoBackend()
    const { id } = await backend.createKey('Slot revoke')
    const apiKey = (await backend.client.fetchPersonalApiKeys()).data!.items[0]!
    expect(apiKey.id).toBe(id)
    const { findByRole } = renderWithBackend(
      <RevokeDialog apiKey={apiKey} defaultOpen>
        <Heading slot="title">Really?</Heading>
        <Button slot="cancel">Keep</Button>
        <Button slot="confirm">Kill it</Button>
      </RevokeDialog>,
      { backend },
    )
    ;(await findByRole('button', { name: 'Kill it' })).click()
    await vi.waitFor(async () => expect((await backend.store.getKey({ type: 'user', id: backend.userId }, id))?.revokedAt).not.toBeNull())
  })

  it('TokenReveal: a custom Button slot="done" stays disabled until acknowledged', async () => {
    const { findByRole } = renderWithBackend(
      <TokenReveal token="pat_slotTestOnlyNotARealToken00000000000000">
        <Button slot="done">Finished</Button>
      </TokenReveal>,
    )
    expect(await findByRole('button', { name: 'Finished' })).toBeDisabled()
  })
})
