/**
 * Splits a byte stream into newline-terminated lines, with a hard cap on line
 * length so a misbehaving peer cannot make us buffer without bound.
 *
 * The unfinished line is copied into one buffer of our own rather than kept
 * as the chunks it arrived in: a peer sending one byte per chunk would
 * otherwise cost a Buffer object (over 100 bytes) per byte received. The
 * buffer grows by doubling up to `maxLineLength + 1` bytes, so what is held
 * never exceeds that, and a growth step briefly holds at most twice it.
 */

export interface LineSink {
  line(text: string): void;
  /** A line exceeded the cap; its bytes are discarded up to the next newline. */
  oversized(excerpt: string): void;
}

const EXCERPT_BYTES = 200;
/** A buffer grown past this for one long line is let go once it is complete. */
const KEEP_CAPACITY = 64 * 1024;
const EMPTY = Buffer.alloc(0);

export class LineSplitter {
  /** The unfinished line: the first `held` bytes of `buffer`. */
  private buffer: Buffer = EMPTY;
  private held = 0;
  /** True while discarding the remainder of an oversized line. */
  private skipping = false;

  constructor(
    private readonly maxLineLength: number,
    private readonly sink: LineSink,
  ) {}

  /** Bytes of an unfinished line held right now. */
  get heldBytes(): number {
    return this.held;
  }

  /** Bytes allocated for the unfinished line (at most maxLineLength + 1). */
  get capacity(): number {
    return this.buffer.length;
  }

  /** Whether the stream stopped in the middle of a line; its start, if so. */
  unfinished(): string | undefined {
    if (this.skipping) return '';
    return this.held > 0 ? this.excerpt(this.buffer.subarray(0, this.held)) : undefined;
  }

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline === -1) break;
      const piece = chunk.subarray(start, newline);
      start = newline + 1;
      if (this.skipping) {
        this.skipping = false;
      } else if (this.held === 0) {
        this.emit(piece);
      } else if (this.append(piece)) {
        this.emit(this.buffer.subarray(0, this.held));
        this.held = 0;
        if (this.buffer.length > KEEP_CAPACITY) this.buffer = EMPTY;
      } else {
        // Reported as oversized; this newline already ends it.
        this.skipping = false;
      }
    }
    if (start < chunk.length && !this.skipping) this.append(start === 0 ? chunk : chunk.subarray(start));
  }

  private emit(line: Buffer): void {
    // CR of the CRLF terminator does not count towards the limit.
    const length = line.length > 0 && line[line.length - 1] === 13 ? line.length - 1 : line.length;
    if (length > this.maxLineLength) {
      this.sink.oversized(this.excerpt(line));
      return;
    }
    this.sink.line(line.toString('utf8', 0, length));
  }

  /** Adds bytes to the unfinished line; false (and skipping) once it is too long. */
  private append(bytes: Buffer): boolean {
    const needed = this.held + bytes.length;
    // +1 leaves room for a CR whose LF has not arrived yet.
    const limit = this.maxLineLength + 1;
    if (needed > limit) {
      this.sink.oversized(this.excerpt(this.held > 0 ? this.buffer.subarray(0, this.held) : bytes));
      this.held = 0;
      this.buffer = EMPTY;
      this.skipping = true;
      return false;
    }
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.min(limit, Math.max(needed, 2 * this.buffer.length, 256)));
      this.buffer.copy(grown, 0, 0, this.held);
      this.buffer = grown;
    }
    bytes.copy(this.buffer, this.held);
    this.held = needed;
    return true;
  }

  private excerpt(bytes: Buffer): string {
    return bytes.subarray(0, EXCERPT_BYTES).toString('utf8');
  }
}
