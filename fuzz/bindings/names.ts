/**
 * Hostile names for generated bindings: the QAPI names whose identifiers
 * would be a name the generated code binds itself (a parameter, a type
 * parameter, an import from the runtime, a name of the fixed files, a
 * member of the command class's base, a reserved word), spelled as each
 * kind of definition may spell them.  Everything is read from the
 * generator's own tables, so a name the generator starts binding is a
 * hostile name at once.
 */
import { FIXED_EXPORTS, FIXED_FILES } from '../../generator/emit/naming/fixed-names.js';
import { camelCase, pascalCase, RESERVED_WORDS } from '../../generator/emit/naming/identifiers.js';
import { LOCALS } from '../../generator/emit/naming/local-names.js';
import { reservedMethodNames } from '../../generator/emit/naming/reserved-methods.js';
import { RUNTIME_NAMES } from '../../generator/emit/naming/runtime-names.js';
import { BUILTIN_TYPES } from 'qapi-ts-runtime/type-rules';

/** Every identifier the generated code binds or looks up by itself. */
export function boundIdentifiers(): string[] {
  return [...new Set([...LOCALS, ...RUNTIME_NAMES, ...FIXED_EXPORTS, ...reservedMethodNames(), ...RESERVED_WORDS])].sort();
}

/** QAPI's spelling rules (as QEMU's front end checks them). */
const LOWER = /^[a-z][a-z0-9-]*$/;
const UPPER = /^[A-Z][A-Z0-9_]*$/;
const CAMEL = /^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/;

/** `runCommand` → `run-command`: the command name whose identifier is `id`
 *  (null when no command name has it). */
export function commandNameFor(id: string): string | null {
  const name = id.replace(/[A-Z]/g, (c, at: number) => `${at === 0 ? '' : '-'}${c.toLowerCase()}`);
  return LOWER.test(name) && camelCase(name) === id ? name : null;
}

/** `runCommand` → `RUN_COMMAND`: the event name spelling the same words. */
export function eventNameFor(id: string): string | null {
  const name = id.replace(/[A-Z]/g, (c, at: number) => `${at === 0 ? '' : '_'}${c}`).toUpperCase();
  return UPPER.test(name) ? name : null;
}

/** `runCommand` → `RunCommand`: the type name spelling it, when that is
 *  CamelCase as QAPI wants type names. */
export function typeNameFor(id: string): string | null {
  const name = pascalCase(id);
  return CAMEL.test(name) ? name : null;
}

/** Names that differ from `name` only in the case of one letter. */
export function caseVariants(name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    const flipped = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
    if (flipped !== c) out.push(name.slice(0, i) + flipped + name.slice(i + 1));
  }
  return out;
}

/** The hostile names of each kind, every one of them. */
export interface HostileNames {
  /** Commands: lower case, `-` between words (an `_` one needs the
   *  `command-name-exceptions` pragma). */
  readonly commands: readonly string[];
  readonly types: readonly string[];
  readonly events: readonly string[];
  /** Members (with the `member-name-exceptions` pragma: upper case allowed). */
  readonly members: readonly string[];
  /** Module file names, `.json` included. */
  readonly modules: readonly string[];
}

/** Object.prototype's own names and those JavaScript looks up on any object. */
const OBJECT_NAMES = [...Object.getOwnPropertyNames(Object.prototype), 'then', 'toJSON', 'prototype', 'length', 'name'];

export function hostileNames(): HostileNames {
  const ids = boundIdentifiers();
  const defined = <T>(xs: readonly (T | null)[]): T[] => [...new Set(xs.filter((x): x is T => x !== null))];
  // QAPI's built-in types (`number`, `any`, `null`...) are no names a
  // schema may define.
  const builtin = new Set(Object.keys(BUILTIN_TYPES));
  // Module tables are named after their file (`mainTypes`): commands
  // named like the tables of modules the schemas below have.
  const tables = ['main', 'builtin', 'x', 'index2'].flatMap((stem) => ['types', 'commands', 'events'].map((t) => `${stem}-${t}`));
  const commands = [...defined(ids.map(commandNameFor)).filter((c) => !builtin.has(c)), ...tables];
  // Each two-word command also as its `_` spelling: the same identifier.
  const underscored = commands.filter((c) => c.includes('-')).map((c) => c.replace(/-/g, '_'));
  const types = defined([...ids.map(typeNameFor), ...ids.map((id) => typeNameFor(`${id}Arguments`)), ...ids.map((id) => typeNameFor(`${id}Data`))]);
  const members = defined([...ids, ...OBJECT_NAMES].map((n) => (/^[A-Za-z][A-Za-z0-9]*$/.test(n) ? n : null)));
  const moduleStems = [...FIXED_FILES, 'builtin', ...ids.filter((id) => LOCALS.has(id))];
  const modules = [
    ...moduleStems.flatMap((stem) => [`${stem}.json`, `${stem[0]!.toUpperCase()}${stem.slice(1)}.json`]),
    'X.json',
    'x.json',
    'a-b.json',
    'a_b.json',
    'a.b.json',
    'A-B.json',
    'constructor.json',
    'then.json',
    'default.json',
    '1st.json',
    'sub/index.json',
  ];
  return {
    commands: [...commands, ...underscored],
    types: [...types, ...types.slice(0, 8).flatMap((t) => caseVariants(t).filter((v) => CAMEL.test(v)).slice(0, 2))],
    events: defined([...ids.map(eventNameFor), 'EVENT', 'EVENTS']),
    members: [...members, 'aB', 'ab', 'Ab', 'AB'],
    modules: [...new Set(modules)],
  };
}
