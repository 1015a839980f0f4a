/**
 * Faults on demand, scripted per test: a reply delayed past the client's
 * timeout, the connection dropped mid-command, a malformed line, a
 * command or the whole peer that stops answering.  Each is what a client
 * must survive; the client's own errors say it did.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { QmpClient, QmpConnectionError, QmpProtocolError, QmpTimeoutError } from 'qapi-ts-runtime';
import { QmpPeer } from 'qapi-ts-runtime/testing';
import { tinyRegistry, type TinyCommands, type TinyEvents } from './helpers/tiny-schema.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setUp(): Promise<{ peer: QmpPeer<TinyCommands, TinyEvents>; client: QmpClient; protocolErrors: QmpProtocolError[] }> {
  const peer = new QmpPeer({ bindings: tinyRegistry() });
  peer.handle('ping', (args) => args.word ?? 'pong');
  const protocolErrors: QmpProtocolError[] = [];
  const client = await QmpClient.connect(peer.pair(), { onProtocolError: (e) => protocolErrors.push(e) });
  open.push(peer, client);
  return { peer, client, protocolErrors };
}

describe('faults', () => {
  it('a delayed reply: the client times out, and the next command is answered', async () => {
    const { peer, client } = await setUp();
    peer.fault('ping', { delay: 200 });
    const slow = client.execute('ping', undefined, { timeout: 20 }).catch((e: unknown) => e);
    expect(await slow).toBeInstanceOf(QmpTimeoutError);
    // In-band commands wait behind the slow one, as in QEMU.
    expect(await client.execute('ping', { word: 'after' })).toBe('after');
  });

  it('a delayed reply within the timeout arrives', async () => {
    const { peer, client } = await setUp();
    peer.fault('ping', { delay: 30 });
    expect(await client.execute('ping')).toBe('pong');
  });

  it('the connection dropped mid-command: the command fails with QmpConnectionError, the client is closed', async () => {
    const { peer, client } = await setUp();
    peer.fault('ping', 'drop');
    const error = await client.execute('ping').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpConnectionError);
    expect(client.closed).toBe(true);
    expect(peer.calls.map((c) => c.command)).toEqual(['qmp_capabilities', 'ping']);
  });

  it('a malformed line instead of the reply: reported, skipped, and the command times out', async () => {
    const { peer, client, protocolErrors } = await setUp();
    peer.fault('ping', { malformed: '{"return": [1, 2' });
    const error = await client.execute('ping', undefined, { timeout: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpTimeoutError);
    expect(protocolErrors.map((e) => [e.reason, e.excerpt])).toEqual([['malformed-json', '{"return": [1, 2']]);
  });

  it('a malformed line before the reply: reported, and the reply still arrives', async () => {
    const { peer, client, protocolErrors } = await setUp();
    peer.fault('ping', { malformed: 'garbage', then: 'reply' });
    expect(await client.execute('ping')).toBe('pong');
    expect(protocolErrors.map((e) => e.reason)).toEqual(['malformed-json']);
  });

  it('a command that hangs, and the in-band commands behind it', async () => {
    const { peer, client } = await setUp();
    peer.fault('ping', 'hang');
    const hung = client.execute('ping', undefined, { timeout: 30 }).catch((e: unknown) => e);
    const behind = client.execute('ping', { word: 'x' }, { timeout: 30 }).catch((e: unknown) => e);
    expect(await hung).toBeInstanceOf(QmpTimeoutError);
    expect(await behind).toBeInstanceOf(QmpTimeoutError);
  });

  it('faults apply as often as told, to any command with *', async () => {
    const { peer, client } = await setUp();
    const remove = peer.fault('*', { malformed: 'x', then: 'reply' }, { times: 2 });
    await client.execute('ping');
    await client.execute('ping');
    await client.execute('ping');
    remove();
    expect(peer.calls.filter((c) => c.command === 'ping')).toHaveLength(3);
    expect(() => peer.fault('ping', { delay: -1 })).toThrow('delay must be a finite number of milliseconds');
    expect(() => peer.fault('ping', 'drop', { times: 0 })).toThrow('times must be positive');
  });

  it('a peer that stops answering: no replies, no events', async () => {
    const { peer, client } = await setUp();
    let events = 0;
    client.on('*', () => events++);
    peer.stopAnswering();
    peer.emit('STOP');
    const error = await client.execute('ping', undefined, { timeout: 30 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpTimeoutError);
    expect(events).toBe(0);
  });

  it('raw lines and dropped connections, whenever the test says', async () => {
    const { peer, client, protocolErrors } = await setUp();
    const closed = new Promise<QmpConnectionError>((resolve) => client.onClose(resolve));
    peer.sendRaw('{"event": 42}');
    expect(await client.execute('ping')).toBe('pong');
    expect(protocolErrors.map((e) => e.reason)).toEqual(['unexpected-message']);
    peer.dropConnections();
    expect((await closed).message).toMatch(/connection/);
  });
});
