/**
 * Commands sent and not yet answered, keyed by the numeric `id` we put on the
 * wire. Each entry owns its timeout/abort guard so settling cleans up once.
 * It also remembers enough to tell what a reply that matches no entry is:
 * late (its command timed out, was aborted or expects no reply), a second
 * answer to one command, or an answer to an id never sent.
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
 * How many abandoned ids are remembered so that their late replies pass
 * quietly; beyond that, the oldest one's late reply is reported as a duplicate.
 */
const ABANDONED_KEPT = 1024;

export class PendingCommands {
  private readonly entries = new Map<number, Entry>();
  /** Ids whose command gave up waiting, oldest first. */
  private readonly abandoned = new Set<number>();
  private highest = 0;

  get size(): number {
    return this.entries.size;
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

  /** Rejects everything at once, each with an error built for its command. */
  rejectAll(makeError: (command: string) => Error): void {
    for (const entry of [...this.entries.values()]) entry.reject(makeError(entry.command));
  }

  private noteSent(id: number): void {
    if (id > this.highest) this.highest = id;
  }

  private abandon(id: number): void {
    this.abandoned.add(id);
    if (this.abandoned.size > ABANDONED_KEPT) {
      const oldest = this.abandoned.values().next().value as number;
      this.abandoned.delete(oldest);
    }
  }
}
