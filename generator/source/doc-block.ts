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

/**
 * A comment line as the grammar finds it, which works out where it
 * stands when asked.  Doc lines are most of a schema (15,800 of the 29,500
 * places QEMU 7.2's check would locate), and a check asks the place of few:
 * an error's line, the first line of a section or a member's description.
 * Each `loc` is made afresh; nothing keeps one.  The fields are declared,
 * not defined as class fields are: a defined field is added to each new
 * line before the constructor runs, a step more per line in the
 * interpreter a short run runs in.
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
    return this.source.lineMap.locateOnLine(this.source.file, this.lineIndex, this.offset);
  }

  get lead(): string {
    const at = this.offset;
    const text = this.source.text;
    if (at === 0 || text.charCodeAt(at - 1) === 10) return '';
    return text.slice(this.source.lineMap.startOfLine(this.lineIndex), at);
  }
}

/**
 * The comment lines of a block: each runs from its first '#' (the blank
 * space before it holds none) to the end of its line.  Made when a reader
 * asks, not when the grammar matches the block: the grammar keeps a whole
 * file's blocks until the file is parsed, long enough for each line to be
 * copied by a collection or two, while lines made as a reader goes die
 * young (QEMU 7.2: 15,800 lines).  A reader asks once per block.
 */
export function docLinesOf(block: DocBlockNode): SourceDocLine[] {
  const { text, offset, source } = block.body;
  const lines: SourceDocLine[] = [];
  // The line each comment line is on, counted from the stretch's first.
  let index = source.lineMap.lineIndexOf(offset);
  let at = 0;
  while (at < text.length) {
    const hash = text.indexOf('#', at);
    for (let newline = text.indexOf('\n', at); newline !== -1 && newline < hash; newline = text.indexOf('\n', newline + 1)) index++;
    const end = text.indexOf('\n', hash);
    at = end === -1 ? text.length : end;
    lines.push(new SourceDocLine(text.slice(hash, at), offset + hash, index, source));
  }
  return lines;
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
  readonly source: LineSource;
}

/** A '##' block, as written. */
export interface DocBlockNode {
  readonly kind: 'doc';
  /** Where the block's opening '##' stands. */
  readonly loc: Loc;
  /** The opening comment line. */
  readonly open: DocLineNode;
  /** Its comment lines, cut into lines by docLinesOf. */
  readonly body: DocLinesText;
  readonly end: DocBlockEnd;
  /** Where a plain comment directly follows the closing line, if one does. */
  readonly commentAfter: Loc | null;
  /** The first token after the block (past whitespace and comments) cannot
   *  be read: QEMU 9.0 and later read it before checking the block's end,
   *  so that error comes first. */
  readonly nextTokenInvalid?: boolean;
}
