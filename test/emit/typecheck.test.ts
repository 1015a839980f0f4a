/**
 * The bindings compile under strict settings (plus the stricter options
 * many projects add) with TypeScript 5 and TypeScript 7, in both targets:
 * TypeScript, and the declarations of the JavaScript target (checked as
 * such, skipLibCheck off, with the runtime's declarations they import).
 * Schemas: the embedded default, QEMU 7.2's and 10.2's whole schemas,
 * QEMU 1.3's (legacy), QEMU's own qapi-schema-test.json, and a subset of
 * 7.2 (--only).  Each compiler checks each target once, every set of
 * bindings in one project.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOutput } from '../../generator/emit/output/write.js';
import { generate, type GenerateOptions } from '../../generator/generate.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';
import { COMPILERS, typecheckProject } from '../helpers/tsc.js';

const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-tsc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Case {
  readonly name: string;
  readonly options: Omit<GenerateOptions, 'target'>;
  readonly available: boolean;
}

const shared = (name: string, relative: string, options: Omit<GenerateOptions, 'target' | 'schema'>): Case => {
  const check = requireShared(relative, `type-checking ${name} bindings`);
  return { name, options: { schema: check.path, ...options }, available: check.available };
};

const cases: Case[] = [
  { name: 'default', options: { schema: join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json'), legacy: true }, available: true },
  shared('qemu-7.2', 'qemu-7.2/qapi/qapi-schema.json', { qemuVersion: '7.2' }),
  shared('qemu-10.2', 'qemu-10.2/qapi/qapi-schema.json', { qemuVersion: '10.2' }),
  shared('qemu-1.3', 'qemu-1.3/qapi-schema.json', { legacy: true }),
  shared('qapi-schema-test', 'qemu-7.2/tests/qapi-schema/qapi-schema-test.json', { qemuVersion: '7.2' }),
  shared('qemu-7.2-only', 'qemu-7.2/qapi/qapi-schema.json', { qemuVersion: '7.2', only: ['block-commit', 'query-block-jobs', 'BLOCK_JOB_COMPLETED'] }),
].filter((c) => c.available);

const TARGETS = [
  { target: 'ts', index: 'index.ts', skipLibCheck: true },
  { target: 'js+dts', index: 'index.d.ts', skipLibCheck: false },
] as const;

beforeAll(async () => {
  for (const c of cases) {
    for (const { target } of TARGETS) writeOutput(join(work, target, c.name), await generate({ ...c.options, target }));
  }
}, 300_000);

describe.concurrent.each(COMPILERS)('$name, strict', ({ tsc }) => {
  it.each(TARGETS)('compiles every set of bindings, $target', async ({ target, index, skipLibCheck }) => {
    const files = cases.map((c) => join(work, target, c.name, index));
    const r = await typecheckProject(tsc, work, `${target.replace('+', '-')}-${tsc.includes('typescript7') ? 7 : 5}`, files, skipLibCheck);
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  }, 600_000);
});
