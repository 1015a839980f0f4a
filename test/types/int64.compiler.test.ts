/**
 * --int64 at the type level: the default schema's bindings generated in
 * each mode (by the built CLI, as a user runs it) compile exactly where
 * test/fixtures/types/int64-<mode>.ts says, @ts-expect-error lines
 * included; and the flag and config key take only the three modes.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY, hasStackTrace } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { runNode, typecheck } from '../helpers/tsc.js';

const SCHEMA = join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json');
const modes = ['bigint', 'number', 'mixed'] as const;
const outOf = (mode: string): string => join(PROJECT_ROOT, 'test', `.out-int64-${mode}`);
afterAll(() => {
  for (const mode of modes) rmSync(outOf(mode), { recursive: true, force: true });
});

describe('--int64 bigint, number and mixed', () => {
  it('type 64-bit integers as each mode says, and compile under tsc --strict', async () => {
    const generated = await Promise.all(modes.map((mode) => runNode([CLI_ENTRY, 'generate', SCHEMA, '--legacy', '--int64', mode, '-o', outOf(mode)])));
    generated.forEach((gen, i) => expect(gen.code, `--int64 ${modes[i]}: ${gen.output}`).toBe(0));
    // One compiler run for the three (each costs seconds of start-up); a
    // message names the fixture, and so the mode.
    const r = await typecheck(modes.map((mode) => join(PROJECT_ROOT, 'test', 'fixtures', 'types', `int64-${mode}.ts`)));
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  }, 180_000);
});

describe('choosing the mode', () => {
  it('a flag value that is no mode is a usage error naming the modes', async () => {
    const r = await runNode([CLI_ENTRY, 'generate', SCHEMA, '--legacy', '--int64', 'huge', '-o', join(PROJECT_ROOT, 'test', '.out-int64-bad')]);
    expect(r.code).toBe(2);
    expect(r.output.trim()).toBe("qapi-ts: --int64 'huge': give one of mixed, bigint, number");
    expect(hasStackTrace(r.output)).toBe(false);
  });

  it('so is such a value of the config key; a good one is used, and the flag overrides it', async () => {
    const dir = join(PROJECT_ROOT, 'test', '.out-int64-config');
    mkdirSync(dir, { recursive: true });
    try {
      const config = join(dir, 'qapi-ts.config.json');
      writeFileSync(config, JSON.stringify({ output: 'out', int64: 'huge' }));
      const bad = await runNode([CLI_ENTRY, 'generate', '--config', config]);
      expect(bad.code).toBe(2);
      expect(bad.output.trim()).toBe(`qapi-ts: ${config}: 'int64' must be one of "mixed", "bigint", "number", not "huge"`);
      writeFileSync(config, JSON.stringify({ output: 'out', int64: 'number' }));
      expect((await runNode([CLI_ENTRY, 'generate', '--config', config])).code).toBe(0);
      const { readFileSync } = await import('node:fs');
      expect(readFileSync(join(dir, 'out', 'registry.js'), 'utf8')).toContain("{ int64: 'number',");
      expect((await runNode([CLI_ENTRY, 'generate', '--config', config, '--int64', 'mixed'])).code).toBe(0);
      expect(readFileSync(join(dir, 'out', 'registry.js'), 'utf8')).toContain("{ int64: 'mixed',");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
