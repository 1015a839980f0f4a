/**
 * The differential mode's side of QEMU: reading what QEMU's test driver
 * writes (with a stand-in driver, so this runs everywhere), its limits, and,
 * where `.ci/get-qemu-source` has unpacked QEMU 7.2, the real front end
 * beside ours on the same inputs.  .ci/run fetches QEMU 7.2's source, so
 * under CI the last part runs; elsewhere, without it, it skips with a notice.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compare } from '../../fuzz/differential.js';
import { judge } from '../../fuzz/outcome.js';
import { findQemuFrontEnd, runQemuFrontEnd, type QemuLimits, type QemuOutcome } from '../../fuzz/qemu.js';
import { runInProcess } from '../helpers/cli.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function schemaDir(files: Record<string, string>, fifos: readonly string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'qapi-ts-qemu-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  for (const name of fifos) execFileSync('mkfifo', [join(dir, name)]);
  return dir;
}

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');
// Each case sets the one limit it is about tight and the others loose, so
// that which limit ends a run does not depend on how loaded the machine
// is: on a busy machine a second of CPU can take many seconds of wall time.
const LOOSE = { cpuMs: 60_000, wallMs: 120_000, memoryBytes: 512 * 2 ** 20 };
const CPU_BOUND = { ...LOOSE, cpuMs: 1000 };
const WALL_BOUND = { ...LOOSE, wallMs: 500 };

describe('runQemuFrontEnd with a stand-in driver', () => {
  const fake = findQemuFrontEnd('fake', join(PROJECT_ROOT, 'test', 'fixtures', 'fuzz', 'fake-qemu'))!;

  it('finds the unpacked tree, or says there is none', () => {
    expect(fake).toMatchObject({ release: 'fake', version: '9.9.9' });
    expect(findQemuFrontEnd('7.2', join(PROJECT_ROOT, 'test', 'fixtures', 'fuzz'))).toBeNull();
  });

  it.each<[string, string, QemuLimits, (o: QemuOutcome) => void]>([
    ['an accepted schema: the dump', "{ 'enum': 'E', 'data': [] }\n", LOOSE, (o) => expect(o).toEqual({ kind: 'accepted', dumpHash: sha1('module ./builtin\nmodule qapi-schema.json\n') })],
    [
      'a rejected schema: the located line, context skipped',
      '# FAKE-REJECT\n',
      LOOSE,
      (o) => expect(o).toEqual({ kind: 'rejected', location: { file: 'sub.json', line: 2, column: 3 }, message: 'sub.json:2:3: rejected on purpose' }),
    ],
    ['a Python exception', '# FAKE-CRASH\n', LOOSE, (o) => expect(o).toEqual({ kind: 'failed', detail: 'RuntimeError: the stand-in crashed on purpose' })],
    ['a loop: the CPU limit ends it', '# FAKE-SPIN\n', CPU_BOUND, (o) => expect(o).toEqual({ kind: 'failed', detail: 'ended by SIGXCPU' })],
    ['a wait: the wall-time limit ends it', '# FAKE-SLEEP\n', WALL_BOUND, (o) => expect(o).toEqual({ kind: 'failed', detail: 'no verdict within 500 ms' })],
  ])('%s', async (_name, text, limits, check) => {
    check(await runQemuFrontEnd(fake, schemaDir({ 'qapi-schema.json': text }), 'qapi-schema.json', limits));
  });

  // A FIFO nothing writes: reading it would wait until the wall-time limit
  // (here longer than the test's own timeout), but the front end is ended
  // as soon as it opens the FIFO; one it never opens leaves its verdict be.
  it.each<[string, string, (o: QemuOutcome) => void]>([
    ['a FIFO it reads: ended as it opens it', '# FAKE-READ fifo.json\n', (o) => expect(o).toEqual({ kind: 'failed', detail: 'waiting on the FIFO fifo.json, which nothing writes' })],
    ['a FIFO it never opens: its verdict', '# FAKE-REJECT\n', (o) => expect(o).toMatchObject({ kind: 'rejected', message: 'sub.json:2:3: rejected on purpose' })],
  ])('%s', async (_name, text, check) => {
    const dir = schemaDir({ 'qapi-schema.json': text }, ['fifo.json']);
    check(await runQemuFrontEnd(fake, dir, 'qapi-schema.json', { ...LOOSE, wallMs: 600_000 }, ['fifo.json']));
  });
});

const qemu72 = findQemuFrontEnd('7.2');
if (!qemu72) {
  const message = 'QEMU 7.2 front end beside ours: no source in /opt/qemu-src-7.2 (run .ci/get-qemu-source 7.2)';
  // .ci/run fetches it, so under CI its absence is a failure, not a skip.
  if (process.env.CI) throw new Error(`${message}; CI is set, so this is a failure, not a skip`);
  console.warn(`SKIPPING ${message}`);
}
const schema72 = requireShared('qemu-7.2/qapi', 'QEMU 7.2 front end beside ours');

describe.skipIf(!qemu72 || !schema72.available)('QEMU 7.2 front end beside ours', () => {
  const bounds = { cpuMs: 60_000, wallMs: 120_000, memoryBytes: 2 ** 31 };

  async function both(dir: string): Promise<string> {
    const ours = await (async () => {
      const cwd = process.cwd();
      process.chdir(dir);
      try {
        return await runInProcess(['dump', '--qemu-version', '7.2', 'qapi-schema.json']);
      } finally {
        process.chdir(cwd);
      }
    })();
    const verdict = judge({ ...ours, stdoutBytes: ours.stdout.length, stdoutHash: '', ms: 0, cpuMs: 0, peakRss: 0 }, () => null);
    const theirs = await runQemuFrontEnd(qemu72!, dir, 'qapi-schema.json', bounds);
    return compare(verdict, ours.code === 0 ? sha1(ours.stdout) : null, theirs);
  }

  it('agrees on the whole 7.2 schema, dump and all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qapi-ts-qemu-'));
    dirs.push(dir);
    cpSync(schema72.path, dir, { recursive: true });
    expect(await both(dir)).toBe('agree');
  });

  it.each([
    ['an unknown type', "{ 'struct': 'Paint',\n  'data': { 'colour': 'Colour' } }\n"],
    ['a bad escape', "{ 'enum': 'E',\n  'data': [ 'a\\x' ] }\n"],
  ])('agrees on where %s is', async (_name, text) => {
    expect(await both(schemaDir({ 'qapi-schema.json': text }))).toBe('agree');
  });
});
