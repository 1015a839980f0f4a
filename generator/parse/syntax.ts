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
import { SourceDocLine } from '../source/doc-block.js';
import { LineMap, type LineSource } from '../source/line-map.js';
import type { Loc } from '../source/location.js';
import { isPythonSpace } from '../source/text.js';
import type { DocBlockNode, RecoveredItems, TopItemNode } from './ast.js';

export interface SyntaxProblem {
  readonly loc: Loc;
  readonly message: string;
  /** Where the trouble began, when that is elsewhere: the start of a
   *  string that lost its closing quote, of a doc comment that was cut. */
  readonly notes?: readonly SyntaxProblem[];
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
    lineSource: { file, text, lineMap } satisfies LineSource,
    DocLine: SourceDocLine,
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
    const lineSource: LineSource = { file, text: prefix, lineMap: new LineMap(prefix) };
    const recovered = parser.parse(prefix, { ...options, lineSource, startRule: 'SchemaPrefix', recovering: true });
    const error: SyntaxProblem =
      e.expected === null
        ? { loc, message: e.message }
        : explainSyntaxError({ text, offset, loc, expected: e.expected, recovered, locate: (at) => lineMap.locate(file, at) });
    const items = adjustLastItem(recovered, !lexesAsToken(text, offset));
    return { items, error, slips: slips.filter((s) => s.loc.offset < offset), lineMap };
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

/** At most this many characters of the file are quoted in a message: a
 *  file included by mistake may hold secrets, or one word of 100 KB. */
const MAX_QUOTED = 32;

/** Text of the file as a message quotes it: cut after a `KEY=` (the value
 *  may be a secret) or at MAX_QUOTED characters, with an ellipsis. */
export function quoteExcerpt(text: string): string {
  const assignment = /^[A-Za-z_][A-Za-z0-9_]*=/.exec(text);
  if (assignment && assignment[0].length < text.length) return `'${assignment[0]}…'`;
  return text.length > MAX_QUOTED ? `'${text.slice(0, MAX_QUOTED)}…'` : `'${text}'`;
}

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
  // Up to the first character that is not printable ASCII, if any.
  const printable = /^[\x21-\x7e]*/.exec(word)![0];
  if (printable !== '') return `stray ${quoteExcerpt(printable)}`;
  // Control characters and binary data: name the first character.
  const code = word.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `the character U+${code}, which has no place in a schema`;
}

/** The order a message names these in, whatever order the grammar tried
 *  them in (a value is tried as a string first, the commonest); anything
 *  else follows them, in the grammar's order. */
const NAMED_FIRST = ['documentation comment', "'{'", "'['", 'string', 'boolean'];

function namedRank(words: string): number {
  const rank = NAMED_FIRST.indexOf(words);
  return rank === -1 ? NAMED_FIRST.length : rank;
}

/** What the grammar expected, in words ("',' or '}'"); null if nothing
 *  worth saying. */
function expectedList(expected: readonly Expectation[]): string | null {
  const described = expected.map(describeExpectation).filter((x): x is string => x !== null);
  const wanted = [...new Set(described)].sort((a, b) => namedRank(a) - namedRank(b));
  if (wanted.length === 0) return null;
  return wanted.length === 1 ? wanted[0]! : `${wanted.slice(0, -1).join(', ')} or ${wanted[wanted.length - 1]}`;
}

function describeSyntaxError(text: string, offset: number, expected: readonly Expectation[]): string {
  const list = expectedList(expected);
  const found = describeFound(text, offset);
  return list === null ? `unexpected ${found}` : `expected ${list}, found ${found}`;
}

interface SyntaxErrorContext {
  readonly text: string;
  readonly offset: number;
  readonly loc: Loc;
  readonly expected: readonly Expectation[];
  /** The items before the error. */
  readonly recovered: RecoveredItems;
  readonly locate: (offset: number) => Loc;
}

/**
 * A syntax error, said the way its cause is best understood.  Where the
 * grammar stopped is where QEMU stops too, and stays the error's place; but
 * what it found there is often the symptom of a mistake made earlier (a
 * string that lost its closing quote, a doc comment cut by a line without
 * '#'), or of a file that is not a schema at all.  Those causes are named,
 * with a note where the string or comment began.
 */
function explainSyntaxError(c: SyntaxErrorContext): SyntaxProblem {
  const kind = c.recovered.items.length === 0 ? fileKind(c.text, c.offset) : null;
  if (kind !== null) {
    return { loc: c.loc, message: `this looks like ${kind}, not a QAPI schema: found ${describeFound(c.text, c.offset)}` };
  }
  const doc = interruptedDoc(c.recovered);
  if (doc !== null) {
    return {
      loc: c.loc,
      message: `a line without '#' interrupts the documentation comment (found ${describeFound(c.text, c.offset)}): begin the line with '#', or close the comment with a '##' line before it`,
      notes: [{ loc: doc.loc, message: 'the documentation comment starts here' }],
    };
  }
  const start = runawayStringStart(c.text, c.offset);
  if (start !== null) {
    const content = c.text.slice(start + 1, c.text.lastIndexOf("'", c.offset - 1));
    const wanted = expectedList(c.expected);
    return {
      loc: c.loc,
      message: `the string ${quoteExcerpt(content)} seems to lack its closing quote: it ran on to the quote that should open the next string, leaving ${describeFound(c.text, c.offset)}${wanted === null ? '' : ` where ${wanted} was expected`}`,
      notes: [{ loc: c.locate(start), message: 'the string starts here' }],
    };
  }
  return { loc: c.loc, message: describeSyntaxError(c.text, c.offset, c.expected) };
}

/** The doc block the error cut short: the last item before the error is a
 *  block without its closing '##', and only blank space follows it. */
function interruptedDoc({ items, rest }: RecoveredItems): DocBlockNode | null {
  const last = items[items.length - 1];
  if (last === undefined || last.kind !== 'doc' || last.end.kind !== 'unterminated') return null;
  return [...rest].every((ch) => isPythonSpace(ch)) ? last : null;
}

/**
 * Where a string that seems to have lost its closing quote starts, or null.
 * Such a string ends at the quote that should have opened the next one,
 * so what follows it is a bare word and then a quote (`'a: 'int'`), or a
 * quote; and it ends the way text between two strings does (a space, ':'
 * or ',').  A string is one line long and holds no quote, so its opening
 * quote is the previous quote on the line.
 */
function runawayStringStart(text: string, offset: number): number | null {
  let end = offset;
  while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  if (end === 0 || text[end - 1] !== "'") return null;
  const lineStart = text.lastIndexOf('\n', end - 1) + 1;
  const start = text.lastIndexOf("'", end - 2);
  if (start < lineStart) return null;
  if (!/[\s:,]$/.test(text.slice(start + 1, end - 1))) return null;
  STRAY_WORD.lastIndex = offset;
  const word = text[offset] === "'" ? '' : (STRAY_WORD.exec(text)?.[0] ?? null);
  return word !== null && text[offset + word.length] === "'" ? start : null;
}

/**
 * What kind of file the text looks like, when not a QAPI schema: judged by
 * its first line with content, where the error stands (a schema starts
 * with a comment, '{' or '[').  Null when it may well be a schema gone
 * wrong.
 */
function fileKind(text: string, offset: number): string | null {
  if (text.slice(0, 8192).includes('\0')) return 'a binary file';
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  if (!isLayout(text.slice(0, lineStart))) return null;
  const line = text.slice(lineStart, (text.indexOf('\n', offset) + 1 || text.length + 1) - 1).trim();
  if (text.startsWith('#!')) return 'a script';
  if (/^(export\s+)?[A-Za-z_][A-Za-z0-9_]*=/.test(line)) return 'a shell environment file (KEY=VALUE lines)';
  if (line.startsWith('<')) return 'XML or HTML';
  if (/^\[[^\]'"]+\]$/.test(line)) return 'an INI file';
  if (line === '---' || /^[A-Za-z_][\w.-]*:(\s|$)/.test(line)) return 'YAML';
  return null;
}
