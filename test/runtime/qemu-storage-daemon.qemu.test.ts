import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QmpClient, QmpConnectionError, QmpError, runBlockJob, type BlockJobProgress } from '../../runtime/index.js';
import { createImage, makeTempDir, qemuIo, removeTempDir, requireBinaries, startStorageDaemon, type QmpProcess } from '../helpers/qemu.js';

const qemu = requireBinaries(['qemu-storage-daemon', 'qemu-img', 'qemu-io'], 'runtime tests against qemu-storage-daemon');

describe.skipIf(!qemu.available)('QmpClient against qemu-storage-daemon', () => {
  let dir: string | undefined;
  let daemon: QmpProcess | undefined;
  let client: QmpClient | undefined;

  beforeEach(() => {
    dir = makeTempDir('qapi-ts-qsd-');
  });

  afterEach(async () => {
    await client?.close();
    daemon?.kill('SIGKILL');
    await daemon?.exited;
    removeTempDir(dir);
    client = daemon = dir = undefined;
  });

  /** base (pattern 0x11 over 0-2M) <- top (pattern 0x22 over 0-1M), opened as node `top`. */
  async function startOnChain(baseSize = '64M', topWrite = 'write -P 0x22 0 1M'): Promise<{ base: string; top: string }> {
    const base = join(dir!, 'base.qcow2');
    const top = join(dir!, 'top.qcow2');
    createImage(base, baseSize);
    expect(qemuIo(base, ['write -P 0x11 0 2M']).ok).toBe(true);
    createImage(top, undefined, { backing: base, backingFormat: 'qcow2' });
    expect(qemuIo(top, [topWrite]).ok).toBe(true);
    daemon = await startStorageDaemon(dir!, [
      '--blockdev', `driver=file,node-name=topfile,filename=${top}`,
      '--blockdev', 'driver=qcow2,node-name=top,file=topfile',
    ]);
    client = await QmpClient.connect({ path: daemon.socketPath });
    return { base, top };
  }

  it('reads the greeting and agrees with query-version', async () => {
    daemon = await startStorageDaemon(dir!);
    client = await QmpClient.connect({ path: daemon.socketPath }, { capabilities: ['oob'] });
    expect(client.greeting.capabilities).toContain('oob');
    expect(client.capabilities).toEqual(['oob']);
    expect(client.greeting.version.qemu.major).toBeGreaterThanOrEqual(7);
    const version = await client.execute('query-version');
    expect(version).toEqual(client.greeting.version);
  });

  it('pipelines 64 commands and maps a real error reply to QmpError', async () => {
    daemon = await startStorageDaemon(dir!);
    client = await QmpClient.connect({ path: daemon.socketPath });
    const c = client;
    const results = await Promise.all(Array.from({ length: 64 }, () => c.execute('query-version')));
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    const err = await c.execute('block-commit', { device: 'nonexistent' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpError);
    expect((err as QmpError).errorClass).toBe('DeviceNotFound');
    expect((err as QmpError).command).toBe('block-commit');
  });

  it('runs an active block-commit to completion and the data lands in the base image', async () => {
    const { base } = await startOnChain();
    const c = client!;
    const progress: BlockJobProgress[] = [];
    const final = await runBlockJob(c, () => c.execute('block-commit', { 'job-id': 'commit0', device: 'top' }), {
      jobId: 'commit0',
      pollInterval: 50,
      onProgress: (p) => progress.push(p),
      timeout: 30_000,
    });
    expect(final.event).toBe('BLOCK_JOB_COMPLETED');
    expect(final.data).toMatchObject({ device: 'commit0', type: 'commit' });
    const data = final.data as { offset: number; len: number; error?: string };
    expect(data.error).toBeUndefined();
    expect(data.offset).toBe(data.len);
    expect(progress.map((p) => p.status)).toContain('ready');
    // The job is gone and the base node now sits at the root.
    expect(await c.execute('query-block-jobs')).toEqual([]);
    const nodes = (await c.execute('query-named-block-nodes', { flat: true })) as { 'node-name': string; file: string }[];
    expect(nodes.some((n) => n.file === base)).toBe(true);

    await client!.close();
    await daemon!.stop();
    expect(qemuIo(base, ['read -P 0x22 0 1M']).ok).toBe(true);
    expect(qemuIo(base, ['read -P 0x11 1M 1M']).ok).toBe(true);
    // Sanity check that the verification can fail at all.
    expect(qemuIo(base, ['read -P 0x33 0 1M']).ok).toBe(false);
  });

  it('rejects the job, waiters and a pending command promptly when the daemon is killed mid-job', async () => {
    await startOnChain('256M', 'write -P 0x22 0 128M');
    const c = client!;
    const running = runBlockJob(
      c,
      () => c.execute('block-commit', { 'job-id': 'slow0', device: 'top', speed: 64 * 1024 }),
      { jobId: 'slow0', pollInterval: 50 },
    );
    const outcome = running.then(
      () => 'resolved',
      (e: unknown) => e,
    );
    await c.waitFor('JOB_STATUS_CHANGE', (e) => (e.data as { status: string }).status === 'running', { timeout: 10_000 });
    const jobs = (await c.execute('query-block-jobs')) as { device: string; ready: boolean }[];
    expect(jobs).toMatchObject([{ device: 'slow0', ready: false }]);

    const completed = c.waitFor('BLOCK_JOB_COMPLETED', undefined, { since: 'now' });
    // Freeze the daemon so this command is certainly unanswered when it dies.
    daemon!.kill('SIGSTOP');
    const pending = c.execute('query-block-jobs');
    const results = Promise.allSettled([completed, pending]);
    daemon!.kill('SIGKILL');

    for (const r of await results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(QmpConnectionError);
    }
    expect(await outcome).toBeInstanceOf(QmpConnectionError);
    await expect(c.execute('query-version')).rejects.toBeInstanceOf(QmpConnectionError);
  });
});
