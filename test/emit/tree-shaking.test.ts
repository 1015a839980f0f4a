/**
 * A bundler that sees one command used drops the rest.  QEMU 7.2's
 * bindings (the default target) bundled with esbuild, minified, beside the
 * QMP client (bench/bundles.mjs): a program calling only `block-commit`
 * against one calling every command's function, one using the command
 * class, and one using the client alone.  The one-command bundle holds that
 * command, the types its arguments reach and the validator, and nothing
 * else of the schema.  (`npm run bench` prints the same bytes.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, commandFunctions, CONSUMERS, writeConsumers } from '../../bench/bundles.mjs';
import { writeOutput } from '../../generator/emit/output/write.js';
import { generate } from '../../generator/generate.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';

const Q72 = requireShared('qemu-7.2/qapi/qapi-schema.json', 'tree-shaking of QEMU 7.2 bindings');

// Inside the repository, so that `qapi-ts-runtime` resolves to the workspace package.
const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-shake-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!Q72.available)('bundles of programs using QEMU 7.2 bindings', () => {
  const bundles = new Map<string, { size: number; text: string }>();
  const size = (name: string): number => bundles.get(name)?.size ?? Number.NaN;

  beforeAll(async () => {
    writeOutput(join(work, 'gen'), await generate({ schema: Q72.path, qemuVersion: '7.2' }));
    writeConsumers(work);
    for (const c of CONSUMERS) bundles.set(c, await bundle(join(work, `${c}.js`)));
  }, 120_000);

  it('calls every command in the all-commands program', () => {
    expect(commandFunctions(join(work, 'gen')).length).toBeGreaterThan(200);
  });

  it('one command costs a small part of what every command costs', () => {
    // Measured: client alone 24.6 kB; one command 30.5 kB; every command
    // 121 kB; the class 189 kB (it keeps the registry, every type's
    // descriptor by name).  The client is most of a one-command bundle.
    expect(size('all') / size('one')).toBeGreaterThan(3);
    // What the bindings add to the client alone: one command, a few percent of all.
    expect((size('one') - size('client')) / (size('all') - size('client'))).toBeLessThan(0.1);
    expect(size('class')).toBeGreaterThan(size('all'));
  });

  it('keeps block-commit and what its arguments reach, and drops the rest of the schema', () => {
    // (Booleans, not the bundles themselves, in the messages: they are long.)
    const one = bundles.get('one')?.text ?? '';
    const all = bundles.get('all')?.text ?? '';
    for (const kept of ['"block-commit"', '"on-error"', '"filter-node-name"']) expect(one.includes(kept), kept).toBe(true);
    for (const gone of ['"blockdev-add"', '"query-block-jobs"', '"x-debug-query-block-graph"', '"migrate-set-capabilities"', '"drive-mirror"']) {
      expect(one.includes(gone), gone).toBe(false);
      expect(all.includes(gone), gone).toBe(true);
    }
  });
});
