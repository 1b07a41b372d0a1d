/**
 * The TokenList family's root and its parts above the table: `TokenList` (state, request, dialogs,
 * announcements), `TokenListSearch`, `TokenListStatusTabs` / `TokenListStatusTab`,
 * `TokenListEmptyState`, `TokenListErrorState`. The table and its rows are in TokenListTable.tsx.
 */
import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type Ref } from 'react'
import { Button, ButtonContext } from 'react-aria-components/Button'
import { useLocale } from 'react-aria-components/I18nProvider'
import { Input } from 'react-aria-components/Input'
import { Label } from 'react-aria-components/Label'
// The context only (a few bytes): an app's own react-aria SearchField in slot="search" is wired through it.
import { SearchFieldContext } from 'react-aria-components/SearchField'
import { Text } from 'react-aria-components/Text'
import { TextField, type TextFieldProps, type TextFieldRenderProps } from 'react-aria-components/TextField'
import { VisuallyHidden } from 'react-aria-components/VisuallyHidden'
import { DEFAULT_SLOT, Provider, useContextProps, type ContextValue, type SlotProps } from 'react-aria-components/slots'
import type { RenderProps } from 'react-aria-components/useRenderProps'
import { DEFAULT_SORT, KEY_STATUSES, type ErrorKind, type PersonalApiKey, type PersonalApiKeyStatus, type SortKey } from '../client/types.ts'
import { usePatkitContext } from '../react/provider.tsx'
import { useListPersonalApiKeys, usePersonalApiKeyCapabilities } from '../react/hooks.ts'
import { isReordering } from '../react/queries.ts'
import { useMessages, type PatkitMessages, type Translate } from './messages.tsx'
import { Choice } from './choice.tsx'
import { OrganizationReadOnlyNotice, useCanManageKeys } from './organization.tsx'
import { RenameDialog } from './RenameDialog.tsx'
import { RevokeDialog } from './RevokeDialog.tsx'
import { RotateDialog, type RotateResult } from './RotateDialog.tsx'
import { composePartRenderProps, domProps, isRetryable, keyErrorMessage, retryLabel, useRetryCountdown, usePartRenderProps, useSignIn, type PartDOMProps } from './shared.tsx'
import { TokenListTable } from './TokenListTable.tsx'
import { TokenListStateContext, useTokenListState, type TokenListAction, type TokenListState, type TokenListStatusFilter } from './TokenListState.ts'
import { useControllableState } from './useControllableState.ts'
import { useDebouncedValue } from './useDebouncedValue.ts'

const STATUS_FILTERS: readonly TokenListStatusFilter[] = ['all', ...KEY_STATUSES]
const SEARCH_DEBOUNCE_MS = 250
const NO_KEYS: PersonalApiKey[] = []

const isBlank = (text: string) => text.trim() === ''

/** Keys of every status, from the per-status counts. */
const facetTotal = (facets: Record<PersonalApiKeyStatus, number>) => KEY_STATUSES.reduce((sum, status) => sum + facets[status], 0)

function useCountFormat() {
  const { locale } = useLocale()
  return useMemo(() => new Intl.NumberFormat(locale), [locale])
}

// ---------------------------------------------------------------------------------------------
// TokenList (root)

export interface TokenListRenderProps {
  /**
   * The first page is loading.
   * @selector [data-loading]
   */
  isLoading: boolean
  /**
   * The user has no keys at all (no search, no status filter).
   * @selector [data-empty]
   */
  isEmpty: boolean
  /**
   * Nothing matches the search or status filter.
   * @selector [data-no-results]
   */
  isNoResults: boolean
  /**
   * Loading failed (`data-error` carries the kind).
   * @selector [data-error]
   */
  isError: boolean
  /**
   * Why loading failed: the `handle()` callback name.
   * @selector [data-error="rateLimited"]
   */
  errorKind: ErrorKind | null
  /**
   * The next page is loading.
   * @selector [data-loading-more]
   */
  isLoadingMore: boolean
  /**
   * Keys matching the search and status on the server.
   * @selector [data-total-count="12"]
   */
  totalCount: number
  /**
   * The status filter.
   * @selector [data-status="revoked"]
   */
  status: TokenListStatusFilter
  /**
   * The search the server was asked for; no attribute while there is none.
   * @selector [data-query]
   */
  query: string
}

export interface TokenListProps extends Omit<RenderProps<TokenListRenderProps>, 'render'>, SlotProps, PartDOMProps {
  /** The status filter (controlled). */
  status?: TokenListStatusFilter
  /** The status filter at first (uncontrolled). Default `'all'`. */
  defaultStatus?: TokenListStatusFilter
  onStatusChange?: (status: TokenListStatusFilter) => void
  /** The search field's text (controlled); the server is asked 250 ms after typing stops. */
  query?: string
  /** The search field's text at first (uncontrolled). */
  defaultQuery?: string
  onQueryChange?: (query: string) => void
  /** The order (controlled), as the API's sort key: `name`, `-createdAt`, … */
  sort?: SortKey
  /** The order at first (uncontrolled). Default `-createdAt` (newest first). */
  defaultSort?: SortKey
  onSortChange?: (sort: SortKey) => void
  /** Keys per page (the server allows 1–100; default the server's, 50). */
  pageSize?: number
  /** Shows a "Create a key" button in the empty state that calls this. */
  onCreateRequest?: () => void
  /** Called instead of opening the list's own dialogs when the user picks a row action. */
  onAction?: (action: TokenListAction, apiKey: PersonalApiKey) => void
  /** Called once the server confirms a rotation from the list's own dialog (the new token is never passed out). */
  onRotated?: (result: RotateResult) => void
  /** Called once the server confirms a revoke from the list's own dialog. */
  onRevoked?: (apiKey: PersonalApiKey) => void
  /** Called once the server confirms a rename from the list's own dialog. */
  onRenamed?: (apiKey: PersonalApiKey) => void
  messages?: Partial<PatkitMessages>
  ref?: Ref<HTMLDivElement>
}

/** Props an app gives every `TokenList` inside it. */
export const TokenListContext = createContext<ContextValue<Partial<TokenListProps>, HTMLDivElement>>(null)

/**
 * The signed-in user's personal API keys: search, status filter, a sortable table (only the rows near
 * the viewport rendered) with row actions, and its loading, empty, no-results and error states. Default
 * children: `<TokenListSearch>`, `<TokenListStatusTabs>`, `<TokenListErrorState>`, `<TokenListEmptyState>`,
 * `<TokenListTable>`. Custom children are wired through `TokenListStateContext` and slots:
 * `<SearchField slot="search">`, `<Button slot="retry">`, `<Button slot="create">`. A row action opens
 * the list's own `RotateDialog`, `RevokeDialog` or `RenameDialog` (or calls `onAction`).
 */
export function TokenList(props: TokenListProps) {
  const [merged, ref] = useContextProps(props, props.ref, TokenListContext)
  const { client } = usePatkitContext('<TokenList>')
  const { onCreateRequest, onAction, onRotated, onRevoked, onRenamed, pageSize, messages } = merged
  const t = useMessages(messages)
  const { direction } = useLocale()
  const count = useCountFormat()

  const [status, setStatus] = useControllableState(merged.status, merged.defaultStatus ?? 'all', merged.onStatusChange)
  const [query, setQuery] = useControllableState(merged.query, merged.defaultQuery ?? '', merged.onQueryChange)
  const [sort, setSort] = useControllableState(merged.sort, merged.defaultSort ?? DEFAULT_SORT, merged.onSortChange)
  const searchedQuery = useDebouncedValue(query, SEARCH_DEBOUNCE_MS, isBlank).trim()
  const capabilities = usePersonalApiKeyCapabilities()

  // Only what the backend honours is asked for (a controlled query or status it lacks is ignored).
  const filters = {
    q: (capabilities.search && searchedQuery) || undefined,
    status: status === 'all' || !capabilities.statusFilter ? undefined : status,
    sort: capabilities.sort.includes(sort) ? sort : undefined,
    limit: pageSize,
  }
  const list = useListPersonalApiKeys(filters, {
    // A new order keeps showing the keys (and the focused row) until the server's order arrives.
    placeholderData: (previous, previousQuery) => (previousQuery && isReordering(previousQuery.queryKey, client, filters) ? previous : undefined),
  })
  const error = list.error ?? null
  const loaded = !list.isPending && !error
  const items = list.data?.items ?? NO_KEYS
  const totalCount = list.data?.totalCount ?? 0
  const facets = list.data?.facets.status ?? null
  const keysAnywhere = facets ? facetTotal(facets) : totalCount
  const isEmpty = loaded && !searchedQuery && keysAnywhere === 0
  const isNoResults = loaded && !isEmpty && items.length === 0
  const retryInSeconds = useRetryCountdown(error)
  // Signed out, no permission, keys turned off: searching and filtering cannot work until that changes.
  const isBlocked = error !== null && !isRetryable(error) && items.length === 0

  const { fetchNextPage, refetch, isFetchNextPageError, hasNextPage, isFetchingNextPage } = list
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage()
  }, [fetchNextPage, hasNextPage, isFetchingNextPage])
  const retry = useCallback(() => void (isFetchNextPageError ? fetchNextPage() : refetch()), [isFetchNextPageError, fetchNextPage, refetch])

  // A closed dialog stays mounted until the next action, so its own announcement ("Key revoked") is still read.
  const [dialog, setDialog] = useState<{ action: TokenListAction; apiKey: PersonalApiKey; isOpen: boolean } | null>(null)
  const runAction = useCallback(
    (action: TokenListAction, apiKey: PersonalApiKey) => (onAction ? onAction(action, apiKey) : setDialog({ action, apiKey, isOpen: true })),
    [onAction],
  )
  const closeDialog = (isOpen: boolean) => !isOpen && setDialog((open) => open && { ...open, isOpen: false })

  const [announcement, announce] = useState('')
  useResultAnnouncement({ searchedQuery, status, loaded, totalCount, isNoResults, t, count, announce })

  const state: TokenListState = {
    items,
    totalCount,
    facets,
    status,
    setStatus,
    query,
    setQuery,
    searchedQuery,
    sort,
    setSort,
    isLoading: list.isPending && !error,
    isLoadingMore: isFetchingNextPage,
    hasMore: hasNextPage && !isFetchNextPageError,
    loadMore,
    isEmpty,
    isNoResults,
    error,
    isBlocked,
    isRetrying: list.isFetching && !isFetchingNextPage,
    retryInSeconds,
    retry,
    runAction,
    onCreateRequest,
    capabilities,
    t,
    messages,
  }

  const values: TokenListRenderProps = {
    isLoading: state.isLoading,
    isEmpty,
    isNoResults,
    isError: error !== null,
    errorKind: error?.kind ?? null,
    isLoadingMore: isFetchingNextPage,
    totalCount,
    status,
    query: searchedQuery,
  }
  const renderProps = usePartRenderProps(
    merged,
    values,
    'TokenList',
    <>
      <OrganizationReadOnlyNotice messages={messages} />
      <TokenListSearch />
      <TokenListStatusTabs />
      <TokenListErrorState />
      <TokenListEmptyState />
      <TokenListTable />
    </>,
  )
  const dialogProps = dialog && { apiKey: dialog.apiKey, isOpen: dialog.isOpen, onOpenChange: closeDialog, messages }

  return (
    // The locale's direction, so an Arabic list lays out right to left on any page; a `dir` prop wins.
    <div dir={direction} {...domProps(merged)} {...renderProps} ref={ref}>
      <TokenListStateContext.Provider value={state}>
        <Provider
          values={[
            [
              ButtonContext,
              {
                slots: {
                  [DEFAULT_SLOT]: {},
                  retry: { onPress: retry, isPending: state.isRetrying, isDisabled: retryInSeconds !== null },
                  create: { onPress: onCreateRequest },
                },
              },
            ],
            [SearchFieldContext, { slots: { [DEFAULT_SLOT]: {}, search: { value: query, onChange: setQuery, isDisabled: isBlocked } } }],
          ]}
        >
          {renderProps.children}
        </Provider>
      </TokenListStateContext.Provider>
      <VisuallyHidden role="status" aria-live="polite" className="patkit-TokenListAnnouncer">
        {announcement}
      </VisuallyHidden>
      {dialog?.action === 'rotate' && <RotateDialog key={dialog.apiKey.id} {...dialogProps!} onRotated={onRotated} />}
      {dialog?.action === 'revoke' && <RevokeDialog key={dialog.apiKey.id} {...dialogProps!} onRevoked={onRevoked} />}
      {dialog?.action === 'rename' && <RenameDialog key={dialog.apiKey.id} {...dialogProps!} onRenamed={onRenamed} />}
    </div>
  )
}

/** "12 keys" once results for a new search or status arrive; silent on first load and for re-sorting. */
function useResultAnnouncement(input: {
  searchedQuery: string
  status: TokenListStatusFilter
  loaded: boolean
  totalCount: number
  isNoResults: boolean
  t: Translate
  count: Intl.NumberFormat
  announce: (message: string) => void
}) {
  const { searchedQuery, status, loaded, totalCount, isNoResults, t, count, announce } = input
  const filters = `${status}\u0000${searchedQuery}`
  const announcedFor = useRef(filters)
  useEffect(() => {
    if (!loaded || announcedFor.current === filters) return
    announcedFor.current = filters
    if (isNoResults && searchedQuery) announce(t('noResults', { query: searchedQuery }))
    else {
      // The language's own plural rule: French says "0 clé", English "0 keys".
      const one = new Intl.PluralRules(t.locale).select(totalCount) === 'one'
      announce(t(one ? 'keyCountOne' : 'keyCount', { count: count.format(totalCount) }))
    }
  }, [filters, loaded, totalCount, isNoResults, searchedQuery, t, count, announce])
}

// ---------------------------------------------------------------------------------------------
// TokenListSearch

export interface TokenListSearchRenderProps {
  /**
   * The field is empty (the clear button has nothing to clear).
   * @selector [data-empty]
   */
  isEmpty: boolean
}

export interface TokenListSearchProps
  extends Omit<TextFieldProps, 'value' | 'defaultValue' | 'onChange' | 'type' | 'className' | 'style' | 'children' | 'render'>,
    Omit<RenderProps<TextFieldRenderProps & TokenListSearchRenderProps>, 'render'> {
  ref?: Ref<HTMLDivElement>
}

/** Props an app gives the list's search field. */
export const TokenListSearchContext = createContext<ContextValue<Partial<TokenListSearchProps>, HTMLDivElement>>(null)

/**
 * The search field: a react-aria `TextField` of type `search` (role `searchbox`) with a clear button,
 * Escape clears it; the server is asked as the user types. Its render props are the `TextField`'s
 * (`isDisabled`, …) and `isEmpty`. Disabled while the list cannot load (signed out, no permission).
 */
export function TokenListSearch(props: TokenListSearchProps) {
  const [merged, ref] = useContextProps(props, props.ref, TokenListSearchContext)
  const { query, setQuery, isBlocked, capabilities, t } = useTokenListState('TokenListSearch')
  // A backend without search gets no search box (rather than one that does nothing).
  if (!capabilities.search) return null
  return (
    <TextField
      isDisabled={isBlocked}
      {...merged}
      ref={ref}
      type="search"
      value={query}
      onChange={setQuery}
      onKeyDown={(event) => {
        // Escape empties the field, as a search field's does; an empty field lets it through (to a dialog, say).
        if (event.key === 'Escape' && query !== '') setQuery('')
        else event.continuePropagation()
        merged.onKeyDown?.(event)
      }}
      {...composePartRenderProps<TextFieldRenderProps, TokenListSearchRenderProps>(
        merged,
        { isEmpty: query === '' },
        'TokenListSearch',
        <>
          <Label>{t('searchLabel')}</Label>
          <Input />
          {/* Out of the tab order, as react-aria's SearchField has it: Escape clears from the keyboard. */}
          <Button aria-label={t('clearSearch')} excludeFromTabOrder isDisabled={query === '' || isBlocked} onPress={() => setQuery('')}>
            <span aria-hidden="true">×</span>
          </Button>
        </>,
      )}
    />
  )
}

// ---------------------------------------------------------------------------------------------
// TokenListStatusTabs

export interface TokenListStatusTabsRenderProps {
  /**
   * The filter cannot be used while the list cannot load (signed out, no permission).
   * @selector [data-disabled]
   */
  isDisabled: boolean
}

export interface TokenListStatusTabsProps extends Omit<RenderProps<TokenListStatusTabsRenderProps>, 'render'>, SlotProps, PartDOMProps {
  ref?: Ref<HTMLDivElement>
}

/** Props an app gives the list's status filter. */
export const TokenListStatusTabsContext = createContext<ContextValue<Partial<TokenListStatusTabsProps>, HTMLDivElement>>(null)

/** The radio group's `name`, shared by its radios so the browser makes them one tab stop. */
const StatusGroupNameContext = createContext<string | undefined>(undefined)

/**
 * "All", "Active", "Expired", "Revoked" with their counts: a radio group on native radios (one tab
 * stop, arrow keys choose). Each choice is a `TokenListStatusTab`.
 */
export function TokenListStatusTabs(props: TokenListStatusTabsProps) {
  const [merged, ref] = useContextProps(props, props.ref, TokenListStatusTabsContext)
  const { isBlocked, capabilities, t } = useTokenListState('TokenListStatusTabs')
  const name = useId()
  const renderProps = usePartRenderProps(
    merged,
    { isDisabled: isBlocked },
    'TokenListStatusTabs',
    STATUS_FILTERS.map((filter) => <TokenListStatusTab key={filter} status={filter} />),
  )
  // A backend without a status filter gets no tabs (its counts would not be real either).
  if (!capabilities.statusFilter) return null
  return (
    <div role="radiogroup" aria-label={t('statusFilterLabel')} aria-disabled={isBlocked || undefined} {...domProps(merged)} {...renderProps} ref={ref}>
      <StatusGroupNameContext.Provider value={name}>{renderProps.children}</StatusGroupNameContext.Provider>
    </div>
  )
}

export interface TokenListStatusTabRenderProps {
  /**
   * The status this choice filters by.
   * @selector [data-status="active"]
   */
  status: TokenListStatusFilter
  /**
   * Keys with this status for the current search; `null` until loaded.
   * @selector [data-count]
   */
  count: number | null
  /**
   * The list shows this status.
   * @selector [data-selected]
   */
  isSelected: boolean
  /**
   * The pointer is over it.
   * @selector [data-hovered]
   */
  isHovered: boolean
  /**
   * Its radio has focus.
   * @selector [data-focused]
   */
  isFocused: boolean
  /**
   * Its radio has keyboard focus: show a focus ring.
   * @selector [data-focus-visible]
   */
  isFocusVisible: boolean
  /**
   * The filter cannot be used now.
   * @selector [data-disabled]
   */
  isDisabled: boolean
}

export interface TokenListStatusTabProps extends Omit<RenderProps<TokenListStatusTabRenderProps>, 'render'>, SlotProps, Omit<PartDOMProps, 'id'> {
  status: TokenListStatusFilter
  ref?: Ref<HTMLLabelElement>
}

/** Props an app gives every status filter choice (`status` comes from each). */
export const TokenListStatusTabContext = createContext<ContextValue<Partial<TokenListStatusTabProps>, HTMLLabelElement>>(null)

/**
 * One status filter choice: a `<label>` around a native radio, its label and count. Its render props
 * say which status, the count, and the radio's state (`isSelected`, `isHovered`, `isFocusVisible`, …).
 */
export function TokenListStatusTab(props: TokenListStatusTabProps) {
  const [merged, ref] = useContextProps(props, props.ref, TokenListStatusTabContext)
  const { facets, status: current, setStatus, isBlocked, t } = useTokenListState('TokenListStatusTab')
  const name = useContext(StatusGroupNameContext)
  const format = useCountFormat()
  const [interaction, setInteraction] = useState({ isHovered: false, isFocused: false, isFocusVisible: false })
  const { status } = merged
  const count = facets ? (status === 'all' ? facetTotal(facets) : facets[status]) : null
  const values: TokenListStatusTabRenderProps = { status, count, isSelected: status === current, isDisabled: isBlocked, ...interaction }
  const renderProps = usePartRenderProps(
    merged,
    values,
    'TokenListStatusTab',
    <>
      <span className="patkit-TokenListStatusTabLabel">{status === 'all' ? t('statusAll') : t.status(status)}</span>
      {count !== null && (
        <>
          {' '}
          <span className="patkit-TokenListStatusTabCount">{format.format(count)}</span>
        </>
      )}
    </>,
  )
  const focus = (isFocused: boolean, input: HTMLInputElement) =>
    setInteraction((now) => ({ ...now, isFocused, isFocusVisible: isFocused && input.matches(':focus-visible') }))
  // The id and aria-* go to the radio itself (as on react-aria's Radio); the rest to its label.
  const { id, ...dom } = domProps(merged)
  const aria = Object.fromEntries(Object.entries(dom).filter(([name]) => name.startsWith('aria-')))
  return (
    <label
      {...Object.fromEntries(Object.entries(dom).filter(([name]) => !name.startsWith('aria-')))}
      {...renderProps}
      ref={ref}
      onPointerEnter={(event) => event.pointerType === 'mouse' && setInteraction((now) => ({ ...now, isHovered: true }))}
      onPointerLeave={() => setInteraction((now) => ({ ...now, isHovered: false }))}
    >
      <input
        {...aria}
        id={id as string | undefined}
        type="radio"
        name={name}
        value={status}
        checked={values.isSelected}
        disabled={isBlocked}
        onChange={() => setStatus(status)}
        onFocus={(event) => focus(true, event.currentTarget)}
        onBlur={(event) => focus(false, event.currentTarget)}
      />
      {renderProps.children}
    </label>
  )
}

// ---------------------------------------------------------------------------------------------
// TokenListEmptyState

export interface TokenListEmptyStateRenderProps {
  /**
   * A create button is shown (the list has `onCreateRequest`).
   * @selector [data-can-create]
   */
  canCreate: boolean
}

export interface TokenListEmptyStateProps extends Omit<RenderProps<TokenListEmptyStateRenderProps>, 'render'>, SlotProps, PartDOMProps {
  ref?: Ref<HTMLDivElement>
}

/** Props an app gives the list's empty state. */
export const TokenListEmptyStateContext = createContext<ContextValue<Partial<TokenListEmptyStateProps>, HTMLDivElement>>(null)

/** Shown instead of the table when the user has no keys; `<Button slot="create">` calls `onCreateRequest`. */
export function TokenListEmptyState(props: TokenListEmptyStateProps) {
  const [merged, ref] = useContextProps(props, props.ref, TokenListEmptyStateContext)
  const { isEmpty, onCreateRequest, t } = useTokenListState('TokenListEmptyState')
  const canManage = useCanManageKeys()
  const canCreate = onCreateRequest !== undefined && canManage
  const renderProps = usePartRenderProps(
    merged,
    { canCreate },
    'TokenListEmptyState',
    <>
      <Text elementType="p" slot="title" className="patkit-TokenListEmptyStateTitle">
        {t('emptyTitle')}
      </Text>
      {/* It invites creating a key: not to a member who may not (the read-only sentence above says why). */}
      {canManage && (
        <Text elementType="p" slot="description" className="patkit-TokenListEmptyStateDescription">
          {t('emptyDescription')}
        </Text>
      )}
      {canCreate && <Button slot="create">{t('emptyAction')}</Button>}
    </>,
  )
  if (!isEmpty) return null
  return <div {...domProps(merged)} {...renderProps} ref={ref} />
}

// ---------------------------------------------------------------------------------------------
// TokenListErrorState

export interface TokenListErrorStateRenderProps {
  /**
   * Why loading failed: the `handle()` callback name.
   * @selector [data-error="noPersonalApiKeyPermission"]
   */
  errorKind: ErrorKind
  /** The sentence shown: the server's, a wait time for rate limits, or the catalog's signed-out sentence (no attribute). */
  message: string
  /**
   * A retry is under way.
   * @selector [data-retrying]
   */
  isRetrying: boolean
  /**
   * A Retry can help; false when the user is signed out (a "Sign in" button calls the provider's
   * `onUnauthorized` instead, when there is one), lacks the permission, or keys are turned off.
   * @selector [data-can-retry]
   */
  canRetry: boolean
  /**
   * Seconds until the server said a retry may help; the retry button counts them down, disabled.
   * @selector [data-retry-in-seconds]
   */
  retryInSeconds: number | null
}

export interface TokenListErrorStateProps extends Omit<RenderProps<TokenListErrorStateRenderProps>, 'render'>, SlotProps, PartDOMProps {
  ref?: Ref<HTMLDivElement>
}

/** Props an app gives the list's error state. */
export const TokenListErrorStateContext = createContext<ContextValue<Partial<TokenListErrorStateProps>, HTMLDivElement>>(null)

/** Shown when loading fails: the reason and a `<Button slot="retry">` (after the wait a 429 or 503 asks for). */
export function TokenListErrorState(props: TokenListErrorStateProps) {
  const [merged, ref] = useContextProps(props, props.ref, TokenListErrorStateContext)
  const { error, isRetrying, retryInSeconds, t } = useTokenListState('TokenListErrorState')
  const message = error ? keyErrorMessage(error, t) : ''
  // No Retry where retrying cannot help (signed out, no permission, keys turned off); signing in can.
  const canRetry = error !== null && isRetryable(error)
  const signIn = useSignIn(error)
  const renderProps = usePartRenderProps(
    merged,
    { errorKind: error?.kind ?? 'unexpectedOrUnhandled', message, isRetrying, canRetry, retryInSeconds },
    'TokenListErrorState',
    <>
      <Text elementType="p" slot="description" role="alert" className="patkit-TokenListErrorMessage">
        {message}
      </Text>
      {canRetry && <Button slot="retry">{retryLabel(t, retryInSeconds)}</Button>}
      {signIn && <Button onPress={signIn}>{t('signIn')}</Button>}
    </>,
  )
  if (!error) return null
  return <div {...domProps(merged)} {...renderProps} ref={ref} />
}

export { TokenListStateContext, type TokenListAction, type TokenListState, type TokenListStatusFilter }
