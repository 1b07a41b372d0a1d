/**
 * The key list's layout in a real browser with the starter theme: a table when there is room, a card
 * per key below 50rem of the list's own width, at 320, 768 and 1280 px and at 400 % zoom; never a
 * page that scrolls sideways, never a line cut without an ellipsis and a way to read it whole.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { page, userEvent } from 'vitest/browser'
import { screen, within } from '@testing-library/react'
import starterTheme from '../../src/styles.css?inline'
import { TokenList } from '../../src/components/index.ts'
import { createDemoBackend, seedKeyShowcase, SHOWCASE_DESCRIPTION as DESCRIPTION, SHOWCASE_LONG_NAME as LONG_NAME, type DemoBackend } from '../../stories/support/backend.ts'
import { renderWithBackend } from './support.tsx'

beforeAll(() => {
  const style = document.createElement('style')
  style.textContent = starterTheme
  document.head.append(style)
  return () => style.remove()
})

afterEach(async () => {
  document.documentElement.style.zoom = ''
  await page.viewport(1280, 800)
})

/** The showcase keys: a long name with a description, one expiring in 3 days, one replaced with a grace period, a revoked one. */
async function variedBackend(): Promise<DemoBackend> {
  const backend = createDemoBackend()
  await seedKeyShowcase(backend)
  return backend
}

/** Lines of text in the grid that are cut without an ellipsis, or cut with no title to read them whole. */
function clippedText(grid: HTMLElement): string[] {
  const problems: string[] = []
  for (const element of grid.querySelectorAll<HTMLElement>('th, td, th *, td *')) {
    if (element.scrollWidth <= element.clientWidth || !element.textContent?.trim()) continue
    const style = getComputedStyle(element)
    // Visually hidden text (a column header in the card layout) is read whole by screen readers and seen by no one.
    if (style.clipPath === 'inset(50%)' || element.closest<HTMLElement>('[style*="clip-path: inset(50%)"]')) continue
    // A clipped box whose own text is cut: it must say so with an ellipsis and carry the whole text in a title.
    if (style.textOverflow !== 'ellipsis') problems.push(`cut without an ellipsis: ${element.outerHTML.slice(0, 120)}`)
    else if (!element.closest('[title]')?.getAttribute('title')) problems.push(`cut with no title: ${element.outerHTML.slice(0, 120)}`)
  }
  return problems
}

const outside = (inner: DOMRect, outer: DOMRect) =>
  inner.top < outer.top - 0.5 || inner.bottom > outer.bottom + 0.5 || inner.left < outer.left - 0.5 || inner.right > outer.right + 0.5

/** Lines drawn (partly) outside their cell or row, where they are cut off or hidden: a badge or a fact that cannot be seen. */
function linesOutsideTheirCell(grid: HTMLElement): string[] {
  const problems: string[] = []
  for (const row of grid.querySelectorAll<HTMLElement>('tbody tr[data-status]')) {
    const rowBox = row.getBoundingClientRect()
    for (const line of row.querySelectorAll<HTMLElement>('.patkit-TokenListValue, .patkit-TokenListDescription, .patkit-TokenListBadge, .patkit-TokenListStatus, button')) {
      const box = line.getBoundingClientRect()
      if (outside(box, line.closest('td, th')!.getBoundingClientRect()) || outside(box, rowBox)) problems.push(`${line.textContent} outside its cell`)
    }
  }
  return problems
}

const pageOverflow = () => document.documentElement.scrollWidth - document.documentElement.clientWidth

async function renderList() {
  const backend = await variedBackend()
  renderWithBackend(<TokenList defaultSort="name" />, { backend })
  const grid = await screen.findByRole('grid')
  await within(grid).findByRole('row', { name: new RegExp(LONG_NAME) })
  return grid
}

describe('TokenList layout', () => {
  it.each([
    [320, 640, 'cards'],
    [768, 800, 'cards'],
    [1280, 800, 'table'],
  ] as const)('at %i px wide: %s, no sideways page scroll, every cut line has an ellipsis and a title', async (width, height, layout) => {
    await page.viewport(width, height)
    const grid = await renderList()
    await expect.poll(() => grid.getAttribute('data-layout')).toBe(layout)
    expect(pageOverflow()).toBe(0)
    expect(clippedText(grid)).toEqual([])
    expect(linesOutsideTheirCell(grid)).toEqual([])
  })

  it('at 400 % zoom (a 1280 px window at zoom 4) shows cards without sideways scrolling or clipped text', async () => {
    await page.viewport(1280, 720)
    document.documentElement.style.zoom = '4'
    const grid = await renderList()
    await expect.poll(() => grid.getAttribute('data-layout')).toBe('cards')
    expect(pageOverflow()).toBe(0)
    expect(clippedText(grid)).toEqual([])
    expect(linesOutsideTheirCell(grid)).toEqual([])
  })

  it('follows the space the app gives the list, not the window', async () => {
    await page.viewport(1280, 800)
    const backend = await variedBackend()
    renderWithBackend(
      <div style={{ width: 360 }}>
        <TokenList />
      </div>,
      { backend },
    )
    const grid = await screen.findByRole('grid')
    await expect.poll(() => grid.getAttribute('data-layout')).toBe('cards')
    // The cards are laid out for the narrow space: the name of a short key is not cut.
    const [row] = await within(grid).findAllByRole('row', { name: /CI deploy/ })
    const name = row!.querySelector<HTMLElement>('[data-column="name"] .patkit-TokenListValue')!
    expect(name.scrollWidth).toBeLessThanOrEqual(name.clientWidth)
  })

  it('shows the description under the name and the expiry warnings inside their cell, with the relative and the absolute date', async () => {
    await page.viewport(1280, 800)
    const grid = await renderList()
    const long = within(grid).getByRole('row', { name: new RegExp(LONG_NAME) })
    const description = long.querySelector<HTMLElement>('[data-column="name"] .patkit-TokenListDescription')!
    expect(description).toHaveTextContent(DESCRIPTION)
    expect(description).toHaveAttribute('title', DESCRIPTION)
    expect(description).toBeVisible()

    const soon = within(grid).getByRole('row', { name: /Key 2/ })
    const expires = soon.querySelector<HTMLElement>('[data-column="expiresAt"]')!
    expect(expires).toHaveTextContent(/in 3 days \(.*\d{4}\)/)
    const warning = within(expires).getByText('Expires soon')
    expect(warning).toBeVisible()
    const cellBox = expires.getBoundingClientRect()
    const warningBox = warning.getBoundingClientRect()
    expect(warningBox.right).toBeLessThanOrEqual(cellBox.right + 0.5)
    expect(warningBox.bottom).toBeLessThanOrEqual(cellBox.bottom + 0.5)

    const replaced = within(grid).getAllByRole('row', { name: /CI deploy/ }).find((row) => row.hasAttribute('data-replaced'))!
    expect(replaced).toHaveAttribute('data-status', 'active')
    expect(within(replaced).getByText('Replaced — expires in 1 hour')).toBeVisible()
  })

  it('is as tall as its keys, up to the height the app sets in --patkit-token-list-height', async () => {
    await page.viewport(1280, 800)
    const backend = createDemoBackend()
    await backend.seed(3, { status: 'active' })
    const { unmount } = renderWithBackend(<TokenList />, { backend })
    const grid = await screen.findByRole('grid')
    await within(grid).findByRole('row', { name: /Key 3/ })
    const header = grid.querySelector('thead')!.getBoundingClientRect().height
    // Three rows of 48 px under the header and the table's border: no empty space below them.
    expect(grid.getBoundingClientRect().height).toBeLessThanOrEqual(header + 3 * 48 + 2)
    unmount()

    const many = createDemoBackend()
    await many.seed(40, { status: 'active' })
    renderWithBackend(
      <div style={{ ['--patkit-token-list-height' as string]: '300px' }}>
        <TokenList />
      </div>,
      { backend: many },
    )
    const tall = await screen.findByRole('grid')
    await within(tall).findByRole('row', { name: /Key 40/ })
    expect(tall.getBoundingClientRect().height).toBe(300)
  })

  it('keeps the grid’s keyboard navigation, row indices and one-step actions in the card layout', async () => {
    await page.viewport(360, 700)
    const backend = createDemoBackend()
    await backend.seed(30, { status: 'active' })
    renderWithBackend(<TokenList defaultSort="name" />, { backend })
    const grid = await screen.findByRole('grid')
    await within(grid).findByRole('row', { name: /Key 01/ })
    await expect.poll(() => grid.getAttribute('data-layout')).toBe('cards')
    expect(grid).toHaveAttribute('aria-rowcount', '31')
    // Windowed: not all 30 cards are in the DOM.
    expect(grid.querySelectorAll('tbody tr[data-status]').length).toBeLessThan(30)
    await userEvent.click(screen.getByRole('searchbox'))
    await userEvent.tab()
    await userEvent.tab()
    expect(within(grid).getByRole('row', { name: /Key 01/ })).toHaveFocus()
    await userEvent.keyboard('{Control>}{End}{/Control}')
    const last = within(grid).getByRole('row', { name: /Key 30/ })
    expect(last).toHaveFocus()
    expect(last).toHaveAttribute('aria-rowindex', '31')
    await userEvent.tab()
    expect(within(last).getByRole('button', { name: 'Actions for Key 30' })).toHaveFocus()
    // In the header, the arrows go from sort button to sort button, past the headers a card does not show.
    await userEvent.tab({ shift: true })
    await userEvent.keyboard('{Control>}{Home}{/Control}{ArrowUp}')
    expect(within(grid).getByRole('button', { name: 'Name' })).toHaveFocus()
    await userEvent.keyboard('{ArrowRight}')
    expect(within(grid).getByRole('button', { name: 'Created' })).toHaveFocus()
    await userEvent.keyboard('{End}')
    expect(within(grid).getByRole('button', { name: 'Last used' })).toHaveFocus()
    await userEvent.keyboard('{ArrowLeft}{ArrowLeft}{ArrowLeft}')
    expect(within(grid).getByRole('button', { name: 'Name' })).toHaveFocus()
  })
})
