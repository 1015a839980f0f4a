/**
 * The connect-time schema check against a scripted peer: off by default;
 * on, the peer's query-qmp-schema is read once per QEMU version (and
 * variant), every call is checked against it before it is sent, a call
 * the peer would refuse rejects locally with QmpSchemaDriftError (nothing
 * on the wire), and the drift from the bindings is a typed summary.
 * Against a live QEMU: test/e2e/schema-check.qemu.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { buildTables } from '../../generator/emit/parts/descriptors.js';
import {
  CommandRunner,
  QapiValidationError,
  QmpClient,
  QmpProtocolError,
  QmpSchemaDriftError,
  TypeRegistry,
  type Drift,
  type SchemaDrift,
  type SchemaInfo,
} from '../../runtime/index.js';
import { loadMemory } from '../helpers/memory-schema.js';
import { closeAfterEach, startMockServer, type MockServer, type MockServerOptions } from './helpers/mock-qmp-server.js';

/** What the peer says it accepts (SchemaInfo, types named by number as QEMU names them). */
const PEER_SCHEMA = [
  { name: 'str', 'meta-type': 'builtin', 'json-type': 'string' },
  { name: 'int', 'meta-type': 'builtin', 'json-type': 'int' },
  { name: '0', 'meta-type': 'object', members: [] },
  { name: '1', 'meta-type': 'enum', members: [{ name: 'fast' }, { name: 'slow' }] },
  {
    name: '2',
    'meta-type': 'object',
    members: [
      { name: 'device', type: 'str' },
      { name: 'speed', type: 'int', default: null },
      { name: 'mode', type: '1', default: null },
      { name: 'owner', type: 'str' },
    ],
  },
  { name: '3', 'meta-type': 'array', 'element-type': '2' },
  { name: 'job-start', 'meta-type': 'command', 'arg-type': '2', 'ret-type': '0' },
  { name: 'query-jobs', 'meta-type': 'command', 'arg-type': '0', 'ret-type': '3' },
  { name: 'job-pause', 'meta-type': 'command', 'arg-type': '0', 'ret-type': '0' },
  { name: 'JOB_DONE', 'meta-type': 'event', 'arg-type': '2' },
];

/** The bindings' side: job-start has a member and an enum value the peer lacks, and an optional owner the peer requires. */
const BINDINGS_SCHEMA = `
{ 'enum': 'Mode', 'data': [ 'fast', 'slow', 'turbo' ] }
{ 'struct': 'Job', 'data': { 'device': 'str', '*speed': 'int', '*mode': 'Mode', '*owner': 'str', '*limit': 'int' } }
{ 'command': 'job-start', 'data': 'Job', 'boxed': true }
{ 'command': 'query-jobs', 'returns': [ 'Job' ] }
{ 'command': 'job-stop' }
{ 'event': 'JOB_DONE', 'data': 'Job', 'boxed': true }
`;

function bindings(): TypeRegistry {
  const loaded = loadMemory({ 'main.json': BINDINGS_SCHEMA }, { qemuVersion: '7.2' });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const { types, commands, events } = buildTables(loaded.loaded.model);
  return new TypeRegistry([types], [commands], { int64: 'bigint', events: [events] });
}

// Every server a test starts (some start two) is closed after it.
const held: { client?: QmpClient; others: QmpClient[]; servers: MockServer[] } = { others: [], servers: [] };
closeAfterEach(() => [held.client, ...held.others.splice(0), ...held.servers.splice(0)]);

/** A peer answering query-qmp-schema with `schema`. */
async function peer(schema: unknown = PEER_SCHEMA, options: MockServerOptions = {}): Promise<MockServer> {
  const server = await startMockServer({
    ...options,
    onCommand: (command, conn) => {
      if (command.name !== 'query-qmp-schema') return false;
      conn.reply(command, schema);
      return true;
    },
  });
  held.servers.push(server);
  return server;
}

const asked = (server: MockServer): number => server.received.filter((c) => c.name === 'query-qmp-schema').length;

describe('the schema check', () => {
  it('is off by default: no query-qmp-schema, and calls go out unchecked', async () => {
    const server = await peer();
    held.client = await QmpClient.connect({ path: server.path });
    await held.client.execute('job-start', { device: 'd', owner: 'me', limit: 5 });
    expect(server.received.map((c) => c.name)).toEqual(['qmp_capabilities', 'job-start']);
    expect(held.client.schemaDrift).toBeUndefined();
  });

  it('rejects a call the QEMU would refuse, naming what and the QEMU, and sends nothing', async () => {
    const server = await peer();
    held.client = await QmpClient.connect({ path: server.path }, { checkSchema: { cache: new Map() } });
    const error = await held.client.execute('job-start', { device: 'd', owner: 'me', limit: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpSchemaDriftError);
    expect(error).toMatchObject({
      command: 'job-start',
      qemu: 'QEMU 7.2.0 (mock)',
      refusals: [{ path: 'arguments.limit', kind: 'unknown-member', message: 'unknown member' }],
    });
    expect((error as Error).message).toBe('job-start: not sent: QEMU 7.2.0 (mock) does not accept it:\n  arguments.limit: unknown member');
    await held.client.execute('job-start', { device: 'd', owner: 'me', speed: 5 });
    expect(server.received.map((c) => c.name)).toEqual(['qmp_capabilities', 'query-qmp-schema', 'job-start']);
    expect(server.received[2]!.arguments).toEqual({ device: 'd', owner: 'me', speed: 5 });
  });

  it.each<[string, string, Record<string, unknown> | undefined, string[]]>([
    ['an unknown command', 'job-stop', undefined, ["unknown command 'job-stop'"]],
    ['an unknown member', 'job-start', { device: 'd', owner: 'o', limit: 1 }, ['arguments.limit: unknown member']],
    [
      'an enum value it lacks',
      'job-start',
      { device: 'd', owner: 'o', mode: 'turbo' },
      ['arguments.mode: expected one of "fast", "slow", got "turbo"'],
    ],
    ['a member it requires', 'job-start', { device: 'd' }, ['arguments.owner: missing required member']],
    [
      'a value of another JSON kind',
      'job-start',
      { device: 'd', owner: 'o', speed: 'fast' },
      ['arguments.speed: expected an integer, got "fast"'],
    ],
    ['arguments to a command that takes none', 'job-pause', { now: true }, ['arguments.now: unknown member']],
  ])('refuses %s', async (_what, command, args, refusals) => {
    const server = await peer();
    held.client = await QmpClient.connect({ path: server.path }, { checkSchema: { cache: new Map() } });
    const error = (await held.client.execute(command, args).catch((e: unknown) => e)) as QmpSchemaDriftError;
    expect(error).toBeInstanceOf(QmpSchemaDriftError);
    expect(error.message.split('\n').slice(1)).toEqual(refusals.map((r) => `  ${r}`));
    expect(server.received.map((c) => c.name)).not.toContain(command);
  });

  it('lets an integer of any width through: SchemaInfo does not say which', async () => {
    const server = await peer();
    held.client = await QmpClient.connect({ path: server.path }, { checkSchema: { cache: new Map() } });
    await held.client.execute('job-start', { device: 'd', owner: 'o', speed: 2n ** 64n - 1n });
    expect(server.received.at(-1)!.raw).toContain('"speed":18446744073709551615');
  });

  it('is skipped for an unchecked call, through the bindings too', async () => {
    const server = await peer();
    const registry = bindings();
    held.client = await QmpClient.connect({ path: server.path }, { bindings: registry, checkSchema: { cache: new Map() } });
    const qmp = new CommandRunner(held.client, registry);
    await expect(qmp.execute('job-start', { device: 'd', limit: 1n })).rejects.toBeInstanceOf(QmpSchemaDriftError);
    // The bindings' own check comes first.
    await expect(qmp.execute('job-start', { device: 'd', limit: 1 })).rejects.toBeInstanceOf(QapiValidationError);
    await qmp.execute('job-start', { device: 'd', limit: 1n }, { unchecked: true });
    expect(server.received.map((c) => c.name)).toEqual(['qmp_capabilities', 'query-qmp-schema', 'job-start']);
  });

  it('reads the schema once per QEMU version and variant; a version seen before costs no round trip', async () => {
    const cache = new Map<string, readonly SchemaInfo[]>();
    const server = await peer();
    const connect = (variant?: string) =>
      QmpClient.connect({ path: server.path }, { checkSchema: { cache, ...(variant ? { variant } : {}) } });
    held.client = await connect();
    held.others.push(await connect());
    expect(asked(server)).toBe(1);
    held.others.push(await connect('storage daemon'));
    expect(asked(server)).toBe(2);
    held.others.push(await connect('storage daemon'));
    expect(asked(server)).toBe(2);
    expect(cache.size).toBe(2);
    // The cached schema checks calls as the first reading did.
    await expect(held.others.at(-1)!.execute('job-stop')).rejects.toBeInstanceOf(QmpSchemaDriftError);

    const newer = await peer(PEER_SCHEMA, { version: { qemu: { major: 10, minor: 0, micro: 2 }, package: 'mock' } });
    held.others.push(await QmpClient.connect({ path: newer.path }, { checkSchema: { cache } }));
    expect(asked(newer)).toBe(1);
    expect(cache.size).toBe(3);
  });

  it('keeps schemas for the whole process when given no cache', async () => {
    const server = await peer();
    const variant = `process cache ${process.pid} ${Date.now()}`;
    held.client = await QmpClient.connect({ path: server.path }, { checkSchema: { variant } });
    held.others.push(await QmpClient.connect({ path: server.path }, { checkSchema: { variant } }));
    expect(asked(server)).toBe(1);
  });

  it('refuses a reply that is no schema, listing every problem at its path, and closes the connection', async () => {
    const broken = [
      { name: 'str', 'meta-type': 'builtin', 'json-type': 'text' },
      { name: '1', 'meta-type': 'object', members: [{ name: 'x', type: '9' }], extra: true },
      { 'meta-type': 'command', 'arg-type': '1', 'ret-type': '1' },
    ];
    const server = await peer(broken);
    const error = await QmpClient.connect({ path: server.path }, { checkSchema: { cache: new Map() } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpProtocolError);
    expect(error).toMatchObject({ reason: 'unreadable-schema' });
    expect((error as Error).message).toBe(
      'query-qmp-schema: QEMU 7.2.0 (mock) sent no schema qapi-ts can read: ' +
        '[0].json-type: expected one of string, number, int, boolean, null, value, got "text"; ' +
        '[1].extra: unexpected key (expected only name, meta-type, features, members, tag, variants); ' +
        '[2].name: missing (a non-empty string); ' +
        "[1].members[0].type: refers to the type '9', which the reply does not define",
    );
    expect(await server.settledConnectionCount()).toBe(1);
    await expect.poll(() => server.connections[0]!.socket.destroyed).toBe(true);
  });
});

describe('the drift summary', () => {
  it('lists what the bindings and the QEMU disagree on, each with its path and whether calls may be refused', async () => {
    const server = await peer();
    held.client = await QmpClient.connect({ path: server.path }, { bindings: bindings(), checkSchema: { cache: new Map() } });
    const drift: SchemaDrift | undefined = held.client.schemaDrift;
    expect(drift?.qemu).toBe('QEMU 7.2.0 (mock)');
    const REQUIRED = 'the QEMU requires this member; the bindings have it as optional';
    const TURBO = "the QEMU has no value 'turbo'";
    const NO_MEMBER = 'the QEMU has no such member';
    const want: [Drift['kind'], string, string, boolean, string][] = [
      ['value-missing', 'job-start', 'arguments.mode', true, TURBO],
      ['now-required', 'job-start', 'arguments.owner', true, REQUIRED],
      ['member-missing', 'job-start', 'arguments.limit', true, NO_MEMBER],
      ['value-missing', 'query-jobs', 'return[].mode', false, TURBO],
      ['now-required', 'query-jobs', 'return[].owner', false, REQUIRED],
      ['member-missing', 'query-jobs', 'return[].limit', false, NO_MEMBER],
      ['command-missing', 'job-stop', '', true, 'the QEMU has no such command'],
      ['command-added', 'job-pause', '', false, 'the bindings have no such command'],
      ['value-missing', 'JOB_DONE', 'data.mode', false, TURBO],
      ['now-required', 'JOB_DONE', 'data.owner', false, REQUIRED],
      ['member-missing', 'JOB_DONE', 'data.limit', false, NO_MEMBER],
    ];
    expect(drift?.differences).toEqual(want.map(([kind, name, path, refusesCalls, message]) => ({ kind, name, path, refusesCalls, message })));
    expect(held.client.schemaDrift).toBe(drift);
  });

  it('is undefined without the bindings, or without the check', async () => {
    const server = await peer();
    held.client = await QmpClient.connect({ path: server.path }, { checkSchema: { cache: new Map() } });
    expect(held.client.schemaDrift).toBeUndefined();
    held.others.push(await QmpClient.connect({ path: server.path }, { bindings: bindings() }));
    expect(held.others[0]!.schemaDrift).toBeUndefined();
  });
});

describe('connections opened at once (an agent restarting)', () => {
  /** A peer whose first `failFirst` query-qmp-schema replies are errors. */
  async function flakyPeer(failFirst: number): Promise<MockServer> {
    let failures = failFirst;
    const server = await startMockServer({
      onCommand: (command, conn) => {
        if (command.name !== 'query-qmp-schema') return false;
        if (failures-- > 0) conn.replyError(command, 'GenericError', 'not now');
        else conn.reply(command, PEER_SCHEMA);
        return true;
      },
    });
    held.servers.push(server);
    return server;
  }

  it.each([
    ['a cache given to all', () => ({ cache: new Map<string, readonly SchemaInfo[]>() })],
    ['the process-wide cache', () => ({ variant: `opened at once ${process.pid} ${Date.now()}` })],
  ])('100 clients of one QEMU version share one query-qmp-schema (%s), and each checks calls by it', async (_, options) => {
    const server = await peer();
    const checkSchema = options();
    const clients = await Promise.all(Array.from({ length: 100 }, () => QmpClient.connect({ path: server.path }, { checkSchema })));
    held.others.push(...clients);
    expect(asked(server)).toBe(1);
    const refused = await Promise.all(clients.map((c) => c.execute('job-stop').catch((e: unknown) => e)));
    expect(refused.filter((e) => e instanceof QmpSchemaDriftError)).toHaveLength(100);
  });

  it('a failed read is not kept: the next connection asks again', async () => {
    const server = await flakyPeer(1);
    const cache = new Map<string, readonly SchemaInfo[]>();
    await expect(QmpClient.connect({ path: server.path }, { checkSchema: { cache } })).rejects.toThrow('query-qmp-schema: GenericError: not now');
    expect(cache.size).toBe(0);
    held.client = await QmpClient.connect({ path: server.path }, { checkSchema: { cache } });
    expect(asked(server)).toBe(2);
    expect(cache.size).toBe(1);
  });

  it('a shared read that fails fails only the connection that asked; the others ask once more, together', async () => {
    const server = await flakyPeer(1);
    const cache = new Map<string, readonly SchemaInfo[]>();
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => QmpClient.connect({ path: server.path }, { checkSchema: { cache } })));
    const connected = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    held.others.push(...connected);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([
      'QmpError: query-qmp-schema: GenericError: not now',
    ]);
    expect(connected).toHaveLength(9);
    expect(asked(server)).toBe(2);
  });
});
