/**
 * Splits a byte stream into newline-terminated lines, with a hard cap on line
 * length so a misbehaving peer cannot make us buffer without bound.
 */

export interface LineSink {
  line(text: string): void;
  /** A line exceeded the cap; its bytes are discarded up to the next newline. */
  oversized(excerpt: string): void;
}

export class LineSplitter {
  private parts: Buffer[] = [];
  private partsLength = 0;
  /** True while discarding the remainder of an oversized line. */
  private skipping = false;

  constructor(
    private readonly maxLineLength: number,
    private readonly sink: LineSink,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline === -1) break;
      const piece = chunk.subarray(start, newline);
      start = newline + 1;
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      let line = piece;
      if (this.partsLength > 0) {
        this.parts.push(piece);
        line = Buffer.concat(this.parts);
        this.parts = [];
        this.partsLength = 0;
      }
      this.emit(line);
    }
    if (start < chunk.length && !this.skipping) this.keep(chunk.subarray(start));
  }

  private emit(line: Buffer): void {
    // CR of the CRLF terminator does not count towards the limit.
    const length = line.length > 0 && line[line.length - 1] === 13 ? line.length - 1 : line.length;
    if (length > this.maxLineLength) {
      this.sink.oversized(line.subarray(0, 200).toString('utf8'));
      return;
    }
    this.sink.line(line.toString('utf8', 0, length));
  }

  private keep(rest: Buffer): void {
    // +1 leaves room for a CR whose LF has not arrived yet.
    if (this.partsLength + rest.length > this.maxLineLength + 1) {
      const head = this.parts.length > 0 ? this.parts[0]! : rest;
      this.sink.oversized(head.subarray(0, 200).toString('utf8'));
      this.parts = [];
      this.partsLength = 0;
      this.skipping = true;
      return;
    }
    this.parts.push(rest);
    this.partsLength += rest.length;
  }
}
