import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, type ComponentProps, type Context, type ReactNode, type Ref } from 'react'
import { Button, ButtonContext } from 'react-aria-components/Button'
import { Collection, type Key } from 'react-aria-components/Collection'
import { Dialog } from 'react-aria-components/Dialog'
import { FieldError } from 'react-aria-components/FieldError'
import { Form } from 'react-aria-components/Form'
import { Heading } from 'react-aria-components/Heading'
import { useLocale } from 'react-aria-components/I18nProvider'
import { Input } from 'react-aria-components/Input'
import { Label } from 'react-aria-components/Label'
import { Menu, MenuItem, MenuTrigger } from 'react-aria-components/Menu'
import { Modal, ModalOverlay } from 'react-aria-components/Modal'
import { Popover } from 'react-aria-components/Popover'
import { SearchField, SearchFieldContext, type SearchFieldProps } from 'react-aria-components/SearchField'
import { Cell, Column, Row, Table, TableBody, TableHeader, type SortDescriptor, type TableProps } from 'react-aria-components/Table'
import { Text } from 'react-aria-components/Text'
import { TextField } from 'react-aria-components/TextField'
import { ToggleButton } from 'react-aria-components/ToggleButton'
import { ToggleButtonGroup, type ToggleButtonGroupProps } from 'react-aria-components/ToggleButtonGroup'
import { VisuallyHidden } from 'react-aria-components/VisuallyHidden'
import { composeRenderProps } from 'react-aria-components/composeRenderProps'
import { DEFAULT_SLOT, Provider, useContextProps, type ContextValue, type SlotProps } from 'react-aria-components/slots'
import type { RenderProps } from 'react-aria-components/useRenderProps'
import {
  DEFAULT_SORT,
  KEY_STATUSES,
  type ApiError,
  type ErrorKind,
  type PersonalApiKey,
  type PersonalApiKeyStatus,
  type SortKey,
} from '../client/types.ts'
import { usePatkitContext } from '../react/provider.tsx'
import { useListPersonalAccessTokens, useUpdatePersonalAccessToken } from '../react/hooks.ts'
import { useDateFormatters, type DateFormatters } from './format.ts'
import { useMessages, type PatkitMessages, type Translate } from './messages.tsx'
import { RevokeDialog } from './RevokeDialog.tsx'
import { RotateDialog, type RotateResult } from './RotateDialog.tsx'
import { domProps, isRetryable, keyErrorMessage, usePartRenderProps, type PartDOMProps } from './shared.tsx'

/** The status filter: every key, or one status. */
export type TokenListStatusFilter = 'all' | PersonalApiKeyStatus
/** What a row's action menu offers. */
export type TokenListAction = 'rotate' | 'revoke' | 'rename'

const STATUS_FILTERS: readonly TokenListStatusFilter[] = ['all', ...KEY_STATUSES]
const SEARCH_DEBOUNCE_MS = 250
const EXPIRING_SOON_MS = 7 * 86_400_000

// ---------------------------------------------------------------------------------------------
// Shared state of one list, for its parts

export interface TokenListState {
  /** The keys loaded so far, for the current search, status and sort. */
  items: PersonalApiKey[]
  /** Keys matching the current search and status on the server (not just those loaded). */
  totalCount: number
  /** Keys per status for the current search, ignoring the status filter; `null` until loaded. */
  facets: Record<PersonalApiKeyStatus, number> | null
  status: TokenListStatusFilter
  setStatus(status: TokenListStatusFilter): void
  /** What the search field holds. */
  query: string
  setQuery(query: string): void
  /** The query the server was asked for (the search field, debounced and trimmed). */
  searchedQuery: string
  sort: SortKey
  setSort(sort: SortKey): void
  isLoading: boolean
  isLoadingMore: boolean
  hasMore: boolean
  loadMore(): void
  isEmpty: boolean
  isNoResults: boolean
  error: ApiError | null
  isRetrying: boolean
  retry(): void
  /** Opens a row action (the list's own dialogs, or the app's `onAction`). */
  runAction(action: TokenListAction, apiKey: PersonalApiKey): void
  onCreateRequest?: () => void
  t: Translate
}

/** The list's state, for custom parts inside `<TokenList>`. */
export const TokenListStateContext = createContext<TokenListState | null>(null)

/**
 * The little each row needs, apart from the changing list state: it stays one value while the user
 * types or the list refetches, so those do not re-render every loaded row.
 */
type TokenListRowSupport = Pick<TokenListState, 't' | 'runAction'>
const TokenListRowSupportContext = createContext<TokenListRowSupport | null>(null)

function useInsideTokenList<T>(context: Context<T | null>, part: string): T {
  const value = useContext(context)
  if (!value) throw new Error(`patkit: <${part}> must be inside <TokenList>`)
  return value
}

const useTokenListState = (part: string) => useInsideTokenList(TokenListStateContext, part)

/** A value the app may control (`value` + `onChange`) or leave to the component (`defaultValue`). */
function useControllableState<T>(value: T | undefined, defaultValue: T, onChange?: (value: T) => void): [T, (value: T) => void] {
  const [own, setOwn] = useState(defaultValue)
  const isControlled = value !== undefined
  const set = useCallback(
    (next: T) => {
      if (!isControlled) setOwn(next)
      onChange?.(next)
    },
    [isControlled, onChange],
  )
  return [isControlled ? value : own, set]
}

function useDebouncedValue<T>(value: T, ms: number, immediately: (value: T) => boolean): T {
  const [debounced, setDebounced] = useState(value)
  useEffect(() => {
    if (immediately(value)) {
      setDebounced(value)
      return
    }
    const timer = setTimeout(() => setDebounced(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms, immediately])
  return debounced
}

const isBlank = (text: string) => text.trim() === ''

/** Keys of every status, from the per-status counts. */
const facetTotal = (facets: Record<PersonalApiKeyStatus, number>) => KEY_STATUSES.reduce((sum, status) => sum + facets[status], 0)

function toSortDescriptor(sort: SortKey): SortDescriptor {
  const descending = sort.startsWith('-')
  return { column: descending ? sort.slice(1) : sort, direction: descending ? 'descending' : 'ascending' }
}

function toSortKey(descriptor: SortDescriptor): SortKey {
  const column = String(descriptor.column)
  return (descriptor.direction === 'descending' ? `-${column}` : column) as SortKey
}

/** The sentence for a failed list load: as for the key dialogs, but a 401 says plainly that the user is signed out. */
function listErrorMessage(error: ApiError, t: Translate): string {
  return error.kind === 'unauthorized' ? t.error('unauthorized') : keyErrorMessage(error, t)
}

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
   * Loading failed.
   * @selector [data-error]
   */
  isError: boolean
  /**
   * Why loading failed: the `handle()` callback name.
   * @selector [data-error-kind="rateLimited"]
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
   * The search the server was asked for.
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

export const TokenListContext = createContext<ContextValue<TokenListProps, HTMLDivElement>>(null)

/**
 * The signed-in user's personal API keys: search, status filter, sortable table (only the rows near the viewport rendered) with
 * row actions, and its loading, empty, no-results and error states. Default children:
 * `<TokenListSearch>`, `<TokenListStatusTabs>`, `<TokenListErrorState>`, `<TokenListEmptyState>`,
 * `<TokenListTable>`. Custom children are wired through `TokenListStateContext` and slots:
 * `<SearchField slot="search">`, `<Button slot="retry">`, `<Button slot="create">`.
 */
export function TokenList(props: TokenListProps) {
  const [merged, ref] = useContextProps(props, props.ref, TokenListContext)
  usePatkitContext('<TokenList>')
  const { onCreateRequest, onAction, onRotated, onRevoked, onRenamed, pageSize, messages } = merged
  const t = useMessages(messages)
  const { direction } = useLocale()
  const count = useCountFormat()

  const [status, setStatus] = useControllableState(merged.status, merged.defaultStatus ?? 'all', merged.onStatusChange)
  const [query, setQuery] = useControllableState(merged.query, merged.defaultQuery ?? '', merged.onQueryChange)
  const [sort, setSort] = useControllableState(merged.sort, merged.defaultSort ?? DEFAULT_SORT, merged.onSortChange)
  const searchedQuery = useDebouncedValue(query, SEARCH_DEBOUNCE_MS, isBlank).trim()

  const list = useListPersonalAccessTokens({
    q: searchedQuery || undefined,
    status: status === 'all' ? undefined : status,
    sort,
    limit: pageSize,
  })
  const error = list.error ?? null
  const loaded = !list.isPending && !error
  const facets = list.facets?.status ?? null
  const keysAnywhere = facets ? facetTotal(facets) : list.totalCount
  const isEmpty = loaded && !searchedQuery && keysAnywhere === 0
  const isNoResults = loaded && !isEmpty && list.items.length === 0

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
  const rowSupport = useMemo<TokenListRowSupport>(() => ({ t, runAction }), [t, runAction])
  const closeDialog = (isOpen: boolean) => !isOpen && setDialog((open) => open && { ...open, isOpen: false })

  const [announcement, announce] = useState('')
  useResultAnnouncement({ searchedQuery, status, loaded, totalCount: list.totalCount, isNoResults, t, count, announce })

  const state: TokenListState = {
    items: list.items,
    totalCount: list.totalCount,
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
    isRetrying: list.isFetching && !isFetchingNextPage,
    retry,
    runAction,
    onCreateRequest,
    t,
  }

  const values: TokenListRenderProps = {
    isLoading: state.isLoading,
    isEmpty,
    isNoResults,
    isError: error !== null,
    errorKind: error?.kind ?? null,
    isLoadingMore: isFetchingNextPage,
    totalCount: list.totalCount,
    status,
    query: searchedQuery,
  }
  const renderProps = usePartRenderProps(
    merged,
    values,
    'TokenList',
    <>
      <TokenListSearch />
      <TokenListStatusTabs />
      <TokenListErrorState />
      <TokenListEmptyState />
      <TokenListTable />
    </>,
  )

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
                  retry: { onPress: retry, isPending: state.isRetrying },
                  create: { onPress: onCreateRequest },
                },
              },
            ],
            [SearchFieldContext, { slots: { [DEFAULT_SLOT]: {}, search: { value: query, onChange: setQuery } } }],
            [TokenListRowSupportContext, rowSupport],
          ]}
        >
          {renderProps.children}
        </Provider>
      </TokenListStateContext.Provider>
      <VisuallyHidden role="status" aria-live="polite" className="patkit-TokenListAnnouncer">
        {announcement}
      </VisuallyHidden>
      {dialog?.action === 'rotate' && (
        <RotateDialog key={dialog.apiKey.id} apiKey={dialog.apiKey} isOpen={dialog.isOpen} onOpenChange={closeDialog} onRotated={onRotated} messages={messages} />
      )}
      {dialog?.action === 'revoke' && (
        <RevokeDialog key={dialog.apiKey.id} apiKey={dialog.apiKey} isOpen={dialog.isOpen} onOpenChange={closeDialog} onRevoked={onRevoked} messages={messages} />
      )}
      {dialog?.action === 'rename' && dialog.isOpen && (
        <TokenListRenameDialog
          apiKey={dialog.apiKey}
          messages={messages}
          onOpenChange={closeDialog}
          onRenamed={(apiKey) => {
            closeDialog(false)
            announce(t('renamed', { name: apiKey.name }))
            onRenamed?.(apiKey)
          }}
        />
      )}
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

export interface TokenListSearchProps extends Omit<SearchFieldProps, 'value' | 'defaultValue' | 'onChange'> {
  ref?: Ref<HTMLDivElement>
}

export const TokenListSearchContext = createContext<ContextValue<TokenListSearchProps, HTMLDivElement>>(null)

/**
 * The search field (react-aria `SearchField`): searches key names on the server as the user types.
 * Its render props are the `SearchField`'s (`isEmpty`, `isFocused`, …).
 */
export function TokenListSearch(props: TokenListSearchProps) {
  const [merged, ref] = useContextProps(props, props.ref, TokenListSearchContext)
  const { t } = useTokenListState('TokenListSearch')
  return (
    <SearchField
      slot="search"
      {...merged}
      ref={ref}
      className={merged.className ?? 'patkit-TokenListSearch'}
      children={
        merged.children ?? (
          <>
            <Label>{t('searchLabel')}</Label>
            <Input />
            <Button aria-label={t('clearSearch')}>
              <span aria-hidden="true">×</span>
            </Button>
          </>
        )
      }
    />
  )
}

// ---------------------------------------------------------------------------------------------
// TokenListStatusTabs

export interface TokenListStatusTabRenderProps {
  /**
   * The status this button filters by.
   * @selector [data-status="active"]
   */
  status: TokenListStatusFilter
  /**
   * Keys with this status for the current search; `null` until loaded.
   * @selector [data-count]
   */
  count: number | null
}

export interface TokenListStatusTabsProps extends Omit<ToggleButtonGroupProps, 'selectedKeys' | 'defaultSelectedKeys' | 'onSelectionChange' | 'selectionMode'> {
  ref?: Ref<HTMLDivElement>
}

export const TokenListStatusTabsContext = createContext<ContextValue<TokenListStatusTabsProps, HTMLDivElement>>(null)

/**
 * "All", "Active", "Expired", "Revoked" with their counts: a single-choice react-aria
 * `ToggleButtonGroup` (a radio group to assistive technology). Each button is a `TokenListStatusTab`.
 */
export function TokenListStatusTabs(props: TokenListStatusTabsProps) {
  const [merged, ref] = useContextProps(props, props.ref, TokenListStatusTabsContext)
  const { status, setStatus, t } = useTokenListState('TokenListStatusTabs')
  return (
    <ToggleButtonGroup
      aria-label={t('statusFilterLabel')}
      {...merged}
      ref={ref}
      className={merged.className ?? 'patkit-TokenListStatusTabs'}
      selectionMode="single"
      disallowEmptySelection
      selectedKeys={[status]}
      onSelectionChange={(keys) => {
        const [next] = keys
        if (next !== undefined) setStatus(next as TokenListStatusFilter)
      }}
    >
      {merged.children ?? STATUS_FILTERS.map((filter) => <TokenListStatusTab key={filter} status={filter} />)}
    </ToggleButtonGroup>
  )
}

export interface TokenListStatusTabProps extends Omit<RenderProps<TokenListStatusTabRenderProps>, 'render'>, PartDOMProps {
  status: TokenListStatusFilter
  ref?: Ref<HTMLButtonElement>
}

/** One status filter button: its label and count. */
export function TokenListStatusTab(props: TokenListStatusTabProps) {
  const { facets, t } = useTokenListState('TokenListStatusTab')
  const format = useCountFormat()
  const { status } = props
  const count = facets ? (status === 'all' ? facetTotal(facets) : facets[status]) : null
  const renderProps = usePartRenderProps(
    props,
    { status, count },
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
  const { render: _render, ...buttonProps } = renderProps
  return <ToggleButton {...domProps(props)} {...buttonProps} id={status} ref={props.ref} />
}

// ---------------------------------------------------------------------------------------------
// TokenListTable

export interface TokenListTableProps extends Omit<TableProps, 'children' | 'sortDescriptor' | 'onSortChange' | 'selectionMode' | 'render'> {
  /** Fixed row height in px (rows are placed by index; only those near the viewport are rendered). Default 48. */
  rowHeight?: number
  /** Header row height in px. Default 40. */
  headingHeight?: number
  /** Shown in the body while the first page loads. */
  renderLoading?: () => ReactNode
  /** Shown in the body when nothing matches the search or status filter. */
  renderNoResults?: (state: { query: string; status: TokenListStatusFilter }) => ReactNode
  /** Shown below the table (in a `role="status"` element) while the next page loads. */
  renderLoadingMore?: () => ReactNode
  ref?: Ref<HTMLTableElement>
}

export const TokenListTableContext = createContext<ContextValue<TokenListTableProps, HTMLTableElement>>(null)

/** Columns the API can sort by; the others are not sortable. */
const SORTABLE_COLUMNS = new Set(['name', 'createdAt', 'expiresAt', 'lastUsedAt'])

/** `Date.now()`, refreshed once a minute. */
function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000)
    return () => clearInterval(timer)
  }, [])
  return now
}

/** Rows are rendered in steps of this many, so scrolling re-renders the table once per step, not per pixel. */
const WINDOW_STEP = 10

/** The header row and every body row are CSS grids with these columns, so they line up. */
const ROW_GRID = {
  display: 'grid',
  gridTemplateColumns: 'var(--patkit-token-list-columns, minmax(0, 2fr) minmax(0, 1fr) minmax(0, 2fr) minmax(0, 1fr) minmax(0, 2fr) minmax(0, 1fr) minmax(0, 1fr) 4rem)',
} as const

interface RowWindow {
  /** First rendered index. */
  first: number
  /** One past the last rendered index (may exceed the number of keys; clamp before use). */
  end: number
}

interface RowWindows {
  /** Exactly the rows in the viewport. */
  visible: RowWindow
  /** The rows in the viewport, in whole steps. */
  tight: RowWindow
  /** Those and a page above and below. */
  full: RowWindow
  /** What is rendered now: after a jump `tight`, until scrolling pauses or a row takes focus; then `full`. */
  rendered: RowWindow
}

const sameWindow = (a: RowWindow, b: RowWindow) => a.first === b.first && a.end === b.end
const covers = (outer: RowWindow, inner: RowWindow) => outer.first <= inner.first && outer.end >= inner.end

/** How long scrolling must pause before the rows around the viewport are added. */
const WIDEN_AFTER_MS = 100

/**
 * Which rows to render. While the user scrolls, only the rows in the viewport are added (react-aria
 * re-renders every rendered cell whenever the rows change, so fewer rows make cheaper frames); once
 * scrolling pauses, or a row takes focus, a page above and below join them, so PageUp/PageDown and
 * the arrow keys (which scroll the row they focus into view) find their row rendered. `widen` adds
 * them at once.
 */
function useRowWindow(
  el: HTMLElement | null,
  count: number,
  rowHeight: number,
  headingHeight: number,
): [RowWindow, widen: () => void] {
  const [windows, setWindows] = useState<RowWindows>(() => {
    const tight = { first: 0, end: WINDOW_STEP }
    return { visible: tight, tight, full: { first: 0, end: 3 * WINDOW_STEP }, rendered: tight }
  })
  useLayoutEffect(() => {
    if (!el) return
    const span = (top: number, rows: number, margin: number): RowWindow => ({
      first: Math.max(0, Math.floor((top - margin) / WINDOW_STEP) * WINDOW_STEP),
      end: Math.ceil((top + rows + margin) / WINDOW_STEP) * WINDOW_STEP,
    })
    const update = () => {
      const page = Math.max(1, Math.ceil(el.clientHeight / rowHeight))
      const top = Math.floor(Math.max(0, el.scrollTop - headingHeight) / rowHeight)
      const visible = { first: top, end: top + page }
      const tight = span(top, page, 0)
      const full = span(top, page, Math.max(WINDOW_STEP, page))
      setWindows((current) => {
        if (sameWindow(current.tight, tight) && sameWindow(current.full, full)) return current
        return { visible, tight, full, rendered: covers(current.rendered, visible) ? current.rendered : tight }
      })
    }
    update()
    el.addEventListener('scroll', update, { passive: true })
    const resize = new ResizeObserver(update)
    resize.observe(el)
    return () => {
      el.removeEventListener('scroll', update)
      resize.disconnect()
    }
  }, [el, rowHeight, headingHeight])

  const widen = useCallback(() => setWindows((current) => (sameWindow(current.rendered, current.full) ? current : { ...current, rendered: current.full })), [])
  // With no rows (loading, no results) back to exactly the viewport's rows: the fewer rows, the sooner
  // the next ones paint.
  const hasRows = count > 0
  if (!hasRows && !sameWindow(windows.rendered, windows.visible)) setWindows({ ...windows, rendered: windows.visible })
  const isWide = sameWindow(windows.rendered, windows.full)
  useEffect(() => {
    if (!hasRows || isWide) return
    const timer = setTimeout(widen, WIDEN_AFTER_MS)
    return () => clearTimeout(timer)
  }, [hasRows, isWide, windows, widen])
  return [windows.rendered, widen]
}

/** The indices to render: the window, and the focused row with its neighbours wherever it is (so focus never lands on a row that is gone). */
function renderedIndices({ first, end }: RowWindow, count: number, focused: number): number[] {
  const indices = new Set<number>()
  for (let index = first; index < Math.min(end, count); index++) indices.add(index)
  if (focused >= 0) for (const index of [focused - 1, focused, focused + 1]) if (index >= 0 && index < count) indices.add(index)
  return [...indices].sort((a, b) => a - b)
}

/** Where each rendered row sits, for `<TokenListRow>` (its absolute position and `aria-rowindex`). */
interface RowPlacement {
  indexOf: Map<string, number>
  rowHeight: number
}
const RowPlacementContext = createContext<RowPlacement | null>(null)

function assignRefs<T>(...refs: (Ref<T> | ((value: T | null) => void) | undefined)[]) {
  return (value: T | null) => {
    for (const ref of refs) {
      if (typeof ref === 'function') ref(value)
      else if (ref) ref.current = value
    }
  }
}

/**
 * The keys as a react-aria `Table` (a keyboard-navigable grid) with fixed-height rows. Only the rows
 * in and near the viewport are rendered, and only they are handed to react-aria, so 100,000 keys cost
 * what 40 do; `aria-rowcount` and `aria-rowindex` tell assistive technology where each row sits. The
 * next page loads as the user scrolls near the end. Renders nothing while the list is empty or
 * failed without rows (the empty and error states take its place). It is its own scroll container:
 * give it a height (default `var(--patkit-token-list-height, 30rem)`); the columns are a CSS grid
 * (`--patkit-token-list-columns`).
 */
export function TokenListTable(props: TokenListTableProps) {
  const [merged, ref] = useContextProps(props, props.ref, TokenListTableContext)
  const state = useTokenListState('TokenListTable')
  const { rowHeight = 48, headingHeight = 40, renderLoading, renderNoResults, renderLoadingMore, ...tableProps } = merged
  const { t, items, sort, setSort, isLoading, isLoadingMore, hasMore, loadMore, searchedQuery, status, totalCount } = state
  // One instant per minute: relative dates stay current without re-rendering rows on every render.
  const now = useMinuteClock()
  // The table is the scroll container; state, not a ref, so the listeners attach whenever it (re)appears.
  const [scroller, setScroller] = useState<HTMLTableElement | null>(null)
  const tableRef = useMemo(() => assignRefs<HTMLTableElement>(ref, setScroller), [ref])
  const [rowWindow, widenRows] = useRowWindow(scroller, items.length, rowHeight, headingHeight)
  // The listeners below read the current keys without re-attaching on every change.
  const itemsRef = useRef(items)
  useLayoutEffect(() => {
    itemsRef.current = items
  }, [items])

  const indexOf = useMemo(() => new Map(items.map((apiKey, index) => [apiKey.id, index])), [items])
  const placement = useMemo(() => ({ indexOf, rowHeight }), [indexOf, rowHeight])
  // The focused row stays rendered when scrolled away, so react-aria keeps focus on it (and Tab returns to it).
  const [focusedId, setFocusedId] = useState<string | null>(null)
  const focused = focusedId === null ? -1 : (indexOf.get(focusedId) ?? -1)
  const rendered = useMemo(() => renderedIndices(rowWindow, items.length, focused).map((index) => items[index]!), [rowWindow, items, focused])

  // Near the end of what is loaded, load the next page.
  const nearEnd = Math.min(rowWindow.end, items.length) >= items.length - WINDOW_STEP
  useEffect(() => {
    if (nearEnd && hasMore && !isLoadingMore) loadMore()
  }, [nearEnd, hasMore, isLoadingMore, loadMore])

  // Ctrl+Home/End (or Home/End on a row) go to the first or last key, which may not be rendered yet:
  // render it, then focus it.
  const pendingFocus = useRef<{ id: string; column: number } | null>(null)
  useLayoutEffect(() => {
    const pending = pendingFocus.current
    if (!pending || !scroller) return
    const index = indexOf.get(pending.id)
    const row = index === undefined ? null : scroller.querySelector<HTMLElement>(`tbody > [aria-rowindex="${index + 2}"]`)
    if (!row) return
    pendingFocus.current = null
    const target = pending.column >= 0 ? (row.children[pending.column] as HTMLElement | undefined) : row
    ;(target ?? row).focus()
  })
  useEffect(() => {
    const el = scroller
    if (!el) return
    const onFocusIn = (event: FocusEvent) => {
      const row = (event.target as Element).closest('tbody > [aria-rowindex]')
      const index = row ? Number(row.getAttribute('aria-rowindex')) - 2 : -1
      const apiKey = itemsRef.current[index]
      if (!apiKey) return
      setFocusedId(apiKey.id)
      widenRows()
    }
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Home' && event.key !== 'End') return
      const target = event.target as Element
      const row = target.closest('tbody > [aria-rowindex]')
      if (!row || !(event.ctrlKey || event.metaKey || target === row)) return
      const list = itemsRef.current
      const index = event.key === 'Home' ? 0 : list.length - 1
      if (row.parentElement?.querySelector(`:scope > [aria-rowindex="${index + 2}"]`) || !list[index]) return
      // Not rendered: react-aria would stop at the last rendered row, so this is handled here.
      event.preventDefault()
      event.stopPropagation()
      pendingFocus.current = { id: list[index].id, column: target === row ? -1 : [...row.children].indexOf(target.closest('[role=gridcell], [role=rowheader]')!) }
      setFocusedId(list[index].id)
      el.scrollTop = index === 0 ? 0 : el.scrollHeight
    }
    el.addEventListener('focusin', onFocusIn)
    el.addEventListener('keydown', onKeyDown, true)
    return () => {
      el.removeEventListener('focusin', onFocusIn)
      el.removeEventListener('keydown', onKeyDown, true)
    }
  }, [scroller, widenRows])
  // react-aria renders the header row without a style prop; it gets the rows' grid here.
  useLayoutEffect(() => {
    const headerRow = scroller?.querySelector<HTMLElement>(':scope > thead > tr')
    if (headerRow) Object.assign(headerRow.style, ROW_GRID, { height: `${headingHeight}px` })
  })

  if (state.isEmpty || (state.error && items.length === 0)) return null

  const column = (id: string, label: string, extra: { isRowHeader?: boolean } = {}) => (
    <Column id={id} allowsSorting={SORTABLE_COLUMNS.has(id)} className="patkit-TokenListColumn" data-column={id} {...extra}>
      {label}
    </Column>
  )
  // Known once every page is loaded; until then the server's count (header row included).
  const rowCount = (hasMore ? Math.max(totalCount, items.length) : items.length) + 1

  return (
    <RowPlacementContext.Provider value={placement}>
      <Table
        aria-label={t('listLabel')}
        {...tableProps}
        ref={tableRef}
        className={tableProps.className ?? 'patkit-TokenListTable'}
        style={composeRenderProps(tableProps.style, (style) => ({
          display: 'block',
          position: 'relative' as const,
          height: 'var(--patkit-token-list-height, 30rem)',
          overflow: 'auto',
          // Rows scrolled into view by the keyboard stop below the sticky header, not under it.
          scrollPaddingTop: headingHeight,
          ...style,
        }))}
        render={(domProps) => <table {...(domProps as ComponentProps<'table'>)} aria-rowcount={rowCount} />}
        sortDescriptor={toSortDescriptor(sort)}
        onSortChange={(descriptor) => setSort(toSortKey(descriptor))}
      >
        <TableHeader className="patkit-TokenListHeader" style={{ display: 'block', position: 'sticky', top: 0, zIndex: 1 }}>
          {/* The header row: react-aria renders it; its cells are these columns. */}
          {column('name', t('columnName'), { isRowHeader: true })}
          {column('start', t('columnKey'))}
          {column('scopes', t('columnScopes'))}
          {column('createdAt', t('columnCreated'))}
          {column('expiresAt', t('columnExpires'))}
          {column('lastUsedAt', t('columnLastUsed'))}
          {column('status', t('columnStatus'))}
          <Column id="actions" className="patkit-TokenListColumn" data-column="actions" textValue={t('columnActions')}>
            <VisuallyHidden>{t('columnActions')}</VisuallyHidden>
          </Column>
        </TableHeader>
        <TableBody
          className="patkit-TokenListBody"
          style={{ display: 'block', position: 'relative', height: items.length > 0 ? items.length * rowHeight : undefined }}
          renderEmptyState={() => (
            <div className="patkit-TokenListBodyMessage" data-state={isLoading ? 'loading' : 'no-results'}>
              {isLoading
                ? (renderLoading?.() ?? t('loadingKeys'))
                : (renderNoResults?.({ query: searchedQuery, status }) ??
                  (searchedQuery
                    ? t('noResults', { query: searchedQuery })
                    : // One sentence per status: an adjective inflects differently in each language.
                      status === 'all'
                      ? t('emptyTitle')
                      : t(`noResultsInStatus.${status}`)))}
            </div>
          )}
        >
          <Collection items={rendered} dependencies={[now, t, placement]}>
            {(apiKey) => <TokenListRow apiKey={apiKey} now={now} />}
          </Collection>
        </TableBody>
      </Table>
      {isLoadingMore && (
        <div role="status" className="patkit-TokenListLoadingMore">
          {renderLoadingMore?.() ?? t('loadingMore')}
        </div>
      )}
    </RowPlacementContext.Provider>
  )
}

// ---------------------------------------------------------------------------------------------
// TokenListRow

export interface TokenListRowRenderProps {
  /**
   * The key's status.
   * @selector [data-status="revoked"]
   */
  status: PersonalApiKeyStatus
  /**
   * Active and expiring within 7 days.
   * @selector [data-expiring-soon]
   */
  isExpiringSoon: boolean
  /**
   * Revoked: its actions are disabled.
   * @selector [data-revoked]
   */
  isRevoked: boolean
  /**
   * Never used to authenticate.
   * @selector [data-never-used]
   */
  neverUsed: boolean
  /**
   * Has no expiration date.
   * @selector [data-never-expires]
   */
  neverExpires: boolean
}

export interface TokenListRowProps extends Omit<RenderProps<TokenListRowRenderProps>, 'render'>, SlotProps, PartDOMProps {
  apiKey: PersonalApiKey
  /** The instant "expires soon" and relative times are measured from. Default: now. */
  now?: number
  ref?: Ref<HTMLTableRowElement>
}

export const TokenListRowContext = createContext<ContextValue<Partial<TokenListRowProps>, HTMLTableRowElement>>(null)

function rowRenderProps(apiKey: PersonalApiKey, now: number): TokenListRowRenderProps {
  const expiresIn = apiKey.expiresAt ? new Date(apiKey.expiresAt).getTime() - now : null
  return {
    status: apiKey.status,
    isExpiringSoon: apiKey.status === 'active' && expiresIn !== null && expiresIn <= EXPIRING_SOON_MS,
    isRevoked: apiKey.status === 'revoked',
    neverUsed: apiKey.lastUsedAt === null,
    neverExpires: apiKey.expiresAt === null,
  }
}

/**
 * One key: name, key start, scopes, created, expires, last used, status and an actions menu.
 * Besides its own `data-*`, react-aria's row attributes apply (`[data-focus-visible]`, `[data-hovered]`).
 */
export function TokenListRow(props: TokenListRowProps) {
  const [merged, ref] = useContextProps(props, props.ref, TokenListRowContext)
  const { t, runAction } = useInsideTokenList(TokenListRowSupportContext, 'TokenListRow')
  const formatters = useDateFormatters()
  const { apiKey, now = Date.now() } = merged
  const values = rowRenderProps(apiKey, now)
  const { render: _render, ...rowProps } = usePartRenderProps(merged, values, 'TokenListRow', defaultCells(apiKey, values, now, t, formatters, runAction))
  // Inside <TokenListTable>, a row sits at its own index in the full list (only some rows are rendered).
  const placement = useContext(RowPlacementContext)
  const index = placement?.indexOf.get(apiKey.id)
  if (!placement || index === undefined) return <Row {...domProps(merged)} {...rowProps} id={apiKey.id} ref={ref} textValue={apiKey.name} />
  const style = {
    ...rowProps.style,
    ...ROW_GRID,
    position: 'absolute',
    insetInline: 0,
    top: index * placement.rowHeight,
    height: placement.rowHeight,
  } as const
  return (
    <Row
      {...domProps(merged)}
      {...rowProps}
      style={style}
      render={(props) => <tr {...(props as ComponentProps<'tr'>)} aria-rowindex={index + 2} />}
      id={apiKey.id}
      ref={ref}
      textValue={apiKey.name}
    />
  )
}

function defaultCells(
  apiKey: PersonalApiKey,
  values: TokenListRowRenderProps,
  now: number,
  t: Translate,
  format: DateFormatters,
  runAction: TokenListState['runAction'],
) {
  // Cell content as an element made once per row: react-aria re-renders every cell whenever the
  // rendered rows change, and React skips an element it has seen, so dates are formatted and menus
  // built once per row, not on every scroll step.
  const cell = (column: string, content: () => ReactNode) => (
    <Cell className="patkit-TokenListCell" data-column={column}>
      <CellContent content={content} />
    </Cell>
  )
  // Relative to the row's `now`, like its `isExpiringSoon`, so both agree.
  const instant = (iso: string, text = format.relative(iso, now)) => (
    <time dateTime={iso} title={format.dateTime(iso)}>
      {text}
    </time>
  )
  return (
    <>
      {/* dir="auto": a name reads in its own direction (a Latin name in an Arabic list keeps its punctuation in place). */}
      {cell('name', () => <span title={apiKey.name} dir="auto">{apiKey.name}</span>)}
      {cell('start', () => <code>{apiKey.start}…</code>)}
      {cell('scopes', () => (apiKey.scopes.length > 0 ? apiKey.scopes.join(', ') : t('noScopes')))}
      {cell('createdAt', () => instant(apiKey.createdAt, format.date(apiKey.createdAt)))}
      {cell('expiresAt', () => {
        const at = apiKey.expiresAt
        if (at === null) return t('never')
        return (
          <>
            {instant(at)} <span className="patkit-TokenListDate">({format.date(at)})</span>
            {values.isExpiringSoon && <span className="patkit-TokenListExpiresSoon"> {t('expiresSoon')}</span>}
          </>
        )
      })}
      {cell('lastUsedAt', () => (apiKey.lastUsedAt === null ? t('neverUsed') : instant(apiKey.lastUsedAt)))}
      {cell('status', () => <span className="patkit-TokenListStatus" data-status={apiKey.status}>{t.status(apiKey.status)}</span>)}
      {cell('actions', () => <TokenListRowActions apiKey={apiKey} t={t} onAction={runAction} />)}
    </>
  )
}

function CellContent({ content }: { content: () => ReactNode }) {
  return content()
}

function TokenListRowActions({ apiKey, t, onAction }: { apiKey: PersonalApiKey; t: Translate; onAction: TokenListState['runAction'] }) {
  const disabledKeys: TokenListAction[] = apiKey.status === 'revoked' ? ['rotate', 'revoke', 'rename'] : []
  return (
    <MenuTrigger>
      <Button className="patkit-TokenListActionsButton" aria-label={t('rowActions', { name: apiKey.name })}>
        <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="currentColor">
          <circle cx="3" cy="8" r="1.5" />
          <circle cx="8" cy="8" r="1.5" />
          <circle cx="13" cy="8" r="1.5" />
        </svg>
      </Button>
      <Popover className="patkit-TokenListActionsPopover" placement="bottom end">
        <Menu className="patkit-TokenListActionsMenu" disabledKeys={disabledKeys} onAction={(key: Key) => onAction(key as TokenListAction, apiKey)}>
          <MenuItem id="rotate" className="patkit-TokenListAction">{t('rotateAction')}</MenuItem>
          <MenuItem id="revoke" className="patkit-TokenListAction">{t('revokeAction')}</MenuItem>
          <MenuItem id="rename" className="patkit-TokenListAction">{t('rename')}</MenuItem>
        </Menu>
      </Popover>
    </MenuTrigger>
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

export const TokenListEmptyStateContext = createContext<ContextValue<TokenListEmptyStateProps, HTMLDivElement>>(null)

/** Shown instead of the table when the user has no keys; `<Button slot="create">` calls `onCreateRequest`. */
export function TokenListEmptyState(props: TokenListEmptyStateProps) {
  const [merged, ref] = useContextProps(props, props.ref, TokenListEmptyStateContext)
  const { isEmpty, onCreateRequest, t } = useTokenListState('TokenListEmptyState')
  const canCreate = onCreateRequest !== undefined
  const renderProps = usePartRenderProps(
    merged,
    { canCreate },
    'TokenListEmptyState',
    <>
      <Text elementType="p" slot="title" className="patkit-TokenListEmptyStateTitle">
        {t('emptyTitle')}
      </Text>
      <Text elementType="p" slot="description" className="patkit-TokenListEmptyStateDescription">
        {t('emptyDescription')}
      </Text>
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
   * @selector [data-error-kind="noPersonalApiKeyPermission"]
   */
  errorKind: ErrorKind
  /**
   * The sentence shown: the server's, a wait time for rate limits, or the signed-out message.
   */
  message: string
  /**
   * A retry is under way.
   * @selector [data-retrying]
   */
  isRetrying: boolean
  /**
   * A Retry can help; false when the user lacks the permission or keys are turned off.
   * @selector [data-can-retry]
   */
  canRetry: boolean
}

export interface TokenListErrorStateProps extends Omit<RenderProps<TokenListErrorStateRenderProps>, 'render'>, SlotProps, PartDOMProps {
  ref?: Ref<HTMLDivElement>
}

export const TokenListErrorStateContext = createContext<ContextValue<TokenListErrorStateProps, HTMLDivElement>>(null)

/** Shown when loading fails: the reason and a `<Button slot="retry">`. */
export function TokenListErrorState(props: TokenListErrorStateProps) {
  const [merged, ref] = useContextProps(props, props.ref, TokenListErrorStateContext)
  const { error, isRetrying, t } = useTokenListState('TokenListErrorState')
  const message = error ? listErrorMessage(error, t) : ''
  // No Retry where retrying cannot help (no permission, keys turned off).
  const canRetry = error !== null && isRetryable(error)
  const renderProps = usePartRenderProps(
    merged,
    { errorKind: error?.kind ?? 'unexpectedOrUnhandled', message, isRetrying, canRetry },
    'TokenListErrorState',
    <>
      <Text elementType="p" slot="description" role="alert" className="patkit-TokenListErrorMessage">
        {message}
      </Text>
      {canRetry && <Button slot="retry">{t('retry')}</Button>}
    </>,
  )
  if (!error) return null
  return <div {...domProps(merged)} {...renderProps} ref={ref} />
}

// ---------------------------------------------------------------------------------------------
// TokenListRenameDialog

export interface TokenListRenameDialogProps {
  apiKey: PersonalApiKey
  onOpenChange: (isOpen: boolean) => void
  onRenamed: (apiKey: PersonalApiKey) => void
  messages?: Partial<PatkitMessages>
}

/** A small modal to rename a key; the server's `name_taken` shows on the field. */
export function TokenListRenameDialog({ apiKey, onOpenChange, onRenamed, messages }: TokenListRenameDialogProps) {
  const t = useMessages(messages)
  const { direction } = useLocale()
  const update = useUpdatePersonalAccessToken()
  const [name, setName] = useState(apiKey.name)
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState('')

  async function submit() {
    setFormError('')
    const response = await update.mutateAsync({ id: apiKey.id, name: name.trim() })
    const onNameField = (error: ApiError) => setFieldErrors({ name: error.fieldErrors?.name ?? error.userFacingError })
    await response.handle({
      success: onRenamed,
      conflict: onNameField,
      badRequest: onNameField,
      // keyErrorMessage: a rate limit says how long to wait; anything else is the server's sentence.
      unexpectedOrUnhandled: (error) => setFormError(keyErrorMessage(error, t)),
    })
  }

  return (
    // Portalled out of the list, the modal takes its direction from the locale instead.
    <ModalOverlay isOpen isDismissable onOpenChange={onOpenChange} className="patkit-TokenListRenameOverlay" dir={direction}>
      <Modal className="patkit-TokenListRenameModal">
        <Dialog className="patkit-TokenListRenameDialog">
          <Heading slot="title">{t('renameTitle', { name: apiKey.name })}</Heading>
          <Form
            validationErrors={fieldErrors}
            onSubmit={(event) => {
              event.preventDefault()
              void submit()
            }}
          >
            <TextField
              name="name"
              value={name}
              onChange={(next) => {
                setName(next)
                setFieldErrors({})
              }}
              isRequired
              validate={(value) => (isBlank(value) ? t('nameRequired') : null)}
              autoFocus
            >
              <Label>{t('renameLabel')}</Label>
              <Input />
              <FieldError />
            </TextField>
            {formError && (
              <Text elementType="p" slot="errorMessage" role="alert">
                {formError}
              </Text>
            )}
            <Button slot="close">{t('cancel')}</Button>
            <Button type="submit" isPending={update.isPending}>
              {t('save')}
            </Button>
          </Form>
        </Dialog>
      </Modal>
    </ModalOverlay>
  )
}
