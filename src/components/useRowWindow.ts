/**
 * Windowing for TokenListTable: which of the list's rows to render, so 100,000 keys cost what 40 do.
 * Rows have a fixed height and are placed by index; the table's scroll position says which are in view.
 */
import { useCallback, useEffect, useLayoutEffect, useState } from 'react'

/** Rows are rendered in steps of this many, so scrolling re-renders the table once per step, not per pixel. */
export const WINDOW_STEP = 10

/** How long scrolling must pause before the rows around the viewport are added. */
const WIDEN_AFTER_MS = 100

export interface RowWindow {
  /** First rendered index. */
  first: number
  /** One past the last rendered index (may exceed the number of rows; clamp before use). */
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

/**
 * Which rows to render in the scroll container `el` (`count` rows of `rowHeight` px below a header of
 * `headingHeight` px; its height, or the CSS `max-height` it may grow to). While the user scrolls, only the rows in the viewport are added (fewer new rows
 * make cheaper frames); once scrolling pauses, or `widen()` is called (a row took focus), a page above
 * and below join them, so PageUp/PageDown and the arrow keys find their row already rendered.
 */
export function useRowWindow(
  el: HTMLElement | null,
  count: number,
  rowHeight: number,
  headingHeight: number,
  /** A new value (another order or filter) replaces every row: back to exactly the rows in view. */
  order: string,
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
    // A list as tall as its rows (up to a maximum) is short while it has none: size the window by the
    // height it may grow to, so the rows that arrive are all rendered at once.
    let viewport = 0
    const measure = () => {
      const limit = parseFloat(getComputedStyle(el).maxHeight)
      viewport = Math.max(el.clientHeight, Number.isFinite(limit) ? limit : 0)
    }
    const update = () => {
      const page = Math.max(1, Math.ceil(viewport / rowHeight))
      const top = Math.floor(Math.max(0, el.scrollTop - headingHeight) / rowHeight)
      const visible = { first: top, end: top + page }
      const tight = span(top, page, 0)
      const full = span(top, page, Math.max(WINDOW_STEP, page))
      setWindows((current) => {
        if (sameWindow(current.tight, tight) && sameWindow(current.full, full)) return current
        return { visible, tight, full, rendered: covers(current.rendered, visible) ? current.rendered : tight }
      })
    }
    measure()
    update()
    el.addEventListener('scroll', update, { passive: true })
    const resize = new ResizeObserver(() => {
      measure()
      update()
    })
    resize.observe(el)
    return () => {
      el.removeEventListener('scroll', update)
      resize.disconnect()
    }
  }, [el, rowHeight, headingHeight])

  const widen = useCallback(() => setWindows((current) => (sameWindow(current.rendered, current.full) ? current : { ...current, rendered: current.full })), [])
  // With no rows (loading, no results), or rows about to be replaced by another order, back to exactly
  // the viewport's rows: the fewer rows, the sooner the next ones paint.
  const hasRows = count > 0
  const [renderedOrder, setRenderedOrder] = useState(order)
  if (order !== renderedOrder) setRenderedOrder(order)
  if ((!hasRows || order !== renderedOrder) && !sameWindow(windows.rendered, windows.visible)) setWindows({ ...windows, rendered: windows.visible })
  const isWide = sameWindow(windows.rendered, windows.full)
  useEffect(() => {
    if (!hasRows || isWide) return
    const timer = setTimeout(widen, WIDEN_AFTER_MS)
    return () => clearTimeout(timer)
  }, [hasRows, isWide, windows, widen])
  return [windows.rendered, widen]
}

/**
 * The indices to render: the window, and the focused row with its neighbours wherever it is, so focus
 * never lands on a row that is gone and the arrow keys always find the next one.
 */
export function renderedIndices({ first, end }: RowWindow, count: number, focused: number): number[] {
  const indices = new Set<number>()
  for (let index = first; index < Math.min(end, count); index++) indices.add(index)
  if (focused >= 0) for (const index of [focused - 1, focused, focused + 1]) if (index >= 0 && index < count) indices.add(index)
  return [...indices].sort((a, b) => a - b)
}
