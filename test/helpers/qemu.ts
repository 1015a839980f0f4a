/**
 * Shared helpers for tests that drive real QEMU binaries: find them (skip
 * locally, fail under CI when missing), make temp dirs, build images, run
 * qemu-io, and start QMP-serving processes that are always killed afterwards.
 * Each helper runs the system's QEMU (on PATH) unless given another
 * install, such as the unpacked QEMU 10.0.2 (requireQemu10).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { delimiter, join } from 'node:path';

/** Where a QEMU's programs are. */
export interface QemuInstall {
  readonly name: string;
  /** How to run one of its programs (`qemu-img`, `qemu-io`, ...). */
  bin(program: string): string;
}

/** The system's QEMU (Debian's 7.2 here), found on PATH. */
export const SYSTEM_QEMU: QemuInstall = { name: 'QEMU on PATH', bin: (program) => program };

export interface BinaryCheck {
  available: boolean;
  missing: string[];
}

function onPath(name: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/**
 * Checks that every binary is on PATH. When some are missing: under CI
 * (`process.env.CI` set) this throws so the test file fails; otherwise it
 * warns visibly and returns `available: false` for `describe.skipIf`.
 */
export function requireBinaries(names: string[], what = 'QEMU tests'): BinaryCheck {
  const missing = names.filter((n) => !onPath(n));
  if (missing.length === 0) return { available: true, missing };
  const message = `${what}: missing ${missing.join(', ')} (install qemu-utils, qemu-system-x86, qemu-system-common)`;
  if (process.env.CI) throw new Error(`${message}; CI is set, so this is a failure, not a skip`);
  console.warn(`SKIPPING ${message}`);
  return { available: false, missing };
}

/** Where `.ci/install-qemu-10` unpacks QEMU 10.0.2 (beside the system's 7.2). */
export const QEMU10_DIR = process.env.QAPI_TS_QEMU10_DIR ?? '/opt/qemu-10.0.2';

export interface Qemu10Check extends QemuInstall {
  readonly available: boolean;
}

/**
 * Finds QEMU 10.0.2 as `.ci/install-qemu-10` unpacks it.  Missing: under CI
 * this throws so the test file fails; otherwise it warns visibly and
 * returns `available: false` for `describe.skipIf`.
 */
export function requireQemu10(names: string[], what = 'QEMU 10 tests'): Qemu10Check {
  const bin = (name: string): string => join(QEMU10_DIR, 'usr', 'bin', name);
  const missing = names.filter((n) => {
    try {
      accessSync(bin(n), constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
  const name = 'QEMU 10.0.2';
  if (missing.length === 0) return { name, available: true, bin };
  const message = `${what}: missing ${missing.map(bin).join(', ')} (run .ci/install-qemu-10)`;
  if (process.env.CI) throw new Error(`${message}; CI is set, so this is a failure, not a skip`);
  console.warn(`SKIPPING ${message}`);
  return { name, available: false, bin };
}

export { makeTempDir, removeTempDir } from './scratch.js';

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a tool to completion; throws with its output when it exits non-zero. */
export function run(binary: string, args: string[], options: { cwd?: string; allowFailure?: boolean } = {}): RunResult {
  const r = spawnSync(binary, args, { cwd: options.cwd, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  const result = { status: r.status, stdout: r.stdout, stderr: r.stderr };
  if (!options.allowFailure && r.status !== 0) {
    throw new Error(`${binary} ${args.join(' ')} exited ${r.status}: ${r.stderr || r.stdout}`);
  }
  return result;
}

export interface ImageOptions {
  format?: string;
  backing?: string;
  backingFormat?: string;
  qemu?: QemuInstall;
}

/** `qemu-img create`; size may be omitted when a backing file supplies it. */
export function createImage(path: string, size: string | undefined, options: ImageOptions = {}): void {
  const args = ['create', '-q', '-f', options.format ?? 'qcow2'];
  if (options.backing !== undefined) args.push('-b', options.backing, '-F', options.backingFormat ?? 'qcow2');
  args.push(path);
  if (size !== undefined) args.push(size);
  run((options.qemu ?? SYSTEM_QEMU).bin('qemu-img'), args);
}

/**
 * Runs qemu-io commands against an image. `ok` is false when qemu-io failed
 * or reported a pattern mismatch (older versions exit 0 on mismatch).
 */
export function qemuIo(
  image: string,
  commands: string[],
  options: { format?: string; forceShare?: boolean; qemu?: QemuInstall } = {},
): RunResult & { ok: boolean } {
  const args = ['-f', options.format ?? 'qcow2'];
  if (options.forceShare) args.push('-U');
  for (const c of commands) args.push('-c', c);
  args.push(image);
  const r = run((options.qemu ?? SYSTEM_QEMU).bin('qemu-io'), args, { allowFailure: true });
  const ok = r.status === 0 && !/verification failed|error|failed/i.test(r.stdout + r.stderr);
  return { ...r, ok };
}

export interface QmpProcess {
  child: ChildProcess;
  socketPath: string;
  /** Collected stderr, for failure messages. */
  stderr(): string;
  /** Sends a signal if still running. */
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process exited. */
  stop(graceMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

/**
 * Whether a Unix socket is listening at `path`, read from the kernel's table
 * of Unix sockets (Linux) without connecting: a listening socket has the
 * accept-connections flag (0x10000). A connection made to find out would be
 * a QMP session of its own, and the test's client would then open the next
 * one while QEMU may still be tearing the first down (a handshake reset by
 * the peer, seen once under load). A client that connects once the socket
 * listens waits in the backlog until QEMU's main loop accepts it.
 * Undefined where the table cannot be read.
 */
function listeningAt(path: string): boolean | undefined {
  let table: string;
  try {
    table = readFileSync('/proc/net/unix', 'latin1');
  } catch {
    return undefined;
  }
  for (const line of table.split('\n')) {
    if (!line.endsWith(` ${path}`)) continue;
    const fields = line.trim().split(/\s+/);
    if (fields[3] === '00010000' && fields.slice(7).join(' ') === path) return true;
  }
  return false;
}

/**
 * Whether a QMP monitor answers at `path` (where the socket table cannot be
 * read): it accepts, sends its greeting, and closes its side once we hang
 * up. Waiting for all of it leaves the monitor idle for the next client.
 */
function monitorAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    let greeted = false;
    const s = createConnection({ path });
    // A guard against a monitor that never greets; the caller tries again.
    s.setTimeout(5_000, () => s.destroy());
    s.once('data', () => {
      greeted = true;
      s.end();
    });
    s.once('error', () => resolve(false));
    s.once('close', (hadError) => resolve(greeted && !hadError));
  });
}

/** Whether the QMP monitor at `path` is ready for a test's client. */
async function monitorReady(path: string): Promise<boolean> {
  return listeningAt(path) ?? (existsSync(path) && (await monitorAnswers(path)));
}

/**
 * Spawns `binary args` and waits until the QMP monitor on `socketPath` is ready.
 */
export async function startQmpProcess(binary: string, args: string[], socketPath: string, cwd?: string): Promise<QmpProcess> {
  const child = spawn(binary, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve((exitCode = code)));
    child.once('error', () => resolve((exitCode = null)));
  });
  const proc: QmpProcess = {
    child,
    socketPath,
    stderr: () => stderr,
    kill(signal = 'SIGKILL') {
      if (exitCode === undefined) child.kill(signal);
    },
    async stop(graceMs = 5_000) {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    exited,
  };
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) break;
    if (await monitorReady(socketPath)) return proc;
    await new Promise((r) => setTimeout(r, 25));
  }
  proc.kill('SIGKILL');
  await exited;
  throw new Error(`${binary} did not open ${socketPath} (exit ${exitCode}): ${stderr}`);
}

/** qemu-storage-daemon with a QMP monitor on `dir/qmp.sock` plus extra args (e.g. --blockdev). */
export function startStorageDaemon(dir: string, extraArgs: string[] = [], socketName = 'qmp.sock', qemu = SYSTEM_QEMU): Promise<QmpProcess> {
  const socketPath = join(dir, socketName);
  const args = [...extraArgs, '--chardev', `socket,path=${socketPath},server=on,wait=off,id=qmp0`, '--monitor', 'chardev=qmp0'];
  return startQmpProcess(qemu.bin('qemu-storage-daemon'), args, socketPath, dir);
}

/** Guest-less qemu-system-x86_64 (`-machine none`) with QMP on `dir/qmp.sock` plus extra args (e.g. -drive). */
export function startSystemEmulator(dir: string, extraArgs: string[] = [], socketName = 'qmp.sock'): Promise<QmpProcess> {
  const socketPath = join(dir, socketName);
  const args = ['-machine', 'none', '-nodefaults', '-display', 'none', ...extraArgs, '-qmp', `unix:${socketPath},server=on,wait=off`];
  return startQmpProcess('qemu-system-x86_64', args, socketPath, dir);
}

/** One image of `qemu-img info --backing-chain`, top first. */
export interface ChainEntry {
  filename: string;
  format: string;
  /** The backing file as resolved by QEMU, absent for the last image. */
  backing: string | undefined;
}

/**
 * The backing chain of an image as `qemu-img info --backing-chain` reports
 * it. Uses -U (force-share) so it can be read while QEMU holds the image.
 */
export function backingChain(image: string, options: { forceShare?: boolean; qemu?: QemuInstall } = {}): ChainEntry[] {
  const args = ['info', '--backing-chain', '--output=json'];
  if (options.forceShare) args.push('-U');
  args.push(image);
  const parsed = JSON.parse(run((options.qemu ?? SYSTEM_QEMU).bin('qemu-img'), args).stdout) as Record<string, unknown>[];
  return parsed.map((entry) => ({
    filename: String(entry['filename']),
    format: String(entry['format']),
    backing: typeof entry['full-backing-filename'] === 'string' ? entry['full-backing-filename'] : undefined,
  }));
}

/** `qemu-img check`: true when the image has no errors and no leaks. */
export function imageIsConsistent(image: string, qemu = SYSTEM_QEMU): boolean {
  return run(qemu.bin('qemu-img'), ['check', '-q', image], { allowFailure: true }).status === 0;
}
