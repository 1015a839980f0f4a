/**
 * Commands sent and not yet answered, keyed by the numeric `id` we put on the
 * wire. Each entry owns its timeout/abort guard so settling cleans up once.
 * It also remembers enough to tell what a reply that matches no entry is:
 * late (its command timed out, was aborted or expects no reply), a second
 * answer to one command, or an answer to an id never sent; in bounded
 * memory, however many commands gave up.
 */
import { armDeadline, type DeadlineOptions } from './deadline.js';

interface Entry {
  command: string;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

/** What became of a reply, by its id. */
export type ReplyMatch =
  | { readonly kind: 'pending'; readonly command: string; settle(outcome: { value: unknown } | { error: unknown }): void }
  | { readonly kind: 'late' | 'duplicate' | 'never-sent' };

/**
 * How many ranges of abandoned ids are kept; past that the two oldest
 * neighbours are joined (see IdRanges).
 */
const RANGES_KEPT = 1024;

/**
 * A set of ids kept as ranges `[first, last]`, in order.  Ids are handed
 * out one after another and commands give up in bursts (a stalled peer
 * times out every command in flight), so a burst of any size is one range.
 * At most `RANGES_KEPT` ranges are kept: past that the two oldest are
 * joined, and the set takes in the ids between them.  It may so hold ids it
 * was never given, never lose one it was.
 */
class IdRanges {
  /** `[first, last]` of each range, in order, flat. */
  private readonly bounds: number[] = [];

  get ranges(): number {
    return this.bounds.length / 2;
  }

  add(id: number): void {
    const b = this.bounds;
    const i = this.after(id);
    if (i > 0 && b[i - 1]! >= id - 1) {
      // In the range before, or right after it (and maybe joining the next).
      if (b[i - 1]! < id) b[i - 1] = id;
      if (b[i] === id + 1) b.splice(i - 1, 2);
    } else if (b[i] === id + 1) {
      b[i] = id;
    } else {
      b.splice(i, 0, id, id);
      this.bound();
    }
  }

  /** Takes `id` out of the set; false when it was not in it. */
  delete(id: number): boolean {
    const b = this.bounds;
    const i = this.after(id);
    if (i === 0 || b[i - 1]! < id) return false;
    const first = b[i - 2]!;
    const last = b[i - 1]!;
    if (first === last) b.splice(i - 2, 2);
    else if (id === first) b[i - 2] = id + 1;
    else if (id === last) b[i - 1] = id - 1;
    else {
      b.splice(i - 1, 1, id - 1, id + 1, last);
      this.bound();
    }
    return true;
  }

  /** The index just past the last range starting at or before `id` (ranges are mostly added at the end). */
  private after(id: number): number {
    let i = this.bounds.length;
    while (i > 0 && this.bounds[i - 2]! > id) i -= 2;
    return i;
  }

  /** Past RANGES_KEPT, joins the two oldest ranges. */
  private bound(): void {
    if (this.bounds.length > 2 * RANGES_KEPT) this.bounds.splice(1, 2);
  }
}

export class PendingCommands {
  private readonly entries = new Map<number, Entry>();
  /** Ids whose command gave up waiting (or expects no reply), not yet answered. */
  private readonly abandoned = new IdRanges();
  private highest = 0;

  get size(): number {
    return this.entries.size;
  }

  /** How many ranges of abandoned ids are remembered (at most 1024, however many ids). */
  get abandonedRanges(): number {
    return this.abandoned.ranges;
  }

  /**
   * Registers command `id`. On timeout or abort the entry is forgotten, so a
   * late reply finds no entry and is dropped.
   */
  add(id: number, command: string, deadline: DeadlineOptions): Promise<unknown> {
    this.noteSent(id);
    return new Promise<unknown>((resolve, reject) => {
      let dispose = (): void => {};
      const settle = (fn: () => void): void => {
        this.entries.delete(id);
        dispose();
        fn();
      };
      this.entries.set(id, {
        command,
        resolve: (value) => settle(() => resolve(value)),
        reject: (reason) => settle(() => reject(reason)),
      });
      if (deadline.timeout !== undefined || deadline.signal !== undefined) {
        dispose = armDeadline(command, deadline, (reason) => {
          this.abandon(id);
          this.entries.get(id)?.reject(reason);
        });
      }
    });
  }

  /** A command sent without waiting for a reply: any reply to it is late. */
  addNoReply(id: number): void {
    this.noteSent(id);
    this.abandon(id);
  }

  /** Finds what a reply with this id answers; each id matches 'pending' once. */
  match(id: number): ReplyMatch {
    const entry = this.entries.get(id);
    if (entry !== undefined) {
      return {
        kind: 'pending',
        command: entry.command,
        settle: (outcome) => ('value' in outcome ? entry.resolve(outcome.value) : entry.reject(outcome.error)),
      };
    }
    if (this.abandoned.delete(id)) return { kind: 'late' };
    return { kind: Number.isSafeInteger(id) && id >= 1 && id <= this.highest ? 'duplicate' : 'never-sent' };
  }

  /** Resolves with `value` every command in flight named in `commands`;
   *  whether there was one. */
  resolveNamed(commands: ReadonlySet<string>, value: unknown): boolean {
    let any = false;
    for (const entry of [...this.entries.values()]) {
      if (commands.has(entry.command)) {
        entry.resolve(value);
        any = true;
      }
    }
    return any;
  }

  /** Rejects everything at once, each with an error built for its command. */
  rejectAll(makeError: (command: string) => Error): void {
    for (const entry of [...this.entries.values()]) entry.reject(makeError(entry.command));
  }

  private noteSent(id: number): void {
    if (id > this.highest) this.highest = id;
  }

  private abandon(id: number): void {
    this.abandoned.add(id);
  }
}
