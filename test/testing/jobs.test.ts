/**
 * The job simulator walks QEMU's states with QEMU's events in QEMU's
 * order: every scenario of helpers/job-scenarios.ts gives, against the
 * peer, the trace QEMU 10.0.2 gives (test/e2e/job-events.qemu.test.ts checks
 * those traces against the real daemon).  And the runtime's runBlockJob,
 * following a simulated job, resolves, fails and aborts as against QEMU.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseQmpJson, QmpClient, QmpJobError, runBlockJob, type BlockJobProgress } from 'qapi-ts-runtime';
import { QmpPeer, type JobOptions, type SimulatedJob } from 'qapi-ts-runtime/testing';
import { QmpCommands, registry } from '../../generated/index.js';
import { requireShared } from '../helpers/shared.js';
import { JOB_SCENARIOS, runScript, standInForQemu } from './helpers/job-scenarios.js';

const CAPTURE = requireShared('qemu-10.0/introspection/qemu-storage-daemon.json', 'job scenarios on the schema of QEMU 10.0.2');

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

describe.skipIf(!CAPTURE.available)("the job simulator on QEMU 10.0.2's schema", () => {
  it.each(JOB_SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const { schema } = parseQmpJson(readFileSync(CAPTURE.path, 'utf8')) as { schema: unknown[] };
    const peer = new QmpPeer({ schema });
    open.push(peer);
    standInForQemu(peer);
    expect(await runScript(peer.pair().stream, scenario.script)).toEqual(scenario.trace);
  });
});

describe('runBlockJob against the simulator (the default bindings)', () => {
  async function setUp(job: Omit<JobOptions, 'id' | 'type'> = {}) {
    const peer = new QmpPeer({ bindings: registry });
    let started!: (job: SimulatedJob) => void;
    const job$ = new Promise<SimulatedJob>((resolve) => (started = resolve));
    peer.handle('block-commit', (args) => {
      started(peer.jobs.start({ id: args.device, type: 'commit', len: 4 << 20, steps: 4, ...job }));
    });
    const client = await QmpClient.connect(peer.pair(), { bindings: registry });
    open.push(peer, client);
    return { peer, client, qmp: new QmpCommands(client), job: job$ };
  }

  it('follows a commit to BLOCK_JOB_COMPLETED, its progress as polls see it', async () => {
    const { client, qmp } = await setUp();
    const progress: BlockJobProgress[] = [];
    const done = await runBlockJob(client, () => qmp.blockCommit({ device: 'drive0', top: 'mid.qcow2' }), { onProgress: (p) => progress.push(p), pollInterval: 0 });
    expect(done.event).toBe('BLOCK_JOB_COMPLETED');
    expect(done.data).toEqual({ type: 'commit', device: 'drive0', len: 4n << 20n, offset: 4n << 20n, speed: 0n });
    expect(progress.map((p) => p.status)).toEqual(['created', 'running', 'running', 'waiting', 'pending', 'pending']);
    expect(await qmp.queryBlockJobs()).toEqual([]);
  });

  it('completes a job that waits in ready', async () => {
    const { peer, client, qmp } = await setUp({ ready: true });
    const done = await runBlockJob(client, () => qmp.blockCommit({ device: 'drive0', top: 'top.qcow2' }), { pollInterval: 0 });
    expect(done.data.device).toBe('drive0');
    expect(peer.calls.map((c) => c.command)).toContain('block-job-complete');
  });

  it('rejects with QmpJobError when the job fails', async () => {
    const { client, qmp } = await setUp({ ioError: { operation: 'read', action: 'report', message: 'No space left on device' } });
    const error = await runBlockJob(client, () => qmp.blockCommit({ device: 'drive0', top: 'mid.qcow2' }), { pollInterval: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpJobError);
    expect((error as QmpJobError).message).toBe('job drive0: failed: No space left on device');
  });

  it('cancels the job when aborted, and the job ends cancelled', async () => {
    const { peer, client, qmp, job } = await setUp({ interval: 'manual' });
    const abort = new AbortController();
    const running = runBlockJob(client, () => qmp.blockCommit({ device: 'drive0', top: 'mid.qcow2' }), { signal: abort.signal, pollInterval: 0 });
    const simulated = await job;
    abort.abort(new Error('stop'));
    await expect(running).rejects.toThrow('stop');
    await simulated.until('null');
    expect(simulated.status).toBe('null');
    expect(peer.callsOf('block-job-cancel')).toEqual([{ device: 'drive0', force: true }]);
    expect(peer.jobs.list()).toEqual([]);
  });

  it('moves a manual job one step at a time', async () => {
    const { peer, client, qmp } = await setUp({ interval: 'manual', steps: 2 });
    await qmp.blockCommit({ device: 'drive0', top: 'mid.qcow2' });
    const job = peer.jobs.get('drive0')!;
    expect([job.status, job.offset]).toEqual(['running', 0n]);
    job.step();
    expect(await qmp.queryBlockJobs()).toMatchObject([{ device: 'drive0', offset: 2n << 20n, len: 4n << 20n, status: 'running' }]);
    job.step();
    await job.until('null');
    expect(await client.execute('query-block-jobs')).toEqual([]);
  });
});
