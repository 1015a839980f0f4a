/** What goes wrong inside the peer, each its own class. */

/**
 * Thrown by a handler to answer with QEMU's error reply: `errorClass` as
 * QEMU names it (`GenericError`, `DeviceNotFound`, ...), `desc` its
 * text.  (A handler may also throw the client's QmpError; its class and
 * description are used the same way.)
 */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';

  constructor(
    readonly errorClass: string,
    readonly desc: string,
  ) {
    super(`${errorClass}: ${desc}`);
  }
}

/**
 * A handler failed: it threw something other than a CommandFailure, or
 * returned a value its command's schema refuses.  The client gets a
 * GenericError saying so; the test gets this error (PeerOptions.onError,
 * which by default throws it where the test runner sees it).
 */
export class PeerHandlerError extends Error {
  override readonly name = 'PeerHandlerError';

  constructor(
    readonly command: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${command}: ${message}`, options);
  }
}

/** One place where what a program sent differs from the recording. */
export interface ReplayDifference {
  /** Where in the request: `arguments.top-node`, `execute`; empty for the whole message. */
  readonly path: string;
  /** What the recording has there (undefined: nothing). */
  readonly recorded: unknown;
  /** What the program sent there (undefined: nothing). */
  readonly sent: unknown;
}

/**
 * The program under test sent something else than the recording it is
 * replayed against (or stopped before sending all of it).  The message
 * names each difference: `arguments.top-node: recorded "mid", sent "top"`.
 */
export class ReplayMismatchError extends Error {
  override readonly name = 'ReplayMismatchError';

  constructor(
    message: string,
    /** Which connection of the recording (1 for the first). */
    readonly connection: number,
    /** Which of its requests (1 for the first), 0 when about the whole connection. */
    readonly request: number,
    readonly differences: readonly ReplayDifference[],
  ) {
    super(message);
  }
}
