/**
 * Issue 4, e2e 2: an active commit (top = the active layer) through the
 * bindings generated from QEMU 7.2's schema, on qemu-storage-daemon with
 * --blockdev nodes: a job-id is required, the job becomes ready, and
 * block-job-complete switches over to base.
 */
import { describe, expect, it } from 'vitest';
import type { QmpClient } from 'qapi-ts-runtime';
import { requireShared } from '../helpers/shared.js';
import { backingChain, imageIsConsistent, requireBinaries } from '../helpers/qemu.js';
import { useBindings72, type Events72 } from './helpers/bindings72.js';
import { BASE_AFTER_FULL_COMMIT, BASE_BEFORE, buildChain, GUEST_VIEW, mismatches } from './helpers/chain.js';
import { E2E_BINARIES, jobDismissed, quitAndWait } from './helpers/scope.js';

const qemu = requireBinaries(E2E_BINARIES, 'end-to-end active commit on qemu-storage-daemon');
const schema = requireShared('qemu-7.2/qapi/qapi-schema.json', 'end-to-end tests with the QEMU 7.2 bindings');

describe.skipIf(!qemu.available || !schema.available)('active block-commit through the QEMU 7.2 bindings', () => {
  const e2e = useBindings72();

  it('needs a job-id on a bare node: without one QEMU refuses the job', async () => {
    const chain = buildChain(e2e.scope.dir);
    const daemon = await e2e.scope.daemonWithChain(chain);
    const client = await e2e.scope.connect(daemon.socketPath, e2e.bindings.registry);
    const qmp = new e2e.bindings.QmpCommands(client);
    const error = await qmp.blockCommit({ device: 'top' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'QmpError', command: 'block-commit', errorClass: 'GenericError' });
    // The default job id would be the device name, and a bare node has none.
    expect((error as { desc: string }).desc).toBe("Invalid job ID ''");
    expect(await qmp.queryBlockJobs()).toEqual([]);
  });

  it('reaches BLOCK_JOB_READY, completes on block-job-complete, and all data lands in base', async () => {
    const chain = buildChain(e2e.scope.dir);
    expect(mismatches(chain.base, BASE_BEFORE)).toEqual([]);
    expect(mismatches(chain.base, BASE_AFTER_FULL_COMMIT)).not.toEqual([]);
    const daemon = await e2e.scope.daemonWithChain(chain);
    const client: QmpClient<Events72> = await e2e.scope.connect(daemon.socketPath, e2e.bindings.registry);
    const qmp = new e2e.bindings.QmpCommands(client);
    const statuses: string[] = [];
    client.on('JOB_STATUS_CHANGE', (e) => {
      if (e.data.id === 'active0') statuses.push(e.data.status);
    });

    const mark = client.eventMark();
    await qmp.blockCommit({ 'job-id': 'active0', device: 'top', 'base-node': 'base' });
    const ready = await client.waitFor('BLOCK_JOB_READY', (e) => e.data.device === 'active0', { timeout: 30_000 });
    expect(ready.data).toMatchObject({ type: 'commit', device: 'active0' });
    expect(Number(ready.data.offset)).toBe(Number(ready.data.len));

    // Ready is a resting state: the job waits for us, it does not end by itself.
    const [job] = await qmp.queryBlockJobs();
    expect(job).toMatchObject({ device: 'active0', type: 'commit', ready: true, status: 'ready' });
    expect(statuses).not.toContain('concluded');

    await qmp.blockJobComplete({ device: 'active0' });
    const completed = await client.waitFor('BLOCK_JOB_COMPLETED', (e) => e.data.device === 'active0', { timeout: 30_000 });
    expect(completed.data.error).toBeUndefined();
    expect(completed.data).toMatchObject({ type: 'commit', device: 'active0' });
    // BLOCK_JOB_COMPLETED comes before the job's last status changes.
    await jobDismissed(client, 'active0', mark);
    expect(statuses).toEqual(['created', 'running', 'ready', 'waiting', 'pending', 'concluded', 'null']);
    expect(await qmp.queryBlockJobs()).toEqual([]);

    await quitAndWait(() => qmp.quit(), daemon);

    // Everything above base (mid and top, with top's precedence) is now in base,
    // which therefore reads exactly as the guest did.
    expect(mismatches(chain.base, BASE_AFTER_FULL_COMMIT)).toEqual([]);
    expect(mismatches(chain.top, GUEST_VIEW)).toEqual([]);
    expect(imageIsConsistent(chain.base)).toBe(true);
    // The image files' own backing links are untouched: the switch-over was in QEMU's graph.
    expect(backingChain(chain.top).map((e) => e.filename)).toEqual([chain.top, chain.mid, chain.base]);
  });
});
