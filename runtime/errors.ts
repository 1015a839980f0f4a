/**
 * Error classes raised by the QMP runtime. Callers distinguish failures with
 * `instanceof`, so each failure mode gets its own class.
 */

/** The server answered a command with an `error` reply. */
export class QmpError<C extends string = string> extends Error {
  override readonly name = 'QmpError';
  /** QMP error class, e.g. `GenericError`, `DeviceNotFound`. */
  readonly errorClass: C;
  /** Human-readable text from the server; not meant to be parsed. */
  readonly desc: string;
  /** The command that failed. */
  readonly command: string;

  constructor(command: string, errorClass: C, desc: string) {
    super(`${command}: ${errorClass}: ${desc}`);
    this.command = command;
    this.errorClass = errorClass;
    this.desc = desc;
  }
}

/** The connection could not be opened, was closed, or broke. */
export class QmpConnectionError extends Error {
  override readonly name: string = 'QmpConnectionError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A command was sent and its reply never came: the connection ended (lost,
 * or closed by the client) while it waited.  QEMU may or may not have run
 * it; only asking QEMU tells.  A command that was never sent rejects with a
 * plain QmpConnectionError instead.
 */
export class QmpOutcomeUnknownError extends QmpConnectionError {
  override readonly name: string = 'QmpOutcomeUnknownError';
  /** The command whose outcome is unknown. */
  readonly command: string;

  constructor(command: string, message: string, options?: { cause?: unknown }) {
    super(`${command}: ${message}`, options);
    this.command = command;
  }
}

/** A command, waiter or job did not finish within its time limit. */
export class QmpTimeoutError extends Error {
  override readonly name = 'QmpTimeoutError';
  /** The limit that expired, in milliseconds. */
  readonly timeout: number;

  constructor(what: string, timeout: number) {
    super(`${what}: timed out after ${timeout} ms`);
    this.timeout = timeout;
  }
}

export type QmpProtocolErrorReason =
  | 'malformed-json'
  /** A number beyond the range of a double (such as 1e400). */
  | 'number-out-of-range'
  | 'oversized-line'
  /** The connection ended in the middle of a line. */
  | 'incomplete-line'
  | 'unexpected-message'
  | 'reply-without-id'
  /** A reply whose id is not one this client could have sent (not an integer). */
  | 'malformed-id'
  /** A reply to an id this client never sent. */
  | 'unknown-id'
  /** A second reply to a command already answered. */
  | 'duplicate-id'
  /** A reply to a command whose caller stopped waiting (it timed out or was
   *  aborted) or expected none: the command did run, and this is its outcome. */
  | 'late-reply'
  /** A message nested deeper than MAX_NESTING (1024) levels of objects and arrays. */
  | 'too-deep'
  /** An integer beyond 2^53 where bindings generated with `--int64 number`
   *  type a number (QmpInexactIntegerError). */
  | 'inexact-integer'
  /** query-qmp-schema's reply, asked for by the schema check, is no schema. */
  | 'unreadable-schema';

/**
 * Something unusable arrived on the wire. Reported through `onProtocolError`
 * and skipped; the connection stays usable. A reply that can be matched to
 * its command but not read (`number-out-of-range`) also rejects that command
 * with this error.
 */
export class QmpProtocolError extends Error {
  override readonly name = 'QmpProtocolError';
  readonly reason: QmpProtocolErrorReason;
  /** The start of the offending line, for diagnostics (bounded in size). */
  readonly excerpt: string;

  constructor(reason: QmpProtocolErrorReason, message: string, excerpt = '', options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
    this.excerpt = excerpt.length > 200 ? `${excerpt.slice(0, 200)}...` : excerpt;
  }
}

/**
 * A reply or event holds an integer beyond 2^53 where the bindings, generated
 * with `--int64 number`, type a `number`, which cannot hold it exactly.  The
 * command rejects with it (an event is skipped and reported to
 * `onProtocolError`), rather than deliver a rounded value; `digits` is the
 * value exactly as QEMU sent it.
 */
export class QmpInexactIntegerError extends QmpProtocolError {
  /** The command or event whose value it is. */
  readonly where: string;
  /** Where the value sits: `return[0].speed`, `data.len`. */
  readonly path: string;
  /** The integer, exactly. */
  readonly digits: string;

  constructor(where: string, path: string, value: bigint) {
    super(
      'inexact-integer',
      `${where}: ${path} is ${value}, beyond 2^53: no number holds it exactly (these bindings were generated with --int64 number; bigint or mixed read it exactly)`,
    );
    this.where = where;
    this.path = path;
    this.digits = value.toString();
  }
}

/** A job ended with an error or was cancelled. */
export class QmpJobError extends Error {
  override readonly name = 'QmpJobError';
  readonly jobId: string;
  /** The event that ended the job (BLOCK_JOB_COMPLETED with `error`, BLOCK_JOB_CANCELLED or BLOCK_JOB_ERROR;
   *  for runJob, JOB_STATUS_CHANGE to `concluded` or `null`). */
  readonly event: { event: string; data: unknown; timestamp: { seconds: number; microseconds: number } };

  constructor(jobId: string, message: string, event: QmpJobError['event']) {
    super(`job ${jobId}: ${message}`);
    this.jobId = jobId;
    this.event = event;
  }
}

/**
 * runBlockJob (runJob) found no block job (job) by the id it follows,
 * although the command that should have started it succeeded (a wrong
 * `jobId`, or a job started with a `job-id` followed by its `device`).
 */
export class QmpJobNotFoundError extends Error {
  override readonly name = 'QmpJobNotFoundError';
  readonly jobId: string;
  /** The ids of the jobs of that kind that did exist. */
  readonly existing: readonly string[];

  constructor(jobId: string, existing: readonly string[], kind: 'block job' | 'job' = 'block job') {
    const others = existing.length === 0 ? 'there are none' : `there are: ${existing.join(', ')}`;
    const hint = kind === 'block job' ? "; a job started with 'job-id' goes by that id, else by its 'device'" : '';
    super(`job ${jobId}: no such ${kind} (${others})${hint}`);
    this.jobId = jobId;
    this.existing = existing;
  }
}

/** Whether `error` is an error reply, optionally of a given command.  Also
 *  recognizes replies thrown by another copy of the runtime package. */
export function isQmpError<E extends string = string>(error: unknown, command?: string): error is QmpError<E> {
  const reply =
    error instanceof QmpError ||
    (error instanceof Error && error.name === 'QmpError' && typeof (error as { errorClass?: unknown }).errorClass === 'string');
  return reply && (command === undefined || (error as { command?: unknown }).command === command);
}
