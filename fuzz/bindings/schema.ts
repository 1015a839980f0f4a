/**
 * Schemas built of hostile names (names.ts): commands of every shape
 * (arguments none, optional, required, a named struct, boxed; a return
 * type; out of band; no reply), types, events and members named as the
 * generated code's own bindings, spread over modules whose names clash in
 * case or punctuation.  Each command comes with a call that its wrapper
 * must send unchanged.  `everyHostileName()` holds every name once (for
 * the test); `randomHostileSchema()` a seeded selection (for the fuzzer).
 */
import type { Rng } from '../random.js';
import { hostileNames, type HostileNames } from './names.js';

export type CommandShape = 'no-args' | 'optional-args' | 'required-args' | 'named-args' | 'boxed' | 'returns' | 'oob' | 'no-reply';
export const COMMAND_SHAPES: readonly CommandShape[] = ['no-args', 'optional-args', 'required-args', 'named-args', 'boxed', 'returns', 'oob', 'no-reply'];

/** A call of one command, and what its wrapper must send. */
export interface Call {
  readonly command: string;
  /** What the call passes (and the transport must receive); undefined: none. */
  readonly args: Readonly<Record<string, string>> | undefined;
  readonly noReply: boolean;
  readonly oob: boolean;
}

export interface HostileSchema {
  /** The schema's files, by name; `root` includes the others. */
  readonly files: ReadonlyMap<string, string>;
  readonly root: string;
  /** The release whose language it is written in. */
  readonly qemuVersion: string;
  readonly calls: readonly Call[];
  /** What it holds, for reports. */
  readonly summary: string;
}

interface Selection {
  readonly commands: readonly (readonly [string, CommandShape])[];
  readonly types: readonly string[];
  readonly events: readonly string[];
  readonly members: readonly string[];
  readonly modules: readonly string[];
}

const q = (s: string): string => `'${s}'`;

/** Member sets are split so that no struct holds two members QAPI's C
 *  names would make one (`a-b` beside `a_b`). */
function memberGroups(members: readonly string[]): string[][] {
  const groups: string[][] = [];
  for (const m of members) {
    const key = m.replace(/-/g, '_');
    const group = groups.find((g) => !g.some((x) => x.replace(/-/g, '_') === key));
    if (group) group.push(m);
    else groups.push([m]);
  }
  return groups;
}

function build(sel: Selection): HostileSchema {
  const root = 'main.json';
  const modules = sel.modules.filter((m) => m !== root);
  const bodies = new Map<string, string[]>([[root, []], ...modules.map((m) => [m, []] as [string, string[]])]);
  const homes = [root, ...modules];
  let next = 0;
  const place = (definition: string): void => {
    bodies.get(homes[next++ % homes.length]!)!.push(definition);
  };

  const exceptions = new Set<string>();
  const groups = memberGroups(sel.members);
  groups.forEach((group, i) => {
    exceptions.add(`HostileMembers${i}`);
    place(`{ 'struct': 'HostileMembers${i}', 'data': { ${group.map((m) => `${q(`*${m}`)}: 'str'`).join(', ')} } }`);
  });
  if (groups.length === 0) place("{ 'struct': 'HostileMembers0', 'data': { '*x': 'str' } }");
  for (const t of sel.types) place(`{ 'struct': ${q(t)}, 'data': { '*v': 'str' } }`);
  for (const e of sel.events) place(`{ 'event': ${q(e)}, 'data': { '*v': 'str' } }`);

  const calls: Call[] = [];
  const commandExceptions: string[] = [];
  sel.commands.forEach(([name, shape], i) => {
    if (name.includes('_')) commandExceptions.push(name);
    const group = groups[i % Math.max(groups.length, 1)] ?? ['x'];
    const named = `HostileMembers${i % Math.max(groups.length, 1)}`;
    const hostileArgs = Object.fromEntries(group.map((m) => [m, `${m}-value`]));
    const call = (args: Record<string, string> | undefined, extra: Partial<Call> = {}): void => {
      calls.push({ command: name, args, noReply: false, oob: false, ...extra });
    };
    switch (shape) {
      case 'no-args':
        place(`{ 'command': ${q(name)} }`);
        call(undefined);
        break;
      case 'optional-args':
        place(`{ 'command': ${q(name)}, 'data': { '*x': 'str' } }`);
        call({ x: 'given' });
        break;
      case 'required-args':
        place(`{ 'command': ${q(name)}, 'data': { 'x': 'str', '*y': 'str' } }`);
        call({ x: 'given' });
        break;
      case 'named-args':
        place(`{ 'command': ${q(name)}, 'data': ${q(named)} }`);
        call(hostileArgs);
        break;
      case 'boxed':
        place(`{ 'command': ${q(name)}, 'data': ${q(named)}, 'boxed': true }`);
        call(hostileArgs);
        break;
      case 'returns':
        place(`{ 'command': ${q(name)}, 'returns': ${q(named)} }`);
        call(undefined);
        break;
      case 'oob':
        place(`{ 'command': ${q(name)}, 'allow-oob': true }`);
        call(undefined, { oob: true });
        break;
      case 'no-reply':
        place(`{ 'command': ${q(name)}, 'success-response': false }`);
        call(undefined, { noReply: true });
        break;
    }
  });

  const pragma = `{ 'pragma': { 'command-name-exceptions': [ ${commandExceptions.map(q).join(', ')} ],\n             'member-name-exceptions': [ ${[...exceptions].map(q).join(', ')} ] } }`;
  const files = new Map<string, string>();
  files.set(root, [pragma, ...modules.map((m) => `{ 'include': ${q(m)} }`), ...bodies.get(root)!].join('\n') + '\n');
  for (const m of modules) files.set(m, bodies.get(m)!.join('\n') + (bodies.get(m)!.length > 0 ? '\n' : ''));
  const summary =
    `${sel.commands.length} commands (${sel.commands.map(([c, s]) => `${c}:${s}`).join(' ')}), types ${sel.types.join(' ') || '-'}, ` +
    `events ${sel.events.join(' ') || '-'}, members ${sel.members.join(' ') || '-'}, modules ${modules.join(' ') || '-'}`;
  return { files, root, qemuVersion: '10.2', calls, summary };
}

/** Every hostile name once; commands take every shape in turn. */
export function everyHostileName(names: HostileNames = hostileNames()): HostileSchema {
  return build({
    commands: names.commands.map((c, i) => [c, COMMAND_SHAPES[i % COMMAND_SHAPES.length]!] as const),
    types: names.types,
    events: names.events,
    members: names.members,
    modules: names.modules,
  });
}

function sample<T>(rng: Rng, items: readonly T[], most: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  for (let n = rng.between(0, Math.min(most, pool.length)); n > 0; n--) out.push(pool.splice(rng.below(pool.length), 1)[0]!);
  return out;
}

/** A seeded selection: a few names of each kind, shapes drawn at random. */
export function randomHostileSchema(rng: Rng, names: HostileNames = hostileNames()): HostileSchema {
  const commands = sample(rng, names.commands, 12).map((c) => [c, rng.pick(COMMAND_SHAPES)] as const);
  if (commands.length === 0) commands.push([rng.pick(names.commands), rng.pick(COMMAND_SHAPES)]);
  return build({
    commands,
    types: sample(rng, names.types, 6),
    events: sample(rng, names.events, 4),
    members: sample(rng, names.members, 10),
    modules: sample(rng, names.modules, 5),
  });
}
