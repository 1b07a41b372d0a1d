import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DataFolderInUseError, LOCK_FILE_NAME, lockDataFolder } from '../../demo/data-folder-lock.ts'

const folders: string[] = []
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true })
})

async function folder() {
  const path = await mkdtemp(join(tmpdir(), 'patkit-lock-'))
  folders.push(path)
  return path
}

/** A process that is alive until killed, and one that has already exited. */
function liveProcess() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
  return child
}

describe('the demo’s data folder lock', () => {
  it('refuses a folder whose lock names a live process, naming the folder and the pid', async () => {
    const dir = await folder()
    const owner = liveProcess()
    try {
      await writeFile(join(dir, LOCK_FILE_NAME), `${owner.pid}\n`)
      const refused = await lockDataFolder(dir).catch((error: unknown) => error)
      expect(refused).toBeInstanceOf(DataFolderInUseError)
      expect((refused as Error).message).toContain(`${dir} is in use by another process (pid ${owner.pid})`)
    } finally {
      owner.kill('SIGKILL')
    }
  })

  it('takes over a lock left by a process that is gone, and releases only its own', async () => {
    const dir = await folder()
    const gone = liveProcess()
    gone.kill('SIGKILL')
    await new Promise((resolve) => gone.once('exit', resolve))
    await writeFile(join(dir, LOCK_FILE_NAME), `${gone.pid}\n`)
    const release = await lockDataFolder(dir)
    expect((await readFile(join(dir, LOCK_FILE_NAME), 'utf8')).trim()).toBe(String(process.pid))
    await release()
    await expect(readFile(join(dir, LOCK_FILE_NAME))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('lets exactly one of two processes starting at once have the folder', async () => {
    const dir = await folder()
    const module = new URL('../../demo/data-folder-lock.ts', import.meta.url).href
    // Each takes the lock, says how it went, and holds on until its stdin closes.
    const script = `const { lockDataFolder } = await import(${JSON.stringify(module)})
      const said = await lockDataFolder(${JSON.stringify(dir)}).then(() => 'took', (error) => error.name)
      console.log(said)
      process.stdin.resume()
      process.stdin.on('end', () => process.exit(0))`
    const children = [1, 2].map(() => spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] }))
    try {
      const said = await Promise.all(
        children.map(
          (child) =>
            new Promise<string>((resolve) => {
              let out = ''
              child.stdout!.on('data', (chunk: Buffer) => {
                out += chunk.toString()
                if (out.includes('\n')) resolve(out.trim())
              })
            }),
        ),
      )
      expect(said.sort()).toEqual(['DataFolderInUseError', 'took'])
    } finally {
      for (const child of children) child.kill('SIGKILL')
    }
  })
})
