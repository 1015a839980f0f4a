import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { QmpClient, QmpConnectionError } from '../../runtime/index.js';
import { makeTempDir, removeTempDir } from '../helpers/qemu.js';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { closeAfterEach, startMockServer, type MockServer } from './helpers/mock-qmp-server.js';
import { collectProcessEvents } from './helpers/watch.js';

let server: MockServer | undefined;
let client: QmpClient | undefined;
closeAfterEach(() => [client, server]);
const unhandled = collectProcessEvents('unhandledRejection');

/**
 * Node reports a rejection nobody handles once the callback that caused it
 * has returned and its microtasks have run; any later callback, such as
 * this immediate, comes after that report. Not a wait for time.
 */
const rejectionsReported = () => new Promise((r) => setImmediate(r));

// A hang-up or silence before the greeting: hostile-peer.test.ts.
describe('QmpClient connection loss', () => {
  it('rejects every pending command and waiter at once when the server hangs up mid-command', async () => {
    server = await startMockServer({ onCommand: (cmd) => cmd.name === 'hang' });
    client = await QmpClient.connect({ path: server.path });
    const closedWith: QmpConnectionError[] = [];
    client.onClose((e) => closedWith.push(e));

    const arrived = Promise.all(Array.from({ length: 5 }, () => server!.nextCommand()));
    const commands = Array.from({ length: 5 }, (_, i) => client!.execute('hang', { i }));
    const waiters = [client.waitFor('NEVER'), client.waitFor('NEVER_EITHER', () => true, { since: 'now' })];
    const iterator = client.events();
    const nextEvent = iterator.next();
    await arrived;

    server.connections[0]!.socket.destroy();

    const outcomes = await Promise.allSettled([...commands, ...waiters]);
    for (const o of outcomes) {
      expect(o.status).toBe('rejected');
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(QmpConnectionError);
    }
    expect((outcomes[0] as PromiseRejectedResult).reason.message).toMatch(/^hang: /);
    await expect(nextEvent).resolves.toEqual({ value: undefined, done: true });
    expect(closedWith).toHaveLength(1);
    expect(client.closed).toBe(true);

    // Later calls fail immediately, without touching the wire.
    await expect(client.execute('ping')).rejects.toBeInstanceOf(QmpConnectionError);
    await expect(client.waitFor('X')).rejects.toBeInstanceOf(QmpConnectionError);
    await rejectionsReported();
    expect(unhandled).toEqual([]);
  });

  it('close() ends cleanly: pending work rejects, the server sees EOF, later calls reject', async () => {
    server = await startMockServer({ onCommand: (cmd) => cmd.name === 'hang' });
    client = await QmpClient.connect({ path: server.path });
    const sent = server.nextCommand();
    const pending = client.execute('hang');
    const waiter = client.waitFor('SOMETHING');
    await sent;
    const serverSawEnd = new Promise<void>((r) => server!.connections[0]!.socket.once('end', r));
    const outcomes = Promise.allSettled([pending, waiter]);
    await client.close();
    await serverSawEnd;
    for (const o of await outcomes) {
      expect(o.status).toBe('rejected');
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(QmpConnectionError);
    }
    await expect(client.execute('ping')).rejects.toThrow(/connection is closed/);
    await client.close(); // idempotent
    await rejectionsReported();
    expect(unhandled).toEqual([]);
  });

  it('rejects connect with QmpConnectionError when nothing listens', async () => {
    const dir = makeTempDir();
    try {
      const err = await QmpClient.connect({ path: join(dir, 'absent.sock') }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(QmpConnectionError);
      expect((err as QmpConnectionError).cause).toMatchObject({ code: 'ENOENT' });
    } finally {
      removeTempDir(dir);
    }
  });

  it('works over a caller-supplied stream', async () => {
    server = await startMockServer();
    const { createConnection } = await import('node:net');
    const stream = createConnection({ path: server.path });
    await new Promise((r) => stream.once('connect', r));
    client = await QmpClient.connect({ stream });
    await expect(client.execute('ping')).resolves.toEqual({});
  });
});

/**
 * The peers of close() on a caller's stream, as programs run in a process
 * of their own: there nothing but the client's own timers keeps the event
 * loop alive, so a close() that waited on an unreferenced timer would
 * leave the process to exit with it unsettled (exit code 13).  Each peer
 * greets, answers qmp_capabilities, and never ends its side.
 */
const STREAM_PEERS = {
  'a duplex stream whose peer never ends its side': `
    import { Duplex } from 'node:stream';
    const stream = new Duplex({
      read() {},
      write(chunk, _encoding, done) {
        for (const line of chunk.toString().split('\\n').filter(Boolean)) this.push(JSON.stringify({ return: {}, id: JSON.parse(line).id }) + '\\n');
        done();
      },
      final(done) { done(); },
    });
    const greet = (text) => stream.push(text);`,
  'a byte stream that is no Node stream and never closes, even destroyed': `
    const listeners = {};
    const emit = (event, value) => { for (const l of listeners[event] ?? []) l(value); };
    const stream = {
      destroyed: false,
      on(event, listener) { (listeners[event] ??= []).push(listener); return this; },
      once(event, listener) { return this.on(event, listener); },
      write(data, written) {
        for (const line of data.split('\\n').filter(Boolean)) setImmediate(() => emit('data', JSON.stringify({ return: {}, id: JSON.parse(line).id }) + '\\n'));
        written?.();
        return true;
      },
      end() {},
      destroy() { this.destroyed = true; },
    };
    const greet = (text) => setImmediate(() => emit('data', text));`,
};

describe.each(Object.entries(STREAM_PEERS))('close() on %s', (_, peer) => {
  it('settles in bounded time though nothing else keeps the process alive', async () => {
    const runtime = pathToFileURL(join(PROJECT_ROOT, 'runtime', 'dist', 'index.js')).href;
    const program = `${peer}
      const { QmpClient } = await import(${JSON.stringify(runtime)});
      const connecting = QmpClient.connect({ stream });
      greet(JSON.stringify({ QMP: { version: { qemu: { major: 10, minor: 0, micro: 2 }, package: '' }, capabilities: [] } }) + '\\n');
      const client = await connecting;
      await client.close();
      console.log('closed', client.closed);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', program], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(output.trim()).toBe('closed true');
    expect(code).toBe(0);
  });
});
