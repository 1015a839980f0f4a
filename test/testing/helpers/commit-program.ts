/**
 * The program of the block-commit recording (issue 18, must show 3): it
 * opens a base <- mid <- top chain with blockdev-add (relative file names:
 * QEMU runs in the images' folder), commits mid into base by job-id
 * following the job with runBlockJob to BLOCK_JOB_COMPLETED, waits for
 * the job to be dismissed and asks for the block jobs left; its result is
 * everything it saw.  Calls go through a CommandRunner over the bindings
 * of QEMU 10.0's schema, so arguments are checked as generated wrappers
 * check them, and the connect-time schema check is on (with a cache of
 * its own: the process-wide one would skip query-qmp-schema the second
 * time).
 */
import { CommandRunner, QmpClient, runBlockJob, type ConnectTarget, type TypeRegistry } from 'qapi-ts-runtime';

export interface CommitResult {
  readonly qemu: string;
  readonly nodes: unknown;
  readonly completed: { readonly event: string; readonly data: unknown; readonly timestamp: unknown };
  readonly statuses: readonly string[];
  readonly jobsAfter: unknown;
}

/** The recording's program; `jobId` alters it (the recording has 'commit0'). */
export async function commitProgram(target: ConnectTarget, bindings: TypeRegistry, jobId = 'commit0'): Promise<CommitResult> {
  const client = await QmpClient.connect(target, { bindings, checkSchema: { cache: new Map() } });
  try {
    const qmp = new CommandRunner<Record<string, { args: unknown; returns: unknown; oob: boolean }>>(client, bindings);
    for (const name of ['base', 'mid']) await qmp.execute('blockdev-add', { driver: 'file', 'node-name': `${name}-file`, filename: `${name}.qcow2` });
    await qmp.execute('blockdev-add', { driver: 'qcow2', 'node-name': 'base', file: 'base-file', backing: null });
    await qmp.execute('blockdev-add', { driver: 'qcow2', 'node-name': 'mid', file: 'mid-file', backing: 'base' });
    await qmp.execute('blockdev-add', { driver: 'qcow2', 'node-name': 'top', file: { driver: 'file', filename: 'top.qcow2' }, backing: 'mid' });
    const nodes = await qmp.execute('query-named-block-nodes', { flat: true });
    const statuses: string[] = [];
    let dismissed!: () => void;
    const gone = new Promise<void>((resolve) => (dismissed = resolve));
    client.on('JOB_STATUS_CHANGE', (e) => {
      const data = e.data as { id: string; status: string };
      if (data.id !== jobId) return;
      statuses.push(data.status);
      if (data.status === 'null') dismissed();
    });
    const done = await runBlockJob(client, () => qmp.execute('block-commit', { 'job-id': jobId, device: 'top', 'top-node': 'mid', 'base-node': 'base' }), { pollInterval: 0 });
    await gone;
    const jobsAfter = await qmp.execute('query-block-jobs');
    return { qemu: client.schemaDrift?.qemu ?? '', nodes, completed: { event: done.event, data: done.data, timestamp: done.timestamp }, statuses, jobsAfter };
  } finally {
    await client.close();
  }
}
