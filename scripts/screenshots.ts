/**
 * Renders the README's screenshots from the static Storybook in Chromium: `npm run screenshots`
 * writes docs/screenshots/*.png (1200 px wide, and a phone's 390 px for the card layout). Reuses
 * storybook-static/ when it is fresh, else builds. Each picture waits for conditions (the story's
 * render and play function settled, its content on screen), never for time.
 */
import { mkdir, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import { chromiumPath, serveStatic, storybookBuild } from '../test/storybook-static/support.ts'

interface Shot {
  file: string
  story: string
  globals: string
  /** What must be on screen before the picture is taken (the story's play function may still be running). */
  ready: string | (() => boolean)
  /** Crop to this element (with a margin) instead of the whole page. */
  crop?: string
  /** The window's width in CSS px; default 1200. */
  width?: number
}

/** Where a story's render (loaders, render, play) ended, as Storybook's preview reports it. */
const SETTLED = ['completed', 'finished']

interface Preview {
  __STORYBOOK_PREVIEW__?: { currentRender?: { id: string; phase?: string } }
}

const settingsLoaded = '.settings-page [role=row][data-status]:nth-of-type(1)'
const SHOTS: Shot[] = [
  { file: 'settings-light.png', story: 'examples-settings-page--default', globals: 'theme:light;locale:en-US', ready: settingsLoaded },
  { file: 'settings-dark.png', story: 'examples-settings-page--default', globals: 'theme:dark;locale:en-US', ready: settingsLoaded },
  { file: 'settings-tailwind.png', story: 'examples-settings-page--default', globals: 'theme:tailwind;locale:en-US', ready: settingsLoaded },
  { file: 'settings-rtl-arabic.png', story: 'examples-settings-page--default', globals: 'theme:light;locale:ar-EG', ready: settingsLoaded },
  { file: 'reveal.png', story: 'examples-settings-page--reveal', globals: 'theme:light;locale:en-US', ready: () => [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')].some((field) => field.value.startsWith('pat_')), crop: '.patkit-CreatePersonalApiKey' },
  { file: 'list-wide.png', story: 'components-tokenlist--descriptions-and-badges', globals: 'theme:light;locale:en-US', ready: '[role=grid][data-layout=table] .patkit-TokenListReplaced', crop: '.patkit-TokenList' },
  { file: 'list-narrow.png', story: 'components-tokenlist--narrow', globals: 'theme:light;locale:en-US', ready: '[role=grid][data-layout=cards] .patkit-TokenListReplaced', crop: '.patkit-TokenList', width: 390 },
]

const out = resolve(import.meta.dirname, '../docs/screenshots')

async function main() {
  const { dir, built } = await storybookBuild()
  console.log(built ? `built Storybook into ${dir}` : `reusing ${dir}`)
  const server = await serveStatic(dir)
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true })
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 700 }, deviceScaleFactor: 1, reducedMotion: 'reduce' })
    await mkdir(out, { recursive: true })
    for (const shot of SHOTS) {
      await page.setViewportSize({ width: shot.width ?? 1200, height: 700 })
      await page.goto(`${server.url}/iframe.html?id=${shot.story}&viewMode=story&globals=${shot.globals}`)
      // The play function's last step done (menus closed, focus where it ends), then what the picture shows.
      await page.waitForFunction(
        ({ storyId, settled }) => {
          const render = (window as Preview).__STORYBOOK_PREVIEW__?.currentRender
          return render?.id === storyId && settled.includes(render.phase ?? '')
        },
        { storyId: shot.story, settled: SETTLED },
        { timeout: 30_000, polling: 50 },
      )
      if (typeof shot.ready === 'string') await page.waitForSelector(shot.ready, { timeout: 20_000 })
      else await page.waitForFunction(shot.ready, undefined, { timeout: 20_000 })
      // Fonts loaded and no menu or popover still on its way out.
      await page.waitForFunction(() => document.fonts.status === 'loaded' && !document.querySelector('[data-exiting]'), undefined, { timeout: 10_000 })
      const box = shot.crop ? await page.locator(shot.crop).boundingBox() : null
      const margin = 24
      const clip = box ? { x: Math.max(0, box.x - margin), y: Math.max(0, box.y - margin), width: box.width + 2 * margin, height: box.height + 2 * margin } : undefined
      await page.screenshot({ path: join(out, shot.file), fullPage: !clip, clip })
      console.log(`docs/screenshots/${shot.file}`)
    }
  } finally {
    await browser.close()
    await server.close()
    if (built) await rm(dir, { recursive: true, force: true })
  }
}

await main()
