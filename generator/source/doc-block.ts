/**
 * A documentation block as written: what the grammar delivers and the
 * doc-comment parser reads.  It lives here, apart from both, so that
 * neither stage knows the other.
 */
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

/** How a block ends: at its closing '##' line, or without one at the next
 *  token (or the end of the file). */
export type DocBlockEnd =
  | { readonly kind: 'closed'; readonly line: DocLineNode }
  | { readonly kind: 'unterminated'; readonly at: Loc }
  /** A syntax error cut the block short; that error is what to report. */
  | { readonly kind: 'cut' };

/** A '##' block, as written. */
export interface DocBlockNode {
  readonly kind: 'doc';
  /** Where the block's opening '##' stands. */
  readonly loc: Loc;
  /** The opening comment line. */
  readonly open: DocLineNode;
  readonly lines: readonly DocLineNode[];
  readonly end: DocBlockEnd;
  /** Where a plain comment directly follows the closing line, if one does. */
  readonly commentAfter: Loc | null;
  /** The first token after the block (past whitespace and comments) cannot
   *  be read: QEMU 9.0 and later read it before checking the block's end,
   *  so that error comes first. */
  readonly nextTokenInvalid?: boolean;
}
