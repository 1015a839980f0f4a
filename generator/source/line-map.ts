/**
 * Lines and columns of offsets in one file's text, as QEMU numbers them.
 *
 * Lines end at '\n' only (the reader has already turned CR and CRLF into
 * '\n', as Python's universal newlines do).  Columns count characters (code
 * points, as Python does) from 1, except that a TAB maps the column onto
 * 1..8 with QEMU's formula `(col + 7) % 8 + 1`: for `{<TAB>'a' 'b' }` QEMU
 * reports the second string at column 6.  This is the one implementation of
 * that rule; the grammar, the syntax-error locator and the doc-comment
 * checks all ask a LineMap (or `columnAfter`).
 *
 * Every lookup is cheap: a line without TABs or surrogate pairs needs no
 * scan at all, and a line with them is scanned once, so computing the
 * columns of every token stays linear in the size of the file.
 */
import type { Loc } from './location.js';

/** A file's name, text and lines: what a node the grammar makes keeps to
 *  work out where it stands when asked (one for all the nodes of a parse). */
export interface LineSource {
  readonly file: string;
  readonly text: string;
  readonly lineMap: LineMap;
}

/** The column after `col` once `code` (a UTF-16 unit) has been passed. */
function advance(col: number, code: number): number {
  if (code === 9) return ((col + 7) % 8) + 1;
  // The second half of a surrogate pair is the same character as the first.
  if (code >= 0xdc00 && code <= 0xdfff) return col;
  return col + 1;
}

/** The column QEMU reports for the character following `prefix`, when
 *  `prefix` starts at the beginning of a line. */
export function columnAfter(prefix: string): number {
  let col = 1;
  for (let i = 0; i < prefix.length; i++) col = advance(col, prefix.charCodeAt(i));
  return col;
}

/** Where, on one line, the column stops being offset + 1: after each TAB
 *  or surrogate pair, the offset just past it and the column there. */
interface Checkpoints {
  readonly offsets: number[];
  readonly columns: number[];
}

const SPECIAL = /[\t\ud800-\udfff]/g;

export class LineMap {
  /** Offsets where lines start; the first line starts at 0. */
  private readonly lineStarts: number[] = [0];
  /** The lines holding a TAB or a surrogate pair (0-based), where the
   *  column is not offset + 1; null when no line does. */
  private readonly specialLines: Set<number> | null = null;
  private readonly checkpoints = new Map<number, Checkpoints>();
  /** The line of the previous lookup: parsing mostly moves forward. */
  private lastLine = 0;
  /** Characters examined to compute columns so far (a measure of work, for
   *  tests that guard against quadratic behaviour). */
  scanned = 0;

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    SPECIAL.lastIndex = 0;
    for (let m = SPECIAL.exec(text); m !== null; m = SPECIAL.exec(text)) {
      this.specialLines ??= new Set();
      this.specialLines.add(this.lineIndexOf(m.index));
    }
    this.lastLine = 0;
  }

  /** The 0-based index of the line holding `offset`. */
  lineIndexOf(offset: number): number {
    const starts = this.lineStarts;
    let line = this.lastLine;
    if (offset < starts[line]!) {
      let lo = 0;
      let hi = line;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
      line = lo;
    } else {
      // Forward: a few steps, else a binary search over the rest.
      let steps = 0;
      while (line + 1 < starts.length && starts[line + 1]! <= offset) {
        if (++steps > 8) {
          let lo = line;
          let hi = starts.length - 1;
          while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (starts[mid]! <= offset) lo = mid;
            else hi = mid - 1;
          }
          line = lo;
          break;
        }
        line++;
      }
    }
    this.lastLine = line;
    return line;
  }

  /** The 1-based line number of `offset`. */
  line(offset: number): number {
    return this.lineIndexOf(offset) + 1;
  }

  /** The offset where the line of 0-based `index` starts. */
  startOfLine(index: number): number {
    return this.lineStarts[index]!;
  }

  /** The 1-based column of `offset`, by QEMU's rule. */
  column(offset: number): number {
    return this.columnOn(this.lineIndexOf(offset), offset);
  }

  /** Line and column of `offset` at once. */
  position(offset: number): { line: number; column: number } {
    const index = this.lineIndexOf(offset);
    return { line: index + 1, column: this.columnOn(index, offset) };
  }

  /** The location of `offset` in `file`. */
  locate(file: string, offset: number): Loc {
    // Most lookups fall on the line of the previous one, or the next.
    const starts = this.lineStarts;
    let index = this.lastLine;
    if (offset < starts[index]! || (index + 1 < starts.length && offset >= starts[index + 1]!)) {
      index = index + 2 < starts.length && offset >= starts[index + 1]! && offset < starts[index + 2]! ? index + 1 : this.lineIndexOf(offset);
      this.lastLine = index;
    }
    return this.locateOnLine(file, index, offset);
  }

  /** The location of `offset` on the line of 0-based `index`, which holds
   *  it: for a caller that counted the lines itself (a doc block's reader,
   *  from the block's first line), and so needs no search. */
  locateOnLine(file: string, index: number, offset: number): Loc {
    // columnOn's common case inline: one call fewer for nearly every token.
    const special = this.specialLines;
    const column = special === null || !special.has(index) ? offset - this.lineStarts[index]! + 1 : this.columnOn(index, offset);
    return { file, line: index + 1, column, offset };
  }

  private columnOn(index: number, offset: number): number {
    const start = this.lineStarts[index]!;
    if (this.specialLines === null || !this.specialLines.has(index)) return offset - start + 1;
    const { offsets, columns } = this.checkpointsOf(index);
    // The last checkpoint at or before the offset.
    let lo = -1;
    let hi = offsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (offsets[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo < 0 ? offset - start + 1 : columns[lo]! + (offset - offsets[lo]!);
  }

  /** The checkpoints of a line that holds a TAB or a surrogate pair,
   *  computed on first use. */
  private checkpointsOf(index: number): Checkpoints {
    const known = this.checkpoints.get(index);
    if (known !== undefined) return known;
    const start = this.lineStarts[index]!;
    const end = index + 1 < this.lineStarts.length ? this.lineStarts[index + 1]! : this.text.length;
    const marks: Checkpoints = { offsets: [], columns: [] };
    let col = 1;
    for (let i = start; i < end; i++) {
      const code = this.text.charCodeAt(i);
      col = advance(col, code);
      if (code === 9 || (code >= 0xdc00 && code <= 0xdfff)) {
        marks.offsets.push(i + 1);
        marks.columns.push(col);
      }
    }
    this.scanned += end - start;
    this.checkpoints.set(index, marks);
    return marks;
  }
}
