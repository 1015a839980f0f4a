/**
 * Per-test resources of the end-to-end tests: one temp dir, the QEMU
 * processes and clients started in it, all released by `dispose()` whatever
 * happened (clients closed, processes killed and reaped, dir removed).
 */
import { QmpClient, type ConnectOptions, type EventMap, type QmpEvent, type TypeRegistry } from 'qapi-ts-runtime';
import {
  makeTempDir,
  removeTempDir,
  startStorageDaemon,
  startSystemEmulator,
  SYSTEM_QEMU,
  type QemuInstall,
  type QmpProcess,
} from '../../helpers/qemu.js';
import type { Chain } from './chain.js';
import type { RecordingProxy } from './recording-proxy.js';

/** The binaries every end-to-end test needs. */
export const E2E_BINARIES = ['qemu-system-x86_64', 'qemu-storage-daemon', 'qemu-img', 'qemu-io'];

/**
 * --blockdev options opening the chain as explicit nodes: `base`, `mid`,
 * `top` (qcow2) over `base-file`, `mid-file`, `top-file`.
 */
export function chainBlockdevs(chain: Chain): string[] {
  return [
    '--blockdev', `driver=file,node-name=base-file,filename=${chain.base}`,
    '--blockdev', 'driver=qcow2,node-name=base,file=base-file',
    '--blockdev', `driver=file,node-name=mid-file,filename=${chain.mid}`,
    '--blockdev', 'driver=qcow2,node-name=mid,file=mid-file,backing=base',
    '--blockdev', `driver=file,node-name=top-file,filename=${chain.top}`,
    '--blockdev', 'driver=qcow2,node-name=top,file=top-file,backing=mid',
  ];
}

export class E2eScope {
  readonly dir = makeTempDir('qapi-ts-e2e-');
  private readonly processes: QmpProcess[] = [];
  private readonly clients: QmpClient<EventMap>[] = [];
  private readonly proxies: RecordingProxy[] = [];

  /** qemu-system-x86_64 -machine none with the chain's top as `-drive id=drive0`. */
  async systemWithDrive(chain: Chain): Promise<QmpProcess> {
    const proc = await startSystemEmulator(this.dir, ['-drive', `if=none,id=drive0,file=${chain.top},format=qcow2`]);
    this.processes.push(proc);
    return proc;
  }

  /** qemu-storage-daemon with the chain opened as --blockdev nodes (see chainBlockdevs). */
  daemonWithChain(chain: Chain): Promise<QmpProcess> {
    return this.daemon(SYSTEM_QEMU, chainBlockdevs(chain));
  }

  /** A QEMU's qemu-storage-daemon with nothing but its QMP monitor (and `args`). */
  async daemon(qemu: QemuInstall, args: string[] = []): Promise<QmpProcess> {
    const proc = await startStorageDaemon(this.dir, args, 'qmp.sock', qemu);
    this.processes.push(proc);
    return proc;
  }

  /** A client of QEMU at `path`; with the bindings' registry, typed and reading events as they say. */
  async connect(path: string): Promise<QmpClient>;
  async connect<E extends EventMap>(path: string, bindings: TypeRegistry<unknown, unknown, E>, options?: ConnectOptions): Promise<QmpClient<E>>;
  async connect(path: string, bindings?: TypeRegistry<unknown, unknown, EventMap>, options: ConnectOptions = {}): Promise<QmpClient> {
    const client = await QmpClient.connect({ path }, bindings === undefined ? options : { ...options, bindings });
    this.clients.push(client);
    return client;
  }

  adopt(proxy: RecordingProxy): RecordingProxy {
    this.proxies.push(proxy);
    return proxy;
  }

  async dispose(): Promise<void> {
    for (const client of this.clients) await client.close().catch(() => {});
    for (const proxy of this.proxies) await proxy.close();
    for (const proc of this.processes) {
      proc.kill('SIGKILL');
      await proc.exited;
    }
    removeTempDir(this.dir);
  }
}

/**
 * Ends QEMU the orderly way (`quit`), so every image is flushed and closed
 * before the test reads it with qemu-img/qemu-io; resolves once it exited.
 * (A QEMU that exits before its reply is out still answers the quit: the
 * client takes the hang-up for the reply, test/runtime/quit.test.ts.)
 */
export async function quitAndWait(send: () => Promise<unknown>, proc: QmpProcess): Promise<number | null> {
  await send();
  return proc.exited;
}

/**
 * Waits until a job has been dismissed (JOB_STATUS_CHANGE to `null`, with
 * auto-dismiss), counting events after `since`. QEMU emits
 * BLOCK_JOB_COMPLETED before the job's last status changes, so this is the
 * point where its whole lifecycle has been seen.
 */
export function jobDismissed<E extends { JOB_STATUS_CHANGE: { id: string; status: string } }>(
  client: QmpClient<E>,
  jobId: string,
  since: number,
): Promise<QmpEvent<'JOB_STATUS_CHANGE', E['JOB_STATUS_CHANGE']>> {
  return client.waitFor('JOB_STATUS_CHANGE', (e) => e.data.id === jobId && e.data.status === 'null', { since, timeout: 30_000 });
}
