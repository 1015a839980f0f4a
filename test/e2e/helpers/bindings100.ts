/**
 * The bindings of QEMU 10.0's whole schema, as the end-to-end tests see
 * them: generated from the schema (bindings.ts) into test/.out-e2e-100/,
 * whose declarations give the tests their types.
 */
import type * as Generated100 from '../../.out-e2e-100/index.js';
import { schemaOf, useBindings, type BindingsSpec } from './bindings.js';
import type { E2eScope } from './scope.js';

export const SPEC_100: BindingsSpec = { release: '10.0' };
/** The schema they come from, within ../shared (for requireShared). */
export const SCHEMA_100 = schemaOf(SPEC_100);

/** The generated module. */
export type Bindings100 = typeof Generated100;

/** The events, as 10.0's bindings type them. */
export type Events100 = Generated100.Events;

/** 10.0's error classes: what its error replies carry. */
export type WireErrorClass100 = Generated100.QapiErrorClass;

/**
 * For a describe block: the 10.0 bindings, loaded once, and a fresh
 * E2eScope per test, disposed after it (read both inside the tests).
 */
export function useBindings100(): { readonly bindings: Bindings100; readonly scope: E2eScope } {
  return useBindings<Bindings100>(SPEC_100);
}
