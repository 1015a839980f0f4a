/**
 * A documentation block as written: what the grammar delivers and the
 * doc-comment parser reads.  It lives here, apart from both, so that
 * neither stage knows the other.
 */
import type { LineSource } from './line-map.js';
import type { Loc } from './location.js';

/** One comment line of a documentation block. */
export interface DocLineNode {
  /** The comment, from its '#' to the end of the line. */
  readonly text: string;
  /** Where its '#' stands. */
  readonly loc: Loc;
  /** What precedes the '#' on its line (usually nothing). */
  readonly lead: string;
}

/** Where a comment line stands: its '#' at `offset`, on the line of
 *  0-based `index` (which the caller counted, so no search is made). */
function lineLoc(source: LineSource, index: number, offset: number): Loc {
  return source.lineMap.locateOnLine(source.file, index, offset);
}

/** What precedes a comment line's '#' on its line (usually nothing). */
function leadOf(source: LineSource, index: number, offset: number): string {
  if (offset === 0 || source.text.charCodeAt(offset - 1) === 10) return '';
  return source.text.slice(source.lineMap.startOfLine(index), offset);
}

/**
 * A block's opening or closing line as the grammar finds it, which works
 * out where it stands when asked (the lines between are walked with a
 * DocLineCursor).  Each `loc` is made afresh; nothing keeps one.  The
 * fields are declared, not defined as class fields are: a defined field
 * is added to each new line before the constructor runs, a step more per
 * line in the interpreter a short run runs in.
 */
export class SourceDocLine implements DocLineNode {
  declare readonly text: string;
  /** Where its '#' stands in the file's text. */
  declare readonly offset: number;
  /** The 0-based index of its line (counted where it is made: a search
   *  per location asked would cost more than the location). */
  private declare readonly lineIndex: number;
  private declare readonly source: LineSource;

  constructor(text: string, offset: number, lineIndex: number, source: LineSource) {
    this.text = text;
    this.offset = offset;
    this.lineIndex = lineIndex;
    this.source = source;
  }

  get loc(): Loc {
    return lineLoc(this.source, this.lineIndex, this.offset);
  }

  get lead(): string {
    return leadOf(this.source, this.lineIndex, this.offset);
  }
}

/**
 * The comment lines of a block, read one at a time: each runs from its
 * first '#' (the blank space before it holds none) to the end of its line.
 * The cursor is the line it read last (its text, place and lead) until it
 * reads the next: no node is made per line, and a reader that keeps a
 * line's place takes its `loc` before it moves on.  Lines are cut when a
 * reader walks them, not when the grammar matches the block: the grammar
 * keeps a whole file's blocks until the file is parsed, and nodes made
 * then lived through a collection or two (QEMU 7.2: 15,800 lines).
 */
export class DocLineCursor implements DocLineNode {
  declare text: string;
  /** Where the current line's '#' stands in the file's text. */
  declare offset: number;
  /** The 0-based index of the current line's line, counted from the
   *  block's first as the cursor moves (a search per location asked would
   *  cost more than the location). */
  declare lineIndex: number;
  /** Where in the block's text the current line ends. */
  private declare end: number;
  private declare readonly body: DocLinesText;

  constructor(block: DocBlockNode) {
    this.body = block.body;
    this.text = '';
    this.offset = -1;
    this.lineIndex = block.body.lineIndex;
    this.end = 0;
  }

  /** Moves to the next line; false past the last. */
  next(): boolean {
    const text = this.body.text;
    const from = this.end;
    if (from >= text.length) return false;
    const hash = text.indexOf('#', from);
    for (let newline = text.indexOf('\n', from); newline !== -1 && newline < hash; newline = text.indexOf('\n', newline + 1)) this.lineIndex++;
    const end = text.indexOf('\n', hash);
    this.end = end === -1 ? text.length : end;
    this.text = text.slice(hash, this.end);
    this.offset = this.body.offset + hash;
    return true;
  }

  get loc(): Loc {
    return lineLoc(this.body.source, this.lineIndex, this.offset);
  }

  get lead(): string {
    return leadOf(this.body.source, this.lineIndex, this.offset);
  }
}

/** How a block ends: at its closing '##' line, or without one at the next
 *  token (or the end of the file). */
export type DocBlockEnd =
  | { readonly kind: 'closed'; readonly line: DocLineNode }
  | { readonly kind: 'unterminated'; readonly at: Loc }
  /** A syntax error cut the block short; that error is what to report. */
  | { readonly kind: 'cut' };

/** The comment lines between a block's opening and closing lines, as
 *  written: one stretch of the file's text (from the first line's blank
 *  space to the last line's end), and where it starts. */
export interface DocLinesText {
  readonly text: string;
  readonly offset: number;
  /** The 0-based index of the line `offset` is on (found as the grammar
   *  goes, where the search is a step or two). */
  readonly lineIndex: number;
  readonly source: LineSource;
}

/** A '##' block, as written. */
export interface DocBlockNode {
  readonly kind: 'doc';
  /** Where the block's opening '##' stands. */
  readonly loc: Loc;
  /** The opening comment line. */
  readonly open: DocLineNode;
  /** Its comment lines, walked by a DocLineCursor. */
  readonly body: DocLinesText;
  readonly end: DocBlockEnd;
  /** Where a plain comment directly follows the closing line, if one does. */
  readonly commentAfter: Loc | null;
  /** The first token after the block (past whitespace and comments) cannot
   *  be read: QEMU 9.0 and later read it before checking the block's end,
   *  so that error comes first. */
  readonly nextTokenInvalid?: boolean;
}
