/**
 * `prestart` and `pretest`: the Quick start's two commands work on a fresh clone as written. When
 * node_modules is missing, or package-lock.json changed since the last install (a pull, a branch
 * switch), this runs `npm ci` first and says so; otherwise it returns at once. With `--browser`
 * (`pretest`) it also stops in the first second, with the command that fixes it, when there is no
 * Chromium for the browser tests. Plain Node, no dependencies: it runs before there are any.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
if (process.argv.includes('--browser') && !existsSync(chromium)) {
  console.error(
    `patkit: the browser tests drive Chromium at ${chromium}, which is not there. On Debian or Ubuntu: ` +
      'sudo apt-get install -y chromium — or point CHROMIUM_PATH at a Chromium or Chrome binary.',
  )
  process.exit(1)
}

// npm writes node_modules/.package-lock.json at the end of every install.
const installed = 'node_modules/.package-lock.json'
const stale = !existsSync(installed) || statSync('package-lock.json').mtimeMs > statSync(installed).mtimeMs

if (stale) {
  console.log(
    existsSync('node_modules')
      ? 'patkit: package-lock.json changed since the last install; running npm ci first…'
      : 'patkit: first run on this clone; installing dependencies with npm ci first (about a minute)…',
  )
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' })
  if (result.status !== 0) {
    console.error('patkit: npm ci failed (see above). Fix that, then run the command again.')
    process.exit(result.status ?? 1)
  }
}
