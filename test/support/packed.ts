/**
 * patkit as a user gets it, for the tests that install it into an app of their own (test/consumer,
 * test/examples): build, `npm pack`, and install the tarball into an app folder kept between runs in
 * the OS temp dir, so npm only swaps the patkit tarball after the first run.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ROOT } from '../../bench/common.ts'
import { shellEnvironment } from '../e2e/support.ts'

const exec = promisify(execFile)

/** Runs a command to its end; a failure names the command, the folder and everything it printed. */
export async function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  try {
    const { stdout } = await exec(command, args, { cwd, env: { ...shellEnvironment(), ...env }, maxBuffer: 64 * 1024 * 1024 })
    return stdout
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string }
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`)
  }
}

/** A folder of the OS temp dir for `name`, one per checkout, kept between runs. */
export function workDir(name: string): string {
  const dir = join(tmpdir(), `patkit-${name}-${createHash('sha256').update(ROOT).digest('hex').slice(0, 8)}`)
  mkdirSync(dir, { recursive: true })
  return dir
}

/** Builds patkit and packs it into `dir` (dropping older tarballs there); the tarball's path. */
export async function packPatkit(dir: string): Promise<string> {
  for (const file of readdirSync(dir)) if (file.endsWith('.tgz')) rmSync(join(dir, file))
  await run('npm', ['run', 'build', '--silent'], ROOT)
  const packed = await run('npm', ['pack', '--pack-destination', dir, '--json', '--loglevel=error'], ROOT)
  return join(dir, (JSON.parse(packed) as { filename: string }[])[0]!.filename)
}

/** `npm install` in an app whose package.json names the tarball, taking the new tarball although its version is the same. */
export async function installWithTarball(app: string): Promise<void> {
  rmSync(join(app, 'node_modules/patkit'), { recursive: true, force: true })
  rmSync(join(app, 'package-lock.json'), { force: true })
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app)
}

/** Times named steps of a long test, for the figures it prints at the end. */
export function stepTimer() {
  const timings: Record<string, number> = {}
  async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now()
    try {
      return await work()
    } finally {
      timings[name] = Math.round(performance.now() - started)
    }
  }
  return { timings, step }
}
