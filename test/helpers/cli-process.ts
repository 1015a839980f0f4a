/**
 * The built CLI as a child process that a test can talk to while it runs:
 * wait for a line on its stderr, send it a signal, and collect how it
 * ended.  Also what tests of started QEMUs check afterwards: whether a
 * process still runs, and which processes a process started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLI_ENTRY, type CliResult } from './cli.js';
import { PROJECT_ROOT } from './shared.js';

export interface CliProcess {
  readonly child: ChildProcess;
  /** Resolves with the first match of `pattern` on stderr (now or later). */
  stderrMatch(pattern: RegExp): Promise<RegExpExecArray>;
  /** How it ended, with everything it wrote. */
  readonly ended: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

/** Starts the built CLI; `stdin` is written to it and closed (else it has none). */
export function startCli(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string } = {}): CliProcess {
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { ...process.env, ...options.env },
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  let stdout = '';
  let stderr = '';
  const watchers: { pattern: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  const check = (): void => {
    for (const w of [...watchers]) {
      const m = w.pattern.exec(stderr);
      if (m) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    check();
  });
  const ended = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      for (const w of watchers) w.pattern.lastIndex = 0;
      resolve({ code: code ?? -1, signal, stdout, stderr });
    });
  });
  return {
    child,
    ended,
    stderrMatch: (pattern) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        watchers.push({ pattern, resolve });
        check();
        // A process that ends without printing it fails the wait instead of hanging it.
        void ended.then((r) => {
          if (watchers.some((w) => w.pattern === pattern)) reject(new Error(`exited (${r.code}) without printing ${pattern}:\n${r.stderr}`));
        });
      }),
  };
}

/** Whether a process runs (a zombie waiting for its reaper does not). */
export function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Resolves once `done()` holds, checking every 20 ms; the deadline only turns a hang into a failure. */
export async function until(done: () => boolean, what: string, deadlineMs = 15_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
