/**
 * Type-level behaviour of bindings that span releases:
 * test/fixtures/types/span-usage.ts, compiled beside the bindings of a span
 * of test/fixtures/span/ (a small schema as 8.2 and as 10.2 have it), in
 * both targets, under TypeScript 5 and 7: the default view holds for either
 * release, one release's view (at(), isRelease(), a type argument) is
 * exact, and what a view's release lacks does not compile.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate.js';
import { writeOutput } from '../../generator/cli/writer/directory.js';
import { isGeneratedFile } from '../../generator/emit/templates.js';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { COMPILERS, typecheckProject } from '../helpers/tsc.js';

const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-span-types-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const SMALL_SPAN = {
  '8.2': join(PROJECT_ROOT, 'test', 'fixtures', 'span', 'older', 'qapi-schema.json'),
  '10.2': join(PROJECT_ROOT, 'test', 'fixtures', 'span', 'newer', 'qapi-schema.json'),
};

const TARGETS = ['ts', 'js+dts'] as const;

beforeAll(async () => {
  for (const target of TARGETS) {
    const dir = join(work, target.replace('+', '-'));
    writeOutput(join(dir, 'bindings'), await generate({ releases: SMALL_SPAN, target }), { owns: isGeneratedFile });
    copyFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'types', 'span-usage.ts'), join(dir, 'usage.ts'));
  }
}, 120_000);

// Both targets in one program per compiler (each run costs seconds of
// start-up), skipLibCheck off: it applies to declaration files only, so the
// TypeScript target is checked as with it on, and the JavaScript target's
// declarations are checked as such.
describe.concurrent.each(COMPILERS)('span views at the type level, $name', ({ tsc }) => {
  it(`compile exactly where they should, ${TARGETS.join(' and ')}`, async () => {
    const files = TARGETS.map((target) => join(work, target.replace('+', '-'), 'usage.ts'));
    const r = await typecheckProject(tsc, work, tsc.includes('typescript7') ? 'ts7' : 'ts5', files, false);
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);
});
