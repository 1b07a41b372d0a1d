/**
 * The TokenList's table family: `TokenListTable` (a native `<table>` with the ARIA grid roles, sortable
 * headers, windowed rows, keyboard navigation), `TokenListRow` and its cells, and each row's actions
 * button. The actions menu itself is in the overlay chunk (overlays/TokenListActionsMenu.tsx), loaded
 * when a menu first opens; windowing is in useRowWindow.ts.
 */
import {
  createContext,
  memo,
  useCallback,
  useContext,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
  type ReactNode,
  type Ref,
  type RefObject,
} from 'react'
import { Button } from 'react-aria-components/Button'
import { useLocale } from 'react-aria-components/I18nProvider'
import { VisuallyHidden } from 'react-aria-components/VisuallyHidden'
import { useContextProps, type ContextValue, type SlotProps } from 'react-aria-components/slots'
import type { RenderProps } from 'react-aria-components/useRenderProps'
import type { PersonalApiKey, PersonalApiKeyStatus, SortKey } from '../client/types.ts'
import { useDateFormatters, type DateFormatters } from './format.ts'
import { overlays, preloadOverlays } from './KeyDialog.tsx'
import { useLazyModule } from './lazy.ts'
import { KeyCreatedBy, createdByText } from './organization.tsx'
import type { Translate } from './messages.tsx'
import { AnnouncementsLeaveWithMe, domProps, usePartRenderProps, type PartDOMProps } from './shared.tsx'
import { useTokenListState, type TokenListStatusFilter } from './TokenListState.ts'
import { renderedIndices, useRowWindow, WINDOW_STEP } from './useRowWindow.ts'

const EXPIRING_SOON_MS = 7 * 86_400_000

/** The columns, in order; the API can sort by some of them. */
const COLUMNS = ['name', 'start', 'scopes', 'createdAt', 'expiresAt', 'lastUsedAt', 'status', 'actions'] as const
type ColumnId = (typeof COLUMNS)[number]
const SORTABLE: ReadonlySet<ColumnId> = new Set(['name', 'createdAt', 'expiresAt', 'lastUsedAt'])
const COLUMN_LABELS = ['columnName', 'columnKey', 'columnScopes', 'columnCreated', 'columnExpires', 'columnLastUsed', 'columnStatus', 'columnActions'] as const
const ACTIONS_COLUMN = COLUMNS.length - 1

/** Cells that show their column's name inside a card (the header row shows only the sort buttons there). */
const LABELLED_IN_CARDS: ReadonlySet<ColumnId> = new Set(['start', 'scopes', 'createdAt', 'expiresAt', 'lastUsedAt'])

/** The header row and every body row are CSS grids with these columns, so they line up. */
const ROW_GRID = {
  display: 'grid',
  gridTemplateColumns:
    'var(--patkit-token-list-columns, minmax(0, 2fr) minmax(0, 1fr) minmax(0, 2fr) minmax(0, 1fr) minmax(0, 2fr) minmax(0, 1fr) minmax(0, 1fr) 4rem)',
} as const

/** A card: name, status and actions on top, then one line per fact (the cells are placed by column id). */
const CARD_GRID = {
  display: 'grid',
  gridTemplateColumns: 'var(--patkit-token-list-card-columns, minmax(0, 1fr) auto auto)',
  gridTemplateAreas:
    'var(--patkit-token-list-card-areas, "name status actions" "start start start" "scopes scopes scopes" "expiresAt expiresAt expiresAt" "createdAt createdAt createdAt" "lastUsedAt lastUsedAt lastUsedAt")',
  alignContent: 'start',
} as const

/** In the card layout the header row holds only the sort buttons; the other headers stay for assistive technology. */
const VISUALLY_HIDDEN = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clipPath: 'inset(50%)', whiteSpace: 'nowrap' } as const

/**
 * How the keys are laid out: `table`, a row per key under column headers, or `cards`, a key per
 * stacked card with the same cells (for narrow space: a phone, a side panel, 400 % zoom).
 */
export type TokenListLayout = 'table' | 'cards'

/**
 * The layout the page's CSS asks for: `--patkit-token-list-layout: cards` on the table or an
 * ancestor. The starter theme sets it in a container query on the list, so the list follows the
 * space the app gives it, not the window; read again whenever the table's size changes.
 */
function useCssLayout(table: HTMLElement | null): TokenListLayout {
  const [layout, setLayout] = useState<TokenListLayout>('table')
  useLayoutEffect(() => {
    if (!table) return
    const read = () => setLayout(getComputedStyle(table).getPropertyValue('--patkit-token-list-layout').trim() === 'cards' ? 'cards' : 'table')
    read()
    const observer = new ResizeObserver(read)
    observer.observe(table)
    return () => observer.disconnect()
  }, [table])
  return layout
}

// ---------------------------------------------------------------------------------------------
// Keyboard position: which row (a key's id, or the header) and which column has the roving tab stop.

/** `column` -1 is the row itself (body rows only); 0–7 a cell, 7 being the actions button. */
interface GridPosition {
  /** A key's id, or `null` for the header row. */
  key: string | null
  column: number
}

/** `Date.now()`, refreshed once a minute. */
function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000)
    return () => clearInterval(timer)
  }, [])
  return now
}

function assignRefs<T>(...refs: (Ref<T> | undefined)[]) {
  return (value: T | null) => {
    for (const ref of refs) {
      if (typeof ref === 'function') ref(value)
      else if (ref) ref.current = value
    }
  }
}

const toSortKey = (column: string, descending: boolean) => (descending ? `-${column}` : column) as SortKey

/** The sortable column nearest `column`, looking in the direction of `step` first. */
function nearestSortable(column: number, step: 1 | -1): number {
  for (const direction of [step, -step]) {
    for (let index = column; index >= 0 && index < COLUMNS.length; index += direction) if (SORTABLE.has(COLUMNS[index]!)) return index
  }
  return 0
}

/** The element that holds the tab stop at `position`, if it is rendered. */
function focusTarget(table: HTMLElement, { key, column }: GridPosition): HTMLElement | null {
  const row =
    key === null
      ? table.querySelector<HTMLElement>(':scope > thead > tr')
      : table.querySelector<HTMLElement>(`:scope > tbody > tr[data-key="${CSS.escape(key)}"]`)
  if (!row) return null
  if (column < 0) return row
  const cell = row.children[Math.min(column, row.children.length - 1)] as HTMLElement | undefined
  // A cell holding one control (a sort button, the actions button) gives focus to the control.
  return cell?.querySelector<HTMLElement>('button') ?? cell ?? row
}

/** Where `element` sits in the grid, or null outside its rows. */
function positionOf(element: Element): GridPosition | null {
  const row = element.closest('tr')
  if (!row || !row.parentElement) return null
  const key = row.parentElement.localName === 'thead' ? null : row.getAttribute('data-key')
  // The body's loading or no-results row is no place to be.
  if (key === '' || (key === null && row.parentElement.localName !== 'thead')) return null
  if (element === row) return { key, column: -1 }
  const cell = element.closest('td, th')
  return { key, column: cell ? [...row.children].indexOf(cell) : -1 }
}

// ---------------------------------------------------------------------------------------------
// TokenListTable

export interface TokenListTableRenderProps {
  /**
   * The first page is loading.
   * @selector [data-loading]
   */
  isLoading: boolean
  /**
   * The next page is loading.
   * @selector [data-loading-more]
   */
  isLoadingMore: boolean
  /**
   * The order, as the API's sort key.
   * @selector [data-sort="-createdAt"]
   */
  sort: SortKey
  /**
   * A row per key (`table`) or a stacked card per key (`cards`).
   * @selector [data-layout="cards"]
   */
  layout: TokenListLayout
}

export interface TokenListTableProps extends Omit<RenderProps<TokenListTableRenderProps>, 'render' | 'children'>, SlotProps, PartDOMProps {
  /** Fixed row height in px (rows are placed by index; only those near the viewport are rendered). Default 48. */
  rowHeight?: number
  /** Fixed card height in px in the card layout (each fact one line, cut with an ellipsis). Default 200. */
  cardHeight?: number
  /**
   * `auto` (default): cards when the CSS custom property `--patkit-token-list-layout` is `cards` on the
   * table or an ancestor (the starter theme sets it when the list is narrower than 50rem), else a table.
   * `table` or `cards` forces one.
   */
  layout?: TokenListLayout | 'auto'
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

/** Props an app gives every `TokenListTable` inside it. */
export const TokenListTableContext = createContext<ContextValue<Partial<TokenListTableProps>, HTMLTableElement>>(null)

/** What the rows share: one value for the whole table, so it does not re-render them. */
interface RowSupport {
  t: Translate
  rowHeight: number
  layout: TokenListLayout
  openMenu: (apiKey: PersonalApiKey, trigger: HTMLElement, autoFocus: 'first' | 'last') => void
}
const RowSupportContext = createContext<RowSupport | null>(null)

/** One row's place: its index in the whole list and its part of the roving tab stop. */
interface RowPlace {
  index: number
  /** The column holding the tab stop when it is in this row (`-1` the row itself), else `null`. */
  activeColumn: number | null
  /** This row's actions menu is open, or loading to open. */
  menu: 'closed' | 'loading' | 'open'
}
const RowPlaceContext = createContext<RowPlace | null>(null)

/**
 * The keys as a native `<table>` with the ARIA grid roles: one tab stop (the last focused row or cell),
 * arrow keys between rows and cells, Home/End, Ctrl+Home/End, PageUp/PageDown, type-ahead on names, and
 * Tab from a row to that row's actions button. Only the rows in and near the viewport are rendered, so
 * 100,000 keys cost what 40 do; `aria-rowcount` and `aria-rowindex` tell assistive technology where
 * each row sits, and the focused row stays rendered (and focused) through scrolling and re-sorting.
 * The next page loads as the user scrolls near the end. It is its own scroll container, as tall as its
 * rows up to `var(--patkit-token-list-height, 30rem)`; the columns are a CSS grid
 * (`--patkit-token-list-columns`). In narrow space (`layout`, or `--patkit-token-list-layout: cards`
 * from a container query) each key is a card of `cardHeight` px with the same cells, roles and keys.
 * Renders nothing while the list is empty or failed without rows.
 */
export function TokenListTable(props: TokenListTableProps) {
  const [merged, ref] = useContextProps(props, props.ref, TokenListTableContext)
  const state = useTokenListState('TokenListTable')
  const { cardHeight = 200, headingHeight = 40, renderLoading, renderNoResults, renderLoadingMore } = merged
  const { t, items, sort, setSort, isLoading, isLoadingMore, hasMore, loadMore, searchedQuery, status, totalCount, runAction, capabilities } = state
  const { direction } = useLocale()
  // One instant per minute: relative dates stay current without re-rendering rows on every render.
  const now = useMinuteClock()
  // The table is the scroll container; state, not a ref, so the listeners attach whenever it (re)appears.
  const [table, setTable] = useState<HTMLTableElement | null>(null)
  const tableRef = useMemo(() => assignRefs<HTMLTableElement>(ref, setTable), [ref])
  const cssLayout = useCssLayout(table)
  const layout = merged.layout === 'table' || merged.layout === 'cards' ? merged.layout : cssLayout
  const rowHeight = layout === 'cards' ? cardHeight : (merged.rowHeight ?? 48)
  const [rowWindow, widenRows] = useRowWindow(table, items.length, rowHeight, headingHeight, `${sort}\u0000${status}\u0000${searchedQuery}`)
  const indexOf = useMemo(() => new Map(items.map((apiKey, index) => [apiKey.id, index])), [items])

  // The roving tab stop. A key that has left the list gives its place to the key now at its index.
  const [active, setActive] = useState<GridPosition & { index: number }>({ key: '', column: -1, index: 0 })
  const activeIndex = active.key === null ? -1 : (indexOf.get(active.key) ?? Math.min(active.index, items.length - 1))
  const activeKey = active.key === null ? null : (items[activeIndex]?.id ?? null)
  const position: GridPosition = { key: activeKey, column: activeKey === null && active.column < 0 ? 0 : active.column }
  const rendered = useMemo(() => renderedIndices(rowWindow, items.length, activeIndex), [rowWindow, items.length, activeIndex])

  // The row actions menu: one for the table, at the row whose button opened it; its code loads on first use.
  const [menu, setMenu] = useState<{ apiKey: PersonalApiKey; trigger: RefObject<HTMLElement | null>; autoFocus: 'first' | 'last' } | null>(null)
  const menuCode = useLazyModule(overlays, menu !== null)
  const openMenu = useCallback(
    (apiKey: PersonalApiKey, trigger: HTMLElement, autoFocus: 'first' | 'last') => setMenu({ apiKey, trigger: { current: trigger }, autoFocus }),
    [],
  )
  const rowSupport = useMemo<RowSupport>(() => ({ t, rowHeight, layout, openMenu }), [t, rowHeight, layout, openMenu])

  // Near the end of what is loaded, load the next page.
  const nearEnd = Math.min(rowWindow.end, items.length) >= items.length - WINDOW_STEP
  useEffect(() => {
    if (nearEnd && hasMore && !isLoadingMore) loadMore()
  }, [nearEnd, hasMore, isLoadingMore, loadMore])

  // Focus follows the tab stop when the keyboard moved it (the row may render only now), and comes back
  // to it when this render moved or replaced the focused element (re-sorting, re-windowing): focus was
  // in the table as it rendered, and is on nothing after the commit.
  const focusWanted = useRef(false)
  const hadFocus = useRef(false)
  hadFocus.current = table !== null && typeof document !== 'undefined' && table.contains(document.activeElement)
  useLayoutEffect(() => {
    const lost = hadFocus.current && (document.activeElement === null || document.activeElement === document.body)
    if (!table || !(focusWanted.current || lost)) return
    const target = focusTarget(table, position)
    if (!target) return
    focusWanted.current = false
    if (document.activeElement !== target) target.focus()
  })

  const moveTo = (next: GridPosition) => {
    const index = next.key === null ? -1 : (indexOf.get(next.key) ?? 0)
    focusWanted.current = true
    setActive({ ...next, index })
    const target = table && focusTarget(table, next)
    if (target) {
      focusWanted.current = false
      target.focus()
    }
  }

  const typeahead = useRef({ text: '', at: 0 })
  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    const at = positionOf(event.target as Element)
    if (!at || items.length === 0) return
    const index = at.key === null ? -1 : (indexOf.get(at.key) ?? -1)
    const forward = direction === 'rtl' ? 'ArrowLeft' : 'ArrowRight'
    const back = direction === 'rtl' ? 'ArrowRight' : 'ArrowLeft'
    const page = Math.max(1, Math.floor(((table?.clientHeight ?? rowHeight) - headingHeight) / rowHeight) - 1)
    const lastColumn = COLUMNS.length - 1
    const row = (i: number, column = at.column): GridPosition => ({ key: items[Math.max(0, Math.min(items.length - 1, i))]!.id, column })
    const ctrl = event.ctrlKey || event.metaKey
    let next: GridPosition | null = null
    switch (event.key) {
      case 'ArrowDown':
        next = row(index + 1)
        break
      case 'ArrowUp':
        next = index <= 0 ? (at.key === null ? null : { key: null, column: Math.max(0, at.column) }) : row(index - 1)
        break
      case forward:
        next = { key: at.key, column: Math.min(lastColumn, at.column + 1) }
        break
      case back:
        next = { key: at.key, column: Math.max(at.key === null ? 0 : -1, at.column - 1) }
        break
      case 'Home':
        next = ctrl || at.column < 0 ? row(0) : { key: at.key, column: 0 }
        break
      case 'End':
        next = ctrl || at.column < 0 ? row(items.length - 1) : { key: at.key, column: lastColumn }
        break
      case 'PageDown':
        next = row(index + page)
        break
      case 'PageUp':
        next = row(index - page)
        break
      case 'F10':
      case 'ContextMenu': {
        if (event.key === 'F10' && !event.shiftKey) return
        const button = at.key === null ? null : table && focusTarget(table, { key: at.key, column: ACTIONS_COLUMN })
        const apiKey = items[index]
        // A revoked key's actions cell holds no button: no menu.
        if (!(button instanceof HTMLButtonElement) || !apiKey) return
        event.preventDefault()
        setActive({ key: apiKey.id, column: ACTIONS_COLUMN, index })
        openMenu(apiKey, button, 'first')
        return
      }
      default: {
        // Type-ahead: letters typed on a row or cell (not a button) go to the next key whose name starts with them.
        if (event.key.length !== 1 || ctrl || event.altKey || (event.target as Element).closest('button') || at.key === null) return
        if (event.key === ' ' && typeahead.current.text === '') return
        const stamp = event.timeStamp
        const text = (stamp - typeahead.current.at < 1_000 ? typeahead.current.text : '') + event.key.toLocaleLowerCase(t.locale)
        typeahead.current = { text, at: stamp }
        const start = text.length === 1 ? index + 1 : index
        for (let step = 0; step < items.length; step++) {
          const candidate = items[(start + step) % items.length]!
          if (candidate.name.toLocaleLowerCase(t.locale).startsWith(text)) {
            next = { key: candidate.id, column: at.column }
            break
          }
        }
        if (!next) return
      }
    }
    if (!next) return
    // The card layout's header shows only the sort buttons: the keyboard stops on those, not on hidden headers.
    if (next.key === null && layout === 'cards') next = { key: null, column: nearestSortable(next.column, next.column < at.column ? -1 : 1) }
    event.preventDefault()
    event.stopPropagation()
    moveTo(next)
  }

  const onFocus = (event: FocusEvent<HTMLTableElement>) => {
    void preloadOverlays().catch(() => undefined)
    const at = positionOf(event.target)
    if (!at) return
    // Tab from a row or cell to its actions button leaves the tab stop where it was, so Shift+Tab goes back.
    const byTab = at.column === ACTIONS_COLUMN && at.key === activeKey && !focusWanted.current
    if (!byTab && (at.key !== active.key || at.column !== active.column)) setActive({ ...at, index: at.key === null ? -1 : (indexOf.get(at.key) ?? 0) })
    widenRows()
  }

  const values: TokenListTableRenderProps = { isLoading, isLoadingMore, sort, layout }
  const renderProps = usePartRenderProps(merged, values, 'TokenListTable')

  if (state.isEmpty || (state.error && items.length === 0)) return null

  // Known once every page is loaded; until then the server's count (header row included).
  const rowCount = (hasMore ? Math.max(totalCount, items.length) : items.length) + 1
  const descending = sort.startsWith('-')
  // The backend's own order when it cannot sort by the chosen key: then no column claims to be sorted.
  const sortedBy = capabilities.sort.includes(sort) ? (descending ? sort.slice(1) : sort) : null
  // A column is a sort button only when the backend sorts by it both ways.
  const isSortable = (id: ColumnId) => SORTABLE.has(id) && capabilities.sort.includes(toSortKey(id, false)) && capabilities.sort.includes(toSortKey(id, true))
  const headerActive = position.key === null

  return (
    <RowSupportContext.Provider value={rowSupport}>
      <table
        role="grid"
        aria-label={t('listLabel')}
        {...domProps(merged)}
        {...renderProps}
        ref={tableRef}
        aria-rowcount={rowCount}
        style={{
          display: 'block',
          position: 'relative',
          maxHeight: 'var(--patkit-token-list-height, 30rem)',
          overflow: 'auto',
          // Rows scrolled into view by the keyboard stop below the sticky header, not under it.
          scrollPaddingTop: headingHeight,
          ...renderProps.style,
        }}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
      >
        <thead role="rowgroup" className="patkit-TokenListHeader" style={{ display: 'block', position: 'sticky', top: 0, zIndex: 1 }}>
          <tr
            role="row"
            aria-rowindex={1}
            style={
              layout === 'cards'
                ? { display: 'flex', flexWrap: 'wrap', alignItems: 'center', minHeight: headingHeight }
                : { ...ROW_GRID, height: headingHeight }
            }
          >
            {COLUMNS.map((id, column) => {
              const isSorted = sortedBy === id
              const hasStop = headerActive && position.column === column
              const label = t(COLUMN_LABELS[column]!)
              return (
                <th
                  key={id}
                  role="columnheader"
                  className="patkit-TokenListColumn"
                  data-column={id}
                  aria-sort={isSorted ? (descending ? 'descending' : 'ascending') : undefined}
                  tabIndex={isSortable(id) ? undefined : hasStop ? 0 : -1}
                  style={layout === 'cards' && !isSortable(id) ? VISUALLY_HIDDEN : undefined}
                >
                  {isSortable(id) ? (
                    <Button
                      className="patkit-TokenListSortButton"
                      excludeFromTabOrder={!hasStop}
                      // First press: ascending; on the sorted column: the other way round.
                      onPress={() => setSort(toSortKey(id, isSorted && !descending))}
                    >
                      {label}
                    </Button>
                  ) : id === 'actions' ? (
                    <VisuallyHidden>{label}</VisuallyHidden>
                  ) : (
                    label
                  )}
                </th>
              )
            })}
          </tr>
        </thead>
        <tbody
          role="rowgroup"
          className="patkit-TokenListBody"
          style={{ display: 'block', position: 'relative', height: items.length > 0 ? items.length * rowHeight : undefined }}
        >
          {items.length === 0 ? (
            <tr role="row">
              <td role="gridcell" className="patkit-TokenListBodyMessage" data-state={isLoading ? 'loading' : 'no-results'}>
                {isLoading
                  ? (renderLoading?.() ?? t('loadingKeys'))
                  : (renderNoResults?.({ query: searchedQuery, status }) ??
                    (searchedQuery
                      ? t('noResults', { query: searchedQuery })
                      : // One sentence per status: an adjective inflects differently in each language.
                        status === 'all'
                        ? t('emptyTitle')
                        : t(`noResultsInStatus.${status}`)))}
              </td>
            </tr>
          ) : (
            rendered.map((index) => {
              const apiKey = items[index]!
              const isActive = index === activeIndex && !headerActive
              const menuState = menu?.apiKey.id === apiKey.id ? (menuCode.module ? 'open' : 'loading') : 'closed'
              return (
                <PlacedRow
                  key={apiKey.id}
                  apiKey={apiKey}
                  now={now}
                  index={index}
                  activeColumn={isActive ? position.column : null}
                  menu={menuState}
                />
              )
            })
          )}
        </tbody>
      </table>
      {isLoadingMore && (
        <div role="status" className="patkit-TokenListLoadingMore">
          {renderLoadingMore?.() ?? t('loadingMore')}
        </div>
      )}
      {menu && menuCode.failed && (
        <div role="alert" className="patkit-TokenListActionsError">
          {t('menuFailed')} <Button onPress={menuCode.retry}>{t('retry')}</Button> <Button onPress={() => setMenu(null)}>{t('cancel')}</Button>
        </div>
      )}
      {menu && menuCode.module && (
        <menuCode.module.TokenListActionsMenu
          apiKey={menu.apiKey}
          triggerRef={menu.trigger}
          triggerId={menu.trigger.current?.id ?? ''}
          autoFocus={menu.autoFocus}
          onAction={runAction}
          onClose={() => setMenu(null)}
          messages={state.messages}
        />
      )}
    </RowSupportContext.Provider>
  )
}

/** A row with its place in the list; re-renders only when its key, place or tab stop changes. */
const PlacedRow = memo(function PlacedRow({ apiKey, now, ...place }: RowPlace & { apiKey: PersonalApiKey; now: number }) {
  const value = useMemo<RowPlace>(() => ({ index: place.index, activeColumn: place.activeColumn, menu: place.menu }), [place.index, place.activeColumn, place.menu])
  return (
    <RowPlaceContext.Provider value={value}>
      <TokenListRow apiKey={apiKey} now={now} />
    </RowPlaceContext.Provider>
  )
})

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
   * Replaced by a rotation with a grace period and still active until its `expiresAt`.
   * @selector [data-replaced]
   */
  isReplaced: boolean
  /**
   * Revoked: it has no actions.
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
  /**
   * The pointer is over the row.
   * @selector [data-hovered]
   */
  isHovered: boolean
  /**
   * The row itself has focus (not one of its cells).
   * @selector [data-focused]
   */
  isFocused: boolean
  /**
   * The row itself has keyboard focus: show a focus ring.
   * @selector [data-focus-visible]
   */
  isFocusVisible: boolean
}

export interface TokenListRowProps extends Omit<RenderProps<TokenListRowRenderProps>, 'render'>, SlotProps, Omit<PartDOMProps, 'id'> {
  apiKey: PersonalApiKey
  /** The instant "expires soon" and relative times are measured from. Default: now. */
  now?: number
  ref?: Ref<HTMLTableRowElement>
}

/** Props an app gives every row (its className, style, cells…); `TokenListTable` renders the rows. */
export const TokenListRowContext = createContext<ContextValue<Partial<TokenListRowProps>, HTMLTableRowElement>>(null)

function rowValues(apiKey: PersonalApiKey, now: number) {
  const expiresIn = apiKey.expiresAt ? new Date(apiKey.expiresAt).getTime() - now : null
  return {
    status: apiKey.status,
    isExpiringSoon: apiKey.status === 'active' && expiresIn !== null && expiresIn <= EXPIRING_SOON_MS,
    isReplaced: apiKey.status === 'active' && Boolean(apiKey.replacedAt),
    isRevoked: apiKey.status === 'revoked',
    neverUsed: apiKey.lastUsedAt === null,
    neverExpires: apiKey.expiresAt === null,
  }
}

/**
 * One key: name, key start, scopes, created, expires, last used, status and its actions button, as a
 * grid row of `TokenListTable` (it renders them; restyle them through `TokenListRowContext`).
 */
export function TokenListRow(props: TokenListRowProps) {
  const [merged, ref] = useContextProps(props, props.ref, TokenListRowContext)
  const support = useContext(RowSupportContext)
  const place = useContext(RowPlaceContext)
  if (!support || !place) throw new Error('patkit: <TokenListRow> must be inside <TokenListTable>')
  const { t, rowHeight, layout } = support
  const formatters = useDateFormatters()
  const { apiKey, now = Date.now() } = merged
  const [interaction, setInteraction] = useState({ isHovered: false, isFocused: false, isFocusVisible: false })
  const base = rowValues(apiKey, now)
  const values: TokenListRowRenderProps = { ...base, ...interaction }
  const hasTabStop = place.activeColumn !== null
  // Cell content made once per key and minute, not on every hover or focus change.
  const cells = useMemo(
    () => <DefaultCells apiKey={apiKey} badge={base.isReplaced ? 'replaced' : base.isExpiringSoon ? 'expiring-soon' : null} now={now} t={t} format={formatters} />,
    [apiKey, base.isReplaced, base.isExpiringSoon, now, t, formatters],
  )
  const renderProps = usePartRenderProps(merged, values, 'TokenListRow', cells)
  const setFocus = (isFocused: boolean, element: Element) =>
    setInteraction((current) => ({ ...current, isFocused, isFocusVisible: isFocused && element.matches(':focus-visible') }))
  // No id: a row's props usually come from TokenListRowContext, shared by every row.
  const { id: _id, ...passed } = domProps(merged)
  return (
    <tr
      role="row"
      {...passed}
      {...renderProps}
      ref={ref}
      data-key={apiKey.id}
      aria-rowindex={place.index + 2}
      tabIndex={hasTabStop && place.activeColumn === -1 ? 0 : -1}
      style={{ ...renderProps.style, ...(layout === 'cards' ? CARD_GRID : ROW_GRID), position: 'absolute', insetInline: 0, top: place.index * rowHeight, height: rowHeight }}
      onPointerEnter={(event) => event.pointerType === 'mouse' && setInteraction((current) => ({ ...current, isHovered: true }))}
      onPointerLeave={() => setInteraction((current) => (current.isHovered ? { ...current, isHovered: false } : current))}
      onFocus={(event) => event.target === event.currentTarget && setFocus(true, event.currentTarget)}
      onBlur={(event) => event.target === event.currentTarget && setFocus(false, event.currentTarget)}
    >
      {renderProps.children}
    </tr>
  )
}

/**
 * The cells of a row: everything the key says, then its actions button (none for a revoked key: no
 * action applies). Each line of text is cut with an ellipsis and readable whole in its `title`.
 */
function DefaultCells(props: { apiKey: PersonalApiKey; badge: 'replaced' | 'expiring-soon' | null; now: number; t: Translate; format: DateFormatters }) {
  const { apiKey, badge, now, t, format } = props
  // Relative to the row's `now`, like its badge, so both agree.
  const instant = (iso: string, text = format.relative(iso, now)) => <time dateTime={iso}>{text}</time>
  const at = apiKey.expiresAt
  const scopes = apiKey.scopes.length > 0 ? apiKey.scopes.join(', ') : t('noScopes')
  return (
    <>
      <Cell column="name" isRowHeader>
        {/* dir="auto": a name reads in its own direction (a Latin name in an Arabic list keeps its punctuation in place). */}
        <Line title={apiKey.name} dir="auto">
          {apiKey.name}
        </Line>
        {apiKey.description && (
          <Line className="patkit-TokenListDescription" title={apiKey.description} dir="auto">
            {apiKey.description}
          </Line>
        )}
      </Cell>
      <Cell column="start">
        <Line title={`${apiKey.start}…`}>
          <code>{apiKey.start}…</code>
        </Line>
      </Cell>
      <Cell column="scopes">
        <Line title={scopes}>{scopes}</Line>
      </Cell>
      <Cell column="createdAt">
        <Line title={[format.dateTime(apiKey.createdAt), createdByText(apiKey, t)].filter(Boolean).join(' ')}>
          {instant(apiKey.createdAt, format.date(apiKey.createdAt))}
          <KeyCreatedBy apiKey={apiKey} t={t} />
        </Line>
      </Cell>
      <Cell column="expiresAt">
        {at === null ? (
          <Line>{t('never')}</Line>
        ) : (
          <>
            <Line title={`${format.relative(at, now)} (${format.dateTime(at)})`}>
              {instant(at)} <span className="patkit-TokenListDate">({format.date(at)})</span>
            </Line>
            {badge === 'replaced' && (
              <Line className="patkit-TokenListBadge patkit-TokenListReplaced" data-badge={badge} title={t('replacedExpires', { when: format.relative(at, now) })}>
                {t('replacedExpires', { when: format.relative(at, now) })}
              </Line>
            )}
            {badge === 'expiring-soon' && (
              <Line className="patkit-TokenListBadge patkit-TokenListExpiresSoon" data-badge={badge} title={t('expiresSoon')}>
                {t('expiresSoon')}
              </Line>
            )}
          </>
        )}
      </Cell>
      <Cell column="lastUsedAt">
        {apiKey.lastUsedAt === null ? <Line>{t('neverUsed')}</Line> : <Line title={format.dateTime(apiKey.lastUsedAt)}>{instant(apiKey.lastUsedAt)}</Line>}
      </Cell>
      <Cell column="status">
        <span className="patkit-TokenListStatus" data-status={apiKey.status}>
          {t.status(apiKey.status)}
        </span>
      </Cell>
      <Cell column="actions" hasControl={apiKey.status !== 'revoked'}>
        {apiKey.status !== 'revoked' && <TokenListActionsButton apiKey={apiKey} />}
      </Cell>
    </>
  )
}

/** One line of a cell: the starter theme cuts it with an ellipsis; `title` shows it whole. */
function Line({ className = 'patkit-TokenListValue', ...props }: { className?: string; title?: string; dir?: 'auto'; 'data-badge'?: string; children: ReactNode }) {
  return <span className={className} {...props} />
}

/**
 * A cell; it holds the tab stop when the keyboard moved there (a cell with a control, the actions
 * button, hands it to the control). In the card layout it is placed by its column id and shows the
 * column's name before its value (hidden from assistive technology, which has the column header).
 */
function Cell({ column, isRowHeader = false, hasControl = false, children }: { column: ColumnId; isRowHeader?: boolean; hasControl?: boolean; children: ReactNode }) {
  const place = useContext(RowPlaceContext)
  const support = useContext(RowSupportContext)
  const hasStop = place?.activeColumn === COLUMNS.indexOf(column) && !hasControl
  const cards = support?.layout === 'cards'
  const Element = isRowHeader ? 'th' : 'td'
  return (
    <Element
      role={isRowHeader ? 'rowheader' : 'gridcell'}
      className="patkit-TokenListCell"
      data-column={column}
      tabIndex={hasControl ? undefined : hasStop ? 0 : -1}
      style={cards ? { gridArea: column } : undefined}
    >
      {cards && LABELLED_IN_CARDS.has(column) && support && (
        <span className="patkit-TokenListCellLabel" aria-hidden="true">
          {support.t(COLUMN_LABELS[COLUMNS.indexOf(column)]!)}
        </span>
      )}
      {children}
    </Element>
  )
}

/**
 * The row's actions button. A tab stop while its row holds the grid's tab stop (so Tab from a row
 * reaches it in one step); it opens the menu on press, Shift+F10 or the context-menu key on the row,
 * shows pending while the menu's code loads on a cold cache, and starts loading it on hover.
 */
function TokenListActionsButton({ apiKey }: { apiKey: PersonalApiKey }) {
  const support = useContext(RowSupportContext)!
  const place = useContext(RowPlaceContext)!
  const id = useId()
  const isPending = place.menu === 'loading'
  // Only a button that went pending has an announcement to take along: rows unmount on every scroll step.
  const [hasAnnounced, setHasAnnounced] = useState(false)
  if (isPending && !hasAnnounced) setHasAnnounced(true)
  return (
    <Button
      id={id}
      className="patkit-TokenListActionsButton"
      aria-label={support.t('rowActions', { name: apiKey.name })}
      aria-haspopup="menu"
      aria-expanded={place.menu === 'open'}
      isPending={isPending}
      excludeFromTabOrder={place.activeColumn === null}
      onHoverStart={() => void preloadOverlays().catch(() => undefined)}
      onPress={(event) => support.openMenu(apiKey, event.target as HTMLElement, 'first')}
    >
      <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="currentColor">
        <circle cx="3" cy="8" r="1.5" />
        <circle cx="8" cy="8" r="1.5" />
        <circle cx="13" cy="8" r="1.5" />
      </svg>
      {/* Its pending announcement (a cold menu load) must not outlive it when the row re-windows or the list goes. */}
      {hasAnnounced && <AnnouncementsLeaveWithMe />}
    </Button>
  )
}
