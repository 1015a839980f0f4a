/** Where the CLI writes, so that tests can run it in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is a terminal (output may then be laid out for people). */
  readonly stdoutIsTTY?: boolean;
  /** stderr, when it is a terminal: live progress bars are drawn on it. */
  readonly stderrTerminal?: NodeJS.WritableStream;
  /** Aborted when stdout's reader has gone (a pipe closed by `head`):
   *  nothing more reaches it, and a verb printing as things happen stops. */
  readonly stdoutClosed?: AbortSignal;
  /** Loads a user's ES module (fake-qemu's --handlers) by its URL.  main.js
   *  passes its own import(): the bundled CLI runs through node:vm, where an
   *  import() of a file the bundle does not hold cannot be made. */
  readonly importModule?: (url: string) => Promise<unknown>;
}

/** Exit codes, as docs/cli.md documents them. */
export const EXIT = {
  ok: 0,
  /** The schema has errors, or generated output is stale (--check). */
  schema: 1,
  /** Bad command line: unknown flag, missing file. */
  usage: 2,
  /** QMP: error reply or connection failure; a QEMU to query failed. */
  qmp: 3,
  /** QMP: arguments rejected by the validator, nothing sent. */
  invalidArguments: 4,
  /** drift, diff: differences found (unexplained, or breaking). */
  differences: 5,
  /** Stopped by SIGINT or SIGTERM (after cleaning up). */
  interrupted: 130,
  /** A bug in qapi-ts. */
  internal: 70,
  /** qapi-ts's installation is broken: a file it ships is missing or
   *  unreadable (as sysexits' EX_OSFILE). */
  brokenInstall: 72,
} as const;

/** Thrown by command actions to end with a message and an exit code. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
