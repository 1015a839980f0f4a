/**
 * Splits what a QMP client sends into JSON messages the way QEMU's JSON
 * streamer does, not by lines: a message ends where its outermost brace or
 * bracket closes, several may share a line and one may span lines.  A
 * control character other than tab, CR and LF (the QMP spec's way of
 * forcing the parser back into a known state) ends whatever was being read
 * with an error; so does a message larger than the limit.
 */
import { StringDecoder } from 'node:string_decoder';

export type Segment =
  /** One message's text, for the JSON parser. */
  | { readonly kind: 'message'; readonly text: string }
  /** Input the streamer itself refused; what was being read is dropped. */
  | { readonly kind: 'error'; readonly reason: string };

/** QEMU refuses nesting deeper than this. */
const MAX_NESTING = 1024;

export class JsonMessageStream {
  private readonly decoder = new StringDecoder('utf8');
  private text = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Whether a top-level scalar (not an object or array) is being read. */
  private scalar = false;
  /** Where in `text` the current message starts; -1: between messages. */
  private start = -1;

  constructor(
    private readonly maxMessageBytes: number,
    private readonly emit: (segment: Segment) => void,
  ) {}

  push(chunk: Uint8Array | string): void {
    const piece = typeof chunk === 'string' ? chunk : this.decoder.write(chunk as Buffer);
    const from = this.text.length;
    this.text += piece;
    this.scan(from);
    // Keep only the unfinished message.
    if (this.start === -1) this.text = '';
    else if (this.start > 0) {
      this.text = this.text.slice(this.start);
      this.start = 0;
    }
    if (this.text.length > this.maxMessageBytes) {
      this.text = '';
      this.fail(`message larger than ${this.maxMessageBytes} bytes`);
    }
  }

  /** The input ended: a top-level scalar still being read is a message. */
  end(): void {
    if (this.scalar) this.finish(this.text.length);
    else if (this.start !== -1) this.fail('input ended in the middle of a message');
  }

  private scan(from: number): void {
    const t = this.text;
    for (let i = from; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) {
        this.fail(`stray control character 0x${c.toString(16).padStart(2, '0')}`);
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
        continue;
      }
      if (this.scalar) {
        // A scalar at the top level ends at white space or a new value.
        if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
          this.finish(i);
          continue;
        }
        if (c === 0x7b || c === 0x5b) this.finish(i);
        else continue;
      }
      switch (c) {
        case 0x22:
          if (this.start === -1) this.begin(i, true);
          this.inString = true;
          break;
        case 0x7b:
        case 0x5b:
          if (this.start === -1) this.begin(i, false);
          if (++this.depth > MAX_NESTING) this.fail(`nesting deeper than ${MAX_NESTING}`);
          break;
        case 0x7d:
        case 0x5d:
          if (this.start === -1) {
            this.begin(i, false);
            this.finish(i + 1);
          } else if (--this.depth === 0) this.finish(i + 1);
          break;
        case 0x20:
        case 0x09:
        case 0x0a:
        case 0x0d:
          break;
        default:
          if (this.start === -1) this.begin(i, true);
      }
    }
  }

  private begin(at: number, scalar: boolean): void {
    this.start = at;
    this.scalar = scalar;
  }

  private finish(end: number): void {
    const text = this.text.slice(this.start, end);
    this.reset();
    // Bytes already scanned stay in `text` until push() trims them.
    this.start = -1;
    this.emit({ kind: 'message', text });
  }

  /** Drops what was being read (push() trims it away). */
  private fail(reason: string): void {
    this.reset();
    this.emit({ kind: 'error', reason });
  }

  private reset(): void {
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.scalar = false;
    this.start = -1;
  }
}
