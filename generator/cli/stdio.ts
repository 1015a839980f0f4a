/**
 * The process's own stdout and stderr as the CLI's CliIo.  A reader that
 * stops reading (`qapi-ts dump ... | head`) closes the pipe: writing then
 * fails with EPIPE, which Node reports as an 'error' event that, unheard,
 * ends the process with a stack trace.  Here it ends the output quietly,
 * as Unix tools do: nothing more is written, nothing is said, and the run
 * keeps the exit code it reaches (0 for a `dump` that succeeded, 5 for a
 * `diff` that found breaking changes), so `set -o pipefail` sees the run's
 * verdict rather than the reader's choice to stop.  A verb that prints as
 * things happen stops once `stdoutClosed` is aborted.  Any other failure
 * to write (a full disk behind `>`) is a usage error with one line, never
 * a stack trace.
 */
import { EXIT, type CliIo } from './io.js';

type StreamName = 'stdout' | 'stderr';

export interface ProcessIo extends CliIo {
  /** The exit code to end with: the run's, unless writing its output failed. */
  settle(code: number): number;
  /** Settles once what was written to stdout and stderr is out (a write
   *  that failed counts as out; settle() then says so). */
  flushed(): Promise<void>;
}

/** The process's I/O; `importModule` is the entry's own import() (CliIo says why). */
export function processIo(importModule?: CliIo['importModule']): ProcessIo {
  const stdoutClosed = new AbortController();
  let stderrOpen = true;
  let writeFailed = false;
  // Node makes process.stdout and process.stderr on first use (a pipe's is
  // a socket, some milliseconds to make), and a `check` that passes writes
  // nothing: each is made, and its error handler added, when first used.
  const watched = new Set<StreamName>();
  const stream = (name: StreamName): NodeJS.WriteStream => {
    const s = process[name];
    if (!watched.has(name)) {
      watched.add(name);
      s.on('error', (e: NodeJS.ErrnoException) => failed(name, e));
    }
    return s;
  };
  function failed(name: StreamName, e: NodeJS.ErrnoException): void {
    if (name === 'stdout') stdoutClosed.abort();
    else stderrOpen = false;
    if (e.code === 'EPIPE' || writeFailed) return;
    writeFailed = true;
    if (stderrOpen) stream('stderr').write(`qapi-ts: cannot write to ${name}: ${e.message}\n`);
    // Also when the run has ended already: a write fails after it is made.
    process.exitCode = EXIT.usage;
  }
  return {
    stdout: (text) => {
      if (!stdoutClosed.signal.aborted) stream('stdout').write(text);
    },
    stderr: (text) => {
      if (stderrOpen) stream('stderr').write(text);
    },
    stdoutClosed: stdoutClosed.signal,
    // Asked only by the verbs that need them (node:tty, which answers,
    // brings node:net and the streams).
    get stdoutIsTTY() {
      return process.stdout.isTTY === true;
    },
    get stderrTerminal() {
      return process.stderr.isTTY === true ? stream('stderr') : undefined;
    },
    ...(importModule === undefined ? {} : { importModule }),
    settle: (code) => (writeFailed && code === EXIT.ok ? EXIT.usage : code),
    // An empty write's callback runs once the writes before it are done;
    // a stream that failed is not written again.
    flushed: async () => {
      const open = [...watched].filter((name) => (name === 'stdout' ? !stdoutClosed.signal.aborted : stderrOpen));
      await Promise.all(open.map((name) => new Promise<void>((done) => void process[name].write('', () => done()))));
    },
  };
}
