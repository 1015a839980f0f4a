/**
 * Documentation comments, parsed: what a '##' block says, independent of
 * the definition it documents.  The model later connects it to members and
 * features.
 */
import type { Loc } from '../parse/ast.js';

/** The description of one member, branch, value or feature ('@name: ...'). */
export interface DocArg {
  readonly name: string;
  readonly text: string;
  readonly loc: Loc;
  /** Legacy dialect: the description carried an '#optional' marker. */
  readonly markedOptional: boolean;
}

/** A tagged section ('Returns:', 'Since:', 'Note:', ...) or, with a null
 *  name, an untagged paragraph after the member descriptions. */
export interface DocSection {
  readonly name: string | null;
  readonly text: string;
  readonly loc: Loc;
}

export interface DocComment {
  /** Where the block's opening '##' stands. */
  readonly loc: Loc;
  /** The documented definition's name, or null for free-form documentation. */
  readonly symbol: string | null;
  readonly body: string;
  readonly args: readonly DocArg[];
  readonly features: readonly DocArg[];
  readonly sections: readonly DocSection[];
}

export function findSection(doc: DocComment, name: string): DocSection | undefined {
  return doc.sections.find((s) => s.name === name);
}
