/**
 * Commands sent and not yet answered, keyed by the numeric `id` we put on the
 * wire. Each entry owns its timeout/abort guard so settling cleans up once.
 */
import { armDeadline, type DeadlineOptions } from './deadline.js';

interface Entry {
  command: string;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

export class PendingCommands {
  private readonly entries = new Map<number, Entry>();

  get size(): number {
    return this.entries.size;
  }

  /**
   * Registers command `id`. On timeout or abort the entry is forgotten, so a
   * late reply finds no entry and is dropped.
   */
  add(id: number, command: string, deadline: DeadlineOptions): Promise<unknown> {
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
        dispose = armDeadline(command, deadline, (reason) => this.entries.get(id)?.reject(reason));
      }
    });
  }

  /** Command name of a pending id, or undefined when unknown/abandoned. */
  commandOf(id: number): string | undefined {
    return this.entries.get(id)?.command;
  }

  resolve(id: number, value: unknown): boolean {
    const entry = this.entries.get(id);
    entry?.resolve(value);
    return entry !== undefined;
  }

  reject(id: number, reason: unknown): boolean {
    const entry = this.entries.get(id);
    entry?.reject(reason);
    return entry !== undefined;
  }

  /** Rejects everything at once, each with an error built for its command. */
  rejectAll(makeError: (command: string) => Error): void {
    for (const entry of [...this.entries.values()]) entry.reject(makeError(entry.command));
  }
}
