/**
 * A session of everyday block-layer QMP against QEMU 7.2, recorded on the
 * wire: nodes added and removed, bitmaps, a transaction, QOM objects, an
 * NBD export, a throttled commit that is slowed, paused, resumed and
 * cancelled, a full commit of a node chain on qemu-storage-daemon, and the
 * seed's commit of a named drive on qemu-system-x86_64.  Every command is
 * one QEMU accepted: the session checks each reply.
 */
import { join } from 'node:path';
import type { QmpClient } from 'qapi-ts-runtime';
import { createImage } from '../../helpers/qemu.js';
import { PROJECT_ROOT } from '../../helpers/shared.js';
import { buildChain } from './chain.js';
import { startRecordingProxy } from './recording-proxy.js';
import type { E2eScope } from './scope.js';

/** The accepted commands of a recorded session, one JSON object a line:
 *  the inputs of `npm run bench`'s validator comparison. */
export const TRAFFIC_FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'traffic', 'qemu-7.2.jsonl');

/** One command as it went over the wire, whether QEMU accepted it, and
 *  what QEMU returned (undefined when it did not accept it). */
export interface Exchange {
  readonly execute: string;
  readonly arguments: Record<string, unknown>;
  readonly accepted: boolean;
  readonly returned: unknown;
}

async function recorded(scope: E2eScope, socket: string, session: (client: QmpClient) => Promise<void>): Promise<Exchange[]> {
  const proxy = scope.adopt(await startRecordingProxy(scope.dir, socket, `proxy-${Math.random().toString(36).slice(2)}.sock`));
  const client = await scope.connect(proxy.path);
  await session(client);
  await client.close();
  const replies = new Map(proxy.receivedMessages().filter((m) => 'id' in m).map((m) => [JSON.stringify(m['id']), m]));
  return proxy.sentMessages().map((m) => {
    const reply = replies.get(JSON.stringify(m['id'])) ?? {};
    return {
      execute: String(m['execute']),
      arguments: (m['arguments'] as Record<string, unknown> | undefined) ?? {},
      accepted: 'return' in reply,
      returned: reply['return'],
    };
  });
}

const jobGone = (client: QmpClient, id: string) =>
  client.waitFor('JOB_STATUS_CHANGE', (e) => (e.data as { id: string; status: string }).id === id && (e.data as { status: string }).status === 'null', {
    timeout: 30_000,
  });

/** The storage daemon's part. */
async function daemonSession(scope: E2eScope): Promise<Exchange[]> {
  const chain = buildChain(scope.dir, { bulkMiB: 4 });
  const extra = join(scope.dir, 'extra.qcow2');
  createImage(extra, '1M');
  const daemon = await scope.daemonWithChain(chain);
  const nbd = join(scope.dir, 'nbd.sock');
  return recorded(scope, daemon.socketPath, async (c) => {
    await c.execute('query-version');
    await c.execute('query-named-block-nodes', { flat: true });
    await c.execute('blockdev-add', { driver: 'null-co', 'node-name': 'null0', size: 1048576, 'read-zeroes': true });
    await c.execute('blockdev-add', { driver: 'qcow2', 'node-name': 'extra', 'read-only': true, file: { driver: 'file', filename: extra } });
    await c.execute('block-dirty-bitmap-add', { node: 'top', name: 'bm0', granularity: 65536, persistent: false });
    await c.execute('transaction', { actions: [{ type: 'block-dirty-bitmap-clear', data: { node: 'top', name: 'bm0' } }] });
    await c.execute('block-dirty-bitmap-remove', { node: 'top', name: 'bm0' });
    await c.execute('object-add', { 'qom-type': 'throttle-group', id: 'tg0', limits: { 'iops-total': 1000, 'bps-total': 10485760 } });
    await c.execute('qom-list', { path: '/objects' });
    await c.execute('qom-get', { path: '/objects/tg0', property: 'limits' });
    await c.execute('object-del', { id: 'tg0' });
    await c.execute('nbd-server-start', { addr: { type: 'unix', data: { path: nbd } } });
    await c.execute('block-export-add', { type: 'nbd', id: 'exp0', 'node-name': 'null0', writable: false, name: 'null0' });
    await c.execute('query-block-exports');
    const exportGone = c.waitFor('BLOCK_EXPORT_DELETED', (e) => (e.data as { id: string }).id === 'exp0', { since: 'now', timeout: 30_000 });
    await c.execute('block-export-del', { id: 'exp0' });
    await exportGone;
    await c.execute('nbd-server-stop');
    await c.execute('blockdev-del', { 'node-name': 'null0' });
    await c.execute('blockdev-del', { 'node-name': 'extra' });
    // A commit held back to a crawl, then driven by hand and cancelled.
    const slowGone = jobGone(c, 'slow');
    await c.execute('block-commit', { 'job-id': 'slow', device: 'top', 'top-node': 'mid', 'base-node': 'base', speed: 1 });
    await c.execute('block-job-set-speed', { device: 'slow', speed: 2 });
    await c.execute('block-job-pause', { device: 'slow' });
    await c.execute('query-block-jobs');
    await c.execute('block-job-resume', { device: 'slow' });
    await c.execute('block-job-cancel', { device: 'slow', force: true });
    await slowGone;
    const commitGone = jobGone(c, 'commit0');
    await c.execute('block-commit', {
      'job-id': 'commit0',
      device: 'top',
      'top-node': 'mid',
      'base-node': 'base',
      'on-error': 'report',
      'auto-finalize': true,
      'auto-dismiss': true,
    });
    await commitGone;
    await c.execute('query-jobs');
  });
}

/** The system emulator's part: the seed's block-commit of a named drive. */
async function systemSession(scope: E2eScope): Promise<Exchange[]> {
  const chain = buildChain(scope.dir);
  const vm = await scope.systemWithDrive(chain);
  return recorded(scope, vm.socketPath, async (c) => {
    await c.execute('query-status');
    await c.execute('query-block');
    const gone = jobGone(c, 'drive0');
    await c.execute('block-commit', { device: 'drive0', top: chain.mid });
    await gone;
    await c.execute('query-block-jobs');
  });
}

/** Records the session; each part runs in its own scope (directory, processes). */
export async function recordSession(daemonScope: E2eScope, systemScope: E2eScope): Promise<Exchange[]> {
  return [...(await daemonSession(daemonScope)), ...(await systemSession(systemScope))];
}
