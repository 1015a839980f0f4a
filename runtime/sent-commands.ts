/**
 * Lets runBlockJob learn which job its start() callback starts without
 * asking the caller: while a callback runs synchronously (up to its first
 * `await`), every command a QmpClient sends is passed to a recorder. A
 * generated wrapper such as `qmp.blockCommit(args)` hands its command to
 * the client before it first awaits, so `() => qmp.blockCommit(args)` is
 * seen whole.
 */

export interface SentCommand {
  readonly command: string;
  readonly args: Record<string, unknown> | undefined;
}

let recorder: ((sent: SentCommand) => void) | undefined;

/** Runs `fn`, appending to `into` each command sent before it returns. */
export function recordSent<T>(into: SentCommand[], fn: () => T): T {
  const outer = recorder;
  recorder = (sent) => into.push(sent);
  try {
    return fn();
  } finally {
    recorder = outer;
  }
}

/** Called by the client for every command it sends. */
export function noteSent(command: string, args: Record<string, unknown> | undefined): void {
  recorder?.({ command, args });
}
