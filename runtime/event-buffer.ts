/**
 * Fixed-size ring of the most recent events, each tagged with a sequence
 * number (1, 2, 3, ... per client) so callers can ask "anything after mark N?".
 */

export class EventBuffer<T> {
  private readonly ring: (T | undefined)[];
  private last = 0;

  constructor(private readonly capacity: number) {
    this.ring = new Array<T | undefined>(Math.max(0, capacity));
  }

  /** Sequence number of the newest event seen (0 before the first). */
  get lastSeq(): number {
    return this.last;
  }

  /** Stores a value and returns its sequence number. */
  push(value: T): number {
    this.last += 1;
    if (this.capacity > 0) this.ring[this.last % this.capacity] = value;
    return this.last;
  }

  /** Oldest still-buffered value with sequence number > `since` that matches. */
  find(since: number, predicate: (value: T) => boolean): T | undefined {
    const oldest = Math.max(since + 1, this.last - this.capacity + 1, 1);
    for (let seq = oldest; seq <= this.last; seq++) {
      const value = this.ring[seq % this.capacity] as T;
      if (predicate(value)) return value;
    }
    return undefined;
  }
}
