/**
 * runJob against a scripted peer playing QEMU's generic job API: a job
 * command replies, then the job goes through its JOB_STATUS_CHANGE states;
 * query-jobs lists it (with `error` once a failed job has concluded) until
 * job-dismiss removes it.  Against QEMU 10.0.2: test/e2e/generic-job.qemu.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  QmpClient,
  QmpConnectionError,
  QmpJobError,
  QmpJobNotFoundError,
  QmpTimeoutError,
  runBlockJob,
  runJob,
  TypeRegistry,
  type JobProgress,
} from '../../runtime/index.js';
import { closeAfterEach, startMockServer, type MockCommand, type MockConnection, type MockServer } from './helpers/mock-qmp-server.js';

const held: { client?: QmpClient; server?: MockServer } = {};
closeAfterEach(() => [held.client, held.server]);

interface Job {
  id: string;
  type: string;
  status: string;
  'current-progress': number;
  'total-progress': number;
  error?: string;
}

interface Script {
  /** The statuses the job goes through after the command's reply (default: to concluded). */
  statuses?: readonly string[];
  /** Set on the job when it concludes. */
  error?: string;
  /** Statuses after job-complete (for a job that stops at `ready`). */
  afterComplete?: readonly string[];
}

const THROUGH = ['created', 'running', 'waiting', 'pending', 'concluded'];

/** A peer where each of the job commands starts the job its `job-id` names, as the script says. */
async function connect(script: Script = {}, options: { bindings?: TypeRegistry } = {}): Promise<QmpClient> {
  const jobs = new Map<string, Job>();
  const go = (conn: MockConnection, job: Job, statuses: readonly string[]): void => {
    for (const status of statuses) {
      job.status = status;
      if (status === 'running') job['current-progress'] = 50;
      if (status === 'concluded') {
        job['current-progress'] = 100;
        if (script.error !== undefined) job.error = script.error;
      }
      if (status === 'null') jobs.delete(job.id);
      conn.event('JOB_STATUS_CHANGE', { id: job.id, status });
    }
  };
  held.server = await startMockServer({
    onCommand(cmd: MockCommand, conn) {
      const id = String(cmd.arguments?.['job-id'] ?? cmd.arguments?.id);
      const job = jobs.get(id);
      switch (cmd.name) {
        case 'blockdev-create':
        case 'x-blockdev-amend':
        case 'snapshot-save':
        case 'snapshot-load':
        case 'snapshot-delete': {
          const created: Job = { id, type: cmd.name.replace(/^(x-)?blockdev-/, ''), status: 'undefined', 'current-progress': 0, 'total-progress': 100 };
          jobs.set(id, created);
          conn.reply(cmd);
          go(conn, created, script.statuses ?? THROUGH);
          return true;
        }
        case 'query-jobs':
          conn.reply(cmd, [...jobs.values()].map((j) => ({ ...j })));
          return true;
        case 'query-block-jobs':
          // None of these jobs is a block job.
          conn.reply(cmd, []);
          return true;
        case 'job-complete':
          conn.reply(cmd);
          if (job !== undefined) go(conn, job, script.afterComplete ?? []);
          return true;
        case 'job-dismiss':
        case 'job-cancel':
          if (job === undefined) conn.replyError(cmd, 'GenericError', `Job not found`);
          else {
            conn.reply(cmd);
            go(conn, job, cmd.name === 'job-dismiss' ? ['null'] : ['aborting', 'concluded']);
          }
          return true;
        default:
          return false;
      }
    },
  });
  held.client = await QmpClient.connect({ path: held.server.path }, options);
  return held.client;
}

const sent = (name: string): unknown[] => held.server!.received.filter((c) => c.name === name).map((c) => c.arguments);

const CREATE = { 'job-id': 'create0', options: { driver: 'qcow2', file: 'f', size: 1048576 } };

describe('runJob', () => {
  it.each([
    ['blockdev-create', CREATE, 'create'],
    ['x-blockdev-amend', { 'job-id': 'amend0', 'node-name': 'disk', options: { driver: 'qcow2' } }, 'amend'],
    ['snapshot-save', { 'job-id': 'save0', tag: 'snap', vmstate: 'disk', devices: ['disk'] }, 'snapshot-save'],
    ['snapshot-load', { 'job-id': 'load0', tag: 'snap', vmstate: 'disk', devices: ['disk'] }, 'snapshot-load'],
    ['snapshot-delete', { 'job-id': 'delete0', tag: 'snap', devices: ['disk'] }, 'snapshot-delete'],
  ])('follows the job %s starts by its job-id, resolves with the concluded job, and dismisses it', async (command, args, type) => {
    const c = await connect();
    const statuses: (string | undefined)[] = [];
    const done = await runJob(c, () => c.execute(command, args), { onProgress: (p) => statuses.push(p.status), pollInterval: 0 });
    expect(done).toEqual({ id: args['job-id'], type, status: 'concluded', 'current-progress': 100, 'total-progress': 100 });
    expect(statuses).toEqual(THROUGH);
    expect(sent('job-dismiss')).toEqual([{ id: args['job-id'] }]);
    // Dismissed: nothing is left in QEMU.
    expect(await c.execute('query-jobs')).toEqual([]);
  });

  it('rejects with QmpJobError carrying QEMU’s error when the job concludes with one; the job is dismissed all the same', async () => {
    const c = await connect({ error: 'Could not resize image: Image size must be a multiple of 512 bytes' });
    const err = await runJob(c, () => c.execute('blockdev-create', CREATE)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpJobError);
    expect((err as QmpJobError).message).toBe('job create0: failed: Could not resize image: Image size must be a multiple of 512 bytes');
    expect((err as QmpJobError).event).toMatchObject({ event: 'JOB_STATUS_CHANGE', data: { id: 'create0', status: 'concluded' } });
    expect(sent('job-dismiss')).toEqual([{ id: 'create0' }]);
  });

  it('fails fast with QmpJobNotFoundError naming the jobs there are when no job goes by the id', async () => {
    const c = await connect({ statuses: ['created', 'running'] });
    const err = await runJob(c, () => c.execute('blockdev-create', CREATE), { jobId: 'create1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpJobNotFoundError);
    expect((err as Error).message).toBe('job create1: no such job (there are: create0)');
    expect(sent('query-jobs')).toHaveLength(1);
  });

  it('runBlockJob, by contrast, finds no block job for blockdev-create, and says so at once', async () => {
    const c = await connect({ statuses: ['created', 'running'] });
    const err = await runBlockJob(c, () => c.execute('blockdev-create', CREATE), { jobId: 'create0' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpJobNotFoundError);
    expect((err as Error).message).toMatch(/^job create0: no such block job \(there are none\)/);
  });

  it('completes a job that stops at ready with job-complete', async () => {
    const c = await connect({ statuses: ['created', 'running', 'ready'], afterComplete: ['waiting', 'pending', 'concluded'] });
    const done = await runJob(c, () => c.execute('blockdev-create', CREATE), { pollInterval: 0 });
    expect(done.status).toBe('concluded');
    expect(sent('job-complete')).toEqual([{ id: 'create0' }]);
  });

  it('rejects, never hangs, when the job is dismissed before its outcome could be read', async () => {
    const c = await connect({ statuses: ['created', 'running', 'concluded', 'null'] });
    const err = await runJob(c, () => c.execute('blockdev-create', CREATE)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpJobError);
    expect((err as Error).message).toMatch(/^job create0: dismissed before its outcome could be read/);
  });

  it('on abort rejects with the reason and cancels the job with job-cancel', async () => {
    const c = await connect({ statuses: ['created', 'running'] });
    const ac = new AbortController();
    const listed = held.server!.nextCommandNamed('query-jobs');
    const running = runJob(c, () => c.execute('blockdev-create', CREATE), { signal: ac.signal, pollInterval: 0 });
    await listed;
    const cancelled = held.server!.nextCommandNamed('job-cancel');
    ac.abort(new Error('stop'));
    await expect(running).rejects.toThrow('stop');
    expect((await cancelled).arguments).toEqual({ id: 'create0' });
  });

  it('gives up after its timeout with QmpTimeoutError naming the job', async () => {
    const c = await connect({ statuses: ['created', 'running'] });
    const err = await runJob(c, () => c.execute('blockdev-create', CREATE), { timeout: 30, pollInterval: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpTimeoutError);
    expect((err as Error).message).toBe('job create0: timed out after 30 ms');
  });

  it('rejects with QmpConnectionError when the connection dies while the job runs', async () => {
    const c = await connect({ statuses: ['created', 'running'] });
    const listed = held.server!.nextCommandNamed('query-jobs');
    const running = runJob(c, () => c.execute('blockdev-create', CREATE), { pollInterval: 0 });
    await listed;
    held.server!.connections[0]!.socket.destroy();
    await expect(running).rejects.toBeInstanceOf(QmpConnectionError);
  });

  it.each([
    ['names no job', () => held.client!.execute('blockdev-create', { options: {} }), "(blockdev-create) names no job ('job-id')"],
    ['sends after an await', async () => held.client!.execute('blockdev-create', await Promise.resolve(CREATE)), '(nothing) names no job'],
  ])('asks for options.jobId when what start() sends %s', async (_, start, message) => {
    await connect({ statuses: [] });
    await expect(runJob(held.client!, start)).rejects.toThrow(`runJob: what start() sent before its first await ${message}`);
  });

  it('reports progress as the bindings hold 64-bit integers (bigint here), in polls and in the result', async () => {
    const c = await connect({ statuses: ['created', 'running'] }, { bindings: new TypeRegistry([], [], { int64: 'bigint' }) });
    const progress: JobProgress[] = [];
    const listed = held.server!.nextCommandNamed('query-jobs');
    const running = runJob(c, () => c.execute('blockdev-create', CREATE), { onProgress: (p) => progress.push(p), pollInterval: 0 });
    await listed;
    // The listing's answer is in before the next command's.
    await c.execute('ping');
    expect(progress.at(-1)).toEqual({ current: 50n, total: 100n, status: 'running' });
    expect(progress[0]).toEqual({ current: 0n, total: 0n, status: 'created' });
    held.server!.connections[0]!.event('JOB_STATUS_CHANGE', { id: 'create0', status: 'concluded' });
    const done = await running;
    expect(done['total-progress']).toBe(100n);
  });
});
