/**
 * Every hint is a command line the same verb accepts: when a schema fails
 * in the language asked for and another release's accepts it, the note
 * names the flag as this verb spells it (diff: `--old-qemu-version` or
 * `--new-qemu-version`, for the side at fault), and the verb run again
 * with it reads that schema.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/cli.js';
import { BUILTINS, command, EMPTY } from '../introspect/helpers/capture.js';

const dir = mkdtempSync(join(tmpdir(), 'qapi-ts-hints-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A 'Note:' section: QEMU 9.1 and later want a '.. note::' directive, so
// the newest language refuses it and 9.0's accepts it.
const OLD = join(dir, 'old.json');
writeFileSync(OLD, "##\n# @Colour:\n#\n# @red: warm\n#\n# Note: bright\n##\n{ 'enum': 'Colour', 'data': [ 'red' ] }\n{ 'command': 'ping' }\n");
const NEW = join(dir, 'new.json');
writeFileSync(NEW, "##\n# @Colour:\n#\n# @red: warm\n##\n{ 'enum': 'Colour', 'data': [ 'red' ] }\n{ 'command': 'ping' }\n");
const CAPTURE = join(dir, 'reply.json');
writeFileSync(CAPTURE, JSON.stringify([command('ping'), EMPTY, ...BUILTINS]));

/** The flags the last note tells to pass. */
function hint(stderr: string): string[] {
  const m = /: pass (.+)$/m.exec(stderr.trim().split('\n').at(-1) ?? '');
  expect(m, stderr).not.toBeNull();
  return m![1]!.split(' ');
}

describe.each([
  { verb: 'check', args: ['check', OLD], want: ['--qemu-version', '9.0'], then: [0] },
  { verb: 'dump', args: ['dump', OLD], want: ['--qemu-version', '9.0'], then: [0] },
  { verb: 'generate', args: ['generate', OLD, '-o', join(dir, 'out')], want: ['--qemu-version', '9.0'], then: [0] },
  { verb: 'generate --names-from', args: ['generate', '--introspection', CAPTURE, '--names-from', OLD, '-o', join(dir, 'named')], want: ['--qemu-version', '9.0'], then: [0] },
  { verb: 'jsonschema', args: ['jsonschema', OLD], want: ['--qemu-version', '9.0'], then: [0] },
  { verb: 'drift', args: ['drift', OLD, '--introspection', CAPTURE], want: ['--qemu-version', '9.0'], then: [0, 5] },
  // The connection fails (exit 3) only after the schema was read and the arguments checked.
  { verb: 'qmp', args: ['qmp', '--socket', join(dir, 'none.sock'), '--schema', OLD, 'ping'], want: ['--qemu-version', '9.0'], then: [3] },
  { verb: 'diff (old side)', args: ['diff', OLD, NEW], want: ['--old-qemu-version', '9.0'], then: [0, 5] },
  { verb: 'diff (new side)', args: ['diff', NEW, OLD], want: ['--new-qemu-version', '9.0'], then: [0, 5] },
])('$verb, given a schema only an older release accepts', ({ args, want, then }) => {
  it('hints at flags it takes, and accepts them', async () => {
    const failed = await runInProcess(args);
    expect(failed.code, failed.stderr).toBe(1);
    expect(hint(failed.stderr)).toEqual(want);
    const again = await runInProcess([...args, ...want]);
    expect(again.stderr).not.toMatch(/unknown option|error:/);
    expect(then, again.stderr).toContain(again.code);
  });
});
