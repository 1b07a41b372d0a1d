/**
 * patkit/testing: the conformance kit for `AuthFrontendApis` implementations. Needs vitest (an optional
 * peer dependency of patkit, used by this entry only).
 */
export { describeAuthFrontendApisConformance, type ConformanceOrganization, type ConformanceSetup, type ConformanceSubject } from './conformance.ts'
