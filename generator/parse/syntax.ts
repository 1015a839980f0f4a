/**
 * Runs the peggy grammar over one file's text.
 *
 * A syntax error does not discard what precedes it: the items before the
 * error are recovered (by re-parsing the text up to the error), so that the
 * reader can judge them first and report errors in file order, as QEMU does.
 */
import { parse, SyntaxError as PeggySyntaxError, type PeggyExpectation } from '../../grammar/parser.js';
import type { Loc, TopItemNode } from './ast.js';

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
}

export function parseText(text: string, file: string, legacy: boolean): ParsedText {
  const slips: SyntaxProblem[] = [];
  const options = {
    grammarSource: file,
    legacy,
    onLegacySlip: (message: string, loc: Loc) => slips.push({ message, loc }),
  };
  try {
    const items = parse(text, { ...options, startRule: 'Schema' }) as TopItemNode[];
    return { items, error: null, slips };
  } catch (e) {
    if (!(e instanceof PeggySyntaxError)) throw e;
    const offset = Math.min(e.location.start.offset, text.length - 1);
    const loc = locationOf(text, file, offset);
    const items = parse(text.slice(0, offset), { ...options, startRule: 'SchemaPrefix', recovering: true }) as TopItemNode[];
    const message = e.expected === null ? e.message : describeSyntaxError(text, offset, e.expected);
    return { items, error: { loc, message }, slips: slips.filter((s) => s.loc.offset < offset) };
  }
}

function locationOf(text: string, file: string, offset: number): Loc {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < lineStart; i = text.indexOf('\n', i + 1)) line++;
  let column = 1;
  for (let i = lineStart; i < offset; i++) {
    column = text.charCodeAt(i) === 9 ? ((column + 7) & ~7) + 1 : column + 1;
  }
  return { file, line, column, offset };
}

const STRAY_WORD = /[^[\]{}:,\s'"]+/y;

/** Words the message uses for what the grammar expected. */
function describeExpectation(e: PeggyExpectation): string | null {
  if (e.type === 'literal') return `'${e.text}'`;
  if (e.type === 'other' && e.description !== 'whitespace') return e.description ?? null;
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

function describeSyntaxError(text: string, offset: number, expected: readonly PeggyExpectation[]): string {
  const wanted = [...new Set(expected.map(describeExpectation).filter((x): x is string => x !== null))];
  const found = describeFound(text, offset);
  if (wanted.length === 0) return `unexpected ${found}`;
  const list =
    wanted.length === 1 ? wanted[0] : `${wanted.slice(0, -1).join(', ')} or ${wanted[wanted.length - 1]}`;
  return `expected ${list}, found ${found}`;
}
