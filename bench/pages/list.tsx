/**
 * TokenList beside the same TokenList on its former react-aria Table (bench/baseline), a plain (not
 * virtualized) react-aria Table and the same Table inside react-aria's Virtualizer (simplest rows), all
 * fed the same keys. The in-page client answers each list request with
 * all keys in one page when the bench says so ("data ready"), so what is timed is rendering, not the
 * network or paging.
 */
import { createRoot, type Root } from 'react-dom/client'
import { useEffect, useState } from 'react'
import { Cell, Column, Row, Table, TableBody, TableHeader, TableLayout, Virtualizer } from 'react-aria-components'
import { AuthFrontendApisProvider } from '../../src/index.ts'
import { TokenList, TokenListEmptyState, TokenListErrorState, TokenListSearch, TokenListStatusTabs } from '../../src/components/TokenList.tsx'
import { TokenListTable } from '../../src/components/TokenListTable.tsx'
import { RacTokenListTable } from '../baseline/RacTokenListTable.tsx'
import { okResponse } from '../../src/client/response.ts'
import type { AuthFrontendApis, PersonalApiKey, PersonalApiKeyPage } from '../../src/client/types.ts'
import { DEFAULT_POLICY } from '../../src/server/policy.ts'
import { makeKeys, pageOf } from './data.ts'


const unsupported = () => {
  throw new Error('bench client: only list and policy are answered')
}

let root: Root | null = null
let items: PersonalApiKey[] = []
let release: () => Promise<number> = async () => NaN
/** Asks the list for a new order (TokenList: a click on the Name header); the baselines need nothing. */
let resort: () => void = () => {}
/** The key the last row shows once the list is scrolled to its end (the keys are reversed by `showReordered`). */
let lastName = () => items[items.length - 1]!.name

/** Resolves after the next frame has been painted. */
const afterPaint = () => new Promise<number>((resolve) => requestAnimationFrame(() => {
  const channel = new MessageChannel()
  channel.port1.onmessage = () => resolve(performance.now())
  channel.port2.postMessage(null)
}))

function waitForRows(minimum: number): Promise<void> {
  const count = () => document.querySelectorAll('#root [role=row]').length
  if (count() >= minimum) return Promise.resolve()
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (count() >= minimum) {
        observer.disconnect()
        resolve()
      }
    })
    observer.observe(document.getElementById('root')!, { childList: true, subtree: true })
  })
}

function mountTokenList(count: number, table: 'native' | 'rac') {
  items = makeKeys(count)
  // Every list request waits for the bench: the first answers with the keys, a later one (the re-sort)
  // with the keys in reverse, so what is timed is rendering, not the network.
  let answer: ((page: PersonalApiKeyPage) => void) | null = null
  let requested: () => void = () => {}
  let request = new Promise<void>((resolve) => (requested = resolve))
  let answers = 0
  release = async () => {
    await request
    request = new Promise<void>((resolve) => (requested = resolve))
    const t0 = performance.now()
    answer!(pageOf(answers++ === 0 ? items : [...items].reverse()))
    return t0
  }
  const client: AuthFrontendApis = {
    fetchPersonalApiKeys: async () => {
      const data = await new Promise<PersonalApiKeyPage>((resolve) => {
        answer = resolve
        requested()
      })
      return okResponse(data)
    },
    fetchPersonalApiKeyPolicy: async () => okResponse(DEFAULT_POLICY),
    createPersonalApiKey: unsupported,
    revokePersonalApiKey: unsupported,
    rotatePersonalApiKey: unsupported,
    updatePersonalApiKey: unsupported,
  }
  // The Name header: a button inside it (native table), or the header itself (react-aria's Table).
  resort = () => {
    const header = document.querySelector<HTMLElement>('#root [role=columnheader]')!
    ;(header.querySelector<HTMLElement>('button') ?? header).click()
  }
  root = createRoot(document.getElementById('root')!)
  root.render(
    <AuthFrontendApisProvider client={client}>
      <TokenList>
        <TokenListSearch />
        <TokenListStatusTabs />
        <TokenListErrorState />
        <TokenListEmptyState />
        {table === 'native' ? <TokenListTable /> : <RacTokenListTable />}
      </TokenList>
    </AuthFrontendApisProvider>,
  )
}

const dates = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' })
const date = (iso: string | null) => (iso ? dates.format(new Date(iso)) : '—')

function KeysTable({ rows }: { rows: PersonalApiKey[] }) {
  return (
    <Table aria-label="API keys" style={{ height: 600, overflow: 'auto' }}>
      <TableHeader>
        <Column isRowHeader>Name</Column>
        <Column>Key</Column>
        <Column>Scopes</Column>
        <Column>Created</Column>
        <Column>Expires</Column>
        <Column>Last used</Column>
        <Column>Status</Column>
      </TableHeader>
      <TableBody items={rows}>
        {(key) => (
          <Row id={key.id}>
            <Cell>{key.name}</Cell>
            <Cell>{key.start}…</Cell>
            <Cell>{key.scopes.join(', ')}</Cell>
            <Cell>{date(key.createdAt)}</Cell>
            <Cell>{date(key.expiresAt)}</Cell>
            <Cell>{date(key.lastUsedAt)}</Cell>
            <Cell>{key.status}</Cell>
          </Row>
        )}
      </TableBody>
    </Table>
  )
}

/** The same table either plain (every row in the DOM) or inside react-aria's Virtualizer, as TokenList is. */
function BaselineTable({ virtualized, onReady }: { virtualized: boolean; onReady: (set: (items: PersonalApiKey[]) => void) => void }) {
  const [rows, setRows] = useState<PersonalApiKey[]>([])
  useEffect(() => onReady(setRows), [onReady])
  if (!virtualized) return <KeysTable rows={rows} />
  return (
    <Virtualizer layout={TableLayout} layoutOptions={{ rowHeight: 48, headingHeight: 40 }}>
      <KeysTable rows={rows} />
    </Virtualizer>
  )
}

async function mountBaseline(count: number, virtualized: boolean) {
  items = makeKeys(count)
  const ready = new Promise<(items: PersonalApiKey[]) => void>((resolve) => {
    root = createRoot(document.getElementById('root')!)
    root.render(<BaselineTable virtualized={virtualized} onReady={resolve} />)
  })
  const set = await ready
  let answers = 0
  release = async () => {
    const t0 = performance.now()
    set(answers++ === 0 ? items : [...items].reverse())
    return t0
  }
}

function scroller(): HTMLElement {
  const candidates = [...document.querySelectorAll<HTMLElement>('#root *')]
  const found = candidates.find((el) => el.scrollHeight > el.clientHeight + 10 && getComputedStyle(el).overflowY === 'auto')
  if (!found) throw new Error('bench: no scroll container')
  return found
}

const bench = {
  async mount(kind: 'tokenList' | 'racTable' | 'plain' | 'virtualized', count: number) {
    if (kind === 'tokenList' || kind === 'racTable') mountTokenList(count, kind === 'tokenList' ? 'native' : 'rac')
    else await mountBaseline(count, kind === 'virtualized')
    await afterPaint()
    await afterPaint()
  },
  /** Hands the keys over and times until the frame showing them is painted. */
  async showData() {
    const t0 = await release()
    await waitForRows(2)
    const t1 = await afterPaint()
    return { paintMs: t1 - t0, rows: document.querySelectorAll('#root [role=row]').length }
  },
  /**
   * The same keys again in reverse order, into a list that has already painted rows (for TokenList, a
   * re-sort from the Name header): times from the answer to the frame that shows the new first row.
   */
  async showReordered() {
    resort()
    const t0 = await release()
    const expected = items[items.length - 1]!.name
    lastName = () => items[0]!.name
    await new Promise<void>((resolve) => {
      const firstRow = () =>
        document.querySelector('#root [aria-rowindex="2"]') ??
        [...document.querySelectorAll('#root [role=row]')].find((row) => !row.querySelector('[role=columnheader]'))
      const done = () => firstRow()?.textContent?.includes(expected) ?? false
      if (done()) return resolve()
      const observer = new MutationObserver(() => {
        if (!done()) return
        observer.disconnect()
        resolve()
      })
      observer.observe(document.getElementById('root')!, { childList: true, subtree: true, characterData: true })
    })
    const t1 = await afterPaint()
    return { paintMs: t1 - t0 }
  },
  nodes: () => document.getElementsByTagName('*').length,
  /** Scrolls from top to bottom in `steps` jumps, one per frame; frame times from requestAnimationFrame. */
  async scrollToEnd(steps: number) {
    const el = scroller()
    const stamps: number[] = [await afterPaint()]
    for (let i = 1; i <= steps; i++) {
      el.scrollTop = Math.round(((el.scrollHeight - el.clientHeight) * i) / steps)
      stamps.push(await afterPaint())
    }
    await afterPaint()
    const frames = stamps.slice(1).map((t, i) => t - stamps[i]!)
    const last = lastName()
    const reachedEnd = [...document.querySelectorAll('#root [role=row]')].some((row) => row.textContent?.includes(last))
    return { frames, reachedEnd }
  },
}

Object.assign(window, { bench })
