/**
 * The bindings compile under `tsc --strict` (plus the stricter options many
 * projects add) for the embedded default schema, the whole QEMU 7.2 schema,
 * QEMU 1.3's (legacy) and QEMU's own qapi-schema-test.json.  Generation runs
 * the built CLI, as a user would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY } from '../helpers/cli.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';
import { runNode, typecheck } from '../helpers/tsc.js';

const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-tsc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Case {
  readonly name: string;
  readonly schema: string;
  readonly legacy: boolean;
  readonly available: boolean;
}

const shared = (name: string, relative: string, legacy: boolean): Case => {
  const check = requireShared(relative, `type-checking ${name} bindings`);
  return { name, schema: check.path, legacy, available: check.available };
};

const cases: Case[] = [
  { name: 'default', schema: join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json'), legacy: true, available: true },
  shared('qemu-7.2', 'qemu-7.2/qapi/qapi-schema.json', false),
  shared('qemu-1.3', 'qemu-1.3/qapi-schema.json', true),
  shared('qapi-schema-test', 'qemu-7.2/tests/qapi-schema/qapi-schema-test.json', false),
];

describe.concurrent('tsc --strict --noEmit over generated bindings', () => {
  for (const c of cases) {
    it.skipIf(!c.available)(c.name, async () => {
      const out = join(work, c.name);
      // The non-legacy schemas here are QEMU 7.2's.
      const gen = await runNode([CLI_ENTRY, 'generate', c.schema, ...(c.legacy ? ['--legacy'] : ['--qemu-version', '7.2']), '-o', out]);
      expect(gen.code, gen.output).toBe(0);
      const tsc = await typecheck([join(out, 'index.ts')]);
      expect(tsc.output).toBe('');
      expect(tsc.code).toBe(0);
    }, 300_000);
  }
});
