/**
 * The drift between a set of bindings and the QEMU they talk to: every
 * command and event, and within them every member, enum value and JSON
 * kind, that one side has and the other lacks or describes otherwise.
 * Both sides are TypeRegistry tables (QemuSchema makes QEMU's), walked in
 * parallel from each command's arguments and return and each event's data.
 * Integer widths are not compared: QEMU's SchemaInfo folds them into `int`.
 */
import { child } from './paths.js';
import type { QemuSchema } from './qemu-schema.js';
import { jsonKindOfRef, resolveType, type MemberDescriptor, type TypeDescriptor, type TypeRef } from './tables.js';
import type { BuiltinKind, JsonKind } from './type-rules.js';
import type { TypeRegistry } from './validation.js';

export type DriftKind =
  /** The bindings have it; the QEMU does not. */
  | 'command-missing'
  | 'event-missing'
  | 'member-missing'
  | 'value-missing'
  /** The QEMU has it; the bindings do not. */
  | 'command-added'
  | 'event-added'
  | 'member-added'
  | 'value-added'
  /** The QEMU requires a member the bindings have as optional. */
  | 'now-required'
  /** The QEMU has as optional a member the bindings require. */
  | 'now-optional'
  /** The JSON kinds differ (a string here, an object there). */
  | 'kind';

/** One difference between the bindings and the connected QEMU. */
export interface Drift {
  readonly kind: DriftKind;
  /** The command or event it is in. */
  readonly name: string;
  /** Where in it: `arguments.backing-mask-protocol`, `return[].io-status`,
   *  `data.len`; empty for the command or event as a whole.  A union's
   *  branch shows as `arguments(driver: 'qcow2')`. */
  readonly path: string;
  /** Whether a call the bindings accept may be refused because of it. */
  readonly refusesCalls: boolean;
  /** What differs, in words. */
  readonly message: string;
}

/** What the bindings and a QEMU disagree on. */
export interface SchemaDrift {
  /** The QEMU compared with: its version and package, as its greeting says. */
  readonly qemu: string;
  /** Every difference: the bindings' commands in their order, then the
   *  commands only the QEMU has; then events alike. */
  readonly differences: readonly Drift[];
}

type Direction = 'call' | 'reply';

/** Walks one command's or event's types on both sides. */
class Walk {
  /** Type pairs already compared within this root: a type used in many
   *  places (or recursively) is compared once, at the first place. */
  private readonly seen = new Map<TypeDescriptor | BuiltinKind, Set<TypeDescriptor | BuiltinKind>>();

  constructor(
    private readonly name: string,
    private readonly direction: Direction,
    private readonly out: Drift[],
  ) {}

  private add(kind: DriftKind, path: string, refuses: boolean, message: string): void {
    this.out.push({ kind, name: this.name, path, refusesCalls: refuses && this.direction === 'call', message });
  }

  compare(ours: TypeRef, theirs: TypeRef, path: string): void {
    const a = resolveType(ours);
    const b = resolveType(theirs);
    const pairs = this.seen.get(a) ?? new Set();
    if (pairs.has(b)) return;
    this.seen.set(a, pairs.add(b));
    if (a === 'any' || b === 'any') return;
    if (isAlternate(a) || isAlternate(b)) return this.alternates(a, b, path);
    const [ka, kb] = [jsonKindOfRef(a), jsonKindOfRef(b)];
    if (ka !== kb) {
      this.add('kind', path, true, `the bindings send and expect ${article(ka)}, the QEMU ${article(kb)}`);
      return;
    }
    if (typeof a === 'string' || typeof b === 'string') return;
    if (a.kind === 'enum' && b.kind === 'enum') return this.values(a.values, b.values, path);
    if (a.kind === 'array' && b.kind === 'array') return this.compare(a.element, b.element, `${path}[]`);
    if (a.kind === 'object' && b.kind === 'object') return this.objects(a, b, path);
  }

  /** The members of two objects, then the branches both unions have. */
  objects(a: TypeDescriptor & { kind: 'object' }, b: TypeDescriptor & { kind: 'object' }, path: string): void {
    this.members(a.members, b.members, path);
    if (a.tag === undefined || b.tag === undefined) return;
    for (const [value, ours] of a.cases ?? []) {
      const theirs = b.cases?.find(([v]) => v === value)?.[1];
      const x = resolveType(ours);
      const y = theirs === undefined ? undefined : resolveType(theirs);
      if (typeof x === 'object' && x.kind === 'object' && typeof y === 'object' && y.kind === 'object') {
        this.members(x.members, y.members, `${path}(${a.tag}: '${value}')`);
      }
    }
  }

  members(ours: readonly MemberDescriptor[], theirs: readonly MemberDescriptor[], path: string): void {
    for (const [name, type, optional] of ours) {
      const at = child(path, name);
      const match = theirs.find(([n]) => n === name);
      if (match === undefined) {
        this.add('member-missing', at, true, 'the QEMU has no such member');
        continue;
      }
      if (optional === true && match[2] !== true)
        this.add('now-required', at, true, 'the QEMU requires this member; the bindings have it as optional');
      if (optional !== true && match[2] === true)
        this.add('now-optional', at, false, 'the QEMU has this member as optional; the bindings require it');
      this.compare(type, match[1], at);
    }
    for (const [name, , optional] of theirs) {
      if (ours.some(([n]) => n === name)) continue;
      const required = optional !== true;
      this.add(
        'member-added',
        child(path, name),
        required,
        required ? 'the QEMU requires a member the bindings lack' : 'the QEMU has a member the bindings lack',
      );
    }
  }

  values(ours: readonly string[], theirs: readonly string[], path: string): void {
    for (const v of ours) if (!theirs.includes(v)) this.add('value-missing', path, true, `the QEMU has no value '${v}'`);
    for (const v of theirs) if (!ours.includes(v)) this.add('value-added', path, false, `the QEMU has a value the bindings lack: '${v}'`);
  }

  /** An alternate on either side: each branch of ours against theirs of the same JSON kind. */
  alternates(a: TypeDescriptor | BuiltinKind, b: TypeDescriptor | BuiltinKind, path: string): void {
    for (const [ours, kind] of branches(a)) {
      const theirs = branches(b).find(([, k]) => k === kind);
      if (theirs === undefined) this.add('kind', path, true, `the QEMU takes no ${kindName(kind)} here`);
      else if (ours !== null && theirs[0] !== null) this.compare(ours, theirs[0], path);
    }
  }
}

function isAlternate(d: TypeDescriptor | BuiltinKind): boolean {
  return typeof d === 'object' && d.kind === 'alternate';
}

/** The branches of an alternate, or the one type that is not, each with its JSON kind. */
function branches(d: TypeDescriptor | BuiltinKind): [type: TypeRef | null, kind: JsonKind | null][] {
  if (typeof d === 'string' || d.kind !== 'alternate') return [[null, jsonKindOfRef(d)]];
  return d.branches.map((b) => [b, jsonKindOfRef(b)]);
}

function kindName(kind: JsonKind | null): string {
  return kind === null ? 'value of any kind' : kind;
}

function article(kind: JsonKind | null): string {
  if (kind === null) return 'values of several kinds';
  return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;
}

/** Every difference between the bindings and the QEMU's schema. */
export function compareSchemas(bindings: TypeRegistry<unknown, unknown, unknown>, qemu: QemuSchema, identity: string): SchemaDrift {
  const theirs = qemu.registry;
  const out: Drift[] = [];
  const whole = (kind: DriftKind, name: string, refuses: boolean, message: string): void => {
    out.push({ kind, name, path: '', refusesCalls: refuses, message });
  };
  for (const name of bindings.commandNames()) {
    const ours = bindings.command(name)!;
    const info = theirs.command(name);
    if (info === undefined) {
      whole('command-missing', name, true, 'the QEMU has no such command');
      continue;
    }
    const call = new Walk(name, 'call', out);
    if (ours.args !== null && info.args !== null) call.compare(ours.args, info.args, 'arguments');
    else if (info.args !== null) {
      const d = resolveType(info.args);
      if (typeof d === 'object' && d.kind === 'object') call.members([], d.members, 'arguments');
    }
    if (ours.returns !== null && info.returns !== null) new Walk(name, 'reply', out).compare(ours.returns, info.returns, 'return');
  }
  for (const name of theirs.commandNames()) {
    if (bindings.command(name) === undefined) whole('command-added', name, false, 'the bindings have no such command');
  }
  for (const name of bindings.eventNames()) {
    const data = theirs.event(name);
    if (data === undefined) {
      whole('event-missing', name, false, 'the QEMU has no such event');
      continue;
    }
    const ours = bindings.event(name);
    if (ours !== null && ours !== undefined && data !== null) new Walk(name, 'reply', out).compare(ours, data, 'data');
  }
  for (const name of theirs.eventNames()) {
    if (bindings.event(name) === undefined) whole('event-added', name, false, 'the bindings have no such event');
  }
  return { qemu: identity, differences: out };
}
