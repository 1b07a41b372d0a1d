/**
 * `npm run storybook [-- storybook dev options]`: Storybook's dev server, where `-p 0` (or `--port 0`)
 * means "any free port", as it does for `npm start` — Storybook itself refuses 0. Without a port it
 * takes 6006 (or asks for another if that one is taken).
 */
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'

const args = process.argv.slice(2)
const at = args.findIndex((arg, i) => (arg === '-p' || arg === '--port') && args[i + 1] === '0')
if (at >= 0) {
  // Ask the OS for a free port, then hand it over (the short gap before Storybook binds it is harmless here).
  const port = await new Promise((resolve, reject) => {
    const server = createServer().once('error', reject)
    server.listen(0, () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
  args[at + 1] = String(port)
}
const child = spawn('storybook', ['dev', ...args], { stdio: 'inherit', shell: process.platform === 'win32' })
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)))
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
