/**
 * Reconnecting (ConnectOptions.reconnect) against a scripted peer: the
 * peer drops the connection and takes the next one on the same path
 * (itself, or a new peer there); the client tells each step to
 * onReconnect, renegotiates, checks the schema again, keeps its handlers,
 * iterators and waiters, rejects what was in flight as of unknown
 * outcome, and gives up after its attempts.  Against QEMU 10.0.2 killed
 * and restarted: test/e2e/reconnect.qemu.test.ts.
 */
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  QmpClient,
  QmpConnectionError,
  QmpOutcomeUnknownError,
  QmpSchemaDriftError,
  runBlockJob,
  type ConnectOptions,
  type QmpEvent,
  type ReconnectEvent,
} from '../../runtime/index.js';
import { makeTempDir, removeTempDir } from '../helpers/qemu.js';
import { closeAfterEach, startMockServer, type MockServer, type MockServerOptions } from './helpers/mock-qmp-server.js';

const held: { client?: QmpClient; servers: MockServer[] } = { servers: [] };
closeAfterEach(() => [held.client, ...held.servers.splice(0)]);

const FAST = { initialDelay: 1, maxDelay: 5 };

/** A peer that never answers `hang`, and answers query-qmp-schema with `schema`. */
async function peer(options: MockServerOptions = {}, schema: unknown[] = []): Promise<MockServer> {
  const server = await startMockServer({
    ...options,
    onCommand: (command, conn) => {
      if (command.name === 'hang') return true;
      if (command.name !== 'query-qmp-schema') return false;
      conn.reply(command, schema);
      return true;
    },
  });
  held.servers.push(server);
  return server;
}

/** Connects with reconnect on, recording what onReconnect is told. */
async function connect(server: MockServer, options: ConnectOptions = {}): Promise<{ client: QmpClient; told: ReconnectEvent[] }> {
  held.client = await QmpClient.connect({ path: server.path }, { reconnect: FAST, ...options });
  const told: ReconnectEvent[] = [];
  held.client.onReconnect((e) => told.push(e));
  return { client: held.client, told };
}

/** Resolves with the next event of `kind` told to onReconnect. */
function next(client: QmpClient, kind: ReconnectEvent['kind']): Promise<ReconnectEvent> {
  return new Promise((resolve) => {
    const stop = client.onReconnect((e) => {
      if (e.kind !== kind) return;
      stop();
      resolve(e);
    });
  });
}

describe('reconnect', () => {
  it('after a drop: in-flight commands reject as of unknown outcome, the client reconnects, and events flow to the same handlers, iterator and waiter', async () => {
    const server = await peer({ capabilities: ['oob'] });
    const { client, told } = await connect(server, { capabilities: ['oob'] });
    const handled: QmpEvent[] = [];
    client.on('STOP', (e) => handled.push(e));
    const iterator = client.events();
    const waiter = client.waitFor('RESUME', undefined, { since: 'now' });
    server.connections[0]!.event('STOP');
    const inFlight = client.execute('hang');
    await server.nextCommandNamed('hang');

    const reconnected = next(client, 'reconnected');
    server.connections[0]!.socket.destroy();
    const lost = await inFlight.catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(QmpOutcomeUnknownError);
    expect(lost).toBeInstanceOf(QmpConnectionError);
    expect(lost).toMatchObject({ command: 'hang', message: 'hang: connection closed by peer' });
    expect(await reconnected).toMatchObject({ kind: 'reconnected', attempt: 1 });
    expect(client.connectionState).toBe('ready');
    expect(told.map((e) => e.kind)).toEqual(['lost', 'reconnected']);
    expect(told[0]).toMatchObject({ kind: 'lost', retryIn: 1, cause: { message: 'connection closed by peer' } });

    // Capabilities negotiated again, the same way; commands flow.
    expect(server.received.filter((c) => c.name === 'qmp_capabilities').map((c) => c.arguments)).toEqual([{ enable: ['oob'] }, { enable: ['oob'] }]);
    expect(client.capabilities).toEqual(['oob']);
    await expect(client.execute('query-status')).resolves.toEqual({});

    const conn = server.connections.at(-1)!;
    conn.event('STOP');
    conn.event('RESUME');
    expect((await waiter).event).toBe('RESUME');
    expect(handled).toHaveLength(2);
    const seen: string[] = [];
    for await (const event of iterator) {
      seen.push(event.event);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(['STOP', 'STOP', 'RESUME']);
    expect(client.closed).toBe(false);
  });

  it('while reconnecting, a command is not sent: it rejects at once', async () => {
    const server = await peer();
    const { client } = await connect(server, { reconnect: { initialDelay: 60_000 } });
    const refused = new Promise<unknown>((resolve) =>
      client.onReconnect((e) => {
        if (e.kind === 'lost') resolve(client.execute('query-status').catch((err: unknown) => err));
      }),
    );
    server.connections[0]!.socket.destroy();
    const error = await refused;
    expect(error).toBeInstanceOf(QmpConnectionError);
    expect(error).not.toBeInstanceOf(QmpOutcomeUnknownError);
    expect((error as Error).message).toBe('query-status: not sent: reconnecting');
    expect(client.connectionState).toBe('reconnecting');
  });

  it('a peer that comes back as another QEMU: its greeting, and its schema checked again', async () => {
    const v72 = { qemu: { major: 7, minor: 2, micro: 0 }, package: 'mock' };
    const v100 = { qemu: { major: 10, minor: 0, micro: 2 }, package: 'mock' };
    const schema = (command: string) => [
      { name: '0', 'meta-type': 'object', members: [] },
      { name: command, 'meta-type': 'command', 'arg-type': '0', 'ret-type': '0' },
    ];
    // A folder of the test's own: the first peer leaves it to the second.
    const dir = makeTempDir('qapi-ts-reconnect-');
    onTestFinished(() => removeTempDir(dir));
    const first = await peer({ version: v72, path: join(dir, 'qmp.sock') }, schema('job-start'));
    const { client } = await connect(first, { checkSchema: { cache: new Map() } });
    await expect(client.execute('job-start')).resolves.toEqual({});

    const reconnected = next(client, 'reconnected');
    await first.close();
    const second = await peer({ version: v100, path: first.path }, schema('job-finish'));
    expect(await reconnected).toMatchObject({ greeting: { version: v100 } });
    expect(client.greeting.version).toEqual(v100);
    expect(second.received.map((c) => c.name)).toEqual(['qmp_capabilities', 'query-qmp-schema']);
    const refused = await client.execute('job-start').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(QmpSchemaDriftError);
    expect((refused as QmpSchemaDriftError).qemu).toBe('QEMU 10.0.2 (mock)');
    await expect(client.execute('job-finish')).resolves.toEqual({});
  });

  it('gives up after its attempts: onReconnect is told each failure and the end, then the client closes', async () => {
    const server = await peer();
    const { client, told } = await connect(server, { reconnect: { ...FAST, attempts: 3 } });
    const waiter = client.waitFor('NEVER', undefined, { since: 'now' });
    const closed = new Promise<QmpConnectionError>((resolve) => client.onClose(resolve));
    await server.close();
    const error = await closed;
    expect(told.map((e) => [e.kind, 'attempt' in e ? e.attempt : 'attempts' in e ? e.attempts : 0])).toEqual([
      ['lost', 0],
      ['retrying', 1],
      ['retrying', 2],
      ['gave-up', 3],
    ]);
    expect(told.map((e) => ('retryIn' in e ? e.retryIn : undefined))).toEqual([1, 2, 4, undefined]);
    expect(error.message).toMatch(/^gave up reconnecting after 3 attempts: cannot connect to .*qmp\.sock: /);
    expect(client.closed).toBe(true);
    await expect(waiter).rejects.toBe(error);
    await expect(client.execute('query-status')).rejects.toThrow('query-status: connection is closed');
  });

  it('close() while waiting to reconnect ends it for good: no further attempt', async () => {
    const server = await peer();
    const { client, told } = await connect(server, { reconnect: { initialDelay: 60_000 } });
    const lost = next(client, 'lost');
    server.connections[0]!.socket.destroy();
    await lost;
    await client.close();
    expect(client.connectionState).toBe('closed');
    expect(told.map((e) => e.kind)).toEqual(['lost']);
    expect(await server.settledConnectionCount()).toBe(1);
  });

  it('a block job followed across the loss rejects as of unknown outcome (its events may be missed)', async () => {
    const server = await peer();
    const { client } = await connect(server);
    const listed = server.nextCommandNamed('query-block-jobs');
    const running = runBlockJob(client, () => client.execute('block-commit', { device: 'drive0' }), { pollInterval: 0 });
    await listed;
    server.connections[0]!.socket.destroy();
    const error = await running.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpOutcomeUnknownError);
    expect((error as Error).message).toBe('job drive0: connection closed by peer; events may be missed while reconnecting');
  });

  it.each<[string, () => Promise<unknown>, string]>([
    ['a stream target (it cannot be opened again)', () => QmpClient.connect({ stream: new Duplex() }, { reconnect: true }), 'TypeError'],
    ['attempts that are not a positive integer', () => QmpClient.connect({ path: '/nonexistent' }, { reconnect: { attempts: 0 } }), 'RangeError'],
    ['a delay that is not a finite number of milliseconds', () => QmpClient.connect({ path: '/nonexistent' }, { reconnect: { maxDelay: Infinity } }), 'RangeError'],
  ])('refuses %s before connecting', async (_, connecting, name) => {
    const error = await connecting().catch((e: unknown) => e);
    expect((error as Error).name).toBe(name);
    expect((error as Error).message).toMatch(/^reconnect: /);
  });
});
