/**
 * `qapi-ts jsonschema`: JSON Schema 2020-12 that ajv (strict) compiles, and
 * that accepts and rejects exactly what the generated validators do, case
 * by case; 64-bit bounds written exactly.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTables } from '../../generator/emit/parts/descriptors.js';
import { loadSchema } from '../../generator/frontend.js';
import { jsonSchemaOf, renderJsonSchema } from '../../generator/jsonschema/jsonschema.js';
import { TypeRegistry } from '../../runtime/index.js';
import { runInProcess } from '../helpers/cli.js';
import { memoryReader } from '../helpers/memory-schema.js';
import { makeTempDir, removeTempDir } from '../helpers/qemu.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';

const SCHEMA = `
{ 'enum': 'Mode', 'data': [ 'fast', 'safe' ] }
{ 'struct': 'Limits', 'data': { 'small': 'int8', '*big': 'uint64', '*size': 'size', '*n': 'number', '*count': 'int' } }
{ 'alternate': 'StrOrNull', 'data': { 's': 'str', 'n': 'null' } }
{ 'struct': 'FileOptions', 'data': { 'filename': 'str', '*locking': 'bool' } }
{ 'union': 'Options', 'base': { 'driver': 'Mode', '*node-name': 'str' }, 'discriminator': 'driver',
  'data': { 'fast': 'FileOptions' } }
{ 'command': 'configure',
  'data': { 'mode': 'Mode', '*limits': 'Limits', '*backing': 'StrOrNull', '*tags': [ 'str' ], '*extra': 'any',
            '*old': { 'type': 'str', 'features': [ 'deprecated' ] } } }
{ 'command': 'add', 'data': 'Options', 'boxed': true }
{ 'command': 'ping' }
`;

const model = loadSchema('s.json', { readFile: memoryReader({ 's.json': SCHEMA }) }).model;
const doc = JSON.parse(renderJsonSchema(jsonSchemaOf(model))) as Record<string, unknown>;
const ajv = new Ajv2020({ strict: true });
ajv.addSchema(doc, 'qmp');
const tables = buildTables(model);
const registry = new TypeRegistry([tables.types], [tables.commands]);

describe.each([
  { command: 'configure', args: { mode: 'fast' }, valid: true },
  { command: 'configure', args: { mode: 'slow' }, valid: false },
  { command: 'configure', args: {}, valid: false },
  { command: 'configure', args: { mode: 'fast', unknown: 1 }, valid: false },
  { command: 'configure', args: { mode: 'safe', limits: { small: 127, big: 2 ** 53, size: 0, n: 1.5 } }, valid: true },
  { command: 'configure', args: { mode: 'safe', limits: { small: 128 } }, valid: false },
  { command: 'configure', args: { mode: 'safe', limits: { small: -129 } }, valid: false },
  { command: 'configure', args: { mode: 'safe', limits: { small: 1.5 } }, valid: false },
  { command: 'configure', args: { mode: 'safe', limits: { small: 1, big: -1 } }, valid: false },
  { command: 'configure', args: { mode: 'safe', limits: { small: 1, n: 'x' } }, valid: false },
  { command: 'configure', args: { mode: 'fast', backing: null }, valid: true },
  { command: 'configure', args: { mode: 'fast', backing: 'file.qcow2' }, valid: true },
  { command: 'configure', args: { mode: 'fast', backing: 3 }, valid: false },
  { command: 'configure', args: { mode: 'fast', tags: ['a', 'b'] }, valid: true },
  { command: 'configure', args: { mode: 'fast', tags: ['a', 2] }, valid: false },
  { command: 'configure', args: { mode: 'fast', extra: { anything: [1, 'x'] }, old: 'still accepted' }, valid: true },
  { command: 'add', args: { driver: 'fast', filename: 'f', locking: true, 'node-name': 'n' }, valid: true },
  { command: 'add', args: { driver: 'fast' }, valid: false },
  { command: 'add', args: { driver: 'safe', 'node-name': 'n' }, valid: true },
  { command: 'add', args: { driver: 'safe', filename: 'f' }, valid: false },
  { command: 'add', args: { driver: 'fast', filename: 'f', bogus: 1 }, valid: false },
  { command: 'add', args: { filename: 'f' }, valid: false },
  { command: 'ping', args: {}, valid: true },
  { command: 'ping', args: { x: 1 }, valid: false },
])('$command $args', ({ command, args, valid }) => {
  it(`is ${valid ? 'accepted' : 'rejected'} by the JSON Schema and by the generated validators alike`, () => {
    const check = ajv.getSchema(`qmp#/$defs/command.${command}.arguments`)!;
    expect(check(args), JSON.stringify(check.errors)).toBe(valid);
    expect(registry.checkArguments(command, args).length === 0).toBe(valid);
  });
});

describe('the document', () => {
  it('validates whole command messages too, and marks deprecated members', () => {
    const message = ajv.getSchema('qmp')!;
    expect(message({ execute: 'configure', arguments: { mode: 'fast' } })).toBe(true);
    expect(message({ execute: 'configure' })).toBe(false); // 'mode' is required
    expect(message({ execute: 'ping' })).toBe(true);
    expect(message({ execute: 'no-such-command' })).toBe(false);
    const defs = doc['$defs'] as Record<string, { properties?: Record<string, { deprecated?: boolean }> }>;
    expect(defs['command.configure.arguments']!.properties!['old']).toEqual({ type: 'string', deprecated: true });
  });

  it('writes 64-bit bounds exactly (JSON.stringify could not)', () => {
    const text = renderJsonSchema(jsonSchemaOf(model));
    expect(text).toMatch(/"minimum": 0,\s*"maximum": 18446744073709551615\s/);
    expect(text).toMatch(/"minimum": -9223372036854775808,\s*"maximum": 9223372036854775807\s/);
    expect(text).not.toContain('18446744073709552000');
  });
});

const s72 = requireShared('qemu-7.2/qapi/qapi-schema.json', 'JSON Schema of QEMU 7.2');
const c10 = requireShared('qemu-10.0/introspection/qemu-storage-daemon.json', 'JSON Schema from introspection');

describe('the command line', () => {
  const dir = makeTempDir('qapi-ts-jsonschema-');
  afterAll(() => removeTempDir(dir));

  it.skipIf(!s72.available)("writes QEMU 7.2's, which ajv compiles in strict mode", async () => {
    const out = join(dir, 'qemu-7.2.schema.json');
    const r = await runInProcess(['jsonschema', s72.path, '--qemu-version', '7.2', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const whole = new Ajv2020({ strict: true });
    whole.addSchema(JSON.parse(readFileSync(out, 'utf8')), 'qmp');
    const blockCommit = whole.getSchema('qmp#/$defs/command.block-commit.arguments')!;
    expect(blockCommit({ device: 'drive0', top: '/images/mid.qcow2', speed: 0 })).toBe(true);
    expect(blockCommit({ device: 'drive0', speed: 'fast' })).toBe(false);
    const event = whole.getSchema('qmp#/$defs/event.BLOCK_JOB_COMPLETED.data')!;
    expect(event({ type: 'commit', device: 'drive0', len: 100, offset: 100, speed: 0 })).toBe(true);
  });

  it.skipIf(!c10.available)('from introspection, where integer widths are unknown, allows every integer type', async () => {
    const r = await runInProcess(['jsonschema', '--introspection', c10.path]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('"minimum": -9223372036854775808,\n');
    expect(r.stdout).toContain('"maximum": 18446744073709551615\n');
    expect(r.stdout).not.toMatch(/"maximum": 9223372036854775807/);
  });

  it.each([
    ['a folder', 'a-folder', /cannot write .*a-folder: EISDIR/],
    ['a path under a file', 'a-file/out.json', /cannot write .*a-file\/out\.json: ENOTDIR/],
  ])('refuses to write over %s: exit 2, the path named, nothing left beside it', async (_what, target, message) => {
    const blocked = join(dir, `blocked-${target.length}`);
    mkdirSync(join(blocked, 'a-folder'), { recursive: true });
    writeFileSync(join(blocked, 'a-file'), 'mine\n');
    const r = await runInProcess(['jsonschema', join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json'), '--legacy', '-o', join(blocked, target)]);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(2);
    expect(readdirSync(blocked).sort()).toEqual(['a-file', 'a-folder']);
    expect(readdirSync(join(blocked, 'a-folder'))).toEqual([]);
  });

  it('needs exactly one input', async () => {
    for (const args of [['jsonschema'], ['jsonschema', 'x.json', '--introspection', 'y.json']]) {
      const r = await runInProcess(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('jsonschema needs a schema file, or --introspection FILE or --qemu BINARY');
    }
  });
});

describe('the selection (--if, --only, --no-unstable), the one the bindings make', () => {
  const golden = join(PROJECT_ROOT, 'test', 'fixtures', 'golden', 'schema.json');
  const goldenModel = loadSchema(golden, { qemuVersion: '7.2' }).model;
  type Doc = { properties: { execute: { enum: string[] } }; $defs: Record<string, { enum?: string[]; properties?: Record<string, unknown> }> };

  describe.each([
    { given: 'nothing', flags: [], options: {} },
    { given: '--only', flags: ['--only', 'ping,make-widget'], options: { only: ['ping', 'make-widget'] } },
    { given: '--if', flags: ['--if', 'CONFIG_WIN32'], options: { ifSymbols: ['CONFIG_WIN32'] } },
    { given: '--no-unstable', flags: ['--no-unstable'], options: { noUnstable: true } },
  ])('given $given', ({ flags, options }) => {
    it('describes the commands, members and values the generated validators keep, and those alone', async () => {
      const r = await runInProcess(['jsonschema', golden, '--qemu-version', '7.2', ...flags]);
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as Doc;
      const tables = buildTables(goldenModel, options);
      expect(doc.properties.execute.enum).toEqual(tables.commands.map((c) => c.name));
      const level = tables.types.find(([name]) => name === 'Level')?.[1] as { values: string[] } | undefined;
      expect(doc.$defs['Level']?.enum).toEqual(level?.values);
      const widget = tables.types.find(([name]) => name === 'Widget')?.[1] as { members: (readonly [string, unknown])[] } | undefined;
      const widgetMembers = widget?.members.map(([name]) => name).sort();
      const described = doc.$defs['Widget'] ? Object.keys(doc.$defs['Widget'].properties ?? {}).sort() : undefined;
      expect(described).toEqual(widgetMembers);
    });
  });

  it('leaves out what each flag drops', async () => {
    const run = async (...flags: string[]) => JSON.parse((await runInProcess(['jsonschema', golden, '--qemu-version', '7.2', ...flags])).stdout) as Doc;
    expect((await run('--only', 'ping')).properties.execute.enum).toEqual(['ping']);
    expect((await run('--if', 'CONFIG_WIN32')).properties.execute.enum).not.toContain('query-linux');
    expect((await run('--if', 'CONFIG_WIN32')).$defs['Level']!.enum).not.toContain('mid');
    expect((await run('--no-unstable')).$defs['Level']!.enum).not.toContain('x-extreme');
    expect((await run()).$defs['Level']!.enum).toEqual(['low', 'mid', 'high', 'x-extreme']);
  });

  it('refuses an --only name that is no command or event, as generate does', async () => {
    const r = await runInProcess(['jsonschema', golden, '--qemu-version', '7.2', '--only', 'pong']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--only pong: no command or event has this name; did you mean ping?');
  });
});

describe('jsonschema -o FILE through the CLI writer', () => {
  const dir = makeTempDir('qapi-ts-jsonschema-file-');
  afterAll(() => removeTempDir(dir));
  const schema = join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json');

  it('--check compares, a write renames into place, and an unchanged file is not rewritten', async () => {
    const out = join(dir, 'qmp.json');
    const args = ['jsonschema', schema, '--legacy', '-o', out];
    const missing = await runInProcess([...args, '--check']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${out}: added`);
    expect((await runInProcess(args)).code).toBe(0);
    expect((await runInProcess([...args, '--check'])).code).toBe(0);
    const old = new Date('2001-01-01T00:00:00Z');
    utimesSync(out, old, old);
    expect((await runInProcess(args)).code).toBe(0);
    expect(statSync(out).mtime.getTime()).toBe(old.getTime());
    writeFileSync(out, '{}\n');
    const changed = await runInProcess([...args, '--check']);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain(`${out}: changed`);
    expect(readdirSync(dir)).toEqual(['qmp.json']);
  });

  it('--check without -o is a usage error', async () => {
    const r = await runInProcess(['jsonschema', schema, '--legacy', '--check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('qapi-ts: --check compares with a file: give -o FILE\n');
  });
});
