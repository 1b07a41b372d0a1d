import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'
import { playwright } from '@vitest/browser-playwright'
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin'
import { prebundledDependencies } from './config/peer-imports.ts'
import { betterAuthDevServer } from './test/better-auth/vite-plugin.ts'

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** A fresh provider object per project: sharing one makes vitest report both under one name. */
function chromiumProvider() {
  return playwright({
    launchOptions: {
      executablePath: chromium,
      args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    // The reveal's copy button is tested against the real Clipboard API.
    contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] },
  })
}

export default defineConfig({
  plugins: [react()],
  optimizeDeps: { include: prebundledDependencies() },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/client/**/*.test.ts', 'test/server/**/*.test.ts', 'test/next/**/*.test.ts', 'test/testing/**/*.test.ts', 'test/better-auth/**/*.test.ts'],
          exclude: ['**/*.browser.test.ts'],
          // Source errors are npm run typecheck's job; here only the type tests count.
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json', ignoreSourceErrors: true },
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['test/react/**/*.test.tsx'],
          setupFiles: ['test/setup-dom.ts'],
        },
      },
      {
        extends: true,
        // A running Better Auth on the test page's origin, started by the first request to it.
        plugins: [betterAuthDevServer()],
        optimizeDeps: { include: ['better-auth/client', '@better-auth/api-key/client'] },
        test: {
          name: 'browser',
          include: ['test/components/**/*.test.tsx', 'test/better-auth/**/*.browser.test.{ts,tsx}'],
          setupFiles: ['test/setup-browser.ts'],
          browser: { enabled: true, headless: true, provider: chromiumProvider(), instances: [{ browser: 'chromium' }] },
        },
      },
      {
        extends: true,
        plugins: [storybookTest({ configDir: '.storybook' })],
        test: {
          name: 'storybook',
          // The Better Auth example's first story starts Better Auth on PGlite (migrations included), then signs up
          // and seeds: 5 s alone, up to a minute on two cores shared by several runs.
          testTimeout: 120_000,
          browser: { enabled: true, headless: true, provider: chromiumProvider(), instances: [{ browser: 'chromium' }] },
        },
      },
      {
        extends: true,
        test: {
          name: 'size',
          environment: 'node',
          include: ['test/size/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'consumer',
          environment: 'node',
          include: ['test/consumer/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          // Each file starts the demo server (Vite + a database) and Chromium; one file at a time keeps
          // their shared Vite dependency cache consistent.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 90_000,
        },
      },
      {
        test: {
          name: 'next',
          environment: 'node',
          include: ['test/examples/**/*.test.ts'],
          // Two `next build`s keep both cores busy: after every other project, not beside them.
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'storybook-static',
          environment: 'node',
          include: ['test/storybook-static/**/*.test.ts'],
          // Builds Storybook (unless storybook-static/ is fresh) and visits every story in Chromium.
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
