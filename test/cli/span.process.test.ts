/**
 * `qapi-ts generate` of a span of releases: `--release VERSION=FILE`,
 * repeated, or the config file's `releases` (paths relative to it), each a
 * schema in its release's language or a captured reply; and every way of
 * asking for one wrongly, a usage error (exit 2) naming what is wrong,
 * with nothing written.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasStackTrace, runBuilt } from '../helpers/cli.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';

const OLDER = join(PROJECT_ROOT, 'test', 'fixtures', 'span', 'older', 'qapi-schema.json');
const NEWER = join(PROJECT_ROOT, 'test', 'fixtures', 'span', 'newer', 'qapi-schema.json');
const capture = requireShared('qemu-10.0/introspection/qemu-storage-daemon.json', 'a span with a capture');

const work = (): string => mkdtempSync(join(tmpdir(), 'qapi-ts-span-cli-'));
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
    { what: 'a file that does not exist', args: ['--release', '8.2=/no/such/schema.json'], message: "release 8.2: '/no/such/schema.json' does not exist" },
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
