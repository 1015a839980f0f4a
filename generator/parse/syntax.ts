/**
 * Runs the peggy grammar over one file's text.
 *
 * A syntax error does not discard what precedes it: the items before the
 * error are recovered (by re-parsing the text up to the error), so that the
 * reader can judge them first and report errors in file order, as QEMU does.
 */
import * as built from '../../grammar/parser.js';
import type { Expectation } from '../../grammar/parser.js';
import type { LanguageLevel } from '../source/language.js';
import { LineMap } from '../source/line-map.js';
import type { Loc } from '../source/location.js';
import { isPythonSpace } from '../source/text.js';
import type { RecoveredItems, TopItemNode } from './ast.js';

export interface SyntaxProblem {
  readonly loc: Loc;
  readonly message: string;
}

export interface ParsedText {
  /** Every complete top-level item before the first syntax error. */
  readonly items: readonly TopItemNode[];
  readonly error: SyntaxProblem | null;
  /** Slips the grammar tolerated (rules missingCommaSlip, trailingCommaSlip,
   *  unopenedDocSlip), each located. */
  readonly slips: readonly SyntaxProblem[];
  /** Lines and columns of the text. */
  readonly lineMap: LineMap;
}

/** A parser compiled from grammar/qapi.peggy: the build's, unless a test
 *  compares it with another compilation (test/project/grammar-build.test.ts). */
export interface SchemaParser {
  readonly parse: typeof built.parse;
  readonly SyntaxError: typeof built.SyntaxError;
}

/** Parses a file's text (with '\n' line ends only; see the reader) in the
 *  language of `level`. */
export function parseText(text: string, file: string, level: LanguageLevel, parser: SchemaParser = built): ParsedText {
  const slips: SyntaxProblem[] = [];
  const lineMap = new LineMap(text);
  const options = {
    grammarSource: file,
    slips: {
      missingComma: level.has('missingCommaSlip'),
      trailingComma: level.has('trailingCommaSlip'),
      unopenedDoc: level.has('unopenedDocSlip'),
    },
    lineMap,
    isSpace: isPythonSpace,
    onSlip: (message: string, loc: Loc) => slips.push({ message, loc }),
  };
  try {
    const items = parser.parse(text, { ...options, startRule: 'Schema' });
    return { items, error: null, slips, lineMap };
  } catch (e) {
    if (!(e instanceof parser.SyntaxError)) throw e;
    const offset = Math.min(e.location.start.offset, text.length - 1);
    const { line, column } = lineMap.position(offset);
    const loc: Loc = { file, line, column, offset };
    const prefix = text.slice(0, offset);
    const recovered = parser.parse(prefix, { ...options, lineMap: new LineMap(prefix), startRule: 'SchemaPrefix', recovering: true });
    const message = e.expected === null ? e.message : describeSyntaxError(text, offset, e.expected);
    const items = adjustLastItem(recovered, !lexesAsToken(text, offset));
    return { items, error: { loc, message }, slips: slips.filter((s) => s.loc.offset < offset), lineMap };
  }
}

/** Only whitespace and plain comments: QEMU reads past them to the next
 *  token. */
function isLayout(text: string): boolean {
  return text.split('\n').every((line) => {
    const rest = [...line].filter((c) => !isPythonSpace(c)).join('');
    return rest === '' || rest.startsWith('#');
  });
}

/**
 * How the syntax error bears on the item just before it, when nothing but
 * layout lies between them:
 * - a documentation block still open there was cut short by the error,
 *   which is what QEMU reports (not the missing end of the block);
 * - when the error is lexical (QEMU's lexer cannot read the token), QEMU
 *   raises it while reading ahead past the item, before it handles the
 *   item: a directive is not obeyed nor a definition's comment checked,
 *   and from 9.0 on a doc block's end is not checked either.
 */
function adjustLastItem({ items, rest }: RecoveredItems, lexical: boolean): TopItemNode[] {
  const last = items[items.length - 1];
  if (last === undefined || !isLayout(rest)) return items;
  const others = items.slice(0, -1);
  if (last.kind === 'doc') {
    if (last.end.kind === 'unterminated') return [...others, { ...last, end: { kind: 'cut' } }];
    if (lexical) return [...others, { ...last, nextTokenInvalid: true }];
    return items;
  }
  return lexical ? others : items;
}

/** Whether a token QEMU's lexer can read starts at `offset`: punctuation,
 *  a comment, 'true', 'false' or a well-formed string.  A syntax error
 *  anywhere else is a lexical error, which QEMU raises as soon as it reads
 *  that far. */
function lexesAsToken(text: string, offset: number): boolean {
  const ch = text[offset];
  if (ch === undefined || '{}[]:,#'.includes(ch)) return true;
  if (text.startsWith('true', offset) || text.startsWith('false', offset)) return true;
  if (ch !== "'") return false;
  for (let i = offset + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") return true;
    if (c === '\\') {
      if (text[i + 1] !== '\\') return false;
      i++;
    } else if (c < ' ' || c > '~') {
      return false;
    }
  }
  return false;
}

const STRAY_WORD = /[^[\]{}:,\s'"]+/y;

/** Words the message uses for what the grammar expected. */
function describeExpectation(e: Expectation): string | null {
  if (e.type === 'literal') return `'${e.text}'`;
  if (e.type === 'other' && e.description !== 'whitespace') return e.description;
  return null;
}

function describeFound(text: string, offset: number): string {
  if (offset >= text.length - 1 && text.slice(offset).trim() === '') return 'the end of the file';
  if (text.startsWith('##', offset)) return "a documentation comment ('##')";
  const ch = text[offset] ?? '';
  if (ch === '"') return "'\"' (strings take single quotes)";
  if ('{}[]:,\''.includes(ch)) return `'${ch}'`;
  if (text.startsWith('true', offset)) return "'true'";
  if (text.startsWith('false', offset)) return "'false'";
  STRAY_WORD.lastIndex = offset;
  const word = STRAY_WORD.exec(text)?.[0] ?? ch;
  if (/^[\x21-\x7e]+$/.test(word)) return `stray '${word}'`;
  // Control characters and binary data: name the first character.
  const code = word.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `the character U+${code}, which has no place in a schema`;
}

function describeSyntaxError(text: string, offset: number, expected: readonly Expectation[]): string {
  const wanted = [...new Set(expected.map(describeExpectation).filter((x): x is string => x !== null))];
  const found = describeFound(text, offset);
  if (wanted.length === 0) return `unexpected ${found}`;
  const list =
    wanted.length === 1 ? wanted[0] : `${wanted.slice(0, -1).join(', ')} or ${wanted[wanted.length - 1]}`;
  return `expected ${list}, found ${found}`;
}
