/**
 * Async iterator over events pushed by the hub. Unbounded by design: an
 * iterator promises every event, so a slow consumer costs memory, not events.
 */
import type { QmpEvent } from './types.js';

export class EventQueue implements AsyncIterableIterator<QmpEvent> {
  private readonly items: QmpEvent[] = [];
  private waiting: ((result: IteratorResult<QmpEvent>) => void) | undefined;
  private ended = false;

  constructor(private readonly detach: () => void) {}

  push(event: QmpEvent): void {
    if (this.ended) return;
    if (this.waiting !== undefined) {
      const wake = this.waiting;
      this.waiting = undefined;
      wake({ value: event, done: false });
    } else {
      this.items.push(event);
    }
  }

  /** No further events; already queued ones are still delivered. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.detach();
    if (this.waiting !== undefined) {
      const wake = this.waiting;
      this.waiting = undefined;
      wake({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<QmpEvent>> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<QmpEvent>> {
    this.items.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
