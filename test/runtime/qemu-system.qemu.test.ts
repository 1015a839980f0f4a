import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QmpClient, runBlockJob } from '../../runtime/index.js';
import { createImage, makeTempDir, qemuIo, removeTempDir, requireBinaries, startSystemEmulator, type QmpProcess } from '../helpers/qemu.js';

const qemu = requireBinaries(['qemu-system-x86_64', 'qemu-img', 'qemu-io'], 'runtime tests against qemu-system-x86_64');

describe.skipIf(!qemu.available)('QmpClient against qemu-system-x86_64 -machine none', () => {
  let dir: string | undefined;
  let vm: QmpProcess | undefined;
  let client: QmpClient | undefined;

  beforeEach(() => {
    dir = makeTempDir('qapi-ts-qemu-');
  });

  afterEach(async () => {
    await client?.close();
    vm?.kill('SIGKILL');
    await vm?.exited;
    removeTempDir(dir);
    client = vm = dir = undefined;
  });

  it('executes a real out-of-band command with exec-oob', async () => {
    vm = await startSystemEmulator(dir!);
    client = await QmpClient.connect({ path: vm.socketPath }, { capabilities: ['oob'] });
    expect(client.capabilities).toEqual(['oob']);
    // query-yank is one of the few commands QEMU 7.2 allows out of band.
    const [viaOob, inBand] = await Promise.all([
      client.execute('query-yank', undefined, { oob: true }),
      client.execute('query-yank'),
    ]);
    expect(Array.isArray(viaOob)).toBe(true);
    expect(viaOob).toEqual(inBand);
  });

  it('commits a -drive without job-id: the job id is the device name', async () => {
    const base = join(dir!, 'base.qcow2');
    const top = join(dir!, 'top.qcow2');
    createImage(base, '16M');
    expect(qemuIo(base, ['write -P 0x5a 0 2M']).ok).toBe(true);
    createImage(top, undefined, { backing: base });
    expect(qemuIo(top, ['write -P 0xa5 1M 1M']).ok).toBe(true);
    vm = await startSystemEmulator(dir!, ['-drive', `if=none,id=drive0,file=${top},format=qcow2`]);
    client = await QmpClient.connect({ path: vm.socketPath });
    const c = client;
    const final = await runBlockJob(c, () => c.execute('block-commit', { device: 'drive0' }), { jobId: 'drive0', timeout: 30_000 });
    expect(final.data).toMatchObject({ device: 'drive0', type: 'commit' });

    // `quit` replies and then exits; wait for the exit before reading the image.
    await c.execute('quit');
    await vm.exited;
    expect(qemuIo(base, ['read -P 0x5a 0 1M', 'read -P 0xa5 1M 1M']).ok).toBe(true);
  });
});
