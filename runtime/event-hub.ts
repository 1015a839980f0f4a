/**
 * Fan-out of received events to handlers, async iterators and `waitFor`
 * waiters, plus the bounded buffer that lets a late `waitFor` still find an
 * event that arrived before it was called.
 */
import { armDeadline, type DeadlineOptions } from './deadline.js';
import { EventBuffer } from './event-buffer.js';
import { EventQueue } from './event-queue.js';
import type { QmpEvent } from './types.js';

type Handler = (event: QmpEvent) => void;
type Predicate = (event: QmpEvent) => boolean;

interface Listener {
  handler: Handler;
  once: boolean;
}

interface Waiter {
  name: string;
  predicate: Predicate | undefined;
  resolve(event: QmpEvent): void;
  reject(reason: unknown): void;
}

export interface WaitOptions extends DeadlineOptions {
  /** Consider buffered events with a sequence number greater than this. */
  since: number;
}

export class EventHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly waiters = new Set<Waiter>();
  private readonly queues = new Set<EventQueue>();
  private readonly buffer: EventBuffer<QmpEvent>;
  private readonly seqs = new WeakMap<QmpEvent, number>();
  private closedError: Error | undefined;

  constructor(
    buffer: { readonly events: number; readonly bytes: number },
    private readonly onHandlerError: (error: unknown, event: QmpEvent) => void,
  ) {
    this.buffer = new EventBuffer(buffer.events, buffer.bytes);
  }

  get lastSeq(): number {
    return this.buffer.lastSeq;
  }

  seqOf(event: QmpEvent): number | undefined {
    return this.seqs.get(event);
  }

  on(name: string, handler: Handler, once = false): void {
    let set = this.listeners.get(name);
    if (set === undefined) this.listeners.set(name, (set = new Set()));
    set.add({ handler, once });
  }

  off(name: string, handler: Handler): void {
    const set = this.listeners.get(name);
    if (set === undefined) return;
    for (const listener of set) if (listener.handler === handler) set.delete(listener);
    if (set.size === 0) this.listeners.delete(name);
  }

  /** Delivers an event; `weight` (its line's length) counts against the buffer's byte bound. */
  dispatch(event: QmpEvent, weight: number): void {
    if (this.closedError !== undefined) return;
    this.seqs.set(event, this.buffer.push(event, weight));
    for (const waiter of [...this.waiters]) {
      if (waiter.name === event.event && this.matches(waiter.predicate, event, waiter.reject)) {
        waiter.resolve(event);
      }
    }
    this.notify(this.listeners.get(event.event), event);
    this.notify(this.listeners.get('*'), event);
    for (const queue of this.queues) queue.push(event);
  }

  waitFor(name: string, predicate: Predicate | undefined, options: WaitOptions): Promise<QmpEvent> {
    return new Promise<QmpEvent>((resolve, reject) => {
      let failed = false;
      const buffered = this.buffer.find(
        options.since,
        (e) => e.event === name && this.matches(predicate, e, (err) => ((failed = true), reject(err))),
      );
      if (failed) return;
      if (buffered !== undefined) return resolve(buffered);
      if (this.closedError !== undefined) return reject(this.closedError);
      if (options.signal?.aborted) return reject(options.signal.reason);
      let dispose = (): void => {};
      const waiter: Waiter = {
        name,
        predicate,
        resolve: (event) => settle(() => resolve(event)),
        reject: (reason) => settle(() => reject(reason)),
      };
      const settle = (fn: () => void): void => {
        this.waiters.delete(waiter);
        dispose();
        fn();
      };
      this.waiters.add(waiter);
      dispose = armDeadline(`waitFor ${name}`, options, waiter.reject);
    });
  }

  events(): AsyncIterableIterator<QmpEvent> {
    const queue = new EventQueue(() => this.queues.delete(queue));
    if (this.closedError !== undefined) queue.end();
    else this.queues.add(queue);
    return queue;
  }

  /** Rejects every waiter with `error` and ends every iterator. */
  close(error: Error): void {
    if (this.closedError !== undefined) return;
    this.closedError = error;
    for (const waiter of [...this.waiters]) waiter.reject(error);
    for (const queue of [...this.queues]) queue.end();
  }

  /** A throwing predicate rejects its own waiter rather than breaking dispatch. */
  private matches(predicate: Predicate | undefined, event: QmpEvent, fail: (e: unknown) => void): boolean {
    if (predicate === undefined) return true;
    try {
      return predicate(event);
    } catch (err) {
      fail(err);
      return false;
    }
  }

  private notify(set: Set<Listener> | undefined, event: QmpEvent): void {
    if (set === undefined) return;
    for (const listener of [...set]) {
      if (listener.once) set.delete(listener);
      try {
        listener.handler(event);
      } catch (err) {
        this.onHandlerError(err, event);
      }
    }
  }
}
