/**
 * One place for "give up after N ms or when this signal aborts", shared by
 * commands, event waiters and block jobs so they all reject the same way.
 */
import { QmpTimeoutError } from './errors.js';
import type { AbortSignalLike } from './platform.js';

export interface DeadlineOptions {
  /** Milliseconds; 0, `Infinity` or absent means no time limit. */
  timeout?: number | undefined;
  signal?: AbortSignalLike | undefined;
}

/** setTimeout fires at once for longer delays, so longer ones are chained. */
const LONGEST_TIMER = 2 ** 31 - 1;

/**
 * Throws a RangeError unless `timeout` is a time limit in milliseconds:
 * absent, 0 or `Infinity` (no limit), or a positive number.
 */
export function checkTimeout(what: string, timeout: number | undefined): void {
  if (timeout === undefined) return;
  if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout < 0) {
    throw new RangeError(`${what}: timeout must be a number of milliseconds (0 or Infinity: no limit), not ${String(timeout)}`);
  }
}

/**
 * The operations waiting on each signal. A signal shared by many commands
 * gets one 'abort' listener of ours, not one per command (Node warns past
 * ten listeners on one signal), and loses it when the last one settles.
 */
const watchers = new WeakMap<AbortSignalLike, { readonly callbacks: Set<() => void>; readonly listener: () => void }>();

function watchAbort(signal: AbortSignalLike, callback: () => void): () => void {
  let watch = watchers.get(signal);
  if (watch === undefined) {
    const callbacks = new Set<() => void>();
    const listener = (): void => {
      watchers.delete(signal);
      for (const cb of [...callbacks]) cb();
    };
    watch = { callbacks, listener };
    watchers.set(signal, watch);
    signal.addEventListener('abort', listener, { once: true });
  }
  const { callbacks, listener } = watch;
  callbacks.add(callback);
  return () => {
    if (!callbacks.delete(callback) || callbacks.size > 0) return;
    watchers.delete(signal);
    signal.removeEventListener('abort', listener);
  };
}

function startTimer(ms: number, fire: () => void): () => void {
  let timer: NodeJS.Timeout;
  const arm = (left: number): void => {
    timer = setTimeout(() => (left > LONGEST_TIMER ? arm(left - LONGEST_TIMER) : fire()), Math.min(left, LONGEST_TIMER));
  };
  arm(ms);
  return () => clearTimeout(timer);
}

/**
 * Calls `onExpire` at most once with the error to reject with: a
 * QmpTimeoutError naming `what`, or the signal's reason. Returns a disposer
 * that must be called when the guarded operation settles. If the signal is
 * already aborted, `onExpire` runs synchronously.
 */
export function armDeadline(what: string, options: DeadlineOptions, onExpire: (reason: unknown) => void): () => void {
  const { timeout, signal } = options;
  checkTimeout(what, timeout);
  let done = false;
  let stopTimer = (): void => {};
  let unwatch = (): void => {};
  const dispose = (): void => {
    done = true;
    stopTimer();
    unwatch();
  };
  const fire = (reason: unknown): void => {
    if (done) return;
    dispose();
    onExpire(reason);
  };
  if (signal?.aborted) {
    fire(signal.reason);
    return dispose;
  }
  if (timeout !== undefined && timeout > 0 && timeout !== Infinity) {
    stopTimer = startTimer(timeout, () => fire(new QmpTimeoutError(what, timeout)));
  }
  if (signal !== undefined) unwatch = watchAbort(signal, () => fire(signal.reason));
  return dispose;
}
