'use client'
/** `patkit`: the components, and the React layer under them (provider, hooks, query options). */
export * from './components/index.ts'
export * from './react/index.ts'
