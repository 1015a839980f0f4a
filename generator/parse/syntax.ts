/**
 * Runs the peggy grammar over one file's text.
 *
 * A syntax error does not discard what precedes it: the items before the
 * error are recovered (by re-parsing the text up to the error), so that the
 * reader can judge them first and report errors in file order, as QEMU does.
 */
import { parse, SyntaxError as PeggySyntaxError, type Expectation } from '../../grammar/parser.js';
import { LineMap } from '../source/line-map.js';
import type { Loc } from '../source/location.js';
import { isPythonSpace } from '../source/text.js';
import type { DocBlockNode, TopItemNode } from './ast.js';

export interface SyntaxProblem {
  readonly loc: Loc;
  readonly message: string;
}

export interface ParsedText {
  /** Every complete top-level item before the first syntax error. */
  readonly items: readonly TopItemNode[];
  readonly error: SyntaxProblem | null;
  /** Legacy-mode slips the grammar tolerated, each located. */
  readonly slips: readonly SyntaxProblem[];
  /** Lines and columns of the text. */
  readonly lineMap: LineMap;
}

/** Parses a file's text (with '\n' line ends only; see the reader). */
export function parseText(text: string, file: string, legacy: boolean): ParsedText {
  const slips: SyntaxProblem[] = [];
  const lineMap = new LineMap(text);
  const options = {
    grammarSource: file,
    legacy,
    lineMap,
    isSpace: isPythonSpace,
    onLegacySlip: (message: string, loc: Loc) => slips.push({ message, loc }),
  };
  try {
    const items = parse(text, { ...options, startRule: 'Schema' });
    return { items, error: null, slips, lineMap };
  } catch (e) {
    if (!(e instanceof PeggySyntaxError)) throw e;
    const offset = Math.min(e.location.start.offset, text.length - 1);
    const { line, column } = lineMap.position(offset);
    const loc: Loc = { file, line, column, offset };
    const prefix = text.slice(0, offset);
    const items = parse(prefix, { ...options, lineMap: new LineMap(prefix), startRule: 'SchemaPrefix', recovering: true });
    const message = e.expected === null ? e.message : describeSyntaxError(text, offset, e.expected);
    return { items: markCut(items, prefix), error: { loc, message }, slips: slips.filter((s) => s.loc.offset < offset), lineMap };
  }
}

/** A documentation block still open where the recovered text stops was cut
 *  short by the syntax error: QEMU reports that error there, not the
 *  missing end of the block. */
function markCut(items: TopItemNode[], prefix: string): TopItemNode[] {
  const last = items[items.length - 1];
  if (last?.kind !== 'doc' || last.end.kind !== 'unterminated') return items;
  const lastLine = last.lines[last.lines.length - 1] ?? last.open;
  const rest = prefix.slice(lastLine.loc.offset + lastLine.text.length);
  if (![...rest].every(isPythonSpace)) return items;
  const cut: DocBlockNode = { ...last, end: { kind: 'cut' } };
  return [...items.slice(0, -1), cut];
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
