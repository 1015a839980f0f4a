/**
 * One place for "give up after N ms or when this signal aborts", shared by
 * commands, event waiters and block jobs so they all reject the same way.
 */
import { QmpTimeoutError } from './errors.js';

export interface DeadlineOptions {
  /** Milliseconds; 0, negative or absent means no time limit. */
  timeout?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Calls `onExpire` at most once with the error to reject with: a
 * QmpTimeoutError naming `what`, or the signal's reason. Returns a disposer
 * that must be called when the guarded operation settles. If the signal is
 * already aborted, `onExpire` runs synchronously.
 */
export function armDeadline(what: string, options: DeadlineOptions, onExpire: (reason: unknown) => void): () => void {
  const { timeout, signal } = options;
  let timer: NodeJS.Timeout | undefined;
  let done = false;
  const fire = (reason: unknown): void => {
    if (done) return;
    dispose();
    onExpire(reason);
  };
  const onAbort = (): void => fire(signal?.reason);
  const dispose = (): void => {
    done = true;
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  };
  if (signal?.aborted) {
    fire(signal.reason);
    return dispose;
  }
  if (timeout !== undefined && timeout > 0) {
    timer = setTimeout(() => fire(new QmpTimeoutError(what, timeout)), timeout);
  }
  signal?.addEventListener('abort', onAbort, { once: true });
  return dispose;
}
