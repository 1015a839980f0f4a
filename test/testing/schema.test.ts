/**
 * query-qmp-schema, answered from the bindings: SchemaInfo records as QEMU
 * makes them (types by number, integers folded into `int`, an empty object
 * for "nothing"), read back by the runtime's own reader, and the
 * connect-time schema check passes against them with no drift at all, for
 * the default bindings and for QEMU 10.0's whole schema.  A capture given
 * to the peer is served exactly, and without bindings the peer checks
 * calls against it.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseQmpJson, QmpClient, readSchemaInfo, TypeRegistry, type SchemaInfo } from 'qapi-ts-runtime';
import { QmpPeer } from 'qapi-ts-runtime/testing';
import { buildTables } from '../../generator/emit/parts/descriptors.js';
import { loadSchema } from '../../generator/frontend.js';
import { registry } from '../../generated/index.js';
import { requireShared } from '../helpers/shared.js';
import { tinyRegistry } from './helpers/tiny-schema.js';

const Q100 = requireShared('qemu-10.0/qapi/qapi-schema.json', "the peer's schema of QEMU 10.0");
const CAPTURE = requireShared('qemu-10.0/introspection/qemu-storage-daemon.json', "the peer serving QEMU 10.0.2's capture");

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function schemaOf(peer: QmpPeer<unknown, unknown>): Promise<unknown> {
  const client = await QmpClient.connect(peer.pair());
  open.push(client);
  return client.execute('query-qmp-schema');
}

function byName(entities: readonly SchemaInfo[]): Map<string, SchemaInfo> {
  return new Map(entities.map((e) => [e.name, e]));
}

describe('query-qmp-schema from the bindings', () => {
  it('reports commands and events as QEMU does: types by number, integers as int, nothing as an empty object', async () => {
    const peer = new QmpPeer({ bindings: tinyRegistry() });
    open.push(peer);
    const reading = readSchemaInfo(await schemaOf(peer));
    if (!reading.ok) throw new Error(reading.problems.join('\n'));
    const e = byName(reading.entities);
    const set = e.get('set');
    expect(set).toMatchObject({ metaType: 'command', allowOob: false });
    const args = e.get((set as { argType: string }).argType);
    expect(args).toMatchObject({ metaType: 'object', name: expect.stringMatching(/^\d+$/) });
    const members = (args as unknown as { members: { name: string; type: string; optional: boolean }[] }).members;
    expect(members.slice(0, 4)).toEqual([
      { name: 'count', type: 'int', optional: false, features: [] },
      { name: 'limit', type: 'int', optional: true, features: [] },
      { name: 'small', type: 'int', optional: true, features: [] },
      { name: 'signed', type: 'int', optional: true, features: [] },
    ]);
    expect(e.get(members.find((m) => m.name === 'colors')!.type)).toMatchObject({ metaType: 'array', name: expect.stringMatching(/^\[\d+\]$/) });
    expect(e.get('ping')).toMatchObject({ allowOob: true });
    const quit = e.get('quit') as { argType: string; retType: string };
    expect(quit.argType).toBe(quit.retType);
    expect(e.get(quit.argType)).toMatchObject({ metaType: 'object', members: [] });
    expect(e.get('STOP')).toMatchObject({ metaType: 'event', argType: quit.argType });
    const thing = e.get((e.get('add-thing') as { argType: string }).argType);
    expect(thing).toMatchObject({ metaType: 'object', tag: 'kind', variants: [{ case: 'disk' }, { case: 'net' }] });
    expect([...e.values()].filter((x) => x.metaType === 'builtin').map((x) => x.name).sort()).toEqual(['any', 'bool', 'int', 'null', 'number', 'str']);
  });

  it('passes the connect-time schema check with no drift (the default bindings)', async () => {
    const peer = new QmpPeer({ bindings: registry });
    open.push(peer);
    const client = await QmpClient.connect(peer.pair(), { bindings: registry, checkSchema: true });
    open.push(client);
    expect(client.schemaDrift?.differences).toEqual([]);
    expect(client.schemaDrift?.qemu).toMatch(/^QEMU 10\.0\.2 \(qapi-ts fake QEMU \(schema [0-9a-f]{8}\)\)$/);
  });

  it.skipIf(!Q100.available)("passes it with no drift for QEMU 10.0's whole schema", async () => {
    const { model } = loadSchema(Q100.path, { qemuVersion: '10.0' });
    const t = buildTables(model);
    const bindings = new TypeRegistry([t.types], [t.commands], { events: [t.events] });
    const peer = new QmpPeer({ bindings });
    open.push(peer);
    const client = await QmpClient.connect(peer.pair(), { bindings, checkSchema: true });
    open.push(client);
    expect(client.schemaDrift?.differences).toEqual([]);
    expect(bindings.commandNames().length).toBeGreaterThan(200);
  });

  it('names the schema in the greeting, so that clients caching schemas by version keep two peers apart', () => {
    const a = new QmpPeer({ bindings: registry });
    const b = new QmpPeer({ bindings: tinyRegistry() });
    open.push(a, b);
    expect(a.qemuVersion.package).not.toBe(b.qemuVersion.package);
    expect(new QmpPeer({ bindings: registry }).qemuVersion).toEqual(a.qemuVersion);
  });
});

describe.skipIf(!CAPTURE.available)("a QEMU's capture", () => {
  const capture = () => parseQmpJson(readFileSync(CAPTURE.path, 'utf8')) as { schema: unknown[]; greeting: { QMP: { version: unknown } } };

  it('is served exactly', async () => {
    const { schema } = capture();
    const peer = new QmpPeer({ schema, greeting: { version: capture().greeting.QMP.version as never } });
    open.push(peer);
    expect(await schemaOf(peer)).toEqual(schema);
  });

  it('checks calls when no bindings are given (every integer is int: widths unknown)', async () => {
    const peer = new QmpPeer({ schema: capture().schema });
    open.push(peer);
    const client = await QmpClient.connect(peer.pair());
    open.push(client);
    const refusal = (args: Record<string, unknown>) => client.execute('block-dirty-bitmap-add', args).catch((e: { desc: string }) => e.desc);
    expect(await refusal({ node: 'n', name: 'b', granularity: 'x' })).toBe("Invalid parameter type for 'granularity', expected: integer");
    expect(await refusal({ node: 'n', name: 'b', bogus: 1 })).toBe("Parameter 'bogus' is unexpected");
    // A uint32 member of QEMU's own schema: the capture alone cannot tell its width.
    expect(await refusal({ node: 'n', name: 'b', granularity: 2 ** 40 })).toMatch(/no handler answers 'block-dirty-bitmap-add'/);
  });

  it('refuses what is no query-qmp-schema reply', () => {
    expect(() => new QmpPeer({ schema: [{ 'meta-type': 'command', name: 'x' }] })).toThrow(/options\.schema is no query-qmp-schema reply: \[0\]\.arg-type/);
    expect(() => new QmpPeer({})).toThrow('give the bindings (options.bindings) or a QEMU schema (options.schema)');
  });
});
