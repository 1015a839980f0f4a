/**
 * The argument objects of the fidelity measurement (issue 18, must show 2):
 * for each command chosen, a few valid argument objects (written here:
 * their values name things the daemon has or lacks, see
 * fidelity-state.mjs), and mutations of them made from the schema itself
 * (the bindings' descriptor of the command's arguments):
 *
 * - missing: each required member left out;
 * - unknown: a member the type lacks, at the top and in a nested object;
 * - type: each member given a value of a JSON kind its type refuses;
 * - range: each integer member given a value just outside its type's range
 *   (and, for the 64-bit ones, beyond 64 bits; a negative uint64 too);
 * - enum: each enum member given a value the enum lacks;
 * - branch: in a union, a member of another branch, or the tag switched
 *   to another branch with the members of the first.
 *
 * Cases come in a fixed order; names that must not repeat (a node
 * added, a chardev) carry the case's number, so QEMU's state and the
 * peer's evolve alike.
 */
import { resolveType, type MemberDescriptor, type TypeDescriptor, type TypeRef } from '../../../runtime/tables.js';
import { findBuiltinType, jsonKindOfType, type JsonKind } from '../../../runtime/type-rules.js';
import type { TypeRegistry } from 'qapi-ts-runtime';

export type Args = Record<string, unknown> | undefined;
export type MutationKind = 'valid' | 'missing' | 'unknown' | 'type' | 'range' | 'enum' | 'branch';

export interface FidelityCase {
  readonly index: number;
  readonly command: string;
  readonly kind: MutationKind;
  /** What was done to the valid object, for messages. */
  readonly what: string;
  readonly args: Args;
}

/** The valid objects of each command; `n` is unique to the case. */
export const VALID: Readonly<Record<string, readonly ((n: number) => Args)[]>> = {
  'query-blockstats': [() => ({}), () => ({ 'query-nodes': true }), () => ({ 'query-nodes': false })],
  'query-named-block-nodes': [() => ({}), () => ({ flat: true })],
  'qom-list-types': [() => ({}), () => ({ implements: 'iothread' }), () => ({ implements: 'no-such-type', abstract: true })],
  'qom-list': [() => ({ path: '/objects' }), () => ({ path: '/no/such/path' })],
  'qom-get': [() => ({ path: '/objects', property: 'type' }), () => ({ path: '/no/such/path', property: 'type' }), () => ({ path: '/objects', property: 'no-such-property' })],
  'qom-set': [() => ({ path: '/no/such/path', property: 'x', value: 1 }), () => ({ path: '/objects', property: 'no-such-property', value: 'v' })],
  'block-job-set-speed': [() => ({ device: 'job0', speed: 0 }), () => ({ device: 'job0', speed: 1024 })],
  'block-job-cancel': [() => ({ device: 'job0' }), () => ({ device: 'job0', force: true })],
  'block-job-pause': [() => ({ device: 'job0' })],
  'block-job-complete': [() => ({ device: 'job0' })],
  'block-job-dismiss': [() => ({ id: 'job0' })],
  'block-job-change': [() => ({ id: 'job0', type: 'mirror', 'copy-mode': 'write-blocking' }), () => ({ id: 'job0', type: 'commit' })],
  'job-pause': [() => ({ id: 'job0' })],
  'job-cancel': [() => ({ id: 'job0' })],
  'job-finalize': [() => ({ id: 'job0' })],
  'block-dirty-bitmap-add': [
    (n) => ({ node: 'node0', name: `bitmap${n}` }),
    (n) => ({ node: 'node0', name: `bitmap${n}`, granularity: 65536, disabled: true }),
    () => ({ node: 'no-such-node', name: 'bitmap' }),
  ],
  'block-dirty-bitmap-remove': [() => ({ node: 'node0', name: 'no-such-bitmap' }), () => ({ node: 'no-such-node', name: 'bitmap' })],
  'block-dirty-bitmap-merge': [() => ({ node: 'node0', target: 'no-such-bitmap', bitmaps: ['bitmap', { node: 'node0', name: 'other' }] })],
  block_resize: [() => ({ 'node-name': 'no-such-node', size: 1048576 }), () => ({ device: 'no-such-device', size: 0 })],
  'block-set-write-threshold': [() => ({ 'node-name': 'node0', 'write-threshold': 1048576 }), () => ({ 'node-name': 'no-such-node', 'write-threshold': 0 })],
  'block-commit': [() => ({ device: 'no-such-device' }), (n) => ({ 'job-id': `commit${n}`, device: 'no-such-device', speed: 10, 'on-error': 'report' })],
  'block-stream': [() => ({ device: 'no-such-device' }), (n) => ({ 'job-id': `stream${n}`, device: 'no-such-device', 'on-error': 'stop', 'auto-dismiss': false })],
  'blockdev-add': [(n) => ({ driver: 'null-co', 'node-name': `null${n}` }), (n) => ({ driver: 'null-aio', 'node-name': `null${n}`, size: 1048576, 'read-zeroes': true })],
  'blockdev-del': [() => ({ 'node-name': 'no-such-node' })],
  'chardev-add': [(n) => ({ id: `chardev${n}`, backend: { type: 'null', data: {} } }), (n) => ({ id: `chardev${n}`, backend: { type: 'ringbuf', data: { size: 4096 } } })],
  'chardev-remove': [() => ({ id: 'no-such-chardev' })],
  'ringbuf-write': [() => ({ device: 'no-such-chardev', data: 'x' }), () => ({ device: 'no-such-chardev', data: 'eA==', format: 'base64' })],
  'ringbuf-read': [() => ({ device: 'no-such-chardev', size: 10 })],
  'object-add': [(n) => ({ 'qom-type': 'iothread', id: `iothread${n}` }), (n) => ({ 'qom-type': 'iothread', id: `iothread${n}`, 'poll-max-ns': 1000 })],
  'object-del': [() => ({ id: 'no-such-object' })],
  transaction: [() => ({ actions: [] }), () => ({ actions: [{ type: 'abort', data: {} }] }), () => ({ actions: [{ type: 'block-dirty-bitmap-add', data: { node: 'no-such-node', name: 'b' } }] })],
  'x-blockdev-set-iothread': [() => ({ 'node-name': 'no-such-node', iothread: null }), () => ({ 'node-name': 'no-such-node', iothread: 'iothread0' })],
  'nbd-server-stop': [() => undefined],
  qmp_capabilities: [() => undefined, () => ({ enable: ['oob'] })],
  'query-version': [() => undefined],
  'query-jobs': [() => undefined],
};

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

type Member = MemberDescriptor;

/** The members an object value has by its type: its own, and its union branch's. */
function membersOf(d: TypeDescriptor & { kind: 'object' }, value: Record<string, unknown>): readonly Member[] {
  if (d.tag === undefined) return d.members;
  const branch = d.cases?.find(([v]) => v === value[d.tag!])?.[1];
  const b = branch === undefined ? undefined : resolveType(branch);
  return typeof b === 'object' && b.kind === 'object' ? [...d.members, ...membersOf(b, value)] : d.members;
}

/** JSON values of each kind, for wrong types. */
const OF_KIND: Readonly<Record<JsonKind, unknown>> = { string: 'text', number: 42, boolean: true, null: null, object: { x: 1 }, array: [1] };

/** The JSON kinds a type takes (all, for `any`). */
function kindsOf(ref: TypeRef): JsonKind[] {
  const d = resolveType(ref);
  if (typeof d === 'object' && d.kind === 'alternate') return d.branches.flatMap(kindsOf);
  const kind = jsonKindOfType(typeof d === 'string' ? { kind: 'builtin', name: d } : d);
  return kind === null ? ['string', 'number', 'boolean', 'null', 'object', 'array'] : [kind];
}

/** Values just outside an integer type's range. */
function outOfRange(kind: string): bigint[] {
  const range = findBuiltinType(kind)?.range;
  if (range === undefined) return [];
  const [min, max] = range;
  const out = [max + 1n];
  if (min < 0n) out.push(min - 1n);
  else out.push(-1n);
  if (max === 2n ** 64n - 1n) out.push(-(2n ** 63n) - 1n);
  return out;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Every mutation of one valid object. */
function mutations(ref: TypeRef, valid: Record<string, unknown>): { kind: MutationKind; what: string; args: Record<string, unknown> }[] {
  const out: { kind: MutationKind; what: string; args: Record<string, unknown> }[] = [];
  const d = resolveType(ref);
  if (typeof d !== 'object' || d.kind !== 'object') return out;
  const members = membersOf(d, valid);
  for (const [name, , optional] of members) {
    if (optional || !Object.hasOwn(valid, name)) continue;
    const args = clone(valid);
    delete args[name];
    out.push({ kind: 'missing', what: `without ${name}`, args });
  }
  out.push({ kind: 'unknown', what: 'an unknown member', args: { ...clone(valid), 'no-such-member': 1 } });
  for (const [name, type, optional] of members) {
    const present = Object.hasOwn(valid, name);
    const takes = kindsOf(type);
    const wrong = (['string', 'number', 'boolean', 'object', 'array', 'null'] as JsonKind[]).find((k) => !takes.includes(k));
    if (wrong !== undefined && (present || optional)) out.push({ kind: 'type', what: `${name} as ${wrong}`, args: { ...clone(valid), [name]: OF_KIND[wrong] } });
    const t = resolveType(type);
    if (typeof t === 'string') {
      for (const v of outOfRange(t)) out.push({ kind: 'range', what: `${name} = ${v} (${t})`, args: { ...clone(valid), [name]: v } });
    } else if (t.kind === 'enum' && name !== d.tag) {
      out.push({ kind: 'enum', what: `${name} not in its enum`, args: { ...clone(valid), [name]: 'no-such-value' } });
    } else if (t.kind === 'object' && present && isPlain(valid[name])) {
      // One level down: an unknown member, and the nested union's branches.
      out.push({ kind: 'unknown', what: `an unknown member in ${name}`, args: { ...clone(valid), [name]: { ...clone(valid[name] as Record<string, unknown>), 'no-such-member': 1 } } });
      for (const m of branchMutations(t, valid[name] as Record<string, unknown>)) out.push({ ...m, what: `${name}: ${m.what}`, args: { ...clone(valid), [name]: m.args } });
    } else if (t.kind === 'array' && present && Array.isArray(valid[name]) && (valid[name] as unknown[]).length > 0) {
      const e = resolveType(t.element);
      const first = (valid[name] as unknown[])[0];
      if (typeof e === 'object' && e.kind === 'object' && isPlain(first)) {
        for (const m of branchMutations(e, first)) out.push({ ...m, what: `${name}[0]: ${m.what}`, args: { ...clone(valid), [name]: [m.args, ...(valid[name] as unknown[]).slice(1)] } });
      }
    }
  }
  if (d.tag !== undefined) {
    out.push({ kind: 'enum', what: `tag ${d.tag} not in its enum`, args: { ...clone(valid), [d.tag]: 'no-such-value' } });
    out.push(...branchMutations(d, valid));
  }
  return out;
}

/** A union value's wrong branches: another branch's member added, the tag switched. */
function branchMutations(d: TypeDescriptor & { kind: 'object' }, valid: Record<string, unknown>): { kind: MutationKind; what: string; args: Record<string, unknown> }[] {
  if (d.tag === undefined || d.cases === undefined) return [];
  const tag = d.tag;
  const own = new Set(membersOf(d, valid).map(([n]) => n));
  const out: { kind: MutationKind; what: string; args: Record<string, unknown> }[] = [];
  // A member only another branch has (of the first such branch), as a string.
  for (const [value, type] of d.cases) {
    if (value === valid[tag]) continue;
    const b = resolveType(type);
    if (typeof b !== 'object' || b.kind !== 'object') continue;
    const foreign = b.members.find(([n]) => !own.has(n));
    if (foreign === undefined) continue;
    out.push({ kind: 'branch', what: `member ${foreign[0]} of branch ${value}`, args: { ...clone(valid), [foreign[0]]: 'x' } });
    break;
  }
  // The tag of another branch that requires a member this value lacks.
  for (const [value] of d.cases) {
    if (value === valid[tag]) continue;
    const switched = { ...clone(valid), [tag]: value };
    const required = membersOf(d, switched).filter(([n, , o]) => !o && !Object.hasOwn(switched, n));
    if (required.length === 0) continue;
    out.push({ kind: 'branch', what: `tag switched to ${value}`, args: switched });
    break;
  }
  return out;
}

/** Every case, in order: each valid object, then its mutations. */
export function fidelityCases(registry: TypeRegistry): FidelityCase[] {
  const cases: FidelityCase[] = [];
  let n = 0;
  for (const [command, makers] of Object.entries(VALID)) {
    const info = registry.command(command);
    if (info === undefined) throw new Error(`fidelity: ${command} is not a command of the schema`);
    for (const make of makers) {
      const index = n++;
      const valid = make(index);
      cases.push({ index, command, kind: 'valid', what: 'valid', args: valid });
      const ref = info.args;
      if (ref === null) {
        cases.push({ index: n++, command, kind: 'unknown', what: 'an argument to a command taking none', args: { 'no-such-member': 1 } });
        continue;
      }
      // Each mutation made again from a valid object of its own number, so
      // that names that must not repeat are its own.
      const list = mutations(ref, valid ?? {});
      list.forEach((m, j) => {
        const own = n++;
        const made = mutations(ref, make(own) ?? {})[j]!;
        cases.push({ index: own, command, kind: m.kind, what: m.what, args: made.args });
      });
    }
  }
  return cases;
}
