/**
 * Faults a test scripts on the peer, for the scenarios a client must
 * survive.  Each applies to the answer of the next request(s) naming its
 * command (`'*'`: any command), in the order they were scripted:
 *
 * - `{ delay: ms }`: the answer goes out `ms` later (in-band requests
 *   behind it wait, as they would behind a slow command in QEMU);
 * - `'drop'`: the connection is cut as the request arrives, unanswered;
 * - `{ malformed: text }`: `text` goes out as a line instead of the answer
 *   (`then: 'reply'`: before it);
 * - `'hang'`: the request is never answered, and in-band requests behind
 *   it neither.
 */
export type Fault = 'drop' | 'hang' | { readonly delay: number } | { readonly malformed: string; readonly then?: 'reply' | 'nothing' };

export interface FaultOptions {
  /** How many matching requests it applies to (default 1; Infinity: all). */
  readonly times?: number;
}

interface Scripted {
  readonly command: string;
  readonly fault: Fault;
  left: number;
}

export class FaultScript {
  private readonly scripted: Scripted[] = [];

  add(command: string, fault: Fault, options: FaultOptions = {}): () => void {
    const times = options.times ?? 1;
    if (!(times > 0)) throw new RangeError(`fault on ${command}: times must be positive, not ${times}`);
    if (typeof fault === 'object' && 'delay' in fault && !(fault.delay >= 0 && Number.isFinite(fault.delay))) {
      throw new RangeError(`fault on ${command}: delay must be a finite number of milliseconds, not ${fault.delay}`);
    }
    const entry: Scripted = { command, fault, left: times };
    this.scripted.push(entry);
    return () => {
      const at = this.scripted.indexOf(entry);
      if (at !== -1) this.scripted.splice(at, 1);
    };
  }

  /** The first fault scripted for `command`, counted as used. */
  take(command: string): Fault | undefined {
    const at = this.scripted.findIndex((s) => s.command === command || s.command === '*');
    if (at === -1) return undefined;
    const entry = this.scripted[at]!;
    if (--entry.left <= 0) this.scripted.splice(at, 1);
    return entry.fault;
  }
}
