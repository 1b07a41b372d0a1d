/**
 * Requests the components make, in headless Chromium against the reference server running in the page:
 * a page with CreatePersonalApiKey, TokenList and RevokeDialog should ask for the list once and the policy
 * once; a revoke should show in the list before the server answers; create and rotate should not refetch it.
 */
import { fileURLToPath } from 'node:url'
import { bundlePage, launch, openPage } from './browser.ts'
import { isMain, ms, table } from './common.ts'

interface Counts {
  list: number
  policy: number
  create: number
  revoke: number
  rotate: number
  all: string[]
}

export interface RequestResults {
  afterLoad: Counts
  revoke: { frames: number; shownAfterMs: number; answeredBeforeShown: boolean; shown: boolean; afterRevoke: Counts }
  afterCreate: Counts
  afterRotate: Counts
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function runRequests(): Promise<RequestResults> {
  const script = await bundlePage(fileURLToPath(new URL('./pages/requests.tsx', import.meta.url)))
  const browser = await launch()
  try {
    const { page, close } = await openPage(browser, script)
    try {
      const counts = () => page.evaluate(() => (window as any).bench.counts() as Counts)
      await page.evaluate(() => (window as any).bench.start())
      await page.locator('[role=row][data-status]').first().waitFor({ state: 'attached' })
      await settle(1_000)
      const afterLoad = await counts()

      const target = await page.evaluate(() => (window as any).bench.firstActiveKey(0))
      await page.evaluate((key) => (window as any).bench.openRevoke(key), target)
      await page.getByRole('alertdialog').waitFor()
      const revoke = await page.evaluate((name) => (window as any).bench.revokeOptimistically(name), target.name)
      await page.getByRole('alertdialog').waitFor({ state: 'detached' })
      await settle(500)
      const afterRevoke = await counts()

      await page.locator('.patkit-CreateKeyNameField input').fill(`Bench key ${Date.now()}`)
      await page.getByRole('button', { name: 'Create key' }).click()
      await page.locator('input[readonly]').first().waitFor()
      await settle(1_000)
      const afterCreate = await counts()

      const rotateTarget = await page.evaluate(() => (window as any).bench.firstActiveKey(1))
      await page.evaluate((key) => (window as any).bench.openRotate(key), rotateTarget)
      await page.getByRole('button', { name: 'Rotate key' }).click()
      await page.waitForFunction(() => (window as any).bench.counts().rotate > 0)
      await settle(1_000)
      const afterRotate = await counts()
      return { afterLoad, revoke: { ...revoke, afterRevoke }, afterCreate, afterRotate }
    } finally {
      await close()
    }
  } finally {
    await browser.close()
  }
}

export function formatRequests(r: RequestResults): string {
  const row = (step: string, c: Counts, expectList: number) => [step, c.list, c.policy, c.create, c.revoke, c.rotate, c.list === expectList ? 'yes' : 'NO']
  return [
    table(
      ['after', 'list requests', 'policy requests', 'create', 'revoke', 'rotate', 'as expected'],
      [
        row('page load (CreatePersonalApiKey + TokenList + RevokeDialog)', r.afterLoad, 1),
        row('revoke', r.revoke.afterRevoke, r.afterLoad.list),
        row('create', r.afterCreate, r.revoke.afterRevoke.list),
        row('rotate', r.afterRotate, r.afterCreate.list),
      ],
    ),
    '',
    `Policy requested ${r.afterLoad.policy}× on load (expected 1).`,
    `Revoke: the row showed "revoked" ${r.revoke.shown ? `${r.revoke.frames} frame(s) / ${ms(r.revoke.shownAfterMs)} after the click` : 'NOT within 600 frames'}, ` +
      `${r.revoke.answeredBeforeShown ? 'but only AFTER the server answered' : 'while the server had not answered yet (optimistic)'}.`,
  ].join('\n')
}

if (isMain(import.meta.url)) {
  const results = await runRequests()
  console.log(formatRequests(results))
  console.log(`requests: ${results.afterRotate.all.join(', ')}`)
}
