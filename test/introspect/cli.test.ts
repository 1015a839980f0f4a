/**
 * `generate --introspection FILE | --qemu BINARY [--names-from SCHEMA]`:
 * written like bindings from a schema (--check included), and every
 * combination that makes no sense is a one-line usage error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/cli.js';
import { makeTempDir, removeTempDir } from '../helpers/qemu.js';
import { requireShared } from '../helpers/shared.js';

const capture = requireShared('qemu-7.2/introspection/qemu-storage-daemon.json', 'generate --introspection');
const dir = makeTempDir('qapi-ts-introspect-cli-');
afterAll(() => removeTempDir(dir));

describe.each([
  { given: 'a schema and introspection', args: ['generate', 'schema.json', '--introspection', 'x.json', '-o', 'out'], want: 'give a schema file or introspection, not both' },
  { given: '--names-from alone', args: ['generate', '--names-from', 'schema.json', '-o', 'out'], want: '--names-from goes with --introspection FILE or --qemu BINARY' },
  { given: '--watch', args: ['generate', '--introspection', 'x.json', '--watch', '-o', 'out'], want: '--watch follows schema files' },
  { given: 'both inputs', args: ['generate', '--introspection', 'x.json', '--qemu', 'qemu-storage-daemon', '-o', 'out'], want: 'give --introspection FILE or --qemu BINARY, not both' },
  { given: 'a missing capture', args: ['generate', '--introspection', 'no-such.json', '-o', 'out'], want: "introspection file 'no-such.json' does not exist" },
  { given: 'no output', args: ['generate', '--introspection', 'x.json'], want: 'no output directory' },
])('generate with $given', ({ args, want }) => {
  it('is a usage error (exit 2)', async () => {
    const r = await runInProcess(args);
    expect(r.code).toBe(2);
    expect(r.stderr.startsWith(`qapi-ts: ${want}`), r.stderr).toBe(true);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe.skipIf(!capture.available)('generate --introspection', () => {
  it('writes the bindings, and --check tells whether they are up to date', async () => {
    const out = join(dir, 'out');
    const first = await runInProcess(['generate', '--introspection', capture.path, '-o', out, '--no-cache']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe(`5 file(s) updated: ${out}\n`);
    expect((await runInProcess(['generate', '--introspection', capture.path, '-o', out, '--check', '--no-cache'])).code).toBe(0);
    const module = join(out, 'qemu-storage-daemon.ts');
    writeFileSync(module, `${readFileSync(module, 'utf8')}// edited\n`);
    const stale = await runInProcess(['generate', '--introspection', capture.path, '-o', out, '--check', '--no-cache']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('changed: qemu-storage-daemon.ts');
  }, 120_000);
});
