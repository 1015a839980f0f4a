/**
 * Writes lines to a stream, joining the lines of one tick into one write:
 * the first line of a tick goes out at once (no added latency for a lone
 * command), the ones after it in the same tick together on the next.
 */
import type { ByteStream } from './platform.js';

type Written = (err?: Error | null) => void;

export class WriteBatch {
  private lines: string[] = [];
  private callbacks: Written[] = [];
  private scheduled = false;
  /** Set once nothing more may be written; queued lines fail with it. */
  private stopped: Error | undefined;

  constructor(private readonly stream: ByteStream) {}

  /** Queues `line` (a newline is added); `written` is told when it went out or failed. */
  write(line: string, written?: Written): void {
    this.lines.push(line, '\n');
    if (written !== undefined) this.callbacks.push(written);
    if (this.scheduled) return;
    this.scheduled = true;
    process.nextTick(() => this.flush());
    this.flush(true);
  }

  /** Nothing more is written; what is queued fails with `error`. */
  stop(error: Error): void {
    this.stopped ??= error;
    this.flush(true);
  }

  private flush(keepScheduled = false): void {
    if (!keepScheduled) this.scheduled = false;
    if (this.lines.length === 0) return;
    const data = this.lines.length === 2 ? this.lines[0]! + this.lines[1]! : this.lines.join('');
    const callbacks = this.callbacks;
    this.lines = [];
    this.callbacks = [];
    const error = this.stopped ?? (this.stream.destroyed ? new Error('stream destroyed') : undefined);
    if (error !== undefined) {
      for (const cb of callbacks) cb(error);
      return;
    }
    this.stream.write(data, (err) => {
      for (const cb of callbacks) cb(err);
    });
  }
}
