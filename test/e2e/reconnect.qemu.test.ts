/**
 * Reconnect end to end: QEMU 10.0.2's qemu-storage-daemon killed (a
 * command waiting on it, stopped first so that it certainly waits) and
 * started again on the same socket path.  The client rejects the command
 * as of unknown outcome, tells each step, reconnects once the new daemon
 * listens, checks the schema again, and the handlers and iterator it had
 * see the new daemon's events (a blockdev-create job followed by runJob).
 *
 * Each daemon has a second monitor for the client: the helper that starts
 * a daemon waits for its first monitor to answer, which a reconnecting
 * client would otherwise hold.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QmpOutcomeUnknownError, QmpSchemaDriftError, runJob, type ReconnectEvent } from 'qapi-ts-runtime';
import { requireQemu10 } from '../helpers/qemu.js';
import { requireShared } from '../helpers/shared.js';
import { SCHEMA_100, useBindings100 } from './helpers/bindings100.js';

const qemu10 = requireQemu10(['qemu-storage-daemon'], 'end-to-end reconnect on QEMU 10.0.2');
const schema = requireShared(SCHEMA_100, 'end-to-end tests with the QEMU 10.0 bindings');

describe.skipIf(!qemu10.available || !schema.available)('QEMU 10.0.2 killed and started again on the same socket', () => {
  const e2e = useBindings100();

  it('the client reconnects, renegotiates, checks the schema again, and its handlers and iterator go on', async () => {
    const socket = join(e2e.scope.dir, 'client.sock');
    const monitor = ['--chardev', `socket,path=${socket},server=on,wait=off,id=client`, '--monitor', 'chardev=client'];
    const first = await e2e.scope.daemon(qemu10, monitor);
    const client = await e2e.scope.connect(socket, e2e.bindings.registry, {
      reconnect: { initialDelay: 20, maxDelay: 200, attempts: 300 },
      checkSchema: { cache: new Map(), variant: 'qemu-storage-daemon' },
    });
    const told: ReconnectEvent[] = [];
    client.onReconnect((e) => told.push(e));
    const statuses: string[] = [];
    client.on('JOB_STATUS_CHANGE', (e) => statuses.push(`${e.data.id} ${e.data.status}`));
    const iterator = client.events();

    first.kill('SIGSTOP');
    const waiting = client.execute('query-version');
    first.kill('SIGKILL');
    const lost = await waiting.catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(QmpOutcomeUnknownError);
    expect((lost as Error).message).toMatch(/^query-version: connection/);
    await first.exited;

    const reconnected = new Promise<ReconnectEvent>((resolve) => client.onReconnect((e) => e.kind === 'reconnected' && resolve(e)));
    const second = await e2e.scope.daemon(qemu10, monitor);
    expect(await reconnected).toMatchObject({ kind: 'reconnected', greeting: { version: { qemu: { major: 10, minor: 0, micro: 2 } } } });
    expect(told[0]).toMatchObject({ kind: 'lost' });
    expect(told.slice(1, -1).every((e) => e.kind === 'retrying')).toBe(true);
    expect(client.connectionState).toBe('ready');

    // The schema check holds on the new connection.
    await expect(client.execute('blockdev-create', { 'job-id': 'x', options: { driver: 'file' }, bogus: true })).rejects.toBeInstanceOf(QmpSchemaDriftError);
    const qmp = new e2e.bindings.QmpCommands(client);
    const file = join(e2e.scope.dir, 'after.img');
    await runJob(client, () => qmp.blockdevCreate({ 'job-id': 'after', options: { driver: 'file', filename: file, size: 0n } }));
    expect(statuses).toEqual(['after created', 'after running', 'after waiting', 'after pending', 'after concluded', 'after null']);
    const fromIterator: string[] = [];
    for await (const event of iterator) {
      if (event.event === 'JOB_STATUS_CHANGE') fromIterator.push(`${event.data.id} ${event.data.status}`);
      if (fromIterator.length === statuses.length) break;
    }
    expect(fromIterator).toEqual(statuses);
    await client.close();
    second.kill('SIGKILL');
  });
});
