/**
 * Where the peer listens: a unix socket path, a TCP port on loopback, or
 * in-memory pairs; a program connects to it as to QEMU.  Many clients at
 * once share one peer (issue 22 measures a thousand); closing the peer
 * ends every connection and removes its socket file.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { QmpClient, QmpConnectionError } from 'qapi-ts-runtime';
import { QmpPeer, type PeerAddress } from 'qapi-ts-runtime/testing';
import { registry } from '../../generated/index.js';
import { makeTempDir, removeTempDir } from '../helpers/qemu.js';

let dir: string | undefined;
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
  removeTempDir(dir);
  dir = undefined;
});

function peer(): QmpPeer<unknown, unknown> {
  const p = new QmpPeer({ bindings: registry });
  open.push(p);
  return p;
}

describe('listening', () => {
  it.each<[string, (p: QmpPeer<unknown, unknown>) => Promise<PeerAddress | { stream: unknown }>]>([
    ['a unix socket path', (p) => p.listen({ path: join((dir = makeTempDir('qapi-ts-peer-')), 'qmp.sock') })],
    ['a TCP port on loopback', (p) => p.listen({ port: 0 })],
    ['an in-memory pair', async (p) => p.pair()],
  ])('on %s, as QEMU is reached', async (_what, listen) => {
    const p = peer();
    const target = await listen(p);
    const client = await QmpClient.connect(target as Parameters<typeof QmpClient.connect>[0], { bindings: registry, checkSchema: true });
    open.push(client);
    expect(await client.execute('query-version')).toEqual(p.qemuVersion);
    expect(p.connections).toBe(1);
    if ('port' in target) expect(target).toEqual({ host: '127.0.0.1', port: expect.any(Number) });
  });

  it('serves many clients at once on one socket', async () => {
    const p = peer();
    dir = makeTempDir('qapi-ts-peer-');
    const target = await p.listen({ path: join(dir, 'qmp.sock') });
    const count = 300;
    const clients = await Promise.all(Array.from({ length: count }, () => QmpClient.connect(target)));
    open.push(...clients);
    const versions = await Promise.all(clients.map((c) => c.execute('query-version')));
    expect(versions.every((v) => JSON.stringify(v) === JSON.stringify(p.qemuVersion))).toBe(true);
    expect(p.connections).toBe(count);
    expect(new Set(p.calls.map((c) => c.connection)).size).toBe(count);
  });

  it('closing ends every connection and removes the socket file', async () => {
    const p = peer();
    dir = makeTempDir('qapi-ts-peer-');
    const path = join(dir, 'qmp.sock');
    const client = await QmpClient.connect(await p.listen({ path }));
    const closed = new Promise<QmpConnectionError>((resolve) => client.onClose(resolve));
    expect(existsSync(path)).toBe(true);
    await p.close();
    expect(await closed).toBeInstanceOf(QmpConnectionError);
    expect(existsSync(path)).toBe(false);
    expect(p.connections).toBe(0);
    await expect(p.listen({ port: 0 })).rejects.toThrow('the peer is closed');
  });

  it('a client closing its side is answered by the peer closing its own', async () => {
    const p = peer();
    const target = p.pair();
    // The peer's end of the stream reaching the client means it closed its side.
    const peerEnded = new Promise<void>((resolve) => target.stream.once('end', resolve));
    const client = await QmpClient.connect(target);
    await client.close();
    await peerEnded;
    expect(p.connections).toBe(0);
  });
});
