/**
 * A terminal screen for tests of what a person would see: text, carriage
 * returns, newlines and the few control sequences progress bars use
 * (cursor column, save/restore, clear line, cursor shown/hidden, line
 * wrapping). Any other control sequence is an error, so a test notices
 * output it does not understand instead of passing over it.
 */
import { Writable } from 'node:stream';

export class TerminalScreen {
  private readonly rows: string[][] = [[]];
  private row = 0;
  private column = 0;
  private saved: [number, number] = [0, 0];
  /** Whether the cursor is shown (programs hide it while drawing). */
  cursorVisible = true;
  /** Everything written, as written. */
  raw = '';

  constructor(readonly columns = 100) {}

  /** A writable stream that draws on this screen and says it is a terminal. */
  stream(): NodeJS.WritableStream {
    return Object.assign(
      new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          this.write(chunk.toString('utf8'));
          done();
        },
      }),
      { isTTY: true, columns: this.columns },
    );
  }

  write(text: string): void {
    this.raw += text;
    let i = 0;
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '\x1b') {
        i = this.control(text, i);
        continue;
      }
      if (ch === '\r') this.column = 0;
      else if (ch === '\n') this.moveTo(this.row + 1, 0);
      else this.put(ch);
      i += 1;
    }
  }

  /** The screen's lines, trailing blanks and blank last lines removed. */
  lines(): string[] {
    const lines = this.rows.map((r) => r.map((c) => c ?? ' ').join('').trimEnd());
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines;
  }

  private put(ch: string): void {
    const line = this.rows[this.row]!;
    while (line.length < this.column) line.push(' ');
    line[this.column] = ch;
    this.column += 1;
  }

  private moveTo(row: number, column: number): void {
    while (this.rows.length <= row) this.rows.push([]);
    this.row = row;
    this.column = column;
  }

  /** Applies the control sequence at `at`; returns the index after it. */
  private control(text: string, at: number): number {
    const next = text[at + 1];
    if (next === '7') {
      this.saved = [this.row, this.column];
      return at + 2;
    }
    if (next === '8') {
      this.moveTo(...this.saved);
      return at + 2;
    }
    const m = /^\x1b\[(\??)(\d*)([A-Za-z])/.exec(text.slice(at, at + 16));
    if (m === null) throw new Error(`unknown control sequence ${JSON.stringify(text.slice(at, at + 8))}`);
    const [whole, privateMode, digits, final] = m;
    const n = digits === '' ? 0 : Number(digits);
    const line = this.rows[this.row]!;
    if (privateMode === '?' && (final === 'h' || final === 'l')) {
      if (n === 25) this.cursorVisible = final === 'h';
      else if (n !== 7) throw new Error(`unknown mode ${n}`);
    } else if (final === 'G') {
      this.column = Math.max(0, n - 1);
    } else if (final === 'K') {
      if (n === 2) line.length = 0;
      else if (n === 0) line.length = Math.min(line.length, this.column);
      else line.fill(' ', 0, this.column + 1);
    } else {
      throw new Error(`unknown control sequence ${JSON.stringify(whole)}`);
    }
    return at + whole!.length;
  }
}
