/**
 * Issue 4, e2e 3: a `speed` limit makes a commit advance in small steps that
 * the progress callbacks show, and block-job-cancel ends it cleanly
 * (BLOCK_JOB_CANCELLED) with the chain and the guest's data intact.
 *
 * Nothing here depends on how fast this machine is: the limit is checked as
 * an upper bound on the bytes copied by each moment (a slow machine only
 * loosens it), and the cancel is sent once progress has been seen, not
 * after some time.
 */
import { describe, expect, it } from 'vitest';
import { QmpJobError, runBlockJob, type BlockJobProgress, type QmpClient } from 'qapi-ts-runtime';
import { requireShared } from '../helpers/shared.js';
import { backingChain, imageIsConsistent, requireBinaries } from '../helpers/qemu.js';
import { useBindings72, type Events72 } from './helpers/bindings72.js';
import { BASE_OWN, BULK_OFFSET, BULK_PATTERN, buildChain, bulkEnds, GUEST_VIEW, MID_OWN, mismatches } from './helpers/chain.js';
import { E2E_BINARIES, quitAndWait } from './helpers/scope.js';

const qemu = requireBinaries(E2E_BINARIES, 'end-to-end speed-limited commit');
const schema = requireShared('qemu-7.2/qapi/qapi-schema.json', 'end-to-end tests with the QEMU 7.2 bindings');

const MiB = 1024 * 1024;
const SPEED = 2 * MiB;
/** Distinct offsets to see inside mid's bulk data before cancelling. */
const STEPS_TO_SEE = 4;
/** What QEMU may copy beyond the limit at once: one 512 KiB chunk, one 100 ms slice, and then some. */
const BURST = MiB;

describe.skipIf(!qemu.available || !schema.available)('speed-limited block-commit, then block-job-cancel', () => {
  const e2e = useBindings72();

  it('advances no faster than the limit, and cancels leaving the data intact', async () => {
    // 16 MiB to commit at 2 MiB/s: the job cannot be near its end when we cancel.
    const chain = buildChain(e2e.scope.dir, { bulkMiB: 16 });
    const daemon = await e2e.scope.daemonWithChain(chain);
    const client: QmpClient<Events72> = await e2e.scope.connect(daemon.socketPath, e2e.bindings.registry);
    const qmp = new e2e.bindings.QmpCommands(client);

    const seen: BlockJobProgress[] = [];
    const inFlight = new Map<number, number>();
    let cancelling: Promise<void> | undefined;
    const started = performance.now();
    const onProgress = (p: BlockJobProgress): void => {
      seen.push(p);
      const offset = Number(p.offset);
      // Only inside the bulk data is every byte copied (and so paced): QEMU
      // skips unallocated stretches at once, which counts as progress too.
      if (p.status === 'running' && offset > BULK_OFFSET && offset < BULK_OFFSET + chain.bulk && !inFlight.has(offset)) {
        inFlight.set(offset, performance.now() - started);
      }
      if (inFlight.size >= STEPS_TO_SEE && cancelling === undefined) {
        cancelling = qmp.blockJobCancel({ device: 'slow0' });
      }
    };

    const outcome = await runBlockJob(
      client,
      () => qmp.blockCommit({ 'job-id': 'slow0', device: 'top', 'top-node': 'mid', 'base-node': 'base', speed: BigInt(SPEED) }),
      { jobId: 'slow0', pollInterval: 50, onProgress, timeout: 60_000 },
    ).catch((e: unknown) => e);
    await cancelling;

    // Ended by the cancel: BLOCK_JOB_CANCELLED, reported as a typed job error.
    expect(outcome).toBeInstanceOf(QmpJobError);
    const { event } = outcome as QmpJobError;
    expect(event.event).toBe('BLOCK_JOB_CANCELLED');
    const cancelled = event.data as Events72['BLOCK_JOB_CANCELLED'];
    expect(cancelled).toMatchObject({ device: 'slow0', type: 'commit' });
    expect(Number(cancelled.speed)).toBe(SPEED);
    const len = Number(cancelled.len);

    // The limit shows in the progress: several distinct stops on the way,
    // offsets only growing, no more of the bulk data copied by each stop than
    // the limit allows since the job was started, and the job far from its end.
    const offsets = seen.map((p) => Number(p.offset));
    expect(inFlight.size).toBeGreaterThanOrEqual(STEPS_TO_SEE);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    for (const [offset, ms] of inFlight) expect(offset - BULK_OFFSET).toBeLessThanOrEqual((SPEED * ms) / 1000 + BURST);
    expect(Number(cancelled.offset)).toBeLessThan(BULK_OFFSET + chain.bulk);
    expect(Number(cancelled.offset)).toBeLessThan(len);
    expect(await qmp.queryBlockJobs()).toEqual([]);

    // Cancelling kept the graph: top still sits on mid.
    const nodes = await qmp.queryNamedBlockNodes({ flat: true });
    expect(nodes.find((n) => n['node-name'] === 'top')?.backing_file).toBe(chain.mid);

    await quitAndWait(() => qmp.quit(), daemon);

    expect(backingChain(chain.top).map((e) => e.filename)).toEqual([chain.top, chain.mid, chain.base]);
    expect(mismatches(chain.top, [...GUEST_VIEW, ...bulkEnds(chain, BULK_PATTERN)])).toEqual([]);
    // Part of mid reached base before the cancel (its first copied chunk),
    // the end of the bulk data did not; base's own data is untouched.
    const firstChunk = { ...MID_OWN, what: 'first chunk of mid in base', length: MID_OWN.length / 2 };
    const [, bulkEnd] = bulkEnds(chain, 0);
    expect(mismatches(chain.base, [BASE_OWN, firstChunk, bulkEnd!])).toEqual([]);
    for (const image of [chain.base, chain.mid, chain.top]) expect(imageIsConsistent(image)).toBe(true);
  });
});
