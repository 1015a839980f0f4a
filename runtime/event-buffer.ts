/**
 * The most recent events, each tagged with a sequence number (1, 2, 3, ...
 * per client) so callers can ask "anything after mark N?". Bounded twice:
 * at most `capacity` events, and at most `maxBytes` of their weight (the
 * length of the line each came in), oldest dropped first, so a flood of
 * large events cannot pile up.
 */

export class EventBuffer<T> {
  private readonly ring: (T | undefined)[];
  private readonly weights: number[];
  /** Sequence number of the newest value (0 before the first). */
  private last = 0;
  /** Sequence number of the oldest value still held (last + 1 when empty). */
  private first = 1;
  private bytes = 0;

  constructor(
    private readonly capacity: number,
    private readonly maxBytes: number,
  ) {
    this.ring = new Array<T | undefined>(Math.max(0, capacity));
    this.weights = new Array<number>(Math.max(0, capacity)).fill(0);
  }

  /** Sequence number of the newest event seen (0 before the first). */
  get lastSeq(): number {
    return this.last;
  }

  /** How many values are held, and their total weight. */
  get size(): { readonly count: number; readonly bytes: number } {
    return { count: this.last - this.first + 1, bytes: this.bytes };
  }

  /** Stores a value and returns its sequence number. */
  push(value: T, weight: number): number {
    this.last += 1;
    if (this.capacity <= 0) {
      this.first = this.last + 1;
      return this.last;
    }
    if (this.last - this.first + 1 > this.capacity) this.dropOldest();
    const slot = this.last % this.capacity;
    this.ring[slot] = value;
    this.weights[slot] = weight;
    this.bytes += weight;
    while (this.bytes > this.maxBytes && this.first <= this.last) this.dropOldest();
    return this.last;
  }

  /** Oldest still-buffered value with sequence number > `since` that matches. */
  find(since: number, predicate: (value: T) => boolean): T | undefined {
    for (let seq = Math.max(since + 1, this.first); seq <= this.last; seq++) {
      const value = this.ring[seq % this.capacity] as T;
      if (predicate(value)) return value;
    }
    return undefined;
  }

  private dropOldest(): void {
    const slot = this.first % this.capacity;
    this.bytes -= this.weights[slot]!;
    this.weights[slot] = 0;
    this.ring[slot] = undefined;
    this.first += 1;
  }
}
