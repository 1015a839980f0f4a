import { describe, expect, it } from 'vitest';
import { QmpClient, QmpError, runBlockJob } from 'qapi-ts-runtime';
import { QmpPeer } from 'qapi-ts-runtime/testing';
import { QmpCommands, registry } from '../../generated/index.js';

describe('committing drive0', () => {
  it('follows the job to BLOCK_JOB_COMPLETED', async () => {
    const peer = new QmpPeer({ bindings: registry });
    // Stands in for QEMU: the commit starts a job that runs its course.
    peer.handle('block-commit', (args) => {
      peer.jobs.start({ id: args.device, type: 'commit', len: 1 << 20 });
    });
    const client = await QmpClient.connect(peer.pair(), { bindings: registry, checkSchema: true });
    const qmp = new QmpCommands(client);

    const done = await runBlockJob(client, () => qmp.blockCommit({ device: 'drive0', top: 'mid.qcow2' }));

    expect(done.data).toMatchObject({ device: 'drive0', len: 1048576n });
    expect(peer.callsOf('block-commit')).toEqual([{ device: 'drive0', top: 'mid.qcow2' }]);
    await client.close();
    await peer.close();
  });

  it('reports a device QEMU does not have', async () => {
    const peer = new QmpPeer({ bindings: registry });
    peer.handle('block-commit', (args, call) => call.fail('DeviceNotFound', `Device '${args.device}' not found`));
    const client = await QmpClient.connect(peer.pair(), { bindings: registry });

    const error = await new QmpCommands(client).blockCommit({ device: 'drive9', top: 'mid.qcow2' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(QmpError);
    expect(error).toMatchObject({ errorClass: 'DeviceNotFound' });
    await client.close();
    await peer.close();
  });
});
