/**
 * The rules about QAPI types that the generator and the runtime share, each
 * in one place: the table of built-in types (what the model defines, how
 * values travel in JSON, their TypeScript type, how they are checked), and
 * how an alternate chooses its branch by the JSON kind of a value.
 *
 * A leaf module: it imports nothing, so the generator can import it without
 * pulling in the runtime, and the runtime can ship without the generator.
 * Every lookup of a name the table lacks throws: a missing built-in is an
 * error, never a fallback that checks nothing.
 */

/** How values of a built-in type travel in JSON, as QEMU's schema names it
 *  (its `json_type`). */
export type BuiltinJsonType = 'string' | 'number' | 'int' | 'size' | 'boolean' | 'value' | 'null';

/** The TypeScript keyword types a built-in type's values have. */
export type TsKeyword = 'string' | 'number' | 'bigint' | 'boolean' | 'null' | 'unknown';

/**
 * How a set of bindings types and reads the 64-bit integer types (`int`,
 * `int64`, `uint64`, `size`), chosen when they are generated (`--int64`):
 *
 * - `bigint`: always a `bigint`, read and written exactly;
 * - `number`: always a `number`; a value beyond 2^53 in a reply is an error
 *   carrying its exact digits, and an argument must be a safe integer;
 * - `mixed`: `number | bigint`, a `bigint` only for values beyond 2^53.
 */
export type Int64Mode = 'mixed' | 'bigint' | 'number';

/** Every mode. */
export const INT64_MODES: readonly Int64Mode[] = ['mixed', 'bigint', 'number'];

/** A TypeScript type that depends on the bindings' Int64Mode. */
export type TsByInt64Mode = Readonly<Record<Int64Mode, readonly TsKeyword[]>>;

export interface BuiltinTypeInfo {
  /** How its values travel in JSON. */
  readonly json: BuiltinJsonType;
  /** Its TypeScript type: the union of these keyword types; for the 64-bit
   *  integer types, per Int64Mode (which also governs how they are read
   *  and checked). */
  readonly ts: readonly TsKeyword[] | TsByInt64Mode;
  /** Integer types: the inclusive range, exactly. */
  readonly range?: readonly [min: bigint, max: bigint];
  /** The built-in whose check it shares, and that validation messages name
   *  (`int` is checked as `int64`, `size` as `uint64`); absent: itself. */
  readonly checkedAs?: string;
  /** Only the 2012 dialect has it (and it has no array type). */
  readonly legacyOnly?: boolean;
  /** Only a schema read from QEMU's introspection has it. */
  readonly introspectionOnly?: boolean;
}

const signed = (bits: bigint): readonly [bigint, bigint] => [-(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n];
const unsigned = (bits: bigint): readonly [bigint, bigint] => [0n, 2n ** bits - 1n];

/** The 64-bit integer types follow the bindings' Int64Mode. */
const WIDE: TsByInt64Mode = { mixed: ['number', 'bigint'], bigint: ['bigint'], number: ['number'] };

/**
 * Every built-in type, in the order the model defines them.  The 64-bit
 * integer types are typed, read and checked as the bindings' Int64Mode
 * says; narrower integers always fit a number.
 */
export const BUILTIN_TYPES = {
  str: { json: 'string', ts: ['string'] },
  number: { json: 'number', ts: ['number'] },
  int: { json: 'int', ts: WIDE, range: signed(64n), checkedAs: 'int64' },
  int8: { json: 'int', ts: ['number'], range: signed(8n) },
  int16: { json: 'int', ts: ['number'], range: signed(16n) },
  int32: { json: 'int', ts: ['number'], range: signed(32n) },
  int64: { json: 'int', ts: WIDE, range: signed(64n) },
  uint8: { json: 'int', ts: ['number'], range: unsigned(8n) },
  uint16: { json: 'int', ts: ['number'], range: unsigned(16n) },
  uint32: { json: 'int', ts: ['number'], range: unsigned(32n) },
  uint64: { json: 'int', ts: WIDE, range: unsigned(64n) },
  size: { json: 'size', ts: WIDE, range: unsigned(64n), checkedAs: 'uint64' },
  bool: { json: 'boolean', ts: ['boolean'] },
  any: { json: 'value', ts: ['unknown'] },
  null: { json: 'null', ts: ['null'] },
  // The 2012 dialect: '**' is an object whose members are not checked, and
  // 'visitor' any value (for qom-get and qom-set).
  '**': { json: 'value', ts: ['unknown'], checkedAs: 'any', legacyOnly: true },
  visitor: { json: 'value', ts: ['unknown'], checkedAs: 'any', legacyOnly: true },
  // QEMU's introspection folds every integer type into one 'int': an integer
  // of unknown width takes any value some 64-bit integer type holds.  The
  // name is no legal QAPI name, so no schema type can take it.
  'int (any width)': { json: 'int', ts: WIDE, range: [-(2n ** 63n), 2n ** 64n - 1n], introspectionOnly: true },
} as const satisfies Readonly<Record<string, BuiltinTypeInfo>>;

/** The name of a built-in type. */
export type BuiltinName = keyof typeof BUILTIN_TYPES;

type Info<K extends BuiltinName> = (typeof BUILTIN_TYPES)[K];

/** The built-ins checked as themselves (not `checkedAs` another): the
 *  `type` of a run-time built-in descriptor. */
export type BuiltinKind = { [K in BuiltinName]: Info<K> extends { readonly checkedAs: string } ? never : K }[BuiltinName];

/** The integer types among them. */
export type IntegerKind = { [K in BuiltinKind]: Info<K> extends { readonly range: unknown } ? K : never }[BuiltinKind];

/** The table as data, for lookups by any name. */
const table: Readonly<Record<string, BuiltinTypeInfo>> = BUILTIN_TYPES;

/** What the table says about a built-in type, if it has it. */
export function findBuiltinType(name: string): BuiltinTypeInfo | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** What the table says about a built-in type; throws for a name it lacks. */
export function builtinType(name: string): BuiltinTypeInfo {
  const info = findBuiltinType(name);
  if (info === undefined) throw new Error(`'${name}' is not a built-in type`);
  return info;
}

/** Whether a built-in type's TypeScript type, reading and checking follow
 *  the bindings' Int64Mode (the 64-bit integer types). */
export function followsInt64Mode(info: BuiltinTypeInfo): info is BuiltinTypeInfo & { readonly ts: TsByInt64Mode } {
  return !isKeywordList(info.ts);
}

function isKeywordList(ts: BuiltinTypeInfo['ts']): ts is readonly TsKeyword[] {
  return Array.isArray(ts);
}

/** The TypeScript type of a built-in type in bindings of a mode. */
export function tsKeywords(info: BuiltinTypeInfo, mode: Int64Mode): readonly TsKeyword[] {
  return isKeywordList(info.ts) ? info.ts : info.ts[mode];
}

/** Whether a value is a mode's name; for checking configuration. */
export function isInt64Mode(value: unknown): value is Int64Mode {
  return typeof value === 'string' && (INT64_MODES as readonly string[]).includes(value);
}

/** The built-in whose check a built-in type shares (`int` → `int64`):
 *  one that is checked as itself. */
export function checkedAs(name: string): BuiltinKind {
  const target = builtinType(name).checkedAs ?? name;
  if (builtinType(target).checkedAs !== undefined) throw new Error(`'${name}' is checked as '${target}', which is checked as another`);
  return target as BuiltinKind;
}

/** Where a schema comes from, as far as its built-in types go. */
export interface BuiltinSource {
  /** The 2012 dialect. */
  readonly legacy?: boolean;
  /** QEMU's introspection. */
  readonly introspection?: boolean;
}

/** Every built-in type a schema of that source has, in table order. */
export function builtinTypes(source: BuiltinSource): [name: string, info: BuiltinTypeInfo][] {
  return Object.entries(table).filter(
    ([, info]) => (source.legacy || !info.legacyOnly) && (source.introspection || !info.introspectionOnly),
  );
}

/** The kinds of JSON value. */
export type JsonKind = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

/** A type as far as its JSON kind goes: model entities and run-time
 *  descriptors both fit (a built-in names itself). */
export type KindedType =
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'enum' | 'array' | 'object' | 'alternate' };

const KIND_OF_JSON_TYPE: Readonly<Record<BuiltinJsonType, JsonKind | null>> = {
  string: 'string',
  number: 'number',
  int: 'number',
  size: 'number',
  boolean: 'boolean',
  null: 'null',
  value: null,
};

/**
 * The JSON kind every value of a type has, which is how QEMU's input
 * visitors tell an alternate's branches apart; null when values may be of
 * several kinds (`any`, an alternate), so it cannot be a branch of its own.
 */
export function jsonKindOfType(t: KindedType): JsonKind | null {
  switch (t.kind) {
    case 'builtin':
      return KIND_OF_JSON_TYPE[builtinType(t.name).json];
    case 'enum':
      return 'string';
    case 'array':
      return 'array';
    case 'object':
      return 'object';
    case 'alternate':
      return null;
  }
}

/** The JSON kind of a value (bigint counts as a number); null for values
 *  JSON cannot hold. */
export function jsonKindOfValue(value: unknown): JsonKind | null {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'object';
    default:
      return null;
  }
}

/**
 * The alternate branch a value takes: the first whose JSON kind is the
 * value's (a branch of any kind takes every value).  Undefined when none
 * does; `kinds` then lists what the branches accept, for the message.
 */
export function chooseBranch<B>(
  branches: readonly B[],
  kindOf: (branch: B) => JsonKind | null,
  value: unknown,
): { branch: B; kinds?: undefined } | { branch?: undefined; kinds: JsonKind[] } {
  const kind = jsonKindOfValue(value);
  const kinds: JsonKind[] = [];
  for (const b of branches) {
    const k = kindOf(b);
    if (k === null || k === kind) return { branch: b };
    if (!kinds.includes(k)) kinds.push(k);
  }
  return { kinds };
}
