/**
 * Every file a verb reads, besides schema files (test/frontend/hardening
 * covers those): the config file, an introspection capture, either side of
 * `diff`, drift's capture.  A folder or a device given for one gets a
 * message naming it and a usage or schema error, never an internal error
 * and never an endless read (/dev/zero).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

const folder = mkdtempSync(join(tmpdir(), 'qapi-ts-inputs-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const schema = join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json');

/** The arguments of each verb, with BAD where the unreadable file goes. */
const uses: [what: string, args: string[]][] = [
  ['generate --config', ['generate', '--config', 'BAD', '-o', join(folder, 'out')]],
  ['generate --introspection', ['generate', '--introspection', 'BAD', '-o', join(folder, 'out')]],
  ['jsonschema --introspection', ['jsonschema', '--introspection', 'BAD']],
  ['diff OLD', ['diff', 'BAD', schema, '--new-qemu-version', '1.3']],
  ['drift --introspection', ['drift', schema, '--legacy', '--introspection', 'BAD']],
];

describe.each([
  ['a folder', folder, 'Is a directory'],
  ['a device', '/dev/zero', 'not a regular file'],
])('%s given as an input file', (_kind, bad, reason) => {
  it.each(uses)('%s: a message naming it, exit 1 or 2', async (_what, args) => {
    const r = await runInProcess(args.map((a) => (a === 'BAD' ? bad : a)));
    expect(r.stderr).toContain(bad);
    expect(r.stderr).toContain(reason);
    expect(r.stderr).not.toContain('internal error');
    expect([1, 2]).toContain(r.code);
  });
});

describe('a capture where a schema\'s source is wanted', () => {
  const capture = join(folder, 'reply.json');
  writeFileSync(capture, '[{ "name": "str", "meta-type": "builtin", "json-type": "string" }]\n');

  it.each([
    ['check', ['check', capture]],
    ['dump', ['dump', capture]],
    ['drift', ['drift', capture, '--introspection', capture]],
  ])('%s: a usage error naming it', async (_verb, args) => {
    const r = await runInProcess(args);
    expect(r.stderr).toBe(`qapi-ts: '${capture}' is a query-qmp-schema capture, not a schema's source\n`);
    expect(r.code).toBe(2);
  });
});

describe('a capture where a schema or a capture is taken', () => {
  const capture = join(folder, 'ping-reply.json');
  writeFileSync(
    capture,
    JSON.stringify([
      { name: 'ping', 'meta-type': 'command', 'arg-type': '1', 'ret-type': '0' },
      { name: '1', 'meta-type': 'object', members: [{ name: 'count', type: 'int' }] },
      { name: '0', 'meta-type': 'object', members: [] },
      { name: 'int', 'meta-type': 'builtin', 'json-type': 'int' },
    ]),
  );

  it('qmp --schema checks the arguments against it before connecting', async () => {
    const socket = join(folder, 'none.sock');
    const invalid = await runInProcess(['qmp', '--socket', socket, '--schema', capture, 'ping', '{"count":"x"}']);
    expect(invalid.stderr).toContain('ping: arguments.count: expected an integer');
    expect(invalid.code).toBe(4);
    const valid = await runInProcess(['qmp', '--socket', socket, '--schema', capture, 'ping', '{"count":1}']);
    expect(valid.stderr).toBe(`qapi-ts: cannot connect to QMP socket ${socket}: no such socket\n`);
    expect(valid.code).toBe(3);
  });
});
