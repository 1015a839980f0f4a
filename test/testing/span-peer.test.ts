/**
 * The fake QEMU with bindings that span releases: the peer plays one
 * release of theirs (asked for, or the one its greeting's version is), and
 * is that release as QEMU would be: only its commands, its arguments
 * (members, values, what it requires), its replies' and events' types,
 * and its query-qmp-schema, which agrees with what a peer made from that
 * release's bindings alone reports.  On the span of test/fixtures/span/
 * (a small schema as QEMU 8.2 and 10.2 have it).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { QmpClient, QmpError, QmpSchemaDriftError, QmpUnavailableError, readSchemaInfo, TypeRegistry, type SchemaInfo } from 'qapi-ts-runtime';
import { PeerHandlerError, QmpPeer, type PeerOptions } from 'qapi-ts-runtime/testing';
import { buildTables } from '../../generator/emit/parts/descriptors.js';
import { loadSchema } from '../../generator/frontend.js';
import { resolveInput } from '../../generator/input/resolve.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';

const FIXTURE = (name: string): string => join(PROJECT_ROOT, 'test', 'fixtures', 'span', name, 'qapi-schema.json');
const RELEASES = [
  { release: '8.2', path: FIXTURE('older') },
  { release: '10.2', path: FIXTURE('newer') },
];
const spanTables = buildTables((await resolveInput({ kind: 'span', releases: RELEASES })).model);
const registry = new TypeRegistry([spanTables.types], [spanTables.commands], { events: [spanTables.events], span: { releases: ['8.2', '10.2'] } });

/** Bindings of one release alone. */
function releaseRegistry(release: string): TypeRegistry {
  const path = RELEASES.find((r) => r.release === release)!.path;
  const tables = buildTables(loadSchema(path, { qemuVersion: release }).model);
  return new TypeRegistry([tables.types], [tables.commands], { events: [tables.events] });
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

type Peer = QmpPeer;

/** A peer of untyped handlers and events (these bindings are tables only). */
function peerOf(options: Omit<PeerOptions, 'bindings'> & { readonly bindings?: TypeRegistry }): Peer {
  const peer = new QmpPeer({ ...options, bindings: options.bindings as PeerOptions['bindings'] });
  open.push(peer);
  return peer;
}

async function connect(peer: Peer): Promise<QmpClient> {
  const client = await QmpClient.connect(peer.pair(), { bindings: registry });
  open.push(client);
  return client;
}

/** A raw call the client does not check (the peer is what is tested):
 *  `ok`, or the error QEMU would answer with. */
async function answer(client: QmpClient, command: string, args?: Record<string, unknown>): Promise<string> {
  try {
    await client.execute(command, args, { unchecked: true });
    return 'ok';
  } catch (e) {
    if (e instanceof QmpError) return `${e.errorClass}: ${e.desc}`;
    throw e;
  }
}

describe('which release the peer plays', () => {
  it.each([
    { options: { release: '8.2' }, release: '8.2', version: '8.2.0' },
    { options: { release: '10.2' }, release: '10.2', version: '10.2.0' },
    // The default greeting (10.0.2) is 8.2, the newest not newer than it.
    { options: {}, release: '8.2', version: '10.0.2' },
    { options: { greeting: { version: { qemu: { major: 10, minor: 2, micro: 3 }, package: '' } } }, release: '10.2', version: '10.2.3' },
  ])('$options: $release, greeting $version, and the client agrees', async ({ options, release, version }) => {
    const peer = peerOf({ bindings: registry, ...options });
    expect(peer.release).toBe(release);
    const { major, minor, micro } = peer.qemuVersion.qemu;
    expect(`${major}.${minor}.${micro}`).toBe(version);
    expect((await connect(peer)).release).toBe(release);
  });

  it.each([
    { what: 'a release the bindings do not span', options: { bindings: registry, release: '9.0' }, message: "QmpPeer: options.release '9.0' is not one of the bindings' releases (8.2, 10.2)" },
    { what: 'a greeting older than the span, no release', options: { bindings: registry, greeting: { version: { qemu: { major: 7, minor: 2, micro: 0 }, package: '' } } }, message: 'QmpPeer: QEMU 7.2.0 is older than every release these bindings span (8.2, 10.2): give options.release' },
    { what: 'a release with bindings of one schema', options: { bindings: releaseRegistry('8.2'), release: '8.2' }, message: "QmpPeer: options.release ('8.2') needs bindings that span releases" },
  ])('$what is refused', ({ options, message }) => {
    expect(() => new QmpPeer(options)).toThrow(message);
  });
});

describe('calls, as the release played takes them', () => {
  const NOT_FOUND = (c: string) => `CommandNotFound: The command ${c} has not been found`;
  it.each([
    { command: 'old-only', args: undefined, older: 'ok', newer: NOT_FOUND('old-only') },
    { command: 'new-only', args: { shape: { kind: 'c', y: 'v' } }, older: NOT_FOUND('new-only'), newer: 'ok' },
    { command: 'set-mode', args: { mode: 'a', path: '/x' }, older: 'ok', newer: 'ok' },
    { command: 'set-mode', args: { mode: 'c', path: '/x' }, older: "GenericError: Parameter 'mode' does not accept value 'c'", newer: 'ok' },
    { command: 'set-mode', args: { mode: 'a', path: '/x', force: true }, older: "GenericError: Parameter 'force' is unexpected", newer: 'ok' },
    { command: 'set-mode', args: { mode: 'a' }, older: "GenericError: Parameter 'path' is missing", newer: 'ok' },
    { command: 'new-only', args: { shape: { kind: 'a', x: 1 } }, older: NOT_FOUND('new-only'), newer: 'ok' },
    { command: 'set-mode', args: { mode: 'z', path: '/x' }, older: "GenericError: Parameter 'mode' does not accept value 'z'", newer: "GenericError: Parameter 'mode' does not accept value 'z'" },
  ])('$command $args: 8.2 $older; 10.2 $newer', async ({ command, args, older, newer }) => {
    for (const [release, want] of [
      ['8.2', older],
      ['10.2', newer],
    ] as const) {
      const peer = peerOf({ bindings: registry, release });
      for (const name of ['old-only', 'new-only', 'set-mode']) peer.handle(name, () => undefined);
      expect(await answer(await connect(peer), command, args), release).toBe(want);
    }
  });
});

describe('replies and events, as the release played types them', () => {
  const info82 = { name: 'n', kind: 'free text', count: 1 };
  const info102 = { name: 'n', fresh: true, kind: 'p', count: 1 };
  it.each([
    { release: '8.2', reply: info82, accepted: true },
    { release: '8.2', reply: info102, accepted: false },
    { release: '10.2', reply: info102, accepted: true },
    { release: '10.2', reply: info82, accepted: false },
  ])("query-info's handler returning $reply on $release: accepted $accepted", async ({ release, reply, accepted }) => {
    const errors: unknown[] = [];
    const peer = peerOf({ bindings: registry, release, onError: (e) => errors.push(e) });
    peer.handle('query-info', () => [reply]);
    const got = await (await connect(peer)).execute('query-info', undefined, { unchecked: true }).catch((e: unknown) => e);
    if (accepted) {
      expect(got).toEqual([reply]);
      expect(errors).toEqual([]);
    } else {
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(PeerHandlerError);
      expect(got).toBeInstanceOf(QmpError);
    }
  });

  it('an event the release lacks is not sent; one it has, with its data type', async () => {
    const older = peerOf({ bindings: registry, release: '8.2' });
    expect(() => older.emit('NEW_EVENT', { id: 'x' })).toThrow("QmpPeer.emit: 'NEW_EVENT' is not an event of QEMU 8.2");
    const newer = peerOf({ bindings: registry, release: '10.2' });
    const client = await connect(newer);
    const event = client.waitFor('NEW_EVENT', undefined, { since: 'now', timeout: 5_000 });
    newer.emit('NEW_EVENT', { id: 'x' });
    expect((await event).data).toEqual({ id: 'x' });
    // TICK's n is int32 in 8.2: a value beyond it is refused there only.
    expect(() => older.emit('TICK', { n: 2 ** 40 })).toThrow(/TICK/);
    expect(() => newer.emit('TICK', { n: 2 ** 40 })).not.toThrow();
  });
});

/** A schema as nested structure, types by content instead of numbers:
 *  two replies that name their types otherwise compare equal. */
function shapes(entities: readonly SchemaInfo[]): Record<string, unknown> {
  const byName = new Map(entities.map((e) => [e.name, e]));
  const shape = (name: string): unknown => {
    const e = byName.get(name)!;
    switch (e.metaType) {
      case 'builtin':
        return e.name;
      case 'enum':
        return { enum: e.values.map((v) => v.name).sort() };
      case 'array':
        return { array: shape(e.elementType) };
      case 'alternate':
        return { alternate: e.members.map(shape) };
      case 'object':
        return {
          members: Object.fromEntries(e.members.map((m) => [m.name, { optional: m.optional, type: shape(m.type) }])),
          ...(e.tag === null ? {} : { tag: e.tag, variants: Object.fromEntries(e.variants.map((v) => [v.case, shape(v.type)])) }),
        };
      default:
        return null;
    }
  };
  const out: Record<string, unknown> = {};
  for (const e of entities) {
    if (e.metaType === 'command') out[`command ${e.name}`] = { args: shape(e.argType), returns: shape(e.retType) };
    if (e.metaType === 'event') out[`event ${e.name}`] = shape(e.argType);
  }
  return out;
}

async function schemaShapes(peer: Peer): Promise<Record<string, unknown>> {
  const reading = readSchemaInfo(await (await connect(peer)).execute('query-qmp-schema'));
  if (!reading.ok) throw new Error(reading.problems.join('; '));
  return shapes(reading.entities);
}

describe("query-qmp-schema: the release's own", () => {
  it.each(['8.2', '10.2'])('QEMU %s: a client checking calls against it too (checkSchema) sends what the release has, and refuses the rest unsent', async (release) => {
    const peer = peerOf({ bindings: registry, release });
    peer.handle('set-mode', () => undefined);
    const client = await QmpClient.connect(peer.pair(), { bindings: registry, checkSchema: true });
    open.push(client);
    await client.execute('set-mode', { mode: 'a', path: '/x' });
    // A raw call's arguments are not the release gate's (the bindings'
    // functions check them): the schema the peer reports refuses them.
    if (release === '8.2') await expect(client.execute('set-mode', { mode: 'c', path: '/x' })).rejects.toBeInstanceOf(QmpSchemaDriftError);
    await expect(client.execute(release === '8.2' ? 'new-only' : 'old-only')).rejects.toBeInstanceOf(QmpUnavailableError);
    expect(peer.calls.map((c) => c.command)).toEqual(['qmp_capabilities', 'query-qmp-schema', 'set-mode']);
  });

  it.each(['8.2', '10.2'])('QEMU %s: what a peer of its bindings alone reports', async (release) => {
    const spanned = await schemaShapes(peerOf({ bindings: registry, release }));
    const alone = await schemaShapes(peerOf({ bindings: releaseRegistry(release) }));
    expect(Object.keys(spanned).length).toBeGreaterThanOrEqual(4);
    expect(spanned).toEqual(alone);
  });

  it('the two releases report different schemas (the check above can tell them apart)', async () => {
    const older = await schemaShapes(peerOf({ bindings: registry, release: '8.2' }));
    const newer = await schemaShapes(peerOf({ bindings: registry, release: '10.2' }));
    expect(older).not.toEqual(newer);
    expect(older['command set-mode']).toEqual({
      args: { members: { mode: { optional: false, type: { enum: ['a', 'b'] } }, path: { optional: false, type: 'str' } } },
      returns: { members: {} },
    });
  });
});

const Q72 = requireShared('qemu-7.2/qapi/qapi-schema.json', 'a fake QEMU playing releases of a 7.2 + 10.2 span');
const Q102 = requireShared('qemu-10.2/qapi/qapi-schema.json', 'a fake QEMU playing releases of a 7.2 + 10.2 span');

/** Each command's and event's top-level members (optional or not), and
 *  the values of the enums they take directly: whole schemas recurse, so
 *  they are compared at this depth. */
function outline(entities: readonly SchemaInfo[]): Record<string, unknown> {
  const byName = new Map(entities.map((e) => [e.name, e]));
  const members = (name: string): unknown => {
    const e = byName.get(name)!;
    if (e.metaType !== 'object') return e.metaType;
    return Object.fromEntries(
      e.members.map((m) => {
        const t = byName.get(m.type)!;
        return [m.name, { optional: m.optional, type: t.metaType === 'enum' ? t.values.map((v) => v.name).sort() : t.metaType }];
      }),
    );
  };
  const out: Record<string, unknown> = {};
  for (const e of entities) if (e.metaType === 'command' || e.metaType === 'event') out[`${e.metaType} ${e.name}`] = members(e.argType);
  return out;
}

describe.skipIf(!Q72.available || !Q102.available)('a span of QEMU 7.2 and 10.2: the peer plays each release', () => {
  it('reports, for each, the commands, events and their arguments that release\'s bindings alone report', async () => {
    const releases = [
      { release: '7.2', path: Q72.path },
      { release: '10.2', path: Q102.path },
    ];
    const tables = buildTables((await resolveInput({ kind: 'span', releases })).model);
    const spanned = new TypeRegistry([tables.types], [tables.commands], { events: [tables.events], span: { releases: ['7.2', '10.2'] } });
    const outlines: Record<string, unknown>[] = [];
    for (const { release, path } of releases) {
      const own = buildTables(loadSchema(path, { qemuVersion: release }).model);
      const alone = new TypeRegistry([own.types], [own.commands], { events: [own.events] });
      const read = async (peer: Peer) => {
        const client = await QmpClient.connect(peer.pair());
        open.push(client);
        const reading = readSchemaInfo(await client.execute('query-qmp-schema'));
        if (!reading.ok) throw new Error(reading.problems.join('; '));
        return outline(reading.entities);
      };
      const played = await read(peerOf({ bindings: spanned, release }));
      expect(Object.keys(played).length, release).toBeGreaterThan(200);
      expect(played, release).toEqual(await read(peerOf({ bindings: alone })));
      outlines.push(played);
    }
    expect(outlines[0]).not.toEqual(outlines[1]);
  }, 120_000);
});
