/**
 * Reconnecting after a lost connection (ConnectOptions.reconnect): how
 * long to wait before each attempt, when to give up, and what the program
 * is told on the way.  The loop (reconnector()) opens streams and counts
 * attempts; the client it restores keeps the connection's state and runs
 * each attempt's handshake.
 */
import { QmpConnectionError } from './errors.js';
import type { ByteStream } from './platform.js';
import type { ConnectTarget, QmpGreeting } from './types.js';

export interface ReconnectOptions {
  /** Attempts after a loss before giving up (default 10; `Infinity`: never). */
  attempts?: number;
  /** Milliseconds before the first attempt (default 100); each later one waits twice as long as the one before, up to `maxDelay`. */
  initialDelay?: number;
  /** The longest wait between two attempts, in milliseconds (default 5000). */
  maxDelay?: number;
}

/** What a client tells `onReconnect` listeners. */
export type ReconnectEvent =
  /** The connection was lost; the first attempt follows in `retryIn` ms. */
  | { readonly kind: 'lost'; readonly cause: QmpConnectionError; readonly retryIn: number }
  /** Attempt `attempt` failed (`cause`); the next follows in `retryIn` ms. */
  | { readonly kind: 'retrying'; readonly attempt: number; readonly cause: unknown; readonly retryIn: number }
  /** Attempt `attempt` succeeded: capabilities negotiated, schema checked, events flowing again. */
  | { readonly kind: 'reconnected'; readonly attempt: number; readonly greeting: QmpGreeting }
  /** The last attempt failed (`cause`); the client is closed (onClose follows). */
  | { readonly kind: 'gave-up'; readonly attempts: number; readonly cause: unknown };

export interface ReconnectPolicy {
  readonly attempts: number;
  /** Milliseconds before attempt `n` (1, 2, ...). */
  delay(n: number): number;
}

function milliseconds(what: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0) || value === Infinity) {
    throw new RangeError(`reconnect: ${what} must be a finite number of milliseconds, not ${String(value)}`);
  }
  return value;
}

/** The policy `option` asks for; a RangeError or TypeError when it cannot be followed. */
export function reconnectPolicy(option: true | ReconnectOptions, target: ConnectTarget): ReconnectPolicy {
  if ('stream' in target) throw new TypeError('reconnect: a stream cannot be opened again; connect by path or host and port');
  const options = option === true ? {} : option;
  const attempts = options.attempts ?? 10;
  if (!(attempts === Infinity || (Number.isInteger(attempts) && attempts >= 1))) {
    throw new RangeError(`reconnect: attempts must be a positive integer or Infinity, not ${String(attempts)}`);
  }
  const initial = milliseconds('initialDelay', options.initialDelay, 100);
  const max = Math.max(initial, milliseconds('maxDelay', options.maxDelay, 5_000));
  return { attempts, delay: (n) => Math.min(max, initial * 2 ** Math.min(n - 1, 30)) };
}

/** What the loop asks of the connection it restores (the client's state). */
export interface Reconnectable {
  /** Enter `reconnecting`: the connection waits for the next attempt; `error` says what went wrong last. */
  wait(error: QmpConnectionError): void;
  /** Still waiting: nothing (close()) ended the connection meanwhile. */
  waiting(): boolean;
  /** Run the handshake over a stream opened for attempt `attempt`; resolves with its greeting once ready. */
  resume(stream: ByteStream, attempt: number): Promise<QmpGreeting>;
  /** Still in that handshake: a failure of it is the loop's to retry (a
   *  lost stream has already been reported, and retried, by the client). */
  handshaking(): boolean;
  /** Give up: end the connection for good with `error`. */
  end(error: QmpConnectionError): void;
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** The reconnect loop of one client: schedules attempts by the policy, tells the listeners each step. */
export interface Reconnector {
  /** Adds a listener; returns its unsubscriber. */
  listen(listener: (event: ReconnectEvent) => void): () => void;
  /** After `made` attempts (0: just lost), schedules the next one, or gives up. */
  retry(made: number, cause: unknown): void;
  /** The connection stopped waiting (closed): no attempt follows. */
  cancel(): void;
}

/**
 * The loop restoring `connection`, opening each stream with `open`.
 * Closures rather than a class: the client carries this code whether or
 * not it reconnects, and a closure's names minify.
 */
export function reconnector(policy: ReconnectPolicy, open: () => Promise<ByteStream>, connection: Reconnectable): Reconnector {
  const listeners = new Set<(event: ReconnectEvent) => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const tell = (event: ReconnectEvent): void => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (err) {
        // Not the client's to handle: surfaces like any uncaught bug, after the transition.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  };

  const retry = (made: number, cause: unknown): void => {
    if (made >= policy.attempts) {
      tell({ kind: 'gave-up', attempts: made, cause });
      connection.end(new QmpConnectionError(`gave up reconnecting after ${made} attempts: ${messageOf(cause)}`, { cause }));
      return;
    }
    const retryIn = policy.delay(made + 1);
    connection.wait(cause instanceof QmpConnectionError ? cause : new QmpConnectionError(messageOf(cause), { cause }));
    timer = setTimeout(() => void attempt(made + 1), retryIn);
    tell(made === 0 ? { kind: 'lost', cause: cause as QmpConnectionError, retryIn } : { kind: 'retrying', attempt: made, cause, retryIn });
  };

  const attempt = async (n: number): Promise<void> => {
    let stream: ByteStream;
    try {
      stream = await open();
    } catch (err) {
      if (connection.waiting()) retry(n, err);
      return;
    }
    if (!connection.waiting()) {
      stream.destroy();
      return;
    }
    try {
      tell({ kind: 'reconnected', attempt: n, greeting: await connection.resume(stream, n) });
    } catch (err) {
      // A lost stream has moved on by itself; a timeout or an unreadable schema leaves it up.
      if (connection.handshaking()) retry(n, err);
    }
  };

  return {
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    retry,
    cancel: () => clearTimeout(timer),
  };
}
