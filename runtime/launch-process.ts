/**
 * A launched QEMU process: its exit as a promise, the tail of its stderr,
 * and the bounded way to stop it (quit over QMP, then SIGTERM, then
 * SIGKILL, each given a grace period).  Its private directory is removed
 * as soon as it has exited, however that came about, and the process is
 * covered by the reaper (launch-reaper.ts) while it runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { track, untrack, type Reapable } from './launch-reaper.js';

/** How a QEMU ended: its exit code, or the signal that killed it. */
export interface QemuExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Milliseconds each step of a stop waits for the process to exit before the next. */
export interface StopTimeouts {
  /** After `quit` (default 5000). */
  readonly quit?: number;
  /** After SIGTERM (default 5000). */
  readonly terminate?: number;
  /** After SIGKILL (default 5000); past it, the stop fails. */
  readonly kill?: number;
}

const STOP_DEFAULTS: Required<StopTimeouts> = { quit: 5_000, terminate: 5_000, kill: 5_000 };

/** How much of stderr is kept: the end of it, where the reason for an exit is. */
const STDERR_KEPT = 64 * 1024;

/**
 * How long 'close' (stderr drained) may lag 'exit': a program that left a
 * child holding stderr open (QEMU with -daemonize) must not hold up the exit.
 */
const DRAIN_GRACE = 1_000;

export interface ProcessOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly onStderr?: (text: string) => void;
  readonly handleSignals: boolean;
  readonly stopTimeouts?: StopTimeouts;
}

export function describeExit(exit: QemuExit): string {
  return exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

export class QemuProcess implements Reapable {
  readonly child: ChildProcess;
  readonly exited: Promise<QemuExit>;
  readonly onSignals: boolean;
  private exit: QemuExit | undefined;
  private stderrText = '';
  private stopping: Promise<QemuExit> | undefined;
  private spawnError: Error | undefined;
  /** Asks QEMU to quit over QMP; set once a client is connected. */
  quit: (() => Promise<unknown>) | undefined;

  constructor(
    binary: string,
    args: readonly string[],
    readonly directory: string,
    private readonly options: ProcessOptions,
  ) {
    this.onSignals = options.handleSignals;
    this.child = spawn(binary, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'ignore', 'pipe'] });
    this.child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      this.stderrText = (this.stderrText + text).slice(-STDERR_KEPT);
      options.onStderr?.(text);
    });
    this.exited = new Promise<QemuExit>((resolve) => {
      let drain: NodeJS.Timeout | undefined;
      const settle = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (this.exit !== undefined) return;
        clearTimeout(drain);
        this.exit = { code, signal };
        untrack(this);
        rmSync(this.directory, { recursive: true, force: true });
        resolve(this.exit);
      };
      this.child.once('exit', (code, signal) => {
        drain = setTimeout(() => settle(code, signal), DRAIN_GRACE);
      });
      this.child.once('close', (code: number | null, signal: NodeJS.Signals | null) => settle(code, signal));
      this.child.once('error', (err) => {
        // The process never ran (or cannot be signalled): nothing more will come.
        this.spawnError = err;
        if (this.child.pid === undefined) settle(null, null);
      });
    });
    if (this.child.pid !== undefined) track(this);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Why the process could not be started, if it could not. */
  get startError(): Error | undefined {
    return this.child.pid === undefined ? this.spawnError : undefined;
  }

  get exitStatus(): QemuExit | undefined {
    return this.exit;
  }

  /** The end of what it wrote on stderr (up to 64 KiB). */
  get stderr(): string {
    return this.stderrText;
  }

  kill(): void {
    if (this.exit === undefined && this.child.pid !== undefined) this.child.kill('SIGKILL');
  }

  /** Stops it (see the file comment); the same promise for every caller. */
  stop(): Promise<QemuExit> {
    this.stopping ??= this.stopSteps();
    return this.stopping;
  }

  private async stopSteps(): Promise<QemuExit> {
    const limits = { ...STOP_DEFAULTS, ...this.options.stopTimeouts };
    if (this.exit !== undefined) return this.exit;
    if (this.quit !== undefined) {
      // Only the exit counts; a quit that cannot be sent (the connection
      // is gone) moves on to SIGTERM at once.
      const sent = this.quit().then(
        () => true,
        () => this.exit !== undefined,
      );
      const outcome = await Promise.race([sent.then((ok) => (ok ? 'sent' : 'unsent')), this.exitWithin(limits.quit).then((ok) => (ok ? 'exited' : 'late'))]);
      if (outcome === 'exited' || (outcome === 'sent' && (await this.exitWithin(limits.quit)))) return this.exit!;
    }
    this.child.kill('SIGTERM');
    if (await this.exitWithin(limits.terminate)) return this.exit!;
    this.child.kill('SIGKILL');
    if (await this.exitWithin(limits.kill)) return this.exit!;
    rmSync(this.directory, { recursive: true, force: true });
    throw new Error(`QEMU (pid ${this.child.pid}) did not exit within ${limits.kill} ms of SIGKILL`);
  }

  /** Whether it exits within `ms` (at once when it has already). */
  exitWithin(ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      void this.exited.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
