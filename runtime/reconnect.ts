/**
 * Reconnecting after a lost connection (ConnectOptions.reconnect): how
 * long to wait before each attempt, when to give up, and what the program
 * is told on the way.
 */
import type { QmpConnectionError } from './errors.js';
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
