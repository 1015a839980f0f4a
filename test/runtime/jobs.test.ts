import { describe, expect, expectTypeOf, it } from 'vitest';
import { QmpCommands, type BlockJobCompletedData, type Events } from '../../generated/index.js';
import {
  QmpClient,
  QmpConnectionError,
  QmpError,
  QmpJobError,
  QmpJobNotFoundError,
  runBlockJob,
  type BlockJobEventData,
  type BlockJobProgress,
  type QmpEvent,
} from '../../runtime/index.js';
import { closeAfterEach, startMockServer, type MockCommand, type MockConnection, type MockServer } from './helpers/mock-qmp-server.js';

let server: MockServer | undefined;
let client: QmpClient | undefined;

closeAfterEach(() => [client, server]);

const job = (device: string, extra: Record<string, unknown> = {}) => ({ type: 'commit', device, len: 100, offset: 100, speed: 0, ...extra });

interface JobScript {
  /** Events `start-job` emits before or after its reply. */
  events?: { when: 'before' | 'after'; name: string; data: unknown }[];
  /** Events `block-job-complete` emits after its reply. */
  onComplete?: { name: string; data: unknown }[];
  /** What `query-block-jobs` lists (default: job j1). */
  jobs?: () => unknown[];
  /** Handles a command first; true when it did. */
  extra?: (c: MockCommand, k: MockConnection) => boolean;
}

/** A mock where `start-job` starts a job as the script says. */
async function connect(script: JobScript = {}): Promise<QmpClient> {
  const { events = [], onComplete = [], jobs = () => [job('j1', { offset: 0, status: 'running' })], extra } = script;
  server = await startMockServer({
    onCommand(cmd, conn) {
      if (extra?.(cmd, conn)) return true;
      switch (cmd.name) {
        case 'start-job':
          for (const s of events.filter((s) => s.when === 'before')) conn.event(s.name, s.data);
          conn.reply(cmd);
          for (const s of events.filter((s) => s.when === 'after')) conn.event(s.name, s.data);
          return true;
        case 'block-job-complete':
          conn.reply(cmd);
          for (const s of onComplete) conn.event(s.name, s.data);
          return true;
        case 'query-block-jobs':
          conn.reply(cmd, jobs());
          return true;
        default:
          return false;
      }
    },
  });
  client = await QmpClient.connect({ path: server.path });
  return client;
}

describe('runBlockJob', () => {
  it('completes a READY job with block-job-complete and resolves with BLOCK_JOB_COMPLETED', async () => {
    const c = await connect({
      events: [
        { when: 'after', name: 'JOB_STATUS_CHANGE', data: { id: 'j1', status: 'running' } },
        { when: 'after', name: 'BLOCK_JOB_READY', data: job('other') },
        { when: 'after', name: 'BLOCK_JOB_READY', data: job('j1', { offset: 100 }) },
      ],
      onComplete: [{ name: 'BLOCK_JOB_COMPLETED', data: job('j1') }],
    });
    const progress: BlockJobProgress[] = [];
    const final = await runBlockJob(c, () => c.execute('start-job'), { jobId: 'j1', onProgress: (p) => progress.push(p), pollInterval: 0 });
    expect(final).toMatchObject({ event: 'BLOCK_JOB_COMPLETED', data: { device: 'j1' } });
    const completes = server!.received.filter((r) => r.name === 'block-job-complete');
    expect(completes.map((r) => r.arguments)).toEqual([{ device: 'j1' }]);
    expect(progress[0]).toEqual({ offset: 0, len: 0, status: 'running' });
    expect(progress).toContainEqual({ offset: 100, len: 100, status: 'ready' });
  });

  it('does not complete by itself when autoComplete is false', async () => {
    const c = await connect({
      events: [
        { when: 'after', name: 'BLOCK_JOB_READY', data: job('j1') },
        { when: 'after', name: 'BLOCK_JOB_COMPLETED', data: job('j1') },
      ],
    });
    await runBlockJob(c, () => c.execute('start-job'), { jobId: 'j1', autoComplete: false, pollInterval: 0 });
    expect(server!.received.some((r) => r.name === 'block-job-complete')).toBe(false);
  });

  it('catches a job that finished before start() returned', async () => {
    const c = await connect({ events: [{ when: 'before', name: 'BLOCK_JOB_COMPLETED', data: job('fast') }], jobs: () => [] });
    const final = await runBlockJob(c, () => c.execute('start-job', { device: 'fast' }), { pollInterval: 0 });
    expect(final.data).toMatchObject({ device: 'fast' });
  });

  it('rejects with QmpJobError carrying the event when the job completes with error', async () => {
    const c = await connect({ events: [{ when: 'after', name: 'BLOCK_JOB_COMPLETED', data: job('j1', { error: 'No space left on device' }) }] });
    const err = await runBlockJob(c, () => c.execute('start-job'), { jobId: 'j1', pollInterval: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpJobError);
    expect((err as QmpJobError).jobId).toBe('j1');
    expect((err as QmpJobError).message).toContain('No space left on device');
    expect((err as QmpJobError).event.event).toBe('BLOCK_JOB_COMPLETED');
  });

  it('rejects with QmpJobError when cancelled', async () => {
    const c = await connect({ events: [{ when: 'after', name: 'BLOCK_JOB_CANCELLED', data: job('j1') }] });
    const err = await runBlockJob(c, () => c.execute('start-job'), { jobId: 'j1', pollInterval: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpJobError);
    expect((err as QmpJobError).event.event).toBe('BLOCK_JOB_CANCELLED');
  });

  it('rejects when an I/O error stops the job, ignores action ignore', async () => {
    const c = await connect({
      events: [
        { when: 'after', name: 'BLOCK_JOB_ERROR', data: { device: 'j1', operation: 'read', action: 'ignore' } },
        { when: 'after', name: 'BLOCK_JOB_ERROR', data: { device: 'j1', operation: 'write', action: 'stop' } },
      ],
    });
    const err = await runBlockJob(c, () => c.execute('start-job'), { jobId: 'j1', pollInterval: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpJobError);
    expect((err as QmpJobError).event.data).toMatchObject({ operation: 'write', action: 'stop' });
  });

  it('passes through the error of a failing start()', async () => {
    server = await startMockServer({
      onCommand: (cmd, conn) => cmd.name === 'block-commit' && (conn.replyError(cmd, 'DeviceNotFound', 'no such device'), true),
    });
    client = await QmpClient.connect({ path: server.path });
    const c = client;
    await expect(runBlockJob(c, () => c.execute('block-commit', { device: 'nope' }))).rejects.toBeInstanceOf(QmpError);
  });

  it('polls query-block-jobs for progress while running', async () => {
    let polls = 0;
    const c = await connect({
      extra: (cmd, conn) => {
        if (cmd.name !== 'query-block-jobs') return false;
        polls += 1;
        conn.reply(cmd, [{ device: 'j1', type: 'commit', offset: polls * 10, len: 2n ** 60n, status: 'running' }]);
        if (polls === 4) conn.event('BLOCK_JOB_COMPLETED', job('j1', { offset: 2n ** 60n, len: 2n ** 60n }));
        return true;
      },
    });
    const progress: BlockJobProgress[] = [];
    await runBlockJob(c, () => c.execute('start-job'), { jobId: 'j1', pollInterval: 5, onProgress: (p) => progress.push(p) });
    expect(progress.slice(0, 3)).toEqual([10, 20, 30].map((offset) => ({ offset, len: 2n ** 60n, status: 'running' })));
    expect(progress.at(-1)).toMatchObject({ offset: 2n ** 60n });
  });

  it('rejects with QmpConnectionError when the connection dies mid-job', async () => {
    const c = await connect();
    const running = runBlockJob(c, () => c.execute('start-job'), { jobId: 'j1', pollInterval: 0 });
    // Once the job is known to exist, it is running: now the connection goes.
    await server!.nextCommandNamed('query-block-jobs');
    server!.connections[0]!.socket.destroy();
    await expect(running).rejects.toBeInstanceOf(QmpConnectionError);
  });

  it('on abort rejects with the reason and force-cancels the job', async () => {
    const c = await connect();
    const ac = new AbortController();
    const reason = new Error('stop it');
    const started = server!.nextCommand();
    const running = runBlockJob(c, () => c.execute('start-job'), { jobId: 'j1', pollInterval: 0, signal: ac.signal });
    expect((await started).name).toBe('start-job');
    const cancelSent = server!.nextCommandNamed('block-job-cancel');
    ac.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(await cancelSent).toMatchObject({ name: 'block-job-cancel', arguments: { device: 'j1', force: true } });
  });

  it('on abort before start() resolved cancels the job once it has started', async () => {
    let startReply: (() => void) | undefined;
    const c = await connect({
      extra: (cmd, conn) => cmd.name === 'start-job' && ((startReply = () => conn.reply(cmd)), true),
    });
    const ac = new AbortController();
    const started = server!.nextCommandNamed('start-job');
    const running = runBlockJob(c, () => c.execute('start-job', { 'job-id': 'late' }), { signal: ac.signal });
    await started;
    ac.abort(new Error('changed my mind'));
    await expect(running).rejects.toThrow('changed my mind');
    const cancelSent = server!.nextCommandNamed('block-job-cancel');
    startReply!();
    expect(await cancelSent).toMatchObject({ arguments: { device: 'late', force: true } });
  });
});

describe('runBlockJob: which job', () => {
  it.each([
    ['job-id', { 'job-id': 'commit0', device: 'drive0' }, 'commit0'],
    ['device when there is no job-id', { device: 'drive0' }, 'drive0'],
  ])('follows the job by the command’s %s by default', async (_, args, id) => {
    const c = await connect({
      events: [{ when: 'after', name: 'BLOCK_JOB_COMPLETED', data: job(id) }],
      jobs: () => [job(id)],
    });
    const final = await runBlockJob(c, () => c.execute('start-job', args), { pollInterval: 0 });
    expect(final.data.device).toBe(id);
  });

  it('finds the job of a generated wrapper call, and types the completion event by the client’s events', async () => {
    const c = await connect({
      extra: (cmd, conn) => {
        if (cmd.name !== 'block-commit') return false;
        conn.reply(cmd);
        conn.event('BLOCK_JOB_COMPLETED', job('drive0'));
        return true;
      },
      jobs: () => [],
    });
    const typed = c as unknown as QmpClient<Events>;
    const qmp = new QmpCommands(typed);
    const final = await runBlockJob(typed, () => qmp.blockCommit({ device: 'drive0', top: '/images/mid.qcow2' }));
    expect(final).toMatchObject({ event: 'BLOCK_JOB_COMPLETED', data: { device: 'drive0', len: 100 } });
    expectTypeOf(final).toEqualTypeOf<QmpEvent<'BLOCK_JOB_COMPLETED', BlockJobCompletedData>>();
    // An untyped client still gets the members runBlockJob itself reads.
    expectTypeOf<ReturnType<typeof runBlockJob<QmpClient>>>().resolves.toEqualTypeOf<QmpEvent<'BLOCK_JOB_COMPLETED', BlockJobEventData>>();
  });

  it('fails fast with QmpJobNotFoundError when no job goes by the id (device given, job has a job-id)', async () => {
    const c = await connect({ jobs: () => [job('commit0'), job('backup1')] });
    const err = await runBlockJob(c, () => c.execute('start-job'), { jobId: 'drive0' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpJobNotFoundError);
    expect((err as QmpJobNotFoundError).existing).toEqual(['commit0', 'backup1']);
    expect((err as Error).message).toBe(
      "job drive0: no such block job (there are: commit0, backup1); a job started with 'job-id' goes by that id, else by its 'device'",
    );
    // One check, right after the start: no polling loop was ever entered.
    expect(server!.received.filter((r) => r.name === 'query-block-jobs')).toHaveLength(1);
  });

  it('fails when the job vanishes while followed without its final event', async () => {
    let present = true;
    const c = await connect({
      jobs: () => (present ? [job('j1', { offset: 10 })] : []),
      extra: (cmd, conn) => {
        if (cmd.name !== 'query-block-jobs' || server!.received.filter((r) => r.name === cmd.name).length < 2) return false;
        present = false;
        conn.reply(cmd, []);
        return true;
      },
    });
    await expect(runBlockJob(c, () => c.execute('start-job'), { jobId: 'j1', pollInterval: 5 })).rejects.toThrow(QmpJobNotFoundError);
  });

  it.each([
    ['names no job', () => client!.execute('start-job', { speed: 1 }), "(start-job) names no job ('job-id' or 'device')"],
    [
      'names several',
      () => Promise.all([client!.execute('start-job', { device: 'a' }), client!.execute('start-job', { 'job-id': 'b' })]),
      '(start-job, start-job) names several jobs (a, b)',
    ],
    [
      'sends after an await',
      async () => {
        await client!.execute('ping');
        await client!.execute('start-job', { device: 'a' });
      },
      '(ping) names no job',
    ],
  ])('asks for options.jobId when what start() sends %s', async (_, start, message) => {
    await connect();
    await expect(runBlockJob(client!, start)).rejects.toThrow(`runBlockJob: what start() sent before its first await ${message}`);
  });
});

describe('runBlockJob: progress', () => {
  it('never reports progress once the job has ended, whatever arrives after', async () => {
    let queries = 0;
    const c = await connect({
      events: [{ when: 'after', name: 'JOB_STATUS_CHANGE', data: { id: 'j1', status: 'running' } }],
      extra: (cmd, conn) => {
        if (cmd.name !== 'query-block-jobs') return false;
        queries += 1;
        if (queries === 1) {
          conn.reply(cmd, [job('j1', { offset: 50, status: 'running' })]);
          return true;
        }
        if (queries > 2) {
          // Stale numbers, had they been reported, would show.
          conn.reply(cmd, [job('j1', { offset: 7, status: 'concluded' })]);
          return true;
        }
        conn.reply(cmd, [job('j1', { offset: 60, status: 'running' })]);
        conn.event('JOB_STATUS_CHANGE', { id: 'j1', status: 'pending' });
        conn.event('BLOCK_JOB_COMPLETED', job('j1'));
        conn.event('JOB_STATUS_CHANGE', { id: 'j1', status: 'concluded' });
        conn.event('JOB_STATUS_CHANGE', { id: 'j1', status: 'null' });
        return true;
      },
    });
    const progress: BlockJobProgress[] = [];
    let ended = false;
    const late: BlockJobProgress[] = [];
    const final = await runBlockJob(c, () => c.execute('start-job'), {
      jobId: 'j1',
      pollInterval: 1,
      onProgress: (p) => (ended ? late : progress).push(p),
    });
    ended = true;
    expect(final.event).toBe('BLOCK_JOB_COMPLETED');
    // The job's last status change has arrived, and a later query is answered.
    await c.waitFor('JOB_STATUS_CHANGE', (e) => (e.data as { status: string }).status === 'null', { since: 0 });
    await c.execute('query-block-jobs');
    expect(late).toEqual([]);
    expect(progress[0]).toEqual({ offset: 0, len: 0, status: 'running' });
    expect(progress).toContainEqual({ offset: 50, len: 100, status: 'running' });
    expect(progress.at(-1)).toEqual({ offset: 100, len: 100, status: 'pending' });
    // Whether the second reply's numbers come before the events behind it depends on how the bytes were cut.
    expect(progress.map((p) => Number(p.offset))).toEqual(progress.map((p) => Number(p.offset)).sort((a, b) => a - b));
    expect(progress.map((p) => p.status)).not.toContain('concluded');
  });
});
