/**
 * Issue 11, item 10, against qemu-storage-daemon 7.2: runBlockJob told the
 * wrong job id (the device, while the job has a `job-id`) fails at once
 * naming the job that does exist; told nothing, it follows the job its
 * command names and resolves with the completion event typed by the
 * bindings' event map.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { QmpJobNotFoundError, runBlockJob, type QmpClient, type QmpEvent } from 'qapi-ts-runtime';
import { requireBinaries } from '../helpers/qemu.js';
import { requireShared } from '../helpers/shared.js';
import { useBindings72, type Events72 } from './helpers/bindings72.js';
import { buildChain } from './helpers/chain.js';
import { E2E_BINARIES } from './helpers/scope.js';

const qemu = requireBinaries(E2E_BINARIES, 'end-to-end runBlockJob job ids');
const schema = requireShared('qemu-7.2/qapi/qapi-schema.json', 'end-to-end tests with the QEMU 7.2 bindings');

const MiB = 1024n * 1024n;

describe.skipIf(!qemu.available || !schema.available)('runBlockJob and job ids against qemu-storage-daemon', () => {
  const e2e = useBindings72();

  it('fails fast on a wrong id, and finds the right one by itself', async () => {
    const chain = buildChain(e2e.scope.dir, { bulkMiB: 8 });
    const daemon = await e2e.scope.daemonWithChain(chain);
    const client: QmpClient<Events72> = await e2e.scope.connect(daemon.socketPath, e2e.bindings.registry);
    const qmp = new e2e.bindings.QmpCommands(client);
    const commit = { device: 'top', 'top-node': 'mid', 'base-node': 'base' } as const;

    // Slowed down so that it is surely still running when looked for.
    const wrong = await runBlockJob(client, () => qmp.blockCommit({ ...commit, 'job-id': 'commit0', speed: MiB }), {
      jobId: 'top',
      pollInterval: 60_000,
    }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(QmpJobNotFoundError);
    expect(wrong).toMatchObject({ jobId: 'top', existing: ['commit0'] });

    const cancelled = client.waitFor('BLOCK_JOB_CANCELLED', (e) => e.data.device === 'commit0');
    await qmp.blockJobCancel({ device: 'commit0' });
    await cancelled;

    const done = await runBlockJob(client, () => qmp.blockCommit({ ...commit, 'job-id': 'commit1' }), { pollInterval: 0 });
    expectTypeOf(done).toEqualTypeOf<QmpEvent<'BLOCK_JOB_COMPLETED', Events72['BLOCK_JOB_COMPLETED']>>();
    expect(done.event).toBe('BLOCK_JOB_COMPLETED');
    expect(done.data).toMatchObject({ device: 'commit1', type: 'commit' });
    expect(done.data.error).toBeUndefined();
    expect(await qmp.queryBlockJobs()).toEqual([]);
  });
});
