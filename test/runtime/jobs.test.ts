import { describe, expect, it } from 'vitest';
import { QmpClient, QmpConnectionError, QmpError, QmpJobError, runBlockJob, type BlockJobProgress } from '../../runtime/index.js';
import { closeAfterEach, startMockServer, type MockCommand, type MockConnection, type MockServer } from './helpers/mock-qmp-server.js';

let server: MockServer | undefined;
let client: QmpClient | undefined;

closeAfterEach(() => [client, server]);

const job = (device: string, extra: Record<string, unknown> = {}) => ({ type: 'commit', device, len: 100, offset: 100, speed: 0, ...extra });

/**
 * Mock where `start-job` emits `script` events (before or after the reply,
 * as each entry says) and `block-job-complete` emits `onComplete` events.
 */
async function connect(script: { when: 'before' | 'after'; name: string; data: unknown }[], onComplete: { name: string; data: unknown }[] = [], extra?: (c: MockCommand, k: MockConnection) => boolean) {
  server = await startMockServer({
    onCommand(cmd, conn) {
      if (extra?.(cmd, conn)) return true;
      if (cmd.name === 'start-job') {
        for (const s of script.filter((s) => s.when === 'before')) conn.event(s.name, s.data);
        conn.reply(cmd);
        for (const s of script.filter((s) => s.when === 'after')) conn.event(s.name, s.data);
        return true;
      }
      if (cmd.name === 'block-job-complete') {
        conn.reply(cmd);
        for (const s of onComplete) conn.event(s.name, s.data);
        return true;
      }
      return false;
    },
  });
  client = await QmpClient.connect({ path: server.path });
  return client;
}

describe('runBlockJob', () => {
  it('completes a READY job with block-job-complete and resolves with BLOCK_JOB_COMPLETED', async () => {
    const c = await connect(
      [
        { when: 'after', name: 'JOB_STATUS_CHANGE', data: { id: 'j1', status: 'running' } },
        { when: 'after', name: 'BLOCK_JOB_READY', data: job('other') },
        { when: 'after', name: 'BLOCK_JOB_READY', data: job('j1', { offset: 100 }) },
      ],
      [{ name: 'BLOCK_JOB_COMPLETED', data: job('j1') }],
    );
    const progress: BlockJobProgress[] = [];
    const final = await runBlockJob(c, () => c.execute('start-job'), { jobId: 'j1', onProgress: (p) => progress.push(p), pollInterval: 0 });
    expect(final).toMatchObject({ event: 'BLOCK_JOB_COMPLETED', data: { device: 'j1' } });
    const completes = server!.received.filter((r) => r.name === 'block-job-complete');
    expect(completes.map((r) => r.arguments)).toEqual([{ device: 'j1' }]);
    expect(progress[0]).toEqual({ offset: 0, len: 0, status: 'running' });
    expect(progress).toContainEqual({ offset: 100, len: 100, status: 'ready' });
  });

  it('does not complete by itself when autoComplete is false', async () => {
    const c = await connect([
      { when: 'after', name: 'BLOCK_JOB_READY', data: job('j1') },
      { when: 'after', name: 'BLOCK_JOB_COMPLETED', data: job('j1') },
    ]);
    await runBlockJob(c, () => c.execute('start-job'), { jobId: 'j1', autoComplete: false, pollInterval: 0 });
    expect(server!.received.some((r) => r.name === 'block-job-complete')).toBe(false);
  });

  it('catches a job that finished before start() returned', async () => {
    const c = await connect([{ when: 'before', name: 'BLOCK_JOB_COMPLETED', data: job('fast') }]);
    const final = await runBlockJob(c, () => c.execute('start-job'), { jobId: 'fast', pollInterval: 0 });
    expect(final.data).toMatchObject({ device: 'fast' });
  });

  it('rejects with QmpJobError carrying the event when the job completes with error', async () => {
    const c = await connect([{ when: 'after', name: 'BLOCK_JOB_COMPLETED', data: job('j1', { error: 'No space left on device' }) }]);
    const err = await runBlockJob(c, () => c.execute('start-job'), { jobId: 'j1', pollInterval: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpJobError);
    expect((err as QmpJobError).jobId).toBe('j1');
    expect((err as QmpJobError).message).toContain('No space left on device');
    expect((err as QmpJobError).event.event).toBe('BLOCK_JOB_COMPLETED');
  });

  it('rejects with QmpJobError when cancelled', async () => {
    const c = await connect([{ when: 'after', name: 'BLOCK_JOB_CANCELLED', data: job('j1') }]);
    const err = await runBlockJob(c, () => c.execute('start-job'), { jobId: 'j1', pollInterval: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpJobError);
    expect((err as QmpJobError).event.event).toBe('BLOCK_JOB_CANCELLED');
  });

  it('rejects when an I/O error stops the job, ignores action ignore', async () => {
    const c = await connect([
      { when: 'after', name: 'BLOCK_JOB_ERROR', data: { device: 'j1', operation: 'read', action: 'ignore' } },
      { when: 'after', name: 'BLOCK_JOB_ERROR', data: { device: 'j1', operation: 'write', action: 'stop' } },
    ]);
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
    await expect(runBlockJob(c, () => c.execute('block-commit', { device: 'nope' }), { jobId: 'nope' })).rejects.toBeInstanceOf(QmpError);
  });

  it('polls query-block-jobs for progress while running', async () => {
    let polls = 0;
    const c = await connect([], [], (cmd, conn) => {
      if (cmd.name !== 'query-block-jobs') return false;
      polls += 1;
      conn.reply(cmd, [{ device: 'j1', type: 'commit', offset: polls * 10, len: 2n ** 60n, status: 'running' }]);
      if (polls === 4) conn.event('BLOCK_JOB_COMPLETED', job('j1', { offset: 2n ** 60n, len: 2n ** 60n }));
      return true;
    });
    const progress: BlockJobProgress[] = [];
    await runBlockJob(c, () => c.execute('start-job'), { jobId: 'j1', pollInterval: 5, onProgress: (p) => progress.push(p) });
    expect(progress.slice(0, 3)).toEqual([10, 20, 30].map((offset) => ({ offset, len: 2n ** 60n, status: 'running' })));
    expect(progress.at(-1)).toMatchObject({ offset: 2n ** 60n });
  });

  it('rejects with QmpConnectionError when the connection dies mid-job', async () => {
    const c = await connect([]);
    const running = runBlockJob(c, () => c.execute('start-job'), { jobId: 'j1', pollInterval: 0 });
    await c.waitFor('NOTHING', undefined, { timeout: 20 }).catch(() => {});
    server!.connections[0]!.socket.destroy();
    await expect(running).rejects.toBeInstanceOf(QmpConnectionError);
  });

  it('on abort rejects with the reason and force-cancels the job', async () => {
    const c = await connect([]);
    const ac = new AbortController();
    const reason = new Error('stop it');
    const started = server!.nextCommand();
    const running = runBlockJob(c, () => c.execute('start-job'), { jobId: 'j1', pollInterval: 0, signal: ac.signal });
    expect((await started).name).toBe('start-job');
    const cancelSent = server!.nextCommand();
    ac.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(await cancelSent).toMatchObject({ name: 'block-job-cancel', arguments: { device: 'j1', force: true } });
  });
});
