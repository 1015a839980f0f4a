/**
 * Parses a '##' documentation block into DocComments, by the rules of the
 * selected language: QEMU rewrote its doc-comment parser for 9.0, and the
 * two readers (classic.ts up to 8.2, sectioned.ts from 9.0 on) share the
 * line rules of lines.ts.  Errors are LocatedProblems.
 */
import type { DocBlockNode } from '../source/doc-block.js';
import type { LanguageLevel } from '../source/language.js';
import { parseClassicDocBlock } from './classic.js';
import { parseSectionedDocBlock } from './sectioned.js';
import type { DocComment } from './types.js';

export function parseDocBlock(block: DocBlockNode, level: LanguageLevel): DocComment[] {
  return level.has('paragraphDocComments') ? parseSectionedDocBlock(block, level) : parseClassicDocBlock(block, level);
}
