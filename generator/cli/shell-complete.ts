/**
 * Tab completion for the shell, from the schema: the first word completes
 * to a command name (or the shell's own words), the word after `help` to a
 * command or event name, and after a command, `KEY` to the names of its
 * arguments (nested keys after a dot, a union's branch members once its
 * tag is on the line, keys already given left out) and `KEY=VALUE` to the
 * values the member's type allows (enum values, true/false).
 *
 * Returns what readline's completer returns: the candidates, and the part
 * of the line they complete (each candidate starts with it).
 */
import type { QapiType } from '../model/types.js';
import { assignments, rawArguments, splitWords, type Word } from './shell-line.js';
import type { CallSchema } from './qmp-schema.js';
import { commandOf, membersOf, objectOf, typeAt, valueWords, type Json } from './shell-types.js';

export type Completion = [candidates: string[], completing: string];

/** The shell's own words besides the commands. */
export const SHELL_WORDS = ['help', 'exit'] as const;

const startingWith = (prefix: string, names: Iterable<string>): string[] => [...names].filter((n) => n.startsWith(prefix)).sort();

/** What follows a completed key: `.` into an object, `=` before a value. */
function keySuffix(type: QapiType): string {
  return type.kind === 'object' ? '.' : '=';
}

function valueAt(tree: Json, path: readonly string[]): Json {
  let here = tree;
  for (const step of path) here = typeof here === 'object' && here !== null && !Array.isArray(here) ? (here as Record<string, Json>)[step] : undefined;
  return here;
}

export function complete(schema: CallSchema, line: string): Completion {
  const words = splitWords(line);
  const last = words.at(-1);
  // After white space a new word begins, empty so far.
  const current: Word = last !== undefined && last.open ? last : { text: '', start: line.length, open: true };
  const before = words.filter((w) => w !== current);
  if (line.trimStart().startsWith('{')) return [[], current.text];
  if (before.length === 0) return [startingWith(current.text, [...schema.commands, ...SHELL_WORDS]).map((n) => `${n} `), current.text];
  const command = before[0]!.text;
  if (command === 'help') return before.length === 1 ? [startingWith(current.text, [...schema.commands, ...schema.events]), current.text] : [[], current.text];
  const root = commandOf(schema.model, command)?.argType;
  if (root === undefined || root === null || before.slice(1).some((w) => w.text.startsWith('{')) || current.text.startsWith('{')) return [[], current.text];
  let given: ReturnType<typeof assignments>;
  try {
    given = assignments(before.slice(1));
  } catch {
    return [[], current.text];
  }
  const raw = rawArguments(given);
  const eq = current.text.indexOf('=');
  if (eq >= 0) {
    const type = typeAt(root, current.text.slice(0, eq).split('.'), raw);
    const typed = current.text.slice(eq + 1);
    return [type === undefined ? [] : startingWith(typed, new Set(valueWords(type))).map((w) => `${w} `), typed];
  }
  const path = current.text.split('.');
  const prefix = path.pop()!;
  const parent = path.length === 0 ? root : typeAt(root, path, raw);
  const object = parent === undefined ? undefined : objectOf(parent);
  if (object === undefined) return [[], prefix];
  const here = valueAt(raw, path);
  // A member given a value is done; one given members so far may take more.
  const done = (name: string): boolean => {
    const value = typeof here === 'object' && here !== null ? (here as Record<string, Json>)[name] : undefined;
    return value !== undefined && (typeof value !== 'object' || value === null);
  };
  const members = membersOf(object, here).filter((m) => !done(m.name) && m.name.startsWith(prefix));
  return [members.map((m) => `${m.name}${keySuffix(m.type)}`).sort(), prefix];
}
