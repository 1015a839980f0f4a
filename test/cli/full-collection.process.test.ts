/**
 * The V8 flags a short run sets at run time (generator/cli/v8-flags.ts)
 * must hold through a full collection.  V8 reads some flags only when it
 * sets up its heap, and one changed later can leave the heap in a state a
 * full collection aborts on: `--single-threaded-gc` did (a check failure in
 * cppgc's concurrent-marking handle), which no run of QEMU's schemas showed,
 * since a check of them never collects the old generation; a larger schema
 * crashed.  Here the old generation is bounded low (16 MB: 12 is too
 * little for Node 24), so that a check and a dump of a generated schema
 * collect it fully (once to four times, by Node release and verb).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../helpers/scratch.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

const MAIN = join(PROJECT_ROOT, 'dist', 'generator', 'cli', 'main.cjs');

/** A valid schema of `count` documented structs (about 160 bytes each). */
function schemaOf(count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) {
    text += `##\n# @Thing${i}:\n#\n# A thing.\n#\n# @name: its name\n#\n# @size: its size\n#\n# Since: 7.2\n##\n`;
    text += `{ 'struct': 'Thing${i}', 'data': { 'name': 'str', '*size': 'int' } }\n\n`;
  }
  return text;
}

let dir: string;
let schema: string;

beforeAll(() => {
  dir = makeTempDir('qapi-ts-full-gc-');
  schema = join(dir, 'schema.json');
  writeFileSync(schema, schemaOf(2000));
});

afterAll(() => removeTempDir(dir));

describe('a short run whose old generation is collected in full', () => {
  it.each([
    ['check', (file: string) => ['check', file, '--qemu-version', '7.2']],
    ['dump', (file: string) => ['dump', file, '--qemu-version', '7.2']],
  ])('%s runs to its end', (_verb, argv) => {
    // --trace-gc prints each collection on stdout, before the run's own output.
    const r = spawnSync(process.execPath, ['--max-old-space-size=16', '--trace-gc', MAIN, ...argv(schema)], {
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // Else the bound no longer forces a full collection: lower it, or grow the schema.
    expect(r.stdout.match(/Mark-Compact/g)?.length ?? 0, 'full collections').toBeGreaterThanOrEqual(1);
  });
});
