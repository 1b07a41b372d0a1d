import type { StorybookConfig } from '@storybook/react-vite'

const config: StorybookConfig = {
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  framework: { name: '@storybook/react-vite', options: {} },
  // react-docgen needs no TypeScript compiler API (see TOOLCHAIN.md).
  typescript: { reactDocgen: 'react-docgen' },
  core: { disableTelemetry: true },
  // Tailwind compiles the Tailwind example's CSS (stories/examples/tailwind.css); only Storybook uses it.
  // A running Better Auth on the dev server's own origin (test/better-auth/vite-plugin.ts) for the
  // Better Auth example; it starts on the first request to it, and a static build has none.
  async viteFinal(config) {
    const { default: tailwindcss } = await import('@tailwindcss/vite')
    const { prebundledDependencies } = await import('../config/peer-imports.ts')
    const { betterAuthDevServer } = await import('../test/better-auth/vite-plugin.ts')
    config.plugins = [...(config.plugins ?? []), tailwindcss(), betterAuthDevServer()]
    const include = [...prebundledDependencies(), 'better-auth/client', '@better-auth/api-key/client']
    config.optimizeDeps = { ...config.optimizeDeps, include: [...(config.optimizeDeps?.include ?? []), ...include] }
    return config
  },
}
export default config
