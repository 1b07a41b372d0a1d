/**
 * patkit/testing: the conformance kit for `AuthFrontendApis` implementations. Needs vitest (an optional
 * peer dependency of patkit, used by this entry only).
 */
export { describeAuthFrontendApisConformance, type ConformanceSetup, type ConformanceSubject } from './conformance.ts'
