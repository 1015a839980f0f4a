/**
 * `qapi-ts jsonschema`: JSON Schema 2020-12 that ajv (strict) compiles, and
 * that accepts and rejects exactly what the generated validators do, case
 * by case; 64-bit bounds written exactly.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
