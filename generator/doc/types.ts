/**
 * Documentation comments, parsed: what a '##' block says, independent of
 * the definition it documents.  The model later connects it to members and
 * features; emitters read the sections by kind (blocks.ts splits their
 * text into paragraphs, lists, literal blocks and rST directives).
 */
import type { Loc } from '../source/location.js';

/** The description of one member, branch, value or feature ('@name: ...'). */
export interface DocArg {
  readonly name: string;
  readonly text: string;
  /** Where its '@name:' line stands. */
  readonly loc: Loc;
  /** The description carried an '#optional' marker (rule optionalMarkers). */
  readonly markedOptional: boolean;
}

/** What a section is.  'note' and 'example' are the tagged sections of QEMU
 *  up to 9.0 ('Note:', 'Examples:'); from 9.1 on, notes and examples are rST
 *  directives inside plain sections. */
export type DocSectionKind = 'plain' | 'returns' | 'errors' | 'since' | 'todo' | 'note' | 'example';

/** A tagged section ('Returns:', 'Since:', 'Errors:', ...) or a plain one
 *  (text after the member descriptions that no tag opens). */
export interface DocSection {
  readonly kind: DocSectionKind;
  /** The tag as written ('Returns', 'Notes', 'TODO', ...); null for a plain
   *  section. */
  readonly name: string | null;
  readonly text: string;
  /** Where the section starts. */
  readonly loc: Loc;
}

export interface DocComment {
  /** Where the block's opening '##' stands. */
  readonly loc: Loc;
  /** The documented definition's name, or null for free-form documentation. */
  readonly symbol: string | null;
  /** The text before any description or tagged section. */
  readonly body: string;
  readonly args: readonly DocArg[];
  readonly features: readonly DocArg[];
  /** Sections after the descriptions, in order. */
  readonly sections: readonly DocSection[];
}

/** The section kind a tag names. */
export function sectionKind(tag: string): DocSectionKind {
  switch (tag) {
    case 'Returns':
      return 'returns';
    case 'Errors':
      return 'errors';
    case 'Since':
      return 'since';
    case 'TODO':
      return 'todo';
    case 'Note':
    case 'Notes':
      return 'note';
    case 'Example':
    case 'Examples':
      return 'example';
    default:
      throw new Error(`no doc section is tagged '${tag}'`);
  }
}

export function findSection(doc: DocComment, kind: DocSectionKind): DocSection | undefined {
  return doc.sections.find((s) => s.kind === kind);
}
