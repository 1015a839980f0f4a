/**
 * End to end against QEMU 10.0.2's qemu-storage-daemon, with bindings
 * generated from QEMU 10.0's own schema (--qemu-version 10.0): a qcow2
 * chain base <- mid <- top made and filled by 10.0's qemu-img and qemu-io,
 * opened with blockdev-add through the generated wrappers, mid committed
 * into base by job-id and followed to BLOCK_JOB_COMPLETED by runBlockJob,
 * the data read back with qemu-io; and the error block-commit's `Errors:`
 * section documents, arriving as the class its table entry names.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { isQmpError, QmpError, runBlockJob, type QmpClient, type QmpEvent } from 'qapi-ts-runtime';
import { backingChain, imageIsConsistent, requireQemu10 } from '../helpers/qemu.js';
import { requireShared } from '../helpers/shared.js';
import { SCHEMA_100, useBindings100, type Events100, type WireErrorClass100 } from './helpers/bindings100.js';
import { BASE_AFTER_MID_COMMIT, BASE_BEFORE, buildChain, GUEST_VIEW, mismatches } from './helpers/chain.js';
import { jobDismissed, quitAndWait } from './helpers/scope.js';

const qemu10 = requireQemu10(['qemu-storage-daemon', 'qemu-img', 'qemu-io'], 'end-to-end block-commit on QEMU 10.0.2');
const schema = requireShared(SCHEMA_100, 'end-to-end tests with the QEMU 10.0 bindings');

describe.skipIf(!qemu10.available || !schema.available)('QEMU 10.0.2: block-commit through bindings of its own schema', () => {
  const e2e = useBindings100();

  it('opens the chain with blockdev-add, commits mid into base by job-id, and the data agrees', async () => {
    const chain = buildChain(e2e.scope.dir, { qemu: qemu10 });
    expect(backingChain(chain.top, { qemu: qemu10 }).map((e) => e.filename)).toEqual([chain.top, chain.mid, chain.base]);
    expect(mismatches(chain.base, BASE_BEFORE, qemu10)).toEqual([]);
    expect(mismatches(chain.base, BASE_AFTER_MID_COMMIT, qemu10)).not.toEqual([]);

    const daemon = await e2e.scope.daemon(qemu10);
    const client: QmpClient<Events100> = await e2e.scope.connect(daemon.socketPath, e2e.bindings.registry);
    const qmp = new e2e.bindings.QmpCommands(client);

    // Each layer its own node; top's file given inline (BlockdevRef's other branch).
    for (const [name, file] of [['base', chain.base], ['mid', chain.mid]] as const) {
      await qmp.blockdevAdd({ driver: 'file', 'node-name': `${name}-file`, filename: file });
    }
    await qmp.blockdevAdd({ driver: 'qcow2', 'node-name': 'base', file: 'base-file', backing: null });
    await qmp.blockdevAdd({ driver: 'qcow2', 'node-name': 'mid', file: 'mid-file', backing: 'base' });
    await qmp.blockdevAdd({ driver: 'qcow2', 'node-name': 'top', file: { driver: 'file', filename: chain.top }, backing: 'mid' });
    const nodes = await qmp.queryNamedBlockNodes({ flat: true });
    expect(nodes.filter((n) => ['base', 'mid', 'top'].includes(n['node-name'] ?? '')).map((n) => [n['node-name'], n.file])).toEqual([
      ['top', chain.top],
      ['mid', chain.mid],
      ['base', chain.base],
    ]);

    const statuses: string[] = [];
    client.on('JOB_STATUS_CHANGE', (e) => {
      if (e.data.id === 'commit0') statuses.push(e.data.status);
    });
    const mark = client.eventMark();
    const done = await runBlockJob(client, () => qmp.blockCommit({ 'job-id': 'commit0', device: 'top', 'top-node': 'mid', 'base-node': 'base' }), {
      pollInterval: 0,
    });
    expectTypeOf(done).toEqualTypeOf<QmpEvent<'BLOCK_JOB_COMPLETED', Events100['BLOCK_JOB_COMPLETED']>>();
    expect(done.data).toMatchObject({ type: 'commit', device: 'commit0' });
    expect(done.data.error).toBeUndefined();
    expect(Number(done.data.offset)).toBe(Number(done.data.len));
    await jobDismissed(client, 'commit0', mark);
    expect(statuses).toEqual(['created', 'running', 'waiting', 'pending', 'concluded', 'null']);
    expect(await qmp.queryBlockJobs()).toEqual([]);

    expect(await quitAndWait(() => qmp.quit(), daemon)).toBe(0);
    const after = backingChain(chain.top, { qemu: qemu10 });
    expect(after.map((e) => e.filename)).toEqual([chain.top, chain.base]);
    expect(mismatches(chain.base, BASE_AFTER_MID_COMMIT, qemu10)).toEqual([]);
    expect(mismatches(chain.top, GUEST_VIEW, qemu10)).toEqual([]);
    expect(imageIsConsistent(chain.base, qemu10)).toBe(true);
    expect(imageIsConsistent(chain.top, qemu10)).toBe(true);
  });

  it("an error block-commit's Errors section documents arrives as the class its table entry names", async () => {
    const daemon = await e2e.scope.daemon(qemu10);
    const client = await e2e.scope.connect(daemon.socketPath, e2e.bindings.registry);
    const qmp = new e2e.bindings.QmpCommands(client);

    const documented = e2e.bindings.registry.command('block-commit')?.errors;
    expect(documented).toEqual([{ condition: 'If @device does not exist', documented: 'DeviceNotFound', errorClass: 'DeviceNotFound' }]);

    const error = await qmp.blockCommit({ 'job-id': 'commit1', device: 'no-such-node' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpError);
    if (!isQmpError<WireErrorClass100>(error, 'block-commit')) throw new Error(`not block-commit's QmpError: ${String(error)}`);
    expectTypeOf(error.errorClass).toEqualTypeOf<WireErrorClass100>();
    expect(error.errorClass).toBe(documented![0]!.errorClass);
    expect(error.desc).toContain('no-such-node');
    expect(await qmp.queryBlockJobs()).toEqual([]);
  });
});
