/**
 * One process per PGlite data folder. PGlite is PostgreSQL in this process's memory, writing its files
 * as it goes: two processes on one folder each believe they own it, and whatever one wrote is lost
 * when the other flushes. PostgreSQL itself guards its folder with `postmaster.pid`; PGlite does not,
 * so the demo does the same: a lock file holding the owner's pid, refused while that process lives,
 * taken over once it is gone (a crash or SIGKILL leaves the file behind).
 */
import { link, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export const LOCK_FILE_NAME = 'patkit.pid'

export class DataFolderInUseError extends Error {
  constructor(
    readonly folder: string,
    readonly pid: number,
  ) {
    super(
      `patkit: the data folder ${folder} is in use by another process (pid ${pid}). ` +
        'Stop that server first, or give this one its own folder with PATKIT_DATA_DIR=… (or DATABASE_URL for a PostgreSQL server several processes can share).',
    )
    this.name = 'DataFolderInUseError'
  }
}

function isAlive(pid: number): boolean {
  try {
    // Signal 0 checks that the process exists without touching it.
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to another user, so it is alive all the same.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Takes the folder for this process, or throws `DataFolderInUseError`. Resolves with the release. */
export async function lockDataFolder(folder: string): Promise<() => Promise<void>> {
  const path = join(folder, LOCK_FILE_NAME)
  // Written in full first, then linked into place: link fails if the lock exists, so of two processes
  // starting at once exactly one gets it, and nobody ever reads a lock file without its pid.
  const draft = `${path}.${process.pid}`
  await writeFile(draft, `${process.pid}\n`)
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await link(draft, path)
      await rm(draft, { force: true })
      return async () => {
        // Only our own lock: a process that took over a stale one must keep it.
        if ((await readFile(path, 'utf8').catch(() => '')).trim() === String(process.pid)) await rm(path, { force: true })
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        await rm(draft, { force: true })
        throw error
      }
    }
    const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim())
    // Our own pid in a lock we did not take is a leftover: in a container every start may get the same pid.
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      await rm(draft, { force: true })
      throw new DataFolderInUseError(folder, owner)
    }
    // Left by a process that is gone: remove it and try again.
    await rm(path, { force: true })
  }
  await rm(draft, { force: true })
  throw new Error(`patkit: could not take the lock ${path}`)
}
