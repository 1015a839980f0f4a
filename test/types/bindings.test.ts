/**
 * Type-level behaviour of the bindings: test/fixtures/types/usage.ts holds
 * expectTypeOf assertions and @ts-expect-error lines (calls that must not
 * compile, e.g. blockCommit without device or with speed: 'fast'); it
 * passes only if tsc --strict accepts the file, unused expectations
 * included.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { typecheck } from '../helpers/tsc.js';

describe('bindings at the type level', () => {
  it('compile exactly where they should (tsc --strict over the usage fixture)', async () => {
    const r = await typecheck([join(PROJECT_ROOT, 'test', 'fixtures', 'types', 'usage.ts')]);
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);
});
