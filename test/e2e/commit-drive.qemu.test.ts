/**
 * Issue 4, e2e 1: the seed's block-commit (device, top) through the embedded
 * default bindings, on a named -drive of a guest-less qemu-system-x86_64:
 * mid is committed into base and leaves the chain.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QmpClient } from 'qapi-ts-runtime';
import { QmpCommands, registry, type Events } from '../../generated/index.js';
import { backingChain, imageIsConsistent, requireBinaries } from '../helpers/qemu.js';
import { BASE_AFTER_MID_COMMIT, BASE_BEFORE, buildChain, GUEST_VIEW, mismatches } from './helpers/chain.js';
import { E2E_BINARIES, E2eScope, jobDismissed, quitAndWait } from './helpers/scope.js';

const qemu = requireBinaries(E2E_BINARIES, 'end-to-end block-commit on qemu-system-x86_64');

describe.skipIf(!qemu.available)('block-commit of an intermediate image through the default bindings', () => {
  let scope: E2eScope;
  beforeEach(() => {
    scope = new E2eScope();
  });
  afterEach(async () => {
    await scope.dispose();
  });

  it('commits mid into base: mid leaves the chain, every pattern still reads through top', async () => {
    const chain = buildChain(scope.dir);
    // The starting point, so the checks below can tell a change from a no-op.
    expect(backingChain(chain.top).map((e) => e.filename)).toEqual([chain.top, chain.mid, chain.base]);
    expect(mismatches(chain.top, GUEST_VIEW)).toEqual([]);
    expect(mismatches(chain.base, BASE_BEFORE)).toEqual([]);
    expect(mismatches(chain.base, BASE_AFTER_MID_COMMIT)).not.toEqual([]);

    const vm = await scope.systemWithDrive(chain);
    const client: QmpClient<Events> = await scope.connect(vm.socketPath, registry);
    const qmp = new QmpCommands(client);
    const statuses: string[] = [];
    client.on('JOB_STATUS_CHANGE', (e) => {
      if (e.data.id === 'drive0') statuses.push(e.data.status);
    });

    // The seed's signature: device and top (a file name), base and speed omitted.
    const mark = client.eventMark();
    await expect(qmp.blockCommit({ device: 'drive0', top: chain.mid })).resolves.toBeUndefined();
    const completed = await client.waitFor('BLOCK_JOB_COMPLETED', (e) => e.data.device === 'drive0', { timeout: 30_000 });
    // BLOCK_JOB_COMPLETED comes before the job's last status changes.
    await jobDismissed(client, 'drive0', mark);

    expect(completed.data).toMatchObject({ type: 'commit', device: 'drive0' });
    expect(completed.data.error).toBeUndefined();
    expect(Number(completed.data.offset)).toBe(Number(completed.data.len));
    expect(Number(completed.data.len)).toBeGreaterThan(0);
    expect(completed.timestamp.seconds).toBeGreaterThan(0);
    // Without a job-id the job is named after the device, and it ran its
    // whole course without needing block-job-complete (not an active commit).
    expect(statuses).toEqual(['created', 'running', 'waiting', 'pending', 'concluded', 'null']);
    expect(await qmp.queryBlockJobs()).toEqual([]);

    // The seed's error table is live: a second commit of a vanished top fails.
    const again = await qmp.blockCommit({ device: 'drive0', top: chain.mid }).catch((e: unknown) => e);
    expect(again).toMatchObject({ name: 'QmpError', errorClass: 'GenericError', desc: `Top image file ${chain.mid} not found` });

    // `quit` is not in the seed's schema: sent raw.
    expect(await quitAndWait(() => client.execute('quit'), vm)).toBe(0);

    const after = backingChain(chain.top);
    expect(after.map((e) => e.filename)).toEqual([chain.top, chain.base]);
    expect(after[0]!.backing).toBe(chain.base);
    expect(after[1]!.backing).toBeUndefined();
    // mid's pattern is now in base, and base's own data is still there.
    expect(mismatches(chain.base, BASE_AFTER_MID_COMMIT)).toEqual([]);
    // The guest's view did not change.
    expect(mismatches(chain.top, GUEST_VIEW)).toEqual([]);
    expect(imageIsConsistent(chain.base)).toBe(true);
    expect(imageIsConsistent(chain.top)).toBe(true);
  });
});
