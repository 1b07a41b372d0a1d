/**
 * The comparison row of the list benchmark: TokenListTable as it was before it moved to a native table
 * (react-aria's Table, Row, Cell, Column and a MenuTrigger per row, windowed the same way), fed by the
 * same TokenList root. Kept only to be measured beside the current table in one run; not shipped.
 */
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, type ComponentProps, type ReactNode, type Ref } from 'react'
import { Button } from 'react-aria-components/Button'
import { Collection, type Key } from 'react-aria-components/Collection'
import { Menu, MenuItem, MenuTrigger } from 'react-aria-components/Menu'
import { Popover } from 'react-aria-components/Popover'
import { Cell, Column, Row, Table, TableBody, TableHeader, type SortDescriptor, type TableProps } from 'react-aria-components/Table'
import { VisuallyHidden } from 'react-aria-components/VisuallyHidden'
import { composeRenderProps } from 'react-aria-components/composeRenderProps'
import { useContextProps, type ContextValue, type SlotProps } from 'react-aria-components/slots'
import type { RenderProps } from 'react-aria-components/useRenderProps'
import type { PersonalApiKey, PersonalApiKeyStatus, SortKey } from '../../src/client/types.ts'
import { useDateFormatters, type DateFormatters } from '../../src/components/format.ts'
import type { Translate } from '../../src/components/messages.tsx'
import { domProps, usePartRenderProps, type PartDOMProps } from '../../src/components/shared.tsx'
import { useTokenListState, type TokenListAction, type TokenListStatusFilter } from '../../src/components/TokenListState.ts'

const EXPIRING_SOON_MS = 7 * 86_400_000

/** What the rows need of the list, as one value while the list re-renders (the former root provided it). */
const RowSupportContext = createContext<{ t: Translate; runAction: (action: TokenListAction, apiKey: PersonalApiKey) => void } | null>(null)

function toSortDescriptor(sort: SortKey): SortDescriptor {
  const descending = sort.startsWith('-')
  return { column: descending ? sort.slice(1) : sort, direction: descending ? 'descending' : 'ascending' }
}

function toSortKey(descriptor: SortDescriptor): SortKey {
  const column = String(descriptor.column)
  return (descriptor.direction === 'descending' ? `-${column}` : column) as SortKey
}

// TokenListTable

interface TokenListTableProps extends Omit<TableProps, 'children' | 'sortDescriptor' | 'onSortChange' | 'selectionMode' | 'render'> {
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

const TokenListTableContext = createContext<ContextValue<TokenListTableProps, HTMLTableElement>>(null)

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
export function RacTokenListTable(props: TokenListTableProps) {
  const [merged, ref] = useContextProps(props, props.ref, TokenListTableContext)
  const state = useTokenListState('TokenListTable')
  const { rowHeight = 48, headingHeight = 40, renderLoading, renderNoResults, renderLoadingMore, ...tableProps } = merged
  const { t, items, sort, setSort, isLoading, isLoadingMore, hasMore, loadMore, searchedQuery, status, totalCount, runAction } = state
  const rowSupport = useMemo(() => ({ t, runAction }), [t, runAction])
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
    <RowSupportContext.Provider value={rowSupport}>
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
    </RowSupportContext.Provider>
  )
}

// ---------------------------------------------------------------------------------------------
// TokenListRow

interface TokenListRowRenderProps {
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

interface TokenListRowProps extends Omit<RenderProps<TokenListRowRenderProps>, 'render'>, SlotProps, PartDOMProps {
  apiKey: PersonalApiKey
  /** The instant "expires soon" and relative times are measured from. Default: now. */
  now?: number
  ref?: Ref<HTMLTableRowElement>
}

const TokenListRowContext = createContext<ContextValue<Partial<TokenListRowProps>, HTMLTableRowElement>>(null)

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
function TokenListRow(props: TokenListRowProps) {
  const [merged, ref] = useContextProps(props, props.ref, TokenListRowContext)
  const { t, runAction } = useContext(RowSupportContext)!
  const formatters = useDateFormatters()
  const { apiKey, now = Date.now() } = merged
  const values = rowRenderProps(apiKey, now)
  const rowProps = usePartRenderProps(merged, values, 'TokenListRow', defaultCells(apiKey, values, now, t, formatters, runAction))
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
  runAction: (action: TokenListAction, apiKey: PersonalApiKey) => void,
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

function TokenListRowActions({ apiKey, t, onAction }: { apiKey: PersonalApiKey; t: Translate; onAction: (action: TokenListAction, apiKey: PersonalApiKey) => void }) {
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

