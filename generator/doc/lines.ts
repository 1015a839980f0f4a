/**
 * The lines of a documentation block, as both doc-comment parsers read
 * them: the '#' marker rule, the text after it, and QEMU 10.2's checks of
 * each line's format.
 */
import { LocatedProblem } from '../source/diagnostics.js';
import type { DocBlockNode, DocLineNode } from '../source/doc-block.js';
import type { LanguageLevel } from '../source/language.js';
import { columnAfter } from '../source/line-map.js';
import type { Loc } from '../source/location.js';
import { codePointLength, leadingSpace, PYTHON_SPACE_CLASS, pythonRstrip } from '../source/text.js';

export function problemAt(loc: Loc, message: string): LocatedProblem {
  return new LocatedProblem(loc, message);
}

/** The opening line must be '##' alone. */
export function checkOpening(block: DocBlockNode): void {
  if (block.open.text !== '##') {
    throw problemAt(block.loc, "the opening '##' of a documentation comment must stand alone on its line");
  }
}

/** Where the block ends: its closing line (which must be '##' alone), or
 *  null where a syntax error cut the block short.  An unclosed block is an
 *  error where the next token stands. */
export function closingLine(block: DocBlockNode): Loc | null {
  const end = block.end;
  switch (end.kind) {
    case 'cut':
      return null;
    case 'unterminated':
      throw problemAt(end.at, "this documentation comment is not closed: end it with a '##' line");
    case 'closed':
      if (end.line.text !== '##') {
        throw problemAt(end.line.loc, "the closing '##' of a documentation comment must stand alone on its line");
      }
      return end.line.loc;
  }
}

/** The text of a comment line after its '# ' ('' for a bare '#').  QEMU 9.0
 *  and later also drop trailing whitespace here. */
export function commentText(line: DocLineNode, rstrip: boolean): string {
  const text = line.text;
  if (text === '#') return '';
  if (text[1] !== ' ') {
    throw problemAt(line.loc, "put a space after the '#' of a documentation line (or leave the line empty)");
  }
  return rstrip ? pythonRstrip(text.slice(2)) : text.slice(2);
}

/** A member description's tag as QEMU matches it from 8.1 on: '@', a name
 *  without ':', ':' and any spaces. */
export const MEMBER_TAG = /^@([^:]*): */;

/** Text that looks like a member description where none may stand. */
export const MEMBER_TAG_LIKE = new RegExp(`^(@[^${PYTHON_SPACE_CLASS}]+:)`);

export const DOC_LINE_LIMIT = 70;

const LITERAL_START = /^(\.\. +qmp-example)? *::$/;
const URL_LINE = /^ *(https?|ftp):\/\/[^ ]*$/;
/** A sentence end followed by one space and what starts a sentence; e.g.
 *  and list numbers ('1.') are matched first so that they are skipped.
 *  `\b` and `\d` as Python means them for text. */
const SENTENCE_GAP = /(?<![\p{L}\p{N}_])e\.g\.|^ *\p{Nd}\.|([.!?]) [A-Z0-9(]/gu;
/** What any sentence gap SENTENCE_GAP reports holds: most lines have none,
 *  and this test is much cheaper than walking its matches. */
const MAYBE_SENTENCE_GAP = /[.!?] [A-Z0-9(]/;

/**
 * QEMU 10.2's format rules for doc lines: at most 70 columns, and two
 * spaces between sentences.  Literal blocks ('::' and '.. qmp-example::'
 * and what is indented under them) are exempt; one state per block.
 */
export class LineFormat {
  private literal = false;
  private literalIndent = 0;

  constructor(private readonly active: boolean) {}

  static for(level: LanguageLevel): LineFormat {
    return new LineFormat(level.has('docLineFormat'));
  }

  /** Checks one non-blank line's text (after '# ', trailing space gone). */
  check(text: string, line: DocLineNode): void {
    if (!this.active) return;
    // A literal block's opening ends in '::': most lines are not one, and
    // that is a cheaper test than the pattern.
    if (text.endsWith('::') && LITERAL_START.test(text)) {
      this.literal = true;
      this.literalIndent = 0;
    } else if (this.literal && text !== '') {
      const indent = leadingSpace(text);
      if (this.literalIndent === 0) this.literalIndent = indent;
      else if (indent < this.literalIndent) this.literal = false;
    }
    if (this.literal) return;
    // A line has at most as many characters as UTF-16 units: count them
    // only where the units exceed the limit.
    const width = text.length + 2 > DOC_LINE_LIMIT ? codePointLength(text) + 2 : 0;
    if (width > DOC_LINE_LIMIT && !URL_LINE.test(text)) {
      throw problemAt(line.loc, `this documentation line is ${width} columns long; wrap it at ${DOC_LINE_LIMIT} (only a line holding nothing but a URL may be longer)`);
    }
    if (!MAYBE_SENTENCE_GAP.test(text)) return;
    for (const m of text.matchAll(SENTENCE_GAP)) {
      if (m[1] === undefined) continue;
      // The column just after the punctuation, counted from the start of
      // the line as if the text followed '# ' there.
      const index = codePointLength(text.slice(0, m.index));
      const prefix = [...(line.lead + line.text)].slice(0, 3 + index).join('');
      const loc = { ...line.loc, column: columnAfter(prefix) };
      throw problemAt(loc, `put two spaces after the '${m[1]}' that ends a sentence (if it does not end one, reword the line)`);
    }
  }

  /** The block ends (its closing '##' line). */
  end(): void {
    this.literal = false;
  }
}
