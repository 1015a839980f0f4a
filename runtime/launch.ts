/**
 * `qapi-ts-runtime/launch`: starts a QEMU binary (a system emulator or the
 * storage daemon) with a private QMP monitor and connects to it, the way
 * Python's QEMUMachine serves its users.
 *
 * The monitor's socket lives in a private temporary directory; we listen
 * on it and QEMU connects, so its connection (or its exit) is the event to
 * wait for and nothing polls.  Whatever ends the run (close(), a failed
 * start, a lost connection, the program's exit, and SIGINT/SIGTERM when
 * asked), QEMU is stopped and the directory removed.
 *
 * This entry imports Node's modules; the package's main entry stays free
 * of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QmpClient } from './client.js';
import type { ConnectOptions } from './connect-options.js';
import { QmpConnectionError } from './errors.js';
import { BinaryError, findBinary, kindOf, monitorArguments, type QemuKind } from './launch-binary.js';
import { describeExit, QemuProcess, type QemuExit, type StopTimeouts } from './launch-process.js';
import type { EventMap } from './types.js';
import type { TypeRegistry } from './validation.js';

export type { QemuKind } from './launch-binary.js';
export type { QemuExit, StopTimeouts } from './launch-process.js';

const DEFAULT_START_TIMEOUT = 30_000;

/**
 * What a launch takes: how to start QEMU, and the client's options but
 * `reconnect` (QEMU's monitor connects to us once; losing it stops QEMU).
 */
export interface LaunchOptions extends Omit<ConnectOptions, 'reconnect'> {
  /**
   * Arguments after the monitor's, passed as given (`--blockdev ...`,
   * `-drive ...`, `-machine none`); or a function of the kind of binary
   * that returns them.
   */
  args?: readonly string[] | ((kind: QemuKind) => readonly string[]);
  /** What the binary is, when its name does not say (qemu-system-* or qemu-storage-daemon). */
  kind?: QemuKind;
  /** QEMU's working directory (default: this process's). */
  cwd?: string;
  /** QEMU's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /**
   * Milliseconds for the whole start: the process, its monitor's
   * connection, the handshake and the schema check (default 30 s).  As for
   * `QmpClient.connect`, when given it is also every command's reply
   * timeout unless `commandTimeout` says otherwise.
   */
  timeout?: number;
  /** Aborting during the start fails it (reason `aborted`); after it, stops QEMU. */
  signal?: AbortSignal;
  /**
   * On SIGINT or SIGTERM, stop this QEMU, then end the process by that
   * signal (unless the program listens for it itself).  Without it, only
   * the process's 'exit' covers it: Node runs no exit hook when a signal
   * ends the process.
   */
  handleSignals?: boolean;
  /** How long each step of stopping waits (see StopTimeouts). */
  stopTimeouts?: StopTimeouts;
  /** Told the process id as soon as QEMU runs (before it answers). */
  onStarted?: (pid: number) => void;
  /** Receives QEMU's stderr as it comes (it is kept either way: `stderr`). */
  onStderr?: (text: string) => void;
}

/** Why a launch failed. */
export type LaunchFailure =
  /** The binary is not an executable file (on PATH, for a bare name). */
  | 'not-found'
  /** Its name says neither qemu-system-* nor qemu-storage-daemon, and `kind` was not given. */
  | 'unknown-kind'
  /** The process or the monitor's socket could not be made. */
  | 'spawn-failed'
  /** QEMU exited before the handshake ended (a bad argument, a missing file): see `stderr`. */
  | 'exited'
  /** The start took longer than `timeout`. */
  | 'timeout'
  /** The `signal` was aborted. */
  | 'aborted'
  /** The handshake or the schema check failed: see `cause`. */
  | 'handshake';

export class QemuLaunchError extends Error {
  override readonly name = 'QemuLaunchError';

  constructor(
    readonly reason: LaunchFailure,
    message: string,
    /** The binary, as found (or as given when it was not). */
    readonly binary: string,
    /** The end of QEMU's stderr ('' when it never ran). */
    readonly stderr: string,
    /** How it ended, when it ran and exited on its own. */
    readonly exit: QemuExit | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A running QEMU and the client connected to its monitor. */
export class QemuInstance<E extends EventMap = EventMap> {
  /** @internal */
  constructor(
    private readonly qemu: QemuProcess,
    /** Connected to QEMU's monitor; closing it (or losing it) stops QEMU. */
    readonly client: QmpClient<E>,
    /** The binary, as found. */
    readonly binary: string,
    readonly kind: QemuKind,
    /** Every argument QEMU was started with. */
    readonly args: readonly string[],
    signal: AbortSignal | undefined,
  ) {
    qemu.quit = () => client.execute('quit', undefined, { unchecked: true });
    const stop = (): void => void this.close().catch(() => undefined);
    client.onClose(stop);
    signal?.addEventListener('abort', stop, { once: true });
    void qemu.exited.then(() => signal?.removeEventListener('abort', stop));
  }

  get pid(): number {
    return this.qemu.pid!;
  }

  /** The private directory holding the monitor's socket; gone once QEMU exited. */
  get directory(): string {
    return this.qemu.directory;
  }

  /** Resolves once QEMU exited, however (a crash included). */
  get exited(): Promise<QemuExit> {
    return this.qemu.exited;
  }

  /** How QEMU ended; undefined while it runs. */
  get exitStatus(): QemuExit | undefined {
    return this.qemu.exitStatus;
  }

  /** The end of what QEMU wrote on stderr (up to 64 KiB). */
  get stderr(): string {
    return this.qemu.stderr;
  }

  /**
   * Stops QEMU: `quit`, then SIGTERM, then SIGKILL, each after its grace
   * (see StopTimeouts); closes the client and removes the directory.
   * Resolves with how QEMU ended; the same promise for every call.
   */
  async close(): Promise<QemuExit> {
    try {
      return await this.qemu.stop();
    } finally {
      await this.client.close();
    }
  }
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Resolves with QEMU's connection; rejects when it exits first or the start is aborted. */
function awaitConnection(server: Server, qemu: QemuProcess, signal: AbortSignal): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const done = (): void => {
      server.off('connection', onConnection);
      signal.removeEventListener('abort', onAbort);
    };
    const onConnection = (socket: Socket): void => {
      done();
      resolve(socket);
    };
    const onAbort = (): void => {
      done();
      reject(signal.reason);
    };
    server.on('connection', onConnection);
    void qemu.exited.then(() => {
      done();
      reject(new Error('exited'));
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** What of the options is the client's. */
function connectOptions(options: LaunchOptions): ConnectOptions {
  const { args, kind, cwd, env, signal, handleSignals, stopTimeouts, onStarted, onStderr, ...connect } = options;
  return connect;
}

/** The schema check's cache tells binaries apart by path (see SchemaCheckOptions.variant). */
function checkSchemaFor(binary: string, check: LaunchOptions['checkSchema']): ConnectOptions['checkSchema'] {
  if (check === undefined || check === false) return check;
  const options = check === true ? {} : check;
  return options.variant === undefined ? { ...options, variant: binary } : options;
}

/**
 * Starts `binary` (a path, or a name on PATH) with a private QMP monitor,
 * connects to it (with `bindings` and `checkSchema` as `QmpClient.connect`
 * takes them) and resolves once the handshake is over.  Rejects with
 * QemuLaunchError, and then no process and no directory is left.
 */
export function launchQemu<E extends EventMap>(
  binary: string,
  options: LaunchOptions & { bindings: TypeRegistry<unknown, unknown, E> },
): Promise<QemuInstance<E>>;
export function launchQemu(binary: string, options?: LaunchOptions): Promise<QemuInstance>;
export async function launchQemu(given: string, options: LaunchOptions = {}): Promise<QemuInstance> {
  let binary: string;
  let kind: QemuKind;
  try {
    binary = findBinary(given);
    kind = options.kind ?? kindOf(binary);
  } catch (e) {
    if (e instanceof BinaryError) throw new QemuLaunchError(e.problem, e.message, given, '', undefined);
    throw e;
  }
  const limit = options.timeout !== undefined && options.timeout > 0 ? options.timeout : DEFAULT_START_TIMEOUT;
  const deadline = AbortSignal.timeout(limit);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const extra = typeof options.args === 'function' ? options.args(kind) : (options.args ?? []);
  const directory = mkdtempSync(join(tmpdir(), 'qapi-ts-qemu-'));
  const socketPath = join(directory, 'qmp.sock');
  const server = createServer();
  const args = [...monitorArguments(kind, socketPath), ...extra];
  let qemu: QemuProcess | undefined;
  let client: QmpClient | undefined;
  let connected = false;
  try {
    try {
      await listen(server, socketPath);
    } catch (e) {
      throw new QemuLaunchError('spawn-failed', `cannot listen on ${socketPath}: ${(e as Error).message}`, binary, '', undefined, { cause: e });
    }
    signal.throwIfAborted();
    qemu = new QemuProcess(binary, args, directory, {
      cwd: options.cwd,
      env: options.env,
      onStderr: options.onStderr,
      handleSignals: options.handleSignals === true,
      stopTimeouts: options.stopTimeouts,
    });
    const pid = qemu.pid;
    if (pid === undefined) {
      await qemu.exited;
      const why = qemu.startError?.message ?? 'no process';
      throw new QemuLaunchError('spawn-failed', `cannot start ${binary}: ${why}`, binary, '', undefined, { cause: qemu.startError });
    }
    options.onStarted?.(pid);
    const socket = await awaitConnection(server, qemu, signal);
    connected = true;
    server.close();
    // An abort ends the handshake by ending the connection.
    const hangUp = (): void => void socket.destroy();
    signal.addEventListener('abort', hangUp, { once: true });
    try {
      // The whole start's deadline ends the handshake through `hangUp`; the
      // client's own timeouts are as the caller gave them.
      client = await QmpClient.connect({ stream: socket }, { ...connectOptions(options), checkSchema: checkSchemaFor(binary, options.checkSchema) });
    } finally {
      signal.removeEventListener('abort', hangUp);
    }
    return new QemuInstance(qemu, client, binary, kind, args, options.signal);
  } catch (e) {
    server.close();
    await client?.close();
    const exit = qemu === undefined ? undefined : await exitOnItsOwn(qemu, e, signal);
    await qemu?.stop().catch(() => undefined);
    rmSync(directory, { recursive: true, force: true });
    throw launchFailure(e, { binary, stderr: qemu?.stderr ?? '', exit, connected, options, deadline, limit });
  }
}

/** How long a QEMU that hung up during the handshake is given to exit before it is stopped. */
const HANG_UP_GRACE = 2_000;

/**
 * The exit of a QEMU that ended the start itself (before it is stopped):
 * one that exited, or one that hung up on us, which QEMU does as it exits
 * (the exit is then waited for, so that its code and stderr are known).
 */
async function exitOnItsOwn(qemu: QemuProcess, e: unknown, signal: AbortSignal): Promise<QemuExit | undefined> {
  if (qemu.exitStatus === undefined && e instanceof QmpConnectionError && !signal.aborted) await qemu.exitWithin(HANG_UP_GRACE);
  return qemu.exitStatus;
}

interface FailureContext {
  readonly binary: string;
  readonly stderr: string;
  /** Its exit, when it exited on its own. */
  readonly exit: QemuExit | undefined;
  readonly connected: boolean;
  readonly options: LaunchOptions;
  readonly deadline: AbortSignal;
  readonly limit: number;
}

/** The error a failed start rejects with: why, in the order the causes can overlap. */
function launchFailure(e: unknown, c: FailureContext): QemuLaunchError {
  if (e instanceof QemuLaunchError) return e;
  const stderr = c.stderr;
  if (c.options.signal?.aborted) {
    return new QemuLaunchError('aborted', `the start of ${c.binary} was aborted; QEMU was stopped`, c.binary, stderr, undefined, { cause: c.options.signal.reason });
  }
  if (c.exit !== undefined) {
    const exit = c.exit;
    const when = c.connected ? 'during the QMP handshake' : 'before its monitor connected';
    const said = stderr.trim() === '' ? '' : `:\n${stderr.trim()}`;
    return new QemuLaunchError('exited', `${c.binary} ${describeExit(exit)} ${when}${said}`, c.binary, stderr, exit, { cause: e });
  }
  if (c.deadline.aborted) {
    return new QemuLaunchError('timeout', `${c.binary} did not answer within ${c.limit} ms`, c.binary, stderr, undefined, { cause: e });
  }
  return new QemuLaunchError('handshake', `${c.binary}: ${e instanceof Error ? e.message : String(e)}`, c.binary, stderr, undefined, { cause: e });
}
