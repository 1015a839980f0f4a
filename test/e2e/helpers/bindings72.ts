/**
 * The bindings of QEMU 7.2's whole schema, as the end-to-end tests see
 * them: generated from the schema (bindings.ts) into test/.out-e2e-72/,
 * whose declarations give the tests their types.
 */
import type * as Generated72 from '../../.out-e2e-72/index.js';
import { loadBindings, useBindings, type BindingsSpec } from './bindings.js';
import type { E2eScope } from './scope.js';

export const SPEC_72: BindingsSpec = { release: '7.2' };

/** The generated module. */
export type Bindings72 = typeof Generated72;

/** The events, as 7.2's bindings type them. */
export type Events72 = Generated72.Events;

/** Generates (or confirms up to date) and imports the 7.2 bindings. */
export function loadBindings72(): Promise<Bindings72> {
  return loadBindings<Bindings72>(SPEC_72);
}

/**
 * For a describe block: the 7.2 bindings, loaded once, and a fresh
 * E2eScope per test, disposed after it (read both inside the tests).
 */
export function useBindings72(): { readonly bindings: Bindings72; readonly scope: E2eScope } {
  return useBindings<Bindings72>(SPEC_72);
}
