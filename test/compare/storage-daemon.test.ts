/**
 * qemu-storage-daemon's own root schema (docs/introspection.md): drift of
 * QEMU 10.0.2's daemon (its captured query-qmp-schema reply) against QEMU
 * 10.0's whole QMP schema reports 173 differences no `if` condition
 * explains, the daemon's commands being a part of the whole; against the
 * daemon's root schema (test/fixtures/storage-daemon-10.0, laid out as in
 * QEMU's tree beside qapi/), none.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/cli.js';
import { PROJECT_ROOT, requireShared, SHARED } from '../helpers/shared.js';

const schema = requireShared('qemu-10.0/qapi/qapi-schema.json', "drift of QEMU 10.0.2's storage daemon");
const capture = join(SHARED, 'qemu-10.0', 'introspection', 'qemu-storage-daemon.json');
const tree = mkdtempSync(join(tmpdir(), 'qapi-ts-qsd-'));
afterAll(() => rmSync(tree, { recursive: true, force: true }));

describe.skipIf(!schema.available)("QEMU 10.0.2's qemu-storage-daemon", () => {
  symlinkSync(join(SHARED, 'qemu-10.0', 'qapi'), join(tree, 'qapi'));
  mkdirSync(join(tree, 'storage-daemon', 'qapi'), { recursive: true });
  copyFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'storage-daemon-10.0', 'qapi-schema.json'), join(tree, 'storage-daemon', 'qapi', 'qapi-schema.json'));

  it('differs from the whole QMP schema in 173 ways no condition explains', async () => {
    const r = await runInProcess(['drift', join(tree, 'qapi', 'qapi-schema.json'), '--qemu-version', '10.0', '--introspection', capture]);
    expect(r.stdout).toMatch(/^qapi-schema\.json \(QEMU 10\.0\) against qemu-storage-daemon\.json \(QEMU 10\.0\.2\): 173 unexplained difference\(s\)/);
    expect(r.stdout).toContain('command query-status: the command: only in the schema');
    expect(r.code).toBe(5);
  });

  it('matches its own root schema, every difference explained', async () => {
    const r = await runInProcess(['drift', join(tree, 'storage-daemon', 'qapi', 'qapi-schema.json'), '--qemu-version', '10.0', '--introspection', capture]);
    expect(r.stdout).toMatch(/^qapi-schema\.json \(QEMU 10\.0\) against qemu-storage-daemon\.json \(QEMU 10\.0\.2\): 0 unexplained difference\(s\), \d+ explained by 'if' conditions/);
    expect(r.code).toBe(0);
  });
});
