import type { StorybookConfig } from '@storybook/react-vite'

const config: StorybookConfig = {
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  framework: { name: '@storybook/react-vite', options: {} },
  // react-docgen needs no TypeScript compiler API (see TOOLCHAIN.md).
  typescript: { reactDocgen: 'react-docgen' },
  core: { disableTelemetry: true },
  // Tailwind compiles the Tailwind example's CSS (stories/examples/tailwind.css); only Storybook uses it.
  async viteFinal(config) {
    const { default: tailwindcss } = await import('@tailwindcss/vite')
    const { prebundledDependencies } = await import('../config/peer-imports.ts')
    config.plugins = [...(config.plugins ?? []), tailwindcss()]
    config.optimizeDeps = { ...config.optimizeDeps, include: [...(config.optimizeDeps?.include ?? []), ...prebundledDependencies()] }
    return config
  },
}
export default config
