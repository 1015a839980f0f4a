/**
 * What the fault tests watch besides results: memory in use while a
 * scenario runs, whether a promise has settled, process warnings.
 */
import { afterEach, beforeEach } from 'vitest';

const MiB = 1024 * 1024;

/**
 * Peak of JS heap plus ArrayBuffer memory over the samples taken, above
 * what was in use when it was created (after a full collection, so that
 * earlier garbage freed meanwhile cannot hide growth). Samples are taken by
 * the scenario itself (every so many bytes received), so the peak is seen
 * where it happens. By default garbage made meanwhile counts too (an upper
 * bound of what is held); with `collect`, each sample follows a full
 * collection, so the figure is what is held (for scenarios that make much
 * garbage, such as a million one-byte chunks, where the collector's lag
 * would otherwise decide the figure); with `collect: 'young'`, each sample
 * follows a collection of the young generation only (a few ms, where a full
 * one can take a scenario from a second to fifteen), which frees the short-lived
 * garbage whose pile-up before V8 collects varies between Node releases
 * and with what the worker ran before.
 */
export class MemoryPeak {
  private readonly base: number;
  private peak = 0;

  private readonly gc: (options?: { type: 'minor' }) => void;

  constructor(private readonly options: { readonly collect?: boolean | 'young' } = {}) {
    const gc = (globalThis as { gc?: (options?: { type: 'minor' }) => void }).gc;
    if (gc === undefined) throw new Error('MemoryPeak needs node --expose-gc (vitest.config.ts passes it)');
    this.gc = gc;
    gc();
    this.base = MemoryPeak.used();
  }

  private static used(): number {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  }

  sample(): void {
    if (this.options.collect === 'young') this.gc({ type: 'minor' });
    else if (this.options.collect) this.gc();
    this.peak = Math.max(this.peak, MemoryPeak.used() - this.base);
  }

  /** The peak so far, in MiB. */
  get peakMiB(): number {
    return this.peak / MiB;
  }
}

/** Calls `sample` once per `every` bytes passing through `count`. */
export function sampler(every: number, sample: () => void): (bytes: number) => void {
  let since = 0;
  return (bytes) => {
    since += bytes;
    if (since < every) return;
    since = 0;
    sample();
  };
}

/**
 * Whether `promise` has settled by now. Exact, not timed: a promise that
 * is already settled wins the race against one resolved after it.
 */
export async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol('pending');
  const winner = await Promise.race([promise.then(
    () => 'settled',
    () => 'settled',
  ), Promise.resolve().then(() => pending)]);
  return winner !== pending;
}

/**
 * Collects what the process emits as `event` ('warning',
 * 'unhandledRejection') while each test of the file runs.
 */
export function collectProcessEvents(event: 'warning' | 'unhandledRejection'): unknown[] {
  const seen: unknown[] = [];
  const onEvent = (value: unknown): void => {
    seen.push(value);
  };
  beforeEach(() => {
    seen.length = 0;
    process.on(event, onEvent);
  });
  afterEach(() => {
    process.off(event, onEvent);
  });
  return seen;
}
