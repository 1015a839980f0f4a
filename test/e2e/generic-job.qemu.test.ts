/**
 * runJob end to end against QEMU 10.0.2's qemu-storage-daemon, through
 * bindings of its own schema: blockdev-create makes a file, then a qcow2
 * image on it, each followed by its job-id to the concluded job and
 * dismissed (qemu-img then reads the image QEMU wrote); and a job that
 * fails (a size qcow2 refuses) rejects with QEMU's own error, dismissed
 * too.  runBlockJob, which knows only block jobs, fails fast on the same
 * job.
 */
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { QmpJobError, QmpJobNotFoundError, runBlockJob, runJob, type QmpClient } from 'qapi-ts-runtime';
import { requireQemu10, run } from '../helpers/qemu.js';
import { requireShared } from '../helpers/shared.js';
import { SCHEMA_100, useBindings100, type Bindings100, type Events100 } from './helpers/bindings100.js';
import { quitAndWait } from './helpers/scope.js';

const qemu10 = requireQemu10(['qemu-storage-daemon', 'qemu-img'], 'end-to-end runJob on QEMU 10.0.2');
const schema = requireShared(SCHEMA_100, 'end-to-end tests with the QEMU 10.0 bindings');

const MiB = 1024n * 1024n;

type Commands100 = InstanceType<Bindings100['QmpCommands']>;

describe.skipIf(!qemu10.available || !schema.available)('QEMU 10.0.2: generic jobs followed by runJob', () => {
  const e2e = useBindings100();

  async function connect(): Promise<{ client: QmpClient<Events100>; qmp: Commands100; quit: () => Promise<number | null> }> {
    const daemon = await e2e.scope.daemon(qemu10);
    const client = await e2e.scope.connect(daemon.socketPath, e2e.bindings.registry);
    const qmp = new e2e.bindings.QmpCommands(client);
    return { client, qmp, quit: () => quitAndWait(() => qmp.quit(), daemon) };
  }

  /** Makes an empty file with blockdev-create and opens it as node `f`. */
  async function fileNode(client: QmpClient<Events100>, qmp: Commands100, filename: string): Promise<void> {
    const file = await runJob(client, () => qmp.blockdevCreate({ 'job-id': 'file0', options: { driver: 'file', filename, size: 0n } }));
    expect(file).toMatchObject({ id: 'file0', type: 'create', status: 'concluded' });
    await qmp.blockdevAdd({ driver: 'file', 'node-name': 'f', filename });
  }

  it('blockdev-create of a qcow2 image: followed to its end, dismissed, and the image is there', async () => {
    const { client, qmp, quit } = await connect();
    const image = join(e2e.scope.dir, 'made.qcow2');
    await fileNode(client, qmp, image);
    const statuses: string[] = [];
    client.on('JOB_STATUS_CHANGE', (e) => {
      if (e.data.id === 'create0') statuses.push(e.data.status);
    });
    const done = await runJob(client, () => qmp.blockdevCreate({ 'job-id': 'create0', options: { driver: 'qcow2', file: 'f', size: 64n * MiB } }));
    expect(done).toMatchObject({ id: 'create0', type: 'create', status: 'concluded' });
    // The bindings hold 64-bit integers as bigint; so does what runJob reads from query-jobs.
    expectTypeOf(done['total-progress']).toEqualTypeOf<bigint>();
    expect(typeof done['total-progress']).toBe('bigint');
    expect(done['current-progress']).toBe(done['total-progress']);
    expect(await qmp.queryJobs()).toEqual([]);
    expect(statuses).toEqual(['created', 'running', 'waiting', 'pending', 'concluded', 'null']);
    expect(await quit()).toBe(0);
    const info = JSON.parse(run(qemu10.bin('qemu-img'), ['info', '--output=json', image]).stdout) as { format: string; 'virtual-size': number };
    expect(info).toMatchObject({ format: 'qcow2', 'virtual-size': Number(64n * MiB) });
  });

  it('a job that fails rejects with QEMU’s error and is dismissed; runBlockJob finds no block job by its id', async () => {
    const { client, qmp } = await connect();
    await fileNode(client, qmp, join(e2e.scope.dir, 'odd.qcow2'));
    const odd = () => qmp.blockdevCreate({ 'job-id': 'odd0', options: { driver: 'qcow2', file: 'f', size: 1000n } });
    const error = await runJob(client, odd).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpJobError);
    expect((error as QmpJobError).message).toMatch(/^job odd0: failed: .*multiple of 512/);
    expect((error as QmpJobError).event).toMatchObject({ event: 'JOB_STATUS_CHANGE', data: { id: 'odd0', status: 'concluded' } });
    expect(await qmp.queryJobs()).toEqual([]);

    const blockJob = await runBlockJob(client, () => qmp.blockdevCreate({ 'job-id': 'odd1', options: { driver: 'qcow2', file: 'f', size: 1000n } })).catch(
      (e: unknown) => e,
    );
    expect(blockJob).toBeInstanceOf(QmpJobNotFoundError);
    expect((blockJob as Error).message).toMatch(/^job odd1: no such block job \(there are none\)/);
    await client.execute('job-dismiss', { id: 'odd1' }).catch(() => {});
  });
});
