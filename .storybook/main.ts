import type { StorybookConfig } from '@storybook/react-vite'

const config: StorybookConfig = {
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  framework: { name: '@storybook/react-vite', options: {} },
  // react-docgen needs no TypeScript compiler API (see TOOLCHAIN.md).
  typescript: { reactDocgen: 'react-docgen' },
  core: { disableTelemetry: true },
}
export default config
