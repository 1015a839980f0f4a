/**
 * Bindings from introspection compile under `tsc --strict` (with the
 * stricter options of test/helpers/tsc.ts): from each of the four captured
 * replies, and from live runs of QEMU 7.2's and 10.0.2's
 * qemu-storage-daemon.  One tsc run checks them all.  A second live run
 * writes byte-identical files: the derived names are stable.
 */
import { readFileSync, readdirSync, rmSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY } from '../helpers/cli.js';
import { requireBinaries, requireQemu10 } from '../helpers/qemu.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';
import { runNode, typecheck } from '../helpers/tsc.js';

const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-introspect-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const qemu72 = requireBinaries(['qemu-storage-daemon'], 'bindings from a live QEMU 7.2');
const qemu10 = requireQemu10(['qemu-storage-daemon'], 'bindings from a live QEMU 10.0.2');

interface Source {
  readonly name: string;
  readonly args: readonly string[];
  readonly available: boolean;
}

const capture = (release: string, binary: string): Source => {
  const check = requireShared(`qemu-${release}/introspection/${binary}.json`, 'bindings from captured introspection');
  return { name: `capture-${release}-${binary}`, args: ['--introspection', check.path], available: check.available };
};

const sources: Source[] = [
  capture('7.2', 'qemu-system-x86_64'),
  capture('7.2', 'qemu-storage-daemon'),
  capture('10.0', 'qemu-system-x86_64'),
  capture('10.0', 'qemu-storage-daemon'),
  { name: 'live-7.2-qemu-storage-daemon', args: ['--qemu', 'qemu-storage-daemon'], available: qemu72.available },
  { name: 'live-10.0.2-qemu-storage-daemon', args: ['--qemu', qemu10.bin('qemu-storage-daemon')], available: qemu10.available },
];
const available = sources.filter((s) => s.available);

const generate = async (s: Source, out: string): Promise<void> => {
  const r = await runNode([CLI_ENTRY, 'generate', ...s.args, '--target', 'ts', '-o', out]);
  expect(r.code, r.output).toBe(0);
};

const filesOf = (dir: string): Record<string, string> =>
  Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

describe('bindings from introspection', () => {
  it.skipIf(available.length === 0)('compile under tsc --strict, all of them', async () => {
    await Promise.all(available.map((s) => generate(s, join(work, s.name))));
    const tsc = await typecheck(available.map((s) => join(work, s.name, 'index.ts')));
    expect(tsc.output).toBe('');
    expect(tsc.code).toBe(0);
  }, 300_000);

  it.skipIf(!qemu10.available)('are the same on a second live run', async () => {
    const s = sources.find((x) => x.name.startsWith('live-10'))!;
    const [a, b] = [join(work, 'again-1'), join(work, 'again-2')];
    await generate(s, a);
    await generate(s, b);
    const first = filesOf(a);
    expect(Object.keys(first)).toEqual(['builtin.ts', 'client.ts', 'index.ts', 'qemu-storage-daemon.ts', 'registry.ts']);
    expect(filesOf(b)).toEqual(first);
    // And they say where they came from.
    expect(first['qemu-storage-daemon.ts']).toContain('Reported by QEMU 10.0.2 through query-qmp-schema');
  }, 120_000);
});
