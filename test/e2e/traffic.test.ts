/**
 * The JSON Schema against real traffic: a session of everyday QMP against
 * QEMU 7.2 (see helpers/traffic.ts) is recorded on the wire; every argument
 * object QEMU accepted validates against the JSON Schema of 7.2's schema
 * (ajv, strict, draft 2020-12) and of the binary's captured introspection,
 * and mutated copies (an unknown member, a required one missing, a value of
 * the wrong kind, out of range, or outside its enum) are rejected, by the
 * JSON Schema and by the generated validators alike.
 *
 * QAPI_TS_RECORD_TRAFFIC=1 also writes what was accepted to
 * test/fixtures/traffic/qemu-7.2.jsonl, the inputs of `npm run bench`'s
 * validator comparison; the fixture is checked here like live traffic.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTables } from '../../generator/emit/parts/descriptors.js';
import { loadSchema } from '../../generator/frontend.js';
import { modelFromIntrospection, readCapture } from '../../generator/introspect/index.js';
import { jsonSchemaOf, renderJsonSchema } from '../../generator/jsonschema/jsonschema.js';
import type { ObjectType, QapiType, SchemaModel } from '../../generator/model/types.js';
import { TypeRegistry } from '../../runtime/index.js';
import { requireBinaries } from '../helpers/qemu.js';
import { requireShared } from '../helpers/shared.js';
import { E2E_BINARIES, E2eScope } from './helpers/scope.js';
import { recordSession, TRAFFIC_FIXTURE, type Exchange } from './helpers/traffic.js';

const qemu = requireBinaries(E2E_BINARIES, 'JSON Schema against recorded traffic');
const schema = requireShared('qemu-7.2/qapi/qapi-schema.json', 'JSON Schema against recorded traffic');
const capture = requireShared('qemu-7.2/introspection/qemu-system-x86_64.json', 'JSON Schema against recorded traffic');

/** ajv validators of each command's arguments, from a model's JSON Schema. */
function argumentValidators(model: SchemaModel, foldedIntegers: boolean): (command: string) => ValidateFunction {
  const ajv = new Ajv2020({ strict: true });
  ajv.addSchema(JSON.parse(renderJsonSchema(jsonSchemaOf(model, { foldedIntegers }))), 'qmp');
  return (command) => ajv.getSchema(`qmp#/$defs/command.${command}.arguments`)!;
}

/** A value of the wrong JSON kind for a type, or undefined when every kind is right (any). */
function wrongKind(t: QapiType): unknown {
  const kinds: [unknown, (t: QapiType) => boolean][] = [
    [7, (x) => x.kind === 'builtin' && ['int', 'size', 'number'].includes(x.jsonType)],
    ['seven', (x) => x.kind === 'enum' || (x.kind === 'builtin' && x.jsonType === 'string')],
    [true, (x) => x.kind === 'builtin' && x.jsonType === 'boolean'],
    [null, (x) => x.kind === 'builtin' && x.jsonType === 'null'],
    [[], (x) => x.kind === 'array'],
    [{}, (x) => x.kind === 'object'],
  ];
  const accepts = (x: QapiType, v: (t: QapiType) => boolean): boolean =>
    x.kind === 'alternate' ? x.variants.variants.some((b) => accepts(b.type, v)) : (x.kind === 'builtin' && x.jsonType === 'value') || v(x);
  return kinds.find(([, accepted]) => !accepts(t, accepted))?.[0];
}

const OUT_OF_RANGE: Record<string, number> = { int8: 128, int16: 32768, int32: 2 ** 31, uint8: 256, uint16: 65536, uint32: 2 ** 32, int: 2 ** 64, int64: 2 ** 64, uint64: -1, size: -1 };

/** Copies of an argument object with one thing wrong each, named. */
function mutations(args: Record<string, unknown>, argType: ObjectType | null): [string, Record<string, unknown>][] {
  const out: [string, Record<string, unknown>][] = [['an unknown member', { ...args, 'no-such-member': true }]];
  for (const m of argType?.members ?? []) {
    if (!Object.hasOwn(args, m.name)) continue;
    const without = { ...args };
    delete without[m.name];
    if (!m.optional) out.push([`without '${m.name}'`, without]);
    const wrong = wrongKind(m.type);
    if (wrong !== undefined) out.push([`'${m.name}' of the wrong kind`, { ...args, [m.name]: wrong }]);
    if (m.type.kind === 'enum') out.push([`'${m.name}' outside its enum`, { ...args, [m.name]: 'no-such-value' }]);
    const range = m.type.kind === 'builtin' ? OUT_OF_RANGE[m.type.name] : undefined;
    if (range !== undefined) out.push([`'${m.name}' out of range`, { ...args, [m.name]: range }]);
  }
  return out;
}

describe.skipIf(!qemu.available || !schema.available || !capture.available)('recorded QMP traffic against the JSON Schema', () => {
  const scopes = [new E2eScope(), new E2eScope()] as const;
  let traffic: Exchange[] = [];
  let source: SchemaModel;
  let bySchema: (command: string) => ValidateFunction;
  let byCapture: (command: string) => ValidateFunction;
  let registry: TypeRegistry;

  beforeAll(async () => {
    traffic = await recordSession(scopes[0], scopes[1]);
    source = loadSchema(schema.path, { qemuVersion: '7.2' }).model;
    bySchema = argumentValidators(source, false);
    byCapture = argumentValidators(modelFromIntrospection(readCapture(capture.path)).model, true);
    const tables = buildTables(source);
    registry = new TypeRegistry([tables.types], [tables.commands]);
    if (process.env.QAPI_TS_RECORD_TRAFFIC) {
      mkdirSync(dirname(TRAFFIC_FIXTURE), { recursive: true });
      const lines = traffic.filter((x) => x.accepted).map(({ execute, arguments: a }) => JSON.stringify({ execute, arguments: a }));
      writeFileSync(TRAFFIC_FIXTURE, `${lines.join('\n')}\n`);
    }
  }, 120_000);
  afterAll(async () => {
    for (const s of scopes) await s.dispose();
  });

  it('QEMU accepted every command of the session', () => {
    expect(traffic.length).toBeGreaterThan(30);
    expect(traffic.filter((x) => !x.accepted).map((x) => x.execute)).toEqual([]);
  });

  it("every argument object validates against the schema's and the capture's JSON Schema", () => {
    for (const { execute, arguments: args } of traffic) {
      const [a, b] = [bySchema(execute), byCapture(execute)];
      expect(a(args), `${execute} ${JSON.stringify(args)}: ${JSON.stringify(a.errors)}`).toBe(true);
      expect(b(args), `${execute} ${JSON.stringify(args)}: ${JSON.stringify(b.errors)}`).toBe(true);
    }
  });

  it('every mutated copy is rejected, by the JSON Schema and the generated validators alike', () => {
    let count = 0;
    for (const { execute, arguments: args } of traffic) {
      const command = source.lookupEntity(execute);
      const argType = command?.kind === 'command' ? command.argType : null;
      for (const [what, mutated] of mutations(args, argType)) {
        count++;
        expect(bySchema(execute)(mutated), `${execute} ${what}: ${JSON.stringify(mutated)}`).toBe(false);
        expect(registry.checkArguments(execute, mutated), `${execute} ${what}`).not.toEqual([]);
      }
    }
    expect(count).toBeGreaterThan(100);
  });

  it('the committed traffic fixture (the bench inputs) is this session, and valid too', () => {
    const fixture = readFileSync(TRAFFIC_FIXTURE, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { execute: string; arguments: Record<string, unknown> });
    expect(fixture.map((x) => x.execute)).toEqual(traffic.map((x) => x.execute));
    for (const { execute, arguments: args } of fixture) expect(bySchema(execute)(args), execute).toBe(true);
  });
});
