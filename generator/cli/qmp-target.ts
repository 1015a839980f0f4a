/**
 * The QEMU that `qmp` and `shell` talk to: a monitor socket (`--socket
 * PATH`), or a QEMU started for the run (`--qemu BINARY [-- ARGS...]`)
 * through the runtime's launcher, stopped when the run ends.  While a
 * started QEMU runs, SIGINT and SIGTERM stop it before the CLI exits.
 */
import type { Command } from 'commander';
import { QmpClient, QmpConnectionError, QmpProtocolError, QmpTimeoutError, type ConnectOptions } from 'qapi-ts-runtime';
import { launchQemu, QemuLaunchError, type QemuInstance, type QemuKind } from 'qapi-ts-runtime/launch';
import { CliExit, EXIT } from './io.js';

export interface TargetFlags {
  socket?: string;
  qemu?: string;
}

export const TARGET_OPTIONS = {
  socket: ['--socket <path>', "the QMP monitor's unix socket"],
  qemu: ['--qemu <binary>', 'start this QEMU (qemu-system-* or qemu-storage-daemon) for the run, its own arguments after --'],
} as const;

/**
 * The verb's operands before `--`, and QEMU's arguments after it.
 * Commander hands over both as one list of operands; the program's
 * `rawArgs` (the argv it parsed, which its typings leave out) says where
 * `--` stood.
 */
export function splitOperands(command: Command): { operands: string[]; qemuArgs: string[] } {
  const raw: unknown = (command.parent as { rawArgs?: unknown } | null)?.rawArgs;
  if (!Array.isArray(raw)) throw new Error('commander no longer keeps the parsed argv as rawArgs');
  const at = raw.indexOf('--');
  const after = at < 0 ? 0 : raw.length - at - 1;
  const cut = command.args.length - after;
  return { operands: command.args.slice(0, cut), qemuArgs: command.args.slice(cut) };
}

/** Exactly one of --socket and --qemu; QEMU's own arguments only with --qemu. */
export function checkTarget(flags: TargetFlags, qemuArgs: readonly string[]): void {
  if ((flags.socket === undefined) === (flags.qemu === undefined)) {
    throw new CliExit(EXIT.usage, 'qapi-ts: give --socket PATH (a running QEMU) or --qemu BINARY (one started for the run), one of them');
  }
  if (qemuArgs.length > 0 && flags.qemu === undefined) {
    throw new CliExit(EXIT.usage, `qapi-ts: arguments after -- are QEMU's own and need --qemu BINARY (got ${qemuArgs.join(' ')})`);
  }
}

/** Without arguments of its own, a started emulator runs no guest (as `generate --qemu` starts it). */
const NO_GUEST: Record<QemuKind, readonly string[]> = {
  'storage-daemon': [],
  system: ['-machine', 'none', '-nodefaults'],
};

export interface Target {
  readonly client: QmpClient;
  /** How messages name it: the socket's path or the binary. */
  readonly label: string;
  readonly launched: QemuInstance | undefined;
  /** Ends the connection; stops a started QEMU (quit, SIGTERM, SIGKILL). */
  close(): Promise<void>;
}

const CONNECT_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such socket',
  ECONNREFUSED: 'connection refused (nothing is listening)',
  EACCES: 'permission denied',
  ENOTSOCK: 'not a socket',
};

/** Exit 3 with one line for a failed connection to a socket. */
function connectFailure(e: unknown, socket: string): unknown {
  if (e instanceof QmpConnectionError) {
    const code = (e.cause as { code?: unknown } | undefined)?.code;
    const reason = typeof code === 'string' ? CONNECT_ERRORS[code] : undefined;
    if (reason !== undefined) return new CliExit(EXIT.qmp, `qapi-ts: cannot connect to QMP socket ${socket}: ${reason}`);
  }
  if (e instanceof QmpConnectionError || e instanceof QmpTimeoutError || e instanceof QmpProtocolError) return new CliExit(EXIT.qmp, `qapi-ts: ${e.message}`);
  return e;
}

export interface TargetOptions {
  readonly connect: ConnectOptions;
  /** Stops a started QEMU when aborted. */
  readonly signal?: AbortSignal;
  /** Where a started QEMU's stderr goes. */
  readonly onQemuStderr?: (text: string) => void;
}

export async function openTarget(flags: TargetFlags, qemuArgs: readonly string[], options: TargetOptions): Promise<Target> {
  if (flags.socket !== undefined) {
    const socket = flags.socket;
    let client: QmpClient;
    try {
      client = await QmpClient.connect({ path: socket }, options.connect);
    } catch (e) {
      throw connectFailure(e, socket);
    }
    return { client, label: `the QEMU at ${socket}`, launched: undefined, close: () => client.close() };
  }
  const binary = flags.qemu!;
  try {
    const launched = await launchQemu(binary, {
      ...options.connect,
      args: qemuArgs.length > 0 ? qemuArgs : (kind) => NO_GUEST[kind],
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onQemuStderr ? { onStderr: options.onQemuStderr } : {}),
    });
    return {
      client: launched.client,
      label: `${launched.binary} (pid ${launched.pid})`,
      launched,
      close: async () => {
        await launched.close().catch(() => undefined);
      },
    };
  } catch (e) {
    if (!(e instanceof QemuLaunchError)) throw e;
    if (e.reason === 'aborted') throw new CliExit(EXIT.interrupted, 'qapi-ts: interrupted; QEMU was stopped');
    const usage = e.reason === 'not-found' || e.reason === 'unknown-kind';
    throw new CliExit(usage ? EXIT.usage : EXIT.qmp, `qapi-ts: ${e.message}`);
  }
}

/** The signals that end a run: Ctrl-C, kill, and the terminal going away. */
const STOPPING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs `body` with SIGINT, SIGTERM and SIGHUP turned into an abort of the
 * signal it is given (a started QEMU is stopped by it).  Resolves as `body`
 * does; when `body` fails after an interruption, that is exit 130.
 */
export async function interruptible<T>(body: (signal: AbortSignal) => Promise<T>, what: string | undefined = 'QEMU was stopped'): Promise<T> {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  for (const s of STOPPING_SIGNALS) process.on(s, onSignal);
  try {
    return await body(stop.signal);
  } catch (e) {
    if (stop.signal.aborted && !(e instanceof CliExit && e.code === EXIT.interrupted)) throw new CliExit(EXIT.interrupted, `qapi-ts: interrupted${what === undefined ? '' : `; ${what}`}`);
    throw e;
  } finally {
    for (const s of STOPPING_SIGNALS) process.off(s, onSignal);
  }
}
