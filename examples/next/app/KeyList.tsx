'use client'
/**
 * Render-prop functions are functions, so they live in a client component. `defaultClassName` keeps
 * `patkit-TokenList` (and the starter theme's styles) next to the app's own classes.
 */
import { TokenList } from 'patkit'

export function KeyList() {
  return (
    <TokenList
      className={({ isLoading, defaultClassName }) => [defaultClassName, 'keys', isLoading && 'keys--loading'].filter(Boolean).join(' ')}
    />
  )
}
