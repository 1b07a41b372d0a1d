import type { Preview } from '@storybook/react-vite'

const preview: Preview = {
  parameters: {
    // Every story must pass axe in Chromium; a violation fails the story test.
    a11y: { test: 'error' },
    controls: { matchers: { date: /At$/ } },
  },
}
export default preview
