/**
 * Type-level behaviour of the bindings: test/fixtures/types/usage.ts holds
 * expectTypeOf assertions and @ts-expect-error lines (calls that must not
 * compile, e.g. blockCommit without device or with speed: 'fast'), and
 * standard-schema.ts the same of the Standard Schema validators; it
 * passes only if the compiler accepts the file under strict settings,
 * unused expectations included.  It uses the default bindings
 * (generated/, JavaScript and declarations) and the golden ones, under
 * TypeScript 5 and 7.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { COMPILERS, typecheckProject } from '../helpers/tsc.js';

const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-types-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.concurrent.each(COMPILERS)('bindings at the type level, $name', ({ tsc }) => {
  it('compile exactly where they should (strict, over the usage fixture)', async () => {
    const r = await typecheckProject(tsc, work, tsc.includes('typescript7') ? 'ts7' : 'ts5', ['usage.ts', 'standard-schema.ts'].map((f) => join(PROJECT_ROOT, 'test', 'fixtures', 'types', f)), true);
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);
});
