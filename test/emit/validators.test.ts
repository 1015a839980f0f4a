/**
 * The generated validators, checked against the schema they come from:
 * values built from the golden schema's own descriptors pass, and every
 * single mutation (missing member, wrong type, integer just outside its
 * width, non-integer, unknown member, bad enum value, wrong union tag)
 * fails with a problem at exactly the mutated path.  The golden bindings
 * hold 64-bit integers as the default --int64 mode says (bigint); the
 * values built here follow the registry's mode.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkValue } from '../../runtime/validation.js';
import { makeWidget$, registry, schemaTypes, subTypes, type ObjectDescriptor, type TypeDescriptor, type TypeRef } from '../fixtures/golden/expected/index.js';

const types = new Map<string, TypeDescriptor>([...schemaTypes, ...subTypes]);
/** The named types by name, and the arguments of make-widget. */
const ARGS = 'make-widget arguments';
const roots = new Map<string, TypeRef>([...types, [ARGS, makeWidget$.args as TypeRef]]);
const root = (name: string): TypeRef => {
  const ref = roots.get(name);
  if (ref === undefined) throw new Error(`no type ${name}`);
  return ref;
};
/** What a reference leads to: a descriptor, or a built-in's kind. */
const resolve = (ref: TypeRef): TypeDescriptor | string => (typeof ref === 'function' ? ref() : ref);

const RANGES: Record<string, [bigint, bigint]> = {
  int8: [-128n, 127n],
  int16: [-32768n, 32767n],
  int32: [-2147483648n, 2147483647n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint8: [0n, 255n],
  uint16: [0n, 65535n],
  uint32: [0n, 4294967295n],
  uint64: [0n, 2n ** 64n - 1n],
};

type Obj = Record<string, unknown>;

/** Values of a built-in type. */
function builtinArbitrary(kind: string): fc.Arbitrary<unknown> {
  const range = RANGES[kind];
  if (range) {
    const [min, max] = range;
    // Wide types, as the bindings' mode holds them.
    if (max > 2n ** 53n) return wide(min, max);
    return fc.integer({ min: Number(min), max: Number(max) });
  }
  if (kind === 'str') return fc.string();
  if (kind === 'bool') return fc.boolean();
  if (kind === 'number') return fc.double({ noNaN: true, noDefaultInfinity: true });
  if (kind === 'null') return fc.constant(null);
  return fc.jsonValue({ maxDepth: 2 });
}

/** A 64-bit integer in [min, max] of the type the registry's mode gives it. */
function wide(min: bigint, max: bigint): fc.Arbitrary<number | bigint> {
  switch (registry.int64) {
    case 'bigint':
      return fc.bigInt({ min, max });
    case 'number':
      return fc.integer({ min: Math.max(Number(min), Number.MIN_SAFE_INTEGER), max: Math.min(Number(max), Number.MAX_SAFE_INTEGER) });
    case 'mixed':
      // A bigint anywhere in range, or a number where it is exact.
      return fc.bigInt({ min, max }).map((v) => (v >= -(2n ** 53n) && v <= 2n ** 53n && v % 2n === 0n ? Number(v) : v));
  }
}

/** Values of a QAPI type, built from its descriptor. */
function arbitrary(ref: TypeRef, depth = 0): fc.Arbitrary<unknown> {
  const d = resolve(ref);
  if (typeof d === 'string') return builtinArbitrary(d);
  switch (d.kind) {
    case 'enum':
      return fc.constantFrom(...d.values);
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(arbitrary(d.element, depth + 1), { maxLength: 3 });
    case 'alternate':
      return fc.oneof(...d.branches.map((b) => arbitrary(b, depth + 1)));
    case 'object':
      return objectArbitrary(d, depth);
  }
}

function membersArbitrary(d: ObjectDescriptor, depth: number): fc.Arbitrary<Obj> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const [name, type, optional] of d.members) {
    shape[name] = arbitrary(type, depth + 1);
    if (!optional) required.push(name);
  }
  return fc.record(shape, { requiredKeys: required }) as fc.Arbitrary<Obj>;
}

function objectArbitrary(d: ObjectDescriptor, depth: number): fc.Arbitrary<Obj> {
  const base = membersArbitrary(d, depth);
  if (d.tag === undefined || !d.cases) return base;
  const tag = d.tag;
  return fc.constantFrom(...d.cases).chain(([value, branch]) => {
    const b = resolve(branch) as ObjectDescriptor;
    return fc.tuple(base, objectArbitrary(b, depth + 1)).map(([common, extra]) => ({ ...common, ...extra, [tag]: value }));
  });
}

function child(path: string, name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'bigint' ? 'number' : typeof v;
}

function kindsOf(ref: TypeRef): string[] {
  const d = resolve(ref);
  if (typeof d === 'string') return d === 'any' ? ['any'] : [{ str: 'string', bool: 'boolean', null: 'null' }[d] ?? 'number'];
  switch (d.kind) {
    case 'enum':
      return ['string'];
    case 'array':
      return ['array'];
    case 'object':
      return ['object'];
    case 'alternate':
      return d.branches.flatMap(kindsOf);
  }
}

/** A value of a JSON kind the type does not accept, if there is one. */
function wrongValue(type: TypeRef): unknown {
  const accepted = kindsOf(type);
  if (accepted.includes('any')) return undefined;
  const samples: [string, unknown][] = [['string', 'fast'], ['number', 42], ['boolean', true], ['array', []], ['object', {}], ['null', null]];
  return samples.find(([k]) => !accepted.includes(k))?.[1];
}

interface Mutation {
  readonly what: string;
  /** Applies the mutation to a deep copy of the root value. */
  readonly apply: (root: unknown) => unknown;
  readonly path: string;
  /** Whether the mutation must be the only problem reported. */
  readonly only: boolean;
  readonly message: RegExp;
}

const clone = (v: unknown): unknown => structuredClone(v);

/** Sets (or deletes) the value at `keys` inside a copy of `root`. */
function edit(root: unknown, keys: readonly (string | number)[], change: (parent: Obj, key: string | number) => void): unknown {
  const copy = clone(root);
  let at = copy as Obj;
  for (const k of keys.slice(0, -1)) at = at[k] as Obj;
  const last = keys[keys.length - 1];
  if (last !== undefined) change(at, last);
  return copy;
}

/** Every mutation site inside `value` (of type `ref`) at `path`. */
function mutations(ref: TypeRef, value: unknown, path: string, keys: (string | number)[]): Mutation[] {
  const d = resolve(ref);
  const out: Mutation[] = [];
  if (typeof d === 'string') {
    const range = RANGES[d];
    if (range && keys.length > 0) {
      const [min, max] = range;
      const set = (v: unknown) => (root: unknown) => edit(root, keys, (p, k) => ((p as Record<string | number, unknown>)[k] = v));
      out.push({ what: `${d} below range`, apply: set(min - 1n), path, only: true, message: /expected an integer in .* range/ });
      out.push({ what: `${d} above range`, apply: set(max + 1n), path, only: true, message: /expected an integer in .* range/ });
      out.push({ what: 'not an integer', apply: set(0.5), path, only: true, message: /expected an integer, got 0\.5/ });
    }
  } else if (d.kind === 'array' && Array.isArray(value)) {
    value.forEach((v, i) => out.push(...mutations(d.element, v, `${path}[${i}]`, [...keys, i])));
  } else if (d.kind === 'alternate') {
    const branch = d.branches.find((b) => kindsOf(b).includes(jsonKind(value)));
    if (branch) out.push(...mutations(branch, value, path, keys));
  } else if (d.kind === 'enum' && keys.length > 0) {
    out.push({
      what: 'bad enum value',
      apply: (root) => edit(root, keys, (p, k) => ((p as Record<string | number, unknown>)[k] = 'no-such-value')),
      path,
      only: true,
      message: /expected one of .*got "no-such-value"/,
    });
  } else if (d.kind === 'object' && typeof value === 'object' && value !== null) {
    out.push(...objectMutations(d, value as Obj, path, keys));
  }
  return out;
}

function objectMutations(d: ObjectDescriptor, value: Obj, path: string, keys: (string | number)[]): Mutation[] {
  const out: Mutation[] = [];
  const at = (root: unknown): Obj => keys.reduce<Obj>((o, k) => o[k] as Obj, root as Obj);
  const members = [...d.members];
  if (d.tag !== undefined && d.cases) {
    const branch = d.cases.find(([v]) => v === value[d.tag as string]);
    const b = branch && (resolve(branch[1]) as ObjectDescriptor);
    if (b) members.push(...b.members);
    const tagPath = child(path, d.tag);
    out.push({
      what: 'wrong union tag',
      apply: (root) => {
        const copy = clone(root);
        at(copy)[d.tag as string] = 'no-such-tag';
        return copy;
      },
      path: tagPath,
      only: false,
      message: /expected one of/,
    });
  }
  for (const [name, type, optional] of members) {
    const memberPath = child(path, name);
    const present = Object.hasOwn(value, name);
    if (!optional) {
      out.push({
        what: `drop ${name}`,
        apply: (root) => {
          const copy = clone(root);
          delete at(copy)[name];
          return copy;
        },
        path: memberPath,
        // Without its tag, a union's branch members are unknown too.
        only: name !== d.tag,
        message: /missing required member/,
      });
    }
    const wrong = wrongValue(type);
    if (wrong !== undefined && name !== d.tag) {
      out.push({
        what: `wrong type for ${name}`,
        apply: (root) => {
          const copy = clone(root);
          at(copy)[name] = clone(wrong);
          return copy;
        },
        path: memberPath,
        only: true,
        message: /expected/,
      });
    }
    // The tag's own mutation is 'wrong union tag' above.
    if (present && name !== d.tag) out.push(...mutations(type, value[name], memberPath, [...keys, name]));
  }
  for (const extra of ['zz-unknown', 'constructor', 'toString', '__proto__']) {
    if (members.some(([n]) => n === extra)) continue;
    out.push({
      what: `unknown member ${extra}`,
      apply: (root) => {
        const copy = clone(root);
        // An own property even for '__proto__', as JSON.parse would make it.
        Object.defineProperty(at(copy), extra, { value: 1, enumerable: true, configurable: true, writable: true });
        return copy;
      },
      path: child(path, extra),
      only: true,
      message: /unknown member/,
    });
  }
  return out;
}

const NAMED = ['Widget', 'Figure', 'Reference', 'Amount', 'Size', 'Level', ARGS, '__com.example_Gadget'];

/** Checks a value: a named type through the registry, the arguments through their descriptor. */
const check = (name: string, value: unknown): string[] => (types.has(name) ? registry.check(name, value) : checkValue(root(name), value, 'value', registry.int64));

describe('validators: values built from the schema', () => {
  it.each(NAMED)('accept every generated %s', (name) => {
    fc.assert(
      fc.property(arbitrary(root(name)), (value) => {
        expect(check(name, value)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('validators: single mutations', () => {
  it.each(['Widget', 'Figure', ARGS])('fail %s at the mutated path', (name) => {
    const withMutation = arbitrary(root(name)).chain((value) => {
      const sites = mutations(root(name), value, 'value', []);
      return fc.constantFrom(...sites).map((m) => ({ value, m }));
    });
    fc.assert(
      fc.property(withMutation, ({ value, m }) => {
        const problems = check(name, m.apply(value));
        const at = problems.filter((p) => p.startsWith(`${m.path}: `));
        expect(at.length, `${m.what}: ${problems.join('; ')}`).toBeGreaterThan(0);
        expect(at.some((p) => m.message.test(p)), `${m.what}: ${problems.join('; ')}`).toBe(true);
        if (m.only) expect(problems, m.what).toEqual(at);
      }),
      { numRuns: 500 },
    );
  });

  it('covers each integer width at both edges', () => {
    for (const [type, [min, max]] of Object.entries(RANGES)) {
      const key = { int64: 'i64', uint64: 'u64', int8: 'i8', int16: 'i16', int32: 'i32', uint8: 'u8', uint16: 'u16', uint32: 'u32' }[type] as string;
      const base = { id: 'a', name: 'b' };
      expect(registry.check('Widget', { ...base, [key]: min })).toEqual([]);
      expect(registry.check('Widget', { ...base, [key]: max })).toEqual([]);
      expect(registry.check('Widget', { ...base, [key]: min - 1n })).toEqual([
        `value.${key}: expected an integer in ${type} range ${min}..${max}, got ${min - 1n}`,
      ]);
      expect(registry.check('Widget', { ...base, [key]: max + 1n })).toHaveLength(1);
    }
    // 64-bit integers are bigints in these bindings; narrower ones take either.
    expect(registry.int64).toBe('bigint');
    expect(registry.check('Widget', { id: 'a', name: 'b', u64: 2 ** 63 })).toEqual([
      'value.u64: expected a bigint (these bindings hold 64-bit integers as bigint), got 9223372036854776000',
    ]);
    expect(registry.check('Widget', { id: 'a', name: 'b', u64: 2n ** 63n, i8: 5n, u32: 7 })).toEqual([]);
  });
});

describe('validators: details', () => {
  it('lists every problem, not just the first', () => {
    expect(registry.check('Widget', { name: 5, i8: 'x', extra: 1 })).toEqual([
      'value.id: missing required member',
      'value.name: expected a string, got 5',
      'value.i8: expected an integer, got "x"',
      'value.extra: unknown member',
    ]);
  });

  it('treats constructor and toString as ordinary members', () => {
    expect(registry.check('Widget', { id: 'a', name: 'b', constructor: 'c', toString: 3n })).toEqual([]);
    expect(registry.check('Widget', { id: 'a', name: 'b', toString: 'nope' })).toEqual(['value.toString: expected an integer, got "nope"']);
    // Inherited properties are not members: a bare object lacks 'id' and 'name'.
    expect(registry.check('Widget', Object.create({ id: 'a', name: 'b' }))).toHaveLength(2);
    expect(registry.check('Widget', JSON.parse('{"id":"a","name":"b","__proto__":{"x":1}}'))).toEqual(['value.__proto__: unknown member']);
    expect(registry.check('toString', {})).toEqual(["value: unknown type 'toString'"]);
  });

  it('chooses an alternate branch by JSON type, as QEMU does', () => {
    expect(registry.check('Amount', 5)).toEqual([]);
    expect(registry.check('Amount', 300)).toEqual(['value: expected an integer in int8 range -128..127, got 300']);
    expect(registry.check('Amount', 'low')).toEqual([]);
    expect(registry.check('Amount', 'lowest')[0]).toMatch(/^value: expected one of "low"/);
    expect(registry.check('Amount', [])).toEqual(['value: expected a number or a boolean or a string, got an array']);
    expect(registry.check('Reference', { shape: 'dot' })).toEqual([]);
    expect(registry.check('Reference', { shape: 'circle' })).toEqual(['value.radius: missing required member']);
  });

  it('checks a union against the branch its tag selects', () => {
    expect(registry.check('Figure', { shape: 'square', width: 1 })).toEqual([]);
    expect(registry.check('Figure', { shape: 'square', radius: 1 })).toEqual([
      'value.width: missing required member',
      'value.radius: unknown member',
    ]);
    expect(registry.check('Figure', { shape: 'hexagon' })[0]).toMatch(/^value\.shape: expected one of "circle", "square", "dot", got "hexagon"/);
  });
});
