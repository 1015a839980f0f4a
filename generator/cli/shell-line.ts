/**
 * A line of the shell, read as qmp-shell users type it:
 *
 *   query-version
 *   block-commit device=drive0 top-node=mid speed=1048576 on-error=stop
 *   blockdev-create job-id=c0 options.driver=file options.filename=/tmp/a options.size=1048576
 *   blockdev-add {"driver": "null-co", "node-name": "n0"}
 *   {"execute": "query-block-jobs"}
 *   help block-commit
 *
 * `KEY=VALUE` words build the arguments; a dotted key builds nested
 * objects.  A value is typed by the schema: for a string member it is the
 * text as written, for an integer an exact integer, for a boolean
 * true/false, for an object or array JSON; a quoted value ('...' or "...")
 * is always a string; where the schema says nothing (an unknown member, a
 * member of type any) the text is read as JSON when it is JSON, else kept
 * as a string.  Values in braces or brackets may hold spaces.
 */
import { parseQmpJson } from 'qapi-ts-runtime';
import type { ObjectType, QapiType, SchemaModel } from '../model/types.js';
import { commandOf, typeAt, type Json } from './shell-types.js';

export type ShellInput =
  | { readonly kind: 'empty' }
  | { readonly kind: 'exit' }
  | { readonly kind: 'help'; readonly topic: string | undefined }
  | { readonly kind: 'call'; readonly command: string; readonly args: Record<string, Json> | undefined };

/** A line the shell cannot read; nothing is sent. */
export class ShellInputError extends Error {}

/** One `KEY=VALUE` word, as written. */
export interface Word {
  readonly text: string;
  /** Where it starts in the line. */
  readonly start: number;
  /** Whether it ends with the line (unterminated, still being typed). */
  readonly open: boolean;
}

/**
 * Splits text into words at white space outside quotes and brackets.
 * Unbalanced quotes or brackets leave the last word open, as while typing.
 */
export function splitWords(text: string, offset = 0): Word[] {
  const words: Word[] = [];
  let start = -1;
  let quote: string | null = null;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (start < 0) {
      if (/\s/.test(ch)) continue;
      start = i;
    }
    if (quote !== null) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '{' || ch === '[') depth += 1;
    else if ((ch === '}' || ch === ']') && depth > 0) depth -= 1;
    else if (/\s/.test(ch) && depth === 0) {
      words.push({ text: text.slice(start, i), start: offset + start, open: false });
      start = -1;
    }
  }
  if (start >= 0) words.push({ text: text.slice(start), start: offset + start, open: true });
  return words;
}

/** A quoted value's text, its escapes undone; null when the value is not wholly quoted. */
function unquoted(value: string): string | null {
  const q = value[0];
  if ((q !== '"' && q !== "'") || value.length < 2 || value[value.length - 1] !== q) return null;
  return value.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** The text as JSON when it is JSON, else as a string (qmp-shell's reading). */
function guess(text: string): Json {
  try {
    return parseQmpJson(text);
  } catch {
    return text;
  }
}

function json(key: string, text: string): Json {
  try {
    return parseQmpJson(text);
  } catch (e) {
    throw new ShellInputError(`${key}: the value is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** A value's text as a value of `type` (see the file comment). */
export function typedValue(key: string, text: string, type: QapiType | undefined): Json {
  const quoted = unquoted(text);
  if (quoted !== null) return quoted;
  if (text.startsWith('{') || text.startsWith('[')) return type?.kind === 'builtin' && type.jsonType === 'string' ? text : json(key, text);
  if (type === undefined) return guess(text);
  switch (type.kind) {
    case 'enum':
      return text;
    case 'builtin':
      switch (type.jsonType) {
        case 'string':
          return text;
        case 'int':
        case 'size':
          return INTEGER.test(text) ? parseQmpJson(text) : guess(text);
        case 'number':
          return NUMBER.test(text) ? parseQmpJson(text) : guess(text);
        default:
          return guess(text);
      }
    case 'alternate': {
      // The first branch the text reads as, scalars before strings.
      const kinds = type.variants.variants.map((v) => (v.type.kind === 'builtin' ? v.type.jsonType : v.type.kind));
      if ((text === 'true' || text === 'false') && kinds.includes('boolean')) return text === 'true';
      if (text === 'null' && kinds.includes('null')) return null;
      if (INTEGER.test(text) && kinds.some((k) => k === 'int' || k === 'size' || k === 'number')) return parseQmpJson(text);
      if (NUMBER.test(text) && kinds.includes('number')) return parseQmpJson(text);
      return kinds.some((k) => k === 'string' || k === 'enum') ? text : guess(text);
    }
    default:
      return guess(text);
  }
}

type Tree = Record<string, Json>;

/** Sets `value` at `path`, making objects on the way; a key given twice is an error. */
function place(tree: Tree, path: readonly string[], value: Json, key: string): void {
  let here = tree;
  for (const [i, step] of path.entries()) {
    if (step === '') throw new ShellInputError(`${key}: empty key`);
    if (i === path.length - 1) {
      if (Object.hasOwn(here, step)) throw new ShellInputError(`${key}: given twice`);
      here[step] = value;
      return;
    }
    const next = here[step];
    if (next === undefined) here = here[step] = {};
    else if (typeof next === 'object' && next !== null && !Array.isArray(next)) here = next as Tree;
    else throw new ShellInputError(`${key}: '${path.slice(0, i + 1).join('.')}' is given a value already`);
  }
}

export interface Assignment {
  readonly key: string;
  readonly path: readonly string[];
  readonly text: string;
}

/** The `KEY=VALUE` words of a line, split; a word without `=` is an error. */
export function assignments(words: readonly Word[]): Assignment[] {
  return words.map((w) => {
    const eq = w.text.indexOf('=');
    if (eq <= 0) throw new ShellInputError(`expected KEY=VALUE or a JSON object, got '${w.text}'`);
    const key = w.text.slice(0, eq);
    return { key, path: key.split('.'), text: w.text.slice(eq + 1) };
  });
}

/** The arguments as strings, which is enough to know a union's tag value. */
export function rawArguments(list: readonly Assignment[]): Tree {
  const tree: Tree = {};
  for (const a of list) {
    try {
      place(tree, a.path, unquoted(a.text) ?? a.text, a.key);
    } catch {
      // Reported when the line is read for real.
    }
  }
  return tree;
}

/** The arguments of `KEY=VALUE` words, each value typed by the schema. */
export function buildArguments(root: ObjectType | null, list: readonly Assignment[]): Tree {
  const raw = rawArguments(list);
  const tree: Tree = {};
  for (const a of list) {
    const type = root === null ? undefined : typeAt(root, a.path, raw);
    place(tree, a.path, typedValue(a.key, a.text, type), a.key);
  }
  return tree;
}

function objectArguments(command: string, value: Json): Record<string, Json> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ShellInputError(`${command}: the arguments must be a JSON object`);
  return value as Record<string, Json>;
}

/** `{"execute": NAME, "arguments": {...}}` as QMP has it. */
function rawCommand(line: string): ShellInput {
  const message = json('the line', line);
  if (typeof message !== 'object' || message === null || Array.isArray(message)) throw new ShellInputError('expected a JSON object');
  const { execute, arguments: args, ...rest } = message as Record<string, Json>;
  if (typeof execute !== 'string') throw new ShellInputError(`expected {"execute": COMMAND, "arguments": {...}}, without 'execute'`);
  const extra = Object.keys(rest).filter((k) => k !== 'id');
  if (extra.length > 0) throw new ShellInputError(`unexpected key${extra.length > 1 ? 's' : ''} ${extra.map((k) => `'${k}'`).join(', ')} (the shell sends 'execute' and 'arguments')`);
  return { kind: 'call', command: execute, args: args === undefined ? undefined : objectArguments(execute, args) };
}

/** Reads a line (see the file comment); throws ShellInputError for one it cannot read. */
export function readLine(line: string, model: SchemaModel): ShellInput {
  const text = line.trim();
  if (text === '') return { kind: 'empty' };
  if (text.startsWith('{')) return rawCommand(text);
  const [first, ...rest] = splitWords(text);
  const name = first!.text;
  if (name === 'exit' && rest.length === 0) return { kind: 'exit' };
  if (name === 'help') {
    if (rest.length > 1) throw new ShellInputError('help takes one name: help COMMAND');
    return { kind: 'help', topic: rest[0]?.text };
  }
  if (rest.length === 0) return { kind: 'call', command: name, args: undefined };
  if (rest[0]!.text.startsWith('{')) {
    if (rest.length > 1) throw new ShellInputError(`${name}: after the JSON object, nothing more`);
    return { kind: 'call', command: name, args: objectArguments(name, json(name, rest[0]!.text)) };
  }
  return { kind: 'call', command: name, args: buildArguments(commandOf(model, name)?.argType ?? null, assignments(rest)) };
}
