/**
 * Asks a QEMU binary what it accepts: starts it without a guest in a
 * private temporary directory, with its QMP monitor connecting to a socket
 * we listen on (so there is nothing to poll for: its connection is the
 * event), runs query-qmp-schema and query-version, and stops it.  Whatever
 * happens (a failure, a timeout, an abort), the process is killed and
 * reaped and the directory removed before the promise settles.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { QmpClient, QmpConnectionError, QmpError, QmpTimeoutError } from 'qapi-ts-runtime';
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

/** QEMU's option syntax doubles a comma inside a value. */
const optionValue = (s: string): string => s.replace(/,/g, ',,');

/** The arguments that start `binary` with no guest and our monitor, by the kind of program it is. */
export function monitorArguments(binary: string, socket: string): string[] {
  const name = basename(binary);
  const chardev = `socket,id=qapi-ts,path=${optionValue(socket)},server=off`;
  if (name.includes('qemu-storage-daemon')) return ['--chardev', chardev, '--monitor', 'chardev=qapi-ts'];
  if (name.includes('qemu-system-')) {
    return ['-machine', 'none', '-nodefaults', '-no-user-config', '-display', 'none', '-S', '-chardev', chardev, '-mon', 'chardev=qapi-ts,mode=control'];
  }
  throw new LiveQemuError(
    `qapi-ts: cannot tell how to start '${binary}': give a qemu-system-* emulator or qemu-storage-daemon (the name says which)`,
    true,
  );
}

/** Resolves with the first of: QEMU's connection, its exit, an abort, the deadline. */
function awaitConnection(server: Server, child: ChildProcess, stderr: () => string, signal: AbortSignal): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const done = (): void => {
      server.off('connection', onConnection);
      child.off('exit', onExit);
      child.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const onConnection = (socket: Socket): void => {
      done();
      resolve(socket);
    };
    const onExit = (code: number | null, sig: NodeJS.Signals | null): void => {
      done();
      const how = sig ? `was killed by ${sig}` : `exited with code ${code}`;
      reject(new LiveQemuError(`qapi-ts: ${child.spawnfile} ${how} before its monitor connected${stderr() ? `:\n${stderr().trim()}` : ''}`));
    };
    const onError = (err: Error): void => {
      done();
      reject(new LiveQemuError(`qapi-ts: cannot start ${child.spawnfile}: ${err.message}`, true));
    };
    const onAbort = (): void => {
      done();
      reject(signal.reason);
    };
    server.on('connection', onConnection);
    child.once('exit', onExit);
    child.once('error', onError);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The binary as given, or found on PATH when given as a bare name. */
export function findBinary(binary: string): string {
  const candidates = binary.includes('/') ? [binary] : (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '').map((d) => join(d, binary));
  const found = candidates.find(isExecutable);
  if (found === undefined) throw new LiveQemuError(`qapi-ts: '${binary}' is not an executable file${binary.includes('/') ? '' : ' on PATH'}`, true);
  return found;
}

export async function queryBinary(given: string, options: LiveOptions = {}): Promise<Introspection> {
  const binary = findBinary(given);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const dir = mkdtempSync(join(tmpdir(), 'qapi-ts-qemu-'));
  const socketPath = join(dir, 'qmp.sock');
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const server = createServer();
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  let client: QmpClient | undefined;
  let quitting = false;
  try {
    const args = monitorArguments(binary, socketPath);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
    if (signal.aborted) throw signal.reason;
    child = spawn(binary, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    const proc = child;
    exited = new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) resolve(undefined);
      else proc.once('close', resolve).once('error', resolve);
    });
    let stderr = '';
    proc.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
    if (proc.pid !== undefined) options.onStarted?.(proc.pid);
    const socket = await awaitConnection(server, proc, () => stderr, signal);
    server.close();
    // An abort ends the handshake and any command by ending the connection.
    signal.addEventListener('abort', () => socket.destroy(), { once: true });
    client = await QmpClient.connect({ stream: socket }, { timeout: timeoutMs });
    const call = (command: string): Promise<unknown> => client!.execute(command, undefined, { signal });
    const schema = await call('query-qmp-schema');
    const version = await call('query-version');
    // The orderly way out; should it fail, the finally below kills.
    quitting = await call('quit').then(
      () => true,
      () => false,
    );
    return readReply(schema, version, binary);
  } catch (e) {
    if (options.signal?.aborted) throw new LiveQemuAborted('qapi-ts: interrupted; QEMU was stopped');
    if (deadline.aborted) throw new LiveQemuError(`qapi-ts: ${binary} did not answer within ${timeoutMs} ms`);
    if (e instanceof QmpConnectionError || e instanceof QmpError || e instanceof QmpTimeoutError) throw new LiveQemuError(`qapi-ts: ${binary}: ${e.message}`);
    throw e;
  } finally {
    await client?.close().catch(() => undefined);
    server.close();
    if (child && child.exitCode === null && child.signalCode === null) {
      // After 'quit' QEMU exits on its own (the grace is only a safety net);
      // on any other way out it is killed now.
      const proc = child;
      const grace = setTimeout(() => proc.kill('SIGKILL'), quitting ? 5_000 : 0);
      await exited;
      clearTimeout(grace);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
