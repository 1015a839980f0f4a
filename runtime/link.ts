/**
 * One byte stream as a client uses it: bytes in, cut into lines; lines
 * out, batched; its loss told once; and a hang-up that settles in bounded
 * time.  A client has one link per connection (a new one each time it
 * reconnects), so what arrives on an old stream cannot reach the new one.
 */
import { LineSplitter } from './line-splitter.js';
import type { ByteStream } from './platform.js';
import { WriteBatch } from './write-batch.js';

export interface LinkEvents {
  line(text: string): void;
  /** A line longer than the cap was skipped; its start. */
  oversized(excerpt: string): void;
  /**
   * The stream ended or broke: told once, and never after end() or
   * destroy().  `unfinished` is the start of a line it cut short;
   * `peerEnded`, whether the peer hung up (its end of the stream, with
   * no error) rather than the stream breaking.
   */
  lost(message: string, cause: unknown, unfinished: string | undefined, peerEnded: boolean): void;
}

/** How long end() waits for the peer to hang up before destroying the stream. */
const CLOSE_GRACE = 1_000;

export class Link {
  private readonly splitter: LineSplitter;
  private readonly writer: WriteBatch;
  /** Set once the link is done with (lost, ended or destroyed): nothing more is read or written. */
  private done = false;

  constructor(
    private readonly stream: ByteStream,
    maxLineLength: number,
    private readonly events: LinkEvents,
  ) {
    this.splitter = new LineSplitter(maxLineLength, {
      line: (text) => {
        if (!this.done) events.line(text);
      },
      oversized: (excerpt) => {
        if (!this.done) events.oversized(excerpt);
      },
    });
    this.writer = new WriteBatch(stream);
    stream.on('data', (chunk) => {
      if (!this.done) this.splitter.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    });
    stream.on('error', (err) => this.lose(`connection broken: ${err.message}`, err));
    stream.on('end', () => this.lose('connection closed by peer', undefined, true));
    stream.on('close', () => this.lose('connection closed'));
  }

  /** Writes `line`; `written` is told once it went out, or why it did not. */
  write(line: string, written?: (err?: Error | null) => void): void {
    this.writer.write(line, written);
  }

  /** Stops reading and writing and destroys the stream at once. */
  destroy(): void {
    this.stop();
    this.stream.destroy();
  }

  /**
   * Hangs up: ends our side and resolves once the stream has closed, or
   * after CLOSE_GRACE ms, destroying it then.  The timer holds the process
   * open until then, so an awaited end() always settles, whether or not the
   * peer ever ends its side and whatever the stream does when destroyed.
   */
  end(): Promise<void> {
    this.stop();
    if (this.stream.destroyed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.stream.destroy();
        resolve();
      }, CLOSE_GRACE);
      this.stream.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.stream.end();
    });
  }

  private lose(message: string, cause?: unknown, peerEnded = false): void {
    if (this.done) return;
    this.stop();
    this.events.lost(message, cause, this.splitter.unfinished(), peerEnded);
  }

  private stop(): void {
    this.done = true;
    this.writer.stop(new Error('connection closed'));
  }
}
