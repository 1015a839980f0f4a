/**
 * Asks a QEMU binary what it accepts: starts it without a guest in a
 * private temporary directory, with its QMP monitor connecting to a socket
 * we listen on (so there is nothing to poll for: its connection is the
 * event), runs query-qmp-schema and query-version, and stops it.  Whatever
 * happens (a failure, a timeout, an abort), the process is killed and
 * reaped and the directory removed before the promise settles.
 */
import { QmpConnectionError, QmpError, QmpTimeoutError } from 'qapi-ts-runtime';
import { launchQemu, QemuLaunchError, type QemuInstance, type QemuKind } from 'qapi-ts-runtime/launch';
import { readReply } from './reply.js';
import type { Introspection } from './schema-info.js';

/** A binary could not be queried: it is missing, not QEMU, or failed. */
export class LiveQemuError extends Error {
  constructor(
    message: string,
    /** The binary is unusable as given (a usage error rather than a failure). */
    readonly usage = false,
  ) {
    super(message);
  }
}

/** Thrown when the query was aborted (Ctrl-C); everything is cleaned up by then. */
export class LiveQemuAborted extends Error {}

export interface LiveOptions {
  readonly signal?: AbortSignal;
  /** For the whole run: start, handshake, both queries (default 60 s). */
  readonly timeoutMs?: number;
  /** Told once the process runs, e.g. to say so on a terminal. */
  readonly onStarted?: (pid: number) => void;
}

/** Each kind started as bare as it goes: no guest, no defaults, no user config, stopped. */
const NO_GUEST: Record<QemuKind, readonly string[]> = {
  'storage-daemon': [],
  system: ['-machine', 'none', '-nodefaults', '-no-user-config', '-S'],
};

/** A launch failure as this module reports it; the binary's own faults are usage errors. */
function launchError(e: QemuLaunchError): LiveQemuError {
  const usage = e.reason === 'not-found' || e.reason === 'unknown-kind' || e.reason === 'spawn-failed';
  return new LiveQemuError(`qapi-ts: ${e.message}`, usage);
}

export async function queryBinary(binary: string, options: LiveOptions = {}): Promise<Introspection> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let qemu: QemuInstance | undefined;
  try {
    qemu = await launchQemu(binary, {
      args: (kind) => NO_GUEST[kind],
      timeout: timeoutMs,
      signal,
      ...(options.onStarted ? { onStarted: options.onStarted } : {}),
    });
    const call = (command: string): Promise<unknown> => qemu!.client.execute(command, undefined, { signal });
    const schema = await call('query-qmp-schema');
    const version = await call('query-version');
    return readReply(schema, version, qemu.binary);
  } catch (e) {
    if (options.signal?.aborted) throw new LiveQemuAborted('qapi-ts: interrupted; QEMU was stopped');
    if (deadline.aborted) throw new LiveQemuError(`qapi-ts: ${qemu?.binary ?? binary} did not answer within ${timeoutMs} ms`);
    if (e instanceof QemuLaunchError) throw launchError(e);
    if (e instanceof QmpConnectionError || e instanceof QmpError || e instanceof QmpTimeoutError) throw new LiveQemuError(`qapi-ts: ${qemu!.binary}: ${e.message}`);
    throw e;
  } finally {
    // quit, then SIGTERM, then SIGKILL; the directory goes with the process.
    await qemu?.close().catch(() => undefined);
  }
}
