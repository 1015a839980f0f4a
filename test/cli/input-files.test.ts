/**
 * Every file a verb is given, by every verb and every input flag: a path
 * that is no input file at all (missing, a folder, a device), and a
 * capture where a schema's source is wanted, is a usage error (exit 2),
 * one line naming what the file was given as, the path and what is wrong
 * with it; never a schema error, an internal error or an endless read
 * (test/frontend/hardening covers the files a schema includes, which are
 * the schema's own errors, located).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inertProgram } from '../../generator/cli/program.js';
import { runInProcess } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

const folder = mkdtempSync(join(tmpdir(), 'qapi-ts-inputs-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const schema = join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json');
const capture = join(folder, 'reply.json');
writeFileSync(capture, '[{ "name": "str", "meta-type": "builtin", "json-type": "string" }]\n');
const out = join(folder, 'out');
const socket = join(folder, 'none.sock');

/** A config file whose `schema` is the path under test. */
function configNaming(bad: string): string {
  const dir = mkdtempSync(join(folder, 'config-'));
  const path = join(dir, 'qapi-ts.config.json');
  writeFileSync(path, JSON.stringify({ schema: bad, output: out }));
  return path;
}

type Role = 'schema file' | 'introspection file' | 'config file' | 'recording file';

/** Each verb and flag that takes a file: its arguments with BAD in the
 *  file's place, and what the file is given as. */
const uses: [what: string, role: Role, args: (bad: string) => string[]][] = [
  ['check SCHEMA', 'schema file', (bad) => ['check', bad]],
  ['dump SCHEMA', 'schema file', (bad) => ['dump', bad]],
  ['generate SCHEMA', 'schema file', (bad) => ['generate', bad, '-o', out]],
  ['generate --introspection', 'introspection file', (bad) => ['generate', '--introspection', bad, '-o', out]],
  ['generate --names-from', 'schema file', (bad) => ['generate', '--introspection', capture, '--names-from', bad, '-o', out]],
  ['generate --config', 'config file', (bad) => ['generate', '--config', bad, '-o', out]],
  ["generate, the config's schema", 'schema file', (bad) => ['generate', '--config', configNaming(bad)]],
  ['jsonschema SCHEMA', 'schema file', (bad) => ['jsonschema', bad]],
  ['jsonschema --introspection', 'introspection file', (bad) => ['jsonschema', '--introspection', bad]],
  ['jsonschema --names-from', 'schema file', (bad) => ['jsonschema', '--introspection', capture, '--names-from', bad]],
  ['drift SCHEMA', 'schema file', (bad) => ['drift', bad, '--introspection', capture]],
  ['drift --introspection', 'introspection file', (bad) => ['drift', schema, '--legacy', '--introspection', bad]],
  ['diff OLD', 'schema file', (bad) => ['diff', bad, schema, '--new-qemu-version', '1.3']],
  ['diff NEW', 'schema file', (bad) => ['diff', schema, bad, '--old-qemu-version', '1.3']],
  ['qmp --schema', 'schema file', (bad) => ['qmp', '--socket', socket, '--schema', bad, 'query-version']],
  ['qmp --config', 'config file', (bad) => ['qmp', '--socket', socket, '--config', bad, 'query-version']],
  ['qmp --introspection', 'introspection file', (bad) => ['qmp', '--socket', socket, '--introspection', bad, 'query-version']],
  ["qmp, the config's schema", 'schema file', (bad) => ['qmp', '--socket', socket, '--config', configNaming(bad), 'query-version']],
  ['shell --schema', 'schema file', (bad) => ['shell', '--socket', socket, '--schema', bad]],
  ['shell --introspection', 'introspection file', (bad) => ['shell', '--socket', socket, '--introspection', bad]],
  ['shell --config', 'config file', (bad) => ['shell', '--socket', socket, '--config', bad]],
  ["shell, the config's schema", 'schema file', (bad) => ['shell', '--socket', socket, '--config', configNaming(bad)]],
  ['fake-qemu SCHEMA', 'schema file', (bad) => ['fake-qemu', bad, '--listen', socket]],
  ['fake-qemu --introspection', 'introspection file', (bad) => ['fake-qemu', '--introspection', bad, '--listen', socket]],
  ['fake-qemu SCHEMA naming a capture', 'schema file', (bad) => ['fake-qemu', bad, '--introspection', capture, '--listen', socket]],
  ['fake-qemu --replay', 'recording file', (bad) => ['fake-qemu', '--replay', bad, '--listen', socket]],
];

/** Flags whose file is written, not read. */
const OUTPUT_FLAGS = new Set(['--output', '--history']);

describe('the table of input files', () => {
  it('has a row for every flag of every verb that takes a file to read', async () => {
    const program = await inertProgram([], { stdout: () => {}, stderr: () => {} });
    const flags = program.commands.flatMap((verb) =>
      verb.options
        .filter((o) => /<(file|schema)>/.test(o.flags) && !OUTPUT_FLAGS.has(o.long!))
        .map((o) => `${verb.name()} ${o.long!}`),
    );
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.filter((f) => !uses.some(([what]) => what === f))).toEqual([]);
  });
});

const absent = join(folder, 'absent.json');
const aFolder = join(folder, 'a-folder');
mkdirSync(aFolder);

describe.each([
  ['a missing file', absent, 'does not exist'],
  ['a folder', aFolder, 'is a folder, not a file'],
  ['a device', '/dev/null', 'is not a regular file (qapi-ts reads no devices, FIFOs or sockets)'],
  ['an endless device', '/dev/zero', 'is not a regular file (qapi-ts reads no devices, FIFOs or sockets)'],
])('%s given as an input file', (_kind, bad, what) => {
  it.each(uses)('%s: a usage error naming it', async (_what, role, args) => {
    const r = await runInProcess(args(bad));
    expect(r.stderr).toBe(`qapi-ts: ${role} '${bad}' ${what}\n`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});

describe("a capture where a schema's source is wanted", () => {
  it.each([
    ['check', ['check', capture]],
    ['dump', ['dump', capture]],
    ['drift', ['drift', capture, '--introspection', capture]],
    ['generate --names-from', ['generate', '--introspection', capture, '--names-from', capture, '-o', out]],
    ['fake-qemu SCHEMA naming a capture', ['fake-qemu', capture, '--introspection', capture, '--listen', socket]],
    ['jsonschema --names-from', ['jsonschema', '--introspection', capture, '--names-from', capture]],
  ])('%s: a usage error naming it', async (_verb, args) => {
    const r = await runInProcess(args);
    expect(r.stderr).toBe(`qapi-ts: '${capture}' is a query-qmp-schema capture, not a schema's source\n`);
    expect(r.code).toBe(2);
  });
});

describe('a capture where a schema or a capture is taken', () => {
  const ping = join(folder, 'ping-reply.json');
  writeFileSync(
    ping,
    JSON.stringify([
      { name: 'ping', 'meta-type': 'command', 'arg-type': '1', 'ret-type': '0' },
      { name: '1', 'meta-type': 'object', members: [{ name: 'count', type: 'int' }] },
      { name: '0', 'meta-type': 'object', members: [] },
      { name: 'int', 'meta-type': 'builtin', 'json-type': 'int' },
    ]),
  );

  it('qmp --schema checks the arguments against it before connecting', async () => {
    const invalid = await runInProcess(['qmp', '--socket', socket, '--schema', ping, 'ping', '{"count":"x"}']);
    expect(invalid.stderr).toContain('ping: arguments.count: expected an integer');
    expect(invalid.code).toBe(4);
    const valid = await runInProcess(['qmp', '--socket', socket, '--schema', ping, 'ping', '{"count":1}']);
    expect(valid.stderr).toBe(`qapi-ts: cannot connect to QMP socket ${socket}: no such socket\n`);
    expect(valid.code).toBe(3);
  });
});
