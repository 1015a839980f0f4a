/**
 * JSON files a user writes or keeps (qapi-ts.config.json, a captured
 * query-qmp-schema reply): parsed by JSON.parse, and when that fails, the
 * failure located by line and column and said the same way under every
 * Node release.  JSON.parse's own messages differ between releases and,
 * since Node 22, often name no position at all; lossless-json's parser
 * (already qapi-ts's, for exact integers) names the offset, which becomes a
 * line and a column as editors and TypeScript count them for JSON: a TAB
 * is one column (QEMU's own rule for TABs, line-map.ts, is for schema files).
 */
import { parse as parseLossless } from 'lossless-json';

/** Text that is not JSON: what is wrong, and where (1-based). */
export class JsonTextError extends Error {
  constructor(
    /** What is wrong, without the place. */
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${line}:${column}: ${reason}`);
    this.name = 'JsonTextError';
  }
}

/**
 * Mistakes people make writing JSON by hand, told by the character at
 * fault and the one before it: a hint said after the parser's reason.
 */
const HINTS: readonly { readonly at: RegExp; readonly before?: RegExp; readonly hint: string }[] = [
  { at: /^[}\]]$/, before: /,$/, hint: 'JSON allows no comma before a closing bracket' },
  { at: /^\/$/, hint: 'JSON has no comments' },
  { at: /^'$/, hint: "JSON strings are quoted with \", not '" },
];

/** Parses JSON text; throws JsonTextError, located, when it is not JSON. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw locateJsonError(text, e);
  }
}

/** Where and why JSON.parse refused `text`. */
function locateJsonError(text: string, parseError: unknown): JsonTextError {
  let offset: number | undefined;
  let reason: string;
  try {
    // Numbers are left as text: only the syntax is of interest here.
    parseLossless(text, undefined, { parseNumber: (digits) => digits, onDuplicateKey: ({ newValue }) => newValue });
    // Both parsers are to agree on what JSON is; should they not, the
    // failure is still reported, at the start of the file.
    reason = parseError instanceof Error ? parseError.message : String(parseError);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const position = / at position (\d+)$/.exec(message);
    offset = position ? Number(position[1]) : undefined;
    reason = position ? message.slice(0, position.index) : message;
  }
  const at = offset ?? 0;
  const lineStart = at === 0 ? 0 : text.lastIndexOf('\n', at - 1) + 1;
  const line = text.slice(0, lineStart).split('\n').length;
  // Characters, not UTF-16 units: 'é' or an emoji is one column.
  const column = [...text.slice(lineStart, at)].length + 1;
  const before = text.slice(0, at).trimEnd();
  const hint = HINTS.find((h) => h.at.test(text.charAt(at)) && (h.before === undefined || h.before.test(before)));
  return new JsonTextError(`not valid JSON: ${reason}${hint ? ` (${hint.hint})` : ''}`, line, column);
}
