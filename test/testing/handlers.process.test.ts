/**
 * Handlers and events, typed by the bindings: a handler gets the call's
 * arguments and returns what the command returns; what the schema
 * refuses, or a handler that throws, fails the test loudly (onError) and
 * answers the client with an error saying so; CommandFailure and QmpError
 * answer as QEMU's error replies.  A valid call nobody handles gets an
 * error of its own.  Events are checked against the schema before they go.
 */
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { QmpClient, QmpError, type QmpEvent } from 'qapi-ts-runtime';
import { CommandFailure, PeerHandlerError, QmpPeer, type PeerOptions, type ReplayMismatchError } from 'qapi-ts-runtime/testing';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { runNode } from '../helpers/tsc.js';
import { tinyRegistry, type TinyCommands, type TinyEvents } from './helpers/tiny-schema.js';

const RUNTIME = join(PROJECT_ROOT, 'runtime', 'dist', 'index.js');
const TESTING = join(PROJECT_ROOT, 'runtime', 'dist', 'testing.js');

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setUp(options: Omit<PeerOptions<TinyCommands, TinyEvents>, 'bindings'> = {}) {
  const errors: (PeerHandlerError | ReplayMismatchError)[] = [];
  const peer = new QmpPeer({ bindings: tinyRegistry(), onError: (e) => errors.push(e), ...options });
  const client = await QmpClient.connect(peer.pair(), { bindings: tinyRegistry() });
  open.push(peer, client);
  return { peer, client, errors };
}

/** The error a call rejects with. */
const failure = (p: Promise<unknown>): Promise<QmpError> => p.then(() => expect.fail('expected an error reply'), (e: unknown) => e as QmpError);

describe('handlers', () => {
  it('are typed by the bindings and answer with what they return', async () => {
    const { peer, client } = await setUp();
    peer.handle('set', (args, call) => {
      expectTypeOf(args.count).toEqualTypeOf<number | bigint>();
      expectTypeOf(args.color).toEqualTypeOf<'red' | 'green' | undefined>();
      return { total: args.count, note: `${call.command} on connection ${call.connection}` };
    });
    peer.handle('query-colors', async () => ['red' as const, 'green' as const]);
    // @ts-expect-error -- the return type is the command's
    peer.handle('ping', () => 42);
    expect(await client.execute('set', { count: 4 })).toEqual({ total: 4, note: 'set on connection 1' });
    expect(await client.execute('query-colors')).toEqual(['red', 'green']);
    expect(() => peer.handle('nope' as 'set', () => ({ total: 1 }))).toThrow("'nope' is not a command of the schema");
  });

  it('answer QEMU error replies when they throw CommandFailure or QmpError', async () => {
    const { peer, client, errors } = await setUp();
    peer.handle('add-thing', (args) => {
      if (args.kind === 'disk') throw new CommandFailure('DeviceNotFound', `Device '${args.name}' not found`);
      throw new QmpError('add-thing', 'GenericError', 'no room');
    });
    expect(await failure(client.execute('add-thing', { kind: 'disk', name: 'd0', size: 1 }))).toMatchObject({ errorClass: 'DeviceNotFound', desc: "Device 'd0' not found" });
    expect(await failure(client.execute('add-thing', { kind: 'none', name: 'x' }))).toMatchObject({ errorClass: 'GenericError', desc: 'no room' });
    expect(errors).toEqual([]);
  });

  it.each([
    ['returns a member the schema lacks', () => ({ total: 1, extra: true }), "the handler's return value is not what the schema says: return.extra: unknown member"],
    ['returns the wrong type', () => ({ total: 'many' }), "the handler's return value is not what the schema says: return.total: expected an integer, got \"many\""],
    ['returns nothing where a value is due', () => undefined, "the handler's return value is not what the schema says: return: expected an object, got undefined"],
    [
      'throws',
      () => {
        throw new RangeError('bug in the test');
      },
      'the handler threw: bug in the test',
    ],
  ])('fail the test loudly when a handler %s', async (_what, handler, message) => {
    const { peer, client, errors } = await setUp();
    peer.handle('set', handler as never);
    const error = await failure(client.execute('set', { count: 1 }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(PeerHandlerError);
    expect(errors[0]!.message).toBe(`set: ${message}`);
    expect(error).toMatchObject({ errorClass: 'GenericError', desc: `fake QEMU: set: ${message}` });
  });

  it('fail loudly by default: the error is thrown where the test runner (here, node) sees it', async () => {
    // A process of its own: the uncaught error would fail this test run too.
    const program = [
      `import { linkNamedTables, QmpClient, TypeRegistry } from ${JSON.stringify(RUNTIME)};`,
      `import { QmpPeer } from ${JSON.stringify(TESTING)};`,
      "const t = linkNamedTables({ types: [], commands: [['ping', { args: null, returns: 'str', oob: false, noReply: false }]] });",
      'const peer = new QmpPeer({ bindings: new TypeRegistry([t.types], [t.commands]) });',
      "peer.handle('ping', () => 7);",
      'const client = await QmpClient.connect(peer.pair());',
      "await client.execute('ping').catch(() => {});",
      'setTimeout(() => console.log("not reached"), 1000);',
    ].join('\n');
    const r = await runNode(['--input-type=module', '-e', program], 30_000);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/PeerHandlerError: ping: the handler's return value is not what the schema says: return: expected a string, got 7/);
    expect(r.output).not.toMatch(/not reached/);
  });

  it('a valid call nobody handles gets an error saying so, distinct from QEMU’s, and the class is configurable', async () => {
    const { client } = await setUp();
    const error = await failure(client.execute('set', { count: 1 }));
    expect(error.errorClass).toBe('GenericError');
    expect(error.desc).toBe("fake QEMU: no handler answers 'set' (its arguments are valid; set one with peer.handle('set', ...))");
    // Invalid arguments are still refused as QEMU refuses them.
    expect((await failure(client.execute('set', {}))).desc).toBe("Parameter 'count' is missing");

    const { client: other } = await setUp({ unhandled: { errorClass: 'Unhandled', desc: (command) => `no ${command}` } });
    expect(await failure(other.execute('quit'))).toMatchObject({ errorClass: 'Unhandled', desc: 'no quit' });
  });
});

describe('events', () => {
  it('are typed by the bindings and checked before they go', async () => {
    const { peer, client } = await setUp();
    const got = client.waitFor('TICK', undefined, { since: 'now' });
    peer.emit('TICK', { n: 3, color: 'green' });
    const tick = await got;
    expectTypeOf(tick).toEqualTypeOf<QmpEvent<'TICK', TinyEvents['TICK']>>();
    expect(tick.data).toEqual({ n: 3, color: 'green' });
    // @ts-expect-error -- the data is the event's
    expect(() => peer.emit('TICK', { n: 3 })).toThrow("QmpPeer.emit: TICK: data.color: missing required member");
    // @ts-expect-error -- a value the enum lacks
    expect(() => peer.emit('TICK', { n: 3, color: 'blue' })).toThrow('data.color: expected one of "red", "green", got "blue"');
    // @ts-expect-error -- an event the schema lacks
    expect(() => peer.emit('BOOM', {})).toThrow("'BOOM' is not an event of the schema");
  });

  it('stamp events with the clock given', async () => {
    const { peer, client } = await setUp({ clock: () => ({ seconds: 1700000000, microseconds: 42 }) });
    const got = client.waitFor('STOP', undefined, { since: 'now' });
    peer.emit('STOP');
    expect((await got).timestamp).toEqual({ seconds: 1700000000, microseconds: 42 });
  });
});
