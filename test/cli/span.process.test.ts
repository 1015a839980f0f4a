/**
 * `qapi-ts generate` of a span of releases: `--release VERSION=FILE`,
 * repeated, or the config file's `releases` (paths relative to it), each a
 * schema in its release's language or a captured reply; and every way of
 * asking for one wrongly, a usage error (exit 2) naming what is wrong,
 * with nothing written.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { QmpClient, QmpError } from 'qapi-ts-runtime';
import { hasStackTrace, runBuilt } from '../helpers/cli.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';
import { startServing, type Serving } from '../testing/helpers/serving.js';
import { scratchFolders } from '../helpers/scratch.js';

const OLDER = join(PROJECT_ROOT, 'test', 'fixtures', 'span', 'older', 'qapi-schema.json');
const NEWER = join(PROJECT_ROOT, 'test', 'fixtures', 'span', 'newer', 'qapi-schema.json');
const capture = requireShared('qemu-10.0/introspection/qemu-storage-daemon.json', 'a span with a capture');

const work = scratchFolders('qapi-ts-span-cli-');
const BROKEN = join(work(), 'broken.json');
writeFileSync(BROKEN, "{ 'struct': 'Broken', 'data': { 'a': 'Nope' } }\n");

describe('generate --release', () => {
  it('writes bindings spanning the releases, in any order given', () => {
    const dir = work();
    const out = join(dir, 'out');
    const r = runBuilt(['generate', '--release', `10.2=${NEWER}`, '--release', `8.2=${OLDER}`, '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'span.d.ts'), 'utf8')).toContain("export type Release = '8.2' | '10.2';");
    expect(readFileSync(join(out, 'span.js'), 'utf8')).toContain("releases: ['8.2', '10.2']");
    expect(readFileSync(join(out, 'qapi-schema.d.ts'), 'utf8')).toContain("export type Mode<R extends Release = Release> = 'a' | 'b' | InRelease<R, '10.2', 'c'>;");
  });

  it('is up to date from its stamp until a release, the releases asked or a setting change', () => {
    const dir = work();
    const out = join(dir, 'out');
    const older = join(dir, 'older.json');
    writeFileSync(older, readFileSync(OLDER, 'utf8'));
    const args = ['generate', '--release', `8.2=${older}`, '--release', `10.2=${NEWER}`, '-o', out];
    expect(runBuilt(args)).toMatchObject({ code: 0, stdout: expect.stringMatching(/file\(s\) updated/) as unknown });
    expect(runBuilt(args)).toMatchObject({ code: 0, stdout: `up to date: ${out}\n` });
    expect(runBuilt([...args, '--check'])).toMatchObject({ code: 0, stdout: '' });
    // Another release named for the same file, another setting: the stamp does not answer.
    const renamed = ['generate', '--release', `8.0=${older}`, '--release', `10.2=${NEWER}`, '-o', out];
    expect(runBuilt([...renamed, '--check']).code).toBe(1);
    expect(runBuilt([...args, '--int64', 'number', '--check']).code).toBe(1);
    // An edit of one release's schema regenerates.
    writeFileSync(older, `${readFileSync(older, 'utf8')}\n{ 'command': 'added-later' }\n`);
    expect(runBuilt(args)).toMatchObject({ code: 0, stdout: expect.stringMatching(/file\(s\) updated/) as unknown });
    expect(runBuilt(args)).toMatchObject({ code: 0, stdout: `up to date: ${out}\n` });
  });

  it.skipIf(!capture.available)('takes a capture as a release, told by its content', () => {
    const out = join(work(), 'out');
    const r = runBuilt(['generate', '--release', `8.2=${OLDER}`, '--release', `10.0=${capture.path}`, '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'span.d.ts'), 'utf8')).toContain('8.2 (schema), 10.0 (introspection)');
  });

  it('reads the config file\'s "releases", relative to it', () => {
    const dir = work();
    writeFileSync(join(dir, 'older.json'), readFileSync(OLDER, 'utf8'));
    writeFileSync(join(dir, 'qapi-ts.config.json'), JSON.stringify({ releases: { '8.2': 'older.json', '10.2': NEWER }, output: 'gen' }));
    const r = runBuilt(['generate'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'gen', 'span.d.ts'), 'utf8')).toContain("'8.2' | '10.2'");
  });

  it.each([
    { what: 'a flag without a file', args: ['--release', '8.2'], message: "--release '8.2': give VERSION=FILE" },
    { what: 'no QEMU version', args: ['--release', `eight=${OLDER}`], message: "release 'eight': no QEMU release" },
    { what: 'a file that does not exist', args: ['--release', '8.2=/no/such/schema.json'], message: "release 8.2: schema file '/no/such/schema.json' does not exist" },
    { what: 'a release twice', args: ['--release', `8.2=${OLDER}`, '--release', `8.2.1=${NEWER}`], message: 'release 8.2 is given twice' },
    { what: 'a schema beside releases', args: [OLDER, '--release', `10.2=${NEWER}`], message: 'give a schema or releases (--release), not both' },
    { what: 'a language flag', args: ['--release', `10.2=${NEWER}`, '--qemu-version', '10.2'], message: 'each release of a span is read in its own language' },
    { what: 'introspection beside releases', args: ['--release', `10.2=${NEWER}`, '--introspection', NEWER], message: 'a span takes each release as --release VERSION=FILE' },
    { what: "a schema in a language qapi-ts does not know", args: ['--release', `6.2=${OLDER}`], message: 'release 6.2:' },
    { what: 'the jsonschema backend', args: ['--release', `8.2=${OLDER}`, '--release', `10.2=${NEWER}`, '--backend', 'jsonschema'], message: 'the jsonschema backend takes one release, not a span of QEMU 8.2, 10.2' },
    { what: 'a schema with an error', args: ['--release', `8.2=${BROKEN}`, '--release', `10.2=${NEWER}`], message: "broken.json:1:1: member 'a' refers to the type 'Nope'" },
  ])('$what: an error, nothing written', ({ args, message }) => {
    const out = join(work(), 'out');
    const r = runBuilt(['generate', ...args, '-o', out]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(existsSync(out)).toBe(false);
  });

  it('config "releases" beside "schema" is an error naming both', () => {
    const dir = work();
    writeFileSync(join(dir, 'qapi-ts.config.json'), JSON.stringify({ releases: { '8.2': OLDER }, schema: OLDER, output: 'gen' }));
    const r = runBuilt(['generate'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'releases' reads each release in its own language: it goes without 'schema', 'legacy' and 'qemuVersion'");
  });
});

const Q72 = requireShared('qemu-7.2/qapi/qapi-schema.json', 'drift with a span');
const Q100 = requireShared('qemu-10.0/qapi/qapi-schema.json', 'drift with a span');
const Q102 = requireShared('qemu-10.2/qapi/qapi-schema.json', 'drift with a span');
const CAPTURE72 = requireShared('qemu-7.2/introspection/qemu-storage-daemon.json', 'drift with a span');
const driftable = [Q72, Q100, Q102, capture, CAPTURE72].every((s) => s.available);

describe.skipIf(!driftable)('drift --release: the binary against the release of the span the client would take it for', () => {
  /** A drift report without its header (which names what was compared). */
  const differences = (json: string): unknown => {
    const { unexplained, explained } = JSON.parse(json) as { unexplained: unknown; explained: unknown };
    return { unexplained, explained };
  };

  it.each([
    { what: 'a 10.0 binary in a span of 7.2 and 10.0: release 10.0', releases: { '7.2': Q72.path, '10.0': Q100.path }, release: '10.0', alone: Q100.path, note: '' },
    {
      what: 'a 10.0 binary in a span of 7.2 and 10.2: release 7.2, the newest not newer than it',
      releases: { '7.2': Q72.path, '10.2': Q102.path },
      release: '7.2',
      alone: Q72.path,
      note: 'qapi-ts: drift: QEMU 10.0.2 is between releases these bindings span: taken as 7.2, the newest not newer than it\n',
    },
  ])('$what, as drift against that release\'s schema alone reports', ({ releases, release, alone, note }) => {
    const flags = Object.entries(releases).flatMap(([r, f]) => ['--release', `${r}=${f}`]);
    const spanned = runBuilt(['drift', ...flags, '--introspection', capture.path, '--json']);
    const single = runBuilt(['drift', alone, '--qemu-version', release, '--introspection', capture.path, '--json']);
    expect(spanned.stderr).toBe(`${note}qapi-ts: drift: ${(JSON.parse(single.stdout) as { unexplained: unknown[] }).unexplained.length} difference(s) no 'if' condition explains\n`);
    expect(spanned.code).toBe(single.code);
    const header = JSON.parse(spanned.stdout) as { release: string; schema: string; qemu: string };
    expect(header.release).toBe(release);
    expect(header.schema).toBe(`release ${release} of the span (qapi-schema.json (QEMU ${release}))`);
    expect(header.qemu).toBe('10.0.2');
    expect(differences(spanned.stdout)).toEqual(differences(single.stdout));
  }, 60_000);

  it('says which release in its text report', () => {
    const r = runBuilt(['drift', '--release', `7.2=${Q72.path}`, '--release', `10.0=${Q100.path}`, '--introspection', capture.path]);
    expect(r.stdout.split('\n')[0]).toMatch(/^release 10\.0 of the span \(qapi-schema\.json \(QEMU 10\.0\)\) against qemu-storage-daemon\.json \(QEMU 10\.0\.2\): \d+ unexplained/);
  }, 60_000);

  it.each([
    { what: 'a binary older than every release', args: ['--release', `10.2=${Q102.path}`, '--introspection', CAPTURE72.path], message: 'qapi-ts: drift: QEMU 7.2.22 is older than every release these bindings span (10.2)' },
    { what: 'a schema beside releases', args: [Q72.path, '--release', `10.2=${Q102.path}`, '--introspection', capture.path], message: 'drift takes a schema or releases (--release), not both' },
    { what: 'a language flag', args: ['--release', `10.2=${Q102.path}`, '--qemu-version', '10.2', '--introspection', capture.path], message: 'each release of a span is read in its own language' },
    { what: 'neither a schema nor releases', args: ['--introspection', capture.path], message: 'drift needs a SCHEMA, or a span' },
    { what: 'a flag without a file', args: ['--release', '10.2', '--introspection', capture.path], message: "--release '10.2': give VERSION=FILE" },
  ])('$what: a usage error', ({ args, message }) => {
    const r = runBuilt(['drift', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
  }, 60_000);
});

describe('fake-qemu --release: one release of a span, played', () => {
  const running: Serving[] = [];
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop();
  });

  it.each([
    { play: '8.2', version: { major: 8, minor: 2, micro: 0 }, missing: 'new-only', force: "GenericError: Parameter 'force' is unexpected" },
    { play: '10.2', version: { major: 10, minor: 2, micro: 0 }, missing: 'old-only', force: 'GenericError' },
  ])('--play $play: its version, its commands, its arguments', async ({ play, version, missing, force }) => {
    const socket = join(work(), 'qmp.sock');
    const s = await startServing(['fake-qemu', '--release', `8.2=${OLDER}`, '--release', `10.2=${NEWER}`, '--play', play, '--listen', socket]);
    running.push(s);
    const client = await QmpClient.connect({ path: socket });
    const answer = (command: string, args?: Record<string, unknown>): Promise<string> =>
      client.execute(command, args).then(
        () => 'ok',
        (e: unknown) => (e instanceof QmpError ? `${e.errorClass}: ${e.desc}` : Promise.reject(e)),
      );
    expect(client.greeting.version.qemu).toEqual(version);
    expect(await answer(missing)).toBe(`CommandNotFound: The command ${missing} has not been found`);
    // Valid where the release has it: nobody handles it, which the peer says in its own words.
    expect(await answer('set-mode', { mode: 'a', path: '/x', force: true })).toMatch(new RegExp(`^${force}`));
    await client.close();
    expect(await s.stop()).toBe(0);
    expect(s.stderr()).toBe('');
  });

  it.each([
    { what: '--play without a span', args: [OLDER, '--qemu-version', '8.2', '--play', '8.2'], message: 'fake-qemu --play names a release of a span' },
    { what: 'a release the span lacks', args: ['--release', `8.2=${OLDER}`, '--play', '9.0'], message: "fake-qemu: --play '9.0' is not one of the bindings' releases (8.2)" },
    { what: 'a schema beside the span', args: [OLDER, '--release', `8.2=${OLDER}`], message: 'fake-qemu --release reads each release in its own language' },
  ])('$what: a usage error', ({ args, message }) => {
    const r = runBuilt(['fake-qemu', ...args, '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});
