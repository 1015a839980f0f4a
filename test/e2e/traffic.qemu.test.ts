/**
 * The JSON Schema against real traffic: a session of everyday QMP against
 * QEMU 7.2 (see helpers/traffic.ts) is recorded on the wire; every argument
 * object QEMU accepted validates against the JSON Schema of 7.2's schema
 * (ajv, strict, draft 2020-12) and of the binary's captured introspection,
 * and mutated copies (an unknown member, a required one missing, a value of
 * the wrong kind, out of range, or outside its enum) are rejected, by the
 * JSON Schema and by the generated validators alike.  Every reply's
 * `return` validates against its command's `returns` schema, and mutated
 * copies of the replies are rejected the same way.
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

/** What a validator of a model's JSON Schema checks: a command's arguments or its return value. */
type Part = 'arguments' | 'returns';

/** ajv validators of each command's arguments and return value, from a model's JSON Schema. */
function validators(model: SchemaModel, foldedIntegers: boolean): (command: string, part: Part) => ValidateFunction {
  const ajv = new Ajv2020({ strict: true });
  ajv.addSchema(JSON.parse(renderJsonSchema(jsonSchemaOf(model, { foldedIntegers }))), 'qmp');
  return (command, part) => {
    const check = ajv.getSchema(`qmp#/$defs/command.${command}.${part}`);
    if (check === undefined) throw new Error(`the JSON Schema has no ${part} of '${command}'`);
    return check;
  };
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

/** What a mutation breaks. */
type Flaw = 'unknown member' | 'required member missing' | 'wrong kind' | 'outside the enum' | 'out of range';

/** A copy of a value with one thing wrong, named. */
interface Mutation {
  readonly flaw: Flaw;
  readonly what: string;
  readonly value: unknown;
}

/** Copies of an object with one thing wrong each (`type` null: an object without members). */
function mutations(object: Record<string, unknown>, type: ObjectType | null): Mutation[] {
  const out: Mutation[] = [{ flaw: 'unknown member', what: 'an unknown member', value: { ...object, 'no-such-member': true } }];
  for (const m of type?.members ?? []) {
    if (!Object.hasOwn(object, m.name)) continue;
    const without = { ...object };
    delete without[m.name];
    if (!m.optional) out.push({ flaw: 'required member missing', what: `without '${m.name}'`, value: without });
    const wrong = wrongKind(m.type);
    if (wrong !== undefined) out.push({ flaw: 'wrong kind', what: `'${m.name}' of the wrong kind`, value: { ...object, [m.name]: wrong } });
    if (m.type.kind === 'enum') out.push({ flaw: 'outside the enum', what: `'${m.name}' outside its enum`, value: { ...object, [m.name]: 'no-such-value' } });
    const range = m.type.kind === 'builtin' ? OUT_OF_RANGE[m.type.name] : undefined;
    if (range !== undefined) out.push({ flaw: 'out of range', what: `'${m.name}' out of range`, value: { ...object, [m.name]: range } });
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Copies of a command's return value with one thing wrong each: its
 *  members when it is an object, its first element's when a list. */
function replyMutations(value: unknown, type: QapiType | null): Mutation[] {
  if (type === null) return isObject(value) ? mutations(value, null) : [];
  if (type.kind === 'array' && Array.isArray(value) && value.length > 0) {
    return replyMutations(value[0], type.elementType).map((m) => ({ ...m, what: `[0]: ${m.what}`, value: [m.value, ...value.slice(1)] }));
  }
  if (type.kind === 'object' && isObject(value)) return mutations(value, type);
  const wrong = wrongKind(type);
  return wrong === undefined ? [] : [{ flaw: 'wrong kind', what: 'of the wrong kind', value: wrong }];
}

describe.skipIf(!qemu.available || !schema.available || !capture.available)('recorded QMP traffic against the JSON Schema', () => {
  const scopes = [new E2eScope(), new E2eScope()] as const;
  let traffic: Exchange[] = [];
  let source: SchemaModel;
  let bySchema: (command: string, part: Part) => ValidateFunction;
  let byCapture: (command: string, part: Part) => ValidateFunction;
  let registry: TypeRegistry;

  beforeAll(async () => {
    traffic = await recordSession(scopes[0], scopes[1]);
    source = loadSchema(schema.path, { qemuVersion: '7.2' }).model;
    bySchema = validators(source, false);
    byCapture = validators(modelFromIntrospection(readCapture(capture.path)).model, true);
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
      const [a, b] = [bySchema(execute, 'arguments'), byCapture(execute, 'arguments')];
      expect(a(args), `${execute} ${JSON.stringify(args)}: ${JSON.stringify(a.errors)}`).toBe(true);
      expect(b(args), `${execute} ${JSON.stringify(args)}: ${JSON.stringify(b.errors)}`).toBe(true);
    }
  });

  it('every mutated copy is rejected, by the JSON Schema and the generated validators alike', () => {
    let count = 0;
    for (const { execute, arguments: args } of traffic) {
      const command = source.lookupEntity(execute);
      const argType = command?.kind === 'command' ? command.argType : null;
      for (const { what, value: mutated } of mutations(args, argType)) {
        count++;
        expect(bySchema(execute, 'arguments')(mutated), `${execute} ${what}: ${JSON.stringify(mutated)}`).toBe(false);
        expect(registry.checkArguments(execute, mutated), `${execute} ${what}`).not.toEqual([]);
      }
    }
    expect(count).toBeGreaterThan(100);
  });

  it("every reply's return validates against its command's returns in the schema's and the capture's JSON Schema", () => {
    let nonEmpty = 0;
    for (const { execute, returned } of traffic) {
      const [a, b] = [bySchema(execute, 'returns'), byCapture(execute, 'returns')];
      expect(a(returned), `${execute} ${JSON.stringify(returned)}: ${JSON.stringify(a.errors)}`).toBe(true);
      expect(b(returned), `${execute} ${JSON.stringify(returned)}: ${JSON.stringify(b.errors)}`).toBe(true);
      if (!isObject(returned) || Object.keys(returned).length > 0) nonEmpty++;
    }
    // 32 replies when this was written, 10 of them more than {}.
    expect(nonEmpty).toBeGreaterThan(8);
  });

  it('every mutated reply is rejected by the JSON Schema', () => {
    const flaws = new Set<Flaw>();
    let count = 0;
    for (const { execute, returned } of traffic) {
      const command = source.lookupEntity(execute);
      const retType = command?.kind === 'command' ? command.retType : null;
      for (const { flaw, what, value } of replyMutations(returned, retType)) {
        count++;
        flaws.add(flaw);
        expect(bySchema(execute, 'returns')(value), `${execute} return ${what}: ${JSON.stringify(value)}`).toBe(false);
      }
    }
    expect([...flaws].sort()).toEqual(['out of range', 'outside the enum', 'required member missing', 'unknown member', 'wrong kind']);
    expect(count).toBeGreaterThan(100);
  });

  it('the committed traffic fixture (the bench inputs) is this session, and valid too', () => {
    const fixture = readFileSync(TRAFFIC_FIXTURE, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { execute: string; arguments: Record<string, unknown> });
    expect(fixture.map((x) => x.execute)).toEqual(traffic.map((x) => x.execute));
    for (const { execute, arguments: args } of fixture) expect(bySchema(execute, 'arguments')(args), execute).toBe(true);
  });
});
