/**
 * Renders the README's screenshots from the static Storybook in Chromium: `npm run screenshots`
 * writes docs/screenshots/*.png (1200 px wide: the key table needs it). Reuses storybook-static/ when it is fresh, else builds.
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
}

const settingsLoaded = '.settings-page [role=row][data-status]:nth-of-type(1)'
const SHOTS: Shot[] = [
  { file: 'settings-light.png', story: 'examples-settings-page--default', globals: 'theme:light;locale:en-US', ready: settingsLoaded },
  { file: 'settings-dark.png', story: 'examples-settings-page--default', globals: 'theme:dark;locale:en-US', ready: settingsLoaded },
  { file: 'settings-tailwind.png', story: 'examples-settings-page--default', globals: 'theme:tailwind;locale:en-US', ready: settingsLoaded },
  { file: 'settings-rtl-arabic.png', story: 'examples-settings-page--default', globals: 'theme:light;locale:ar-EG', ready: settingsLoaded },
  { file: 'reveal.png', story: 'examples-settings-page--reveal', globals: 'theme:light;locale:en-US', ready: () => [...document.querySelectorAll('input')].some((input) => input.value.startsWith('pat_')), crop: '.patkit-CreatePersonalApiKey' },
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
      await page.goto(`${server.url}/iframe.html?id=${shot.story}&viewMode=story&globals=${shot.globals}`)
      if (typeof shot.ready === 'string') await page.waitForSelector(shot.ready, { timeout: 20_000 })
      else await page.waitForFunction(shot.ready, undefined, { timeout: 20_000 })
      // Let relative times, the focus ring and the copy button settle after the play function's last step.
      await page.waitForTimeout(400)
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
