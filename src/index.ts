'use client'
/** `patkit`: the React layer (provider, hooks, query options) and the components. */
export * from './react/index.ts'
