/**
 * `query-qmp-schema`'s reply: the SchemaInfo records in which a QEMU
 * describes what it accepts (QEMU's qapi/introspect.json defines them), and
 * a reader that checks a reply and lists every problem with its JSON path.
 * Types other than the built-ins go by numbers there ("123"): QEMU hides
 * their names; and every integer type is folded into `int`.
 *
 * A leaf module (it imports only the table of built-in types' names): the
 * client's schema check reads the connected QEMU's schema with it, and the
 * generator reads captured and live replies with it (generator/introspect/).
 */
import type { BuiltinName } from './type-rules.js';

/** How a built-in's values travel in JSON, as SchemaInfo names it. */
export type SchemaJsonType = 'string' | 'number' | 'int' | 'boolean' | 'null' | 'value';

interface InfoCommon {
  readonly name: string;
  readonly features: readonly string[];
  /** Where it sits in the reply: `[12]`. */
  readonly path: string;
}

export interface BuiltinInfo extends InfoCommon {
  readonly metaType: 'builtin';
  readonly jsonType: SchemaJsonType;
}

export interface EnumValueInfo {
  readonly name: string;
  readonly features: readonly string[];
}

export interface EnumInfo extends InfoCommon {
  readonly metaType: 'enum';
  readonly values: readonly EnumValueInfo[];
}

export interface ArrayInfo extends InfoCommon {
  readonly metaType: 'array';
  readonly elementType: string;
}

export interface MemberInfo {
  readonly name: string;
  readonly type: string;
  readonly optional: boolean;
  readonly features: readonly string[];
}

export interface VariantInfo {
  readonly case: string;
  readonly type: string;
}

export interface ObjectInfo extends InfoCommon {
  readonly metaType: 'object';
  /** Every member, a base's included (SchemaInfo flattens bases). */
  readonly members: readonly MemberInfo[];
  /** For a union: its tag member, and the branch type of each tag value. */
  readonly tag: string | null;
  readonly variants: readonly VariantInfo[];
}

export interface AlternateInfo extends InfoCommon {
  readonly metaType: 'alternate';
  /** The branch types (SchemaInfo does not name branches). */
  readonly members: readonly string[];
}

export interface CommandSchemaInfo extends InfoCommon {
  readonly metaType: 'command';
  readonly argType: string;
  readonly retType: string;
  readonly allowOob: boolean;
}

export interface EventSchemaInfo extends InfoCommon {
  readonly metaType: 'event';
  readonly argType: string;
}

/** The QAPI built-in a SchemaInfo built-in is: every integer type is
 *  folded into `int` there, so it stands for an integer of any width (the
 *  built-in `int (any width)`, which holds every 64-bit type's values). */
export const BUILTIN_OF_JSON_TYPE: Readonly<Record<SchemaJsonType, BuiltinName>> = {
  string: 'str',
  number: 'number',
  int: 'int (any width)',
  boolean: 'bool',
  null: 'null',
  value: 'any',
};

export type TypeSchemaInfo = BuiltinInfo | EnumInfo | ArrayInfo | ObjectInfo | AlternateInfo;
export type SchemaInfo = TypeSchemaInfo | CommandSchemaInfo | EventSchemaInfo;

/** What a reply held: its records, or every problem found (`[12].members[3].type: ...`). */
export type SchemaInfoReading =
  { readonly ok: true; readonly entities: readonly SchemaInfo[] } | { readonly ok: false; readonly problems: readonly string[] };

const JSON_TYPES: readonly SchemaJsonType[] = ['string', 'number', 'int', 'boolean', 'null', 'value'];

/** The keys each meta-type has; any other key is a problem (a record we
 *  would misread is worse than one we refuse). */
const KEYS = {
  builtin: ['json-type'],
  enum: ['members', 'values'],
  array: ['element-type'],
  object: ['members', 'tag', 'variants'],
  alternate: ['members'],
  command: ['arg-type', 'ret-type', 'allow-oob'],
  event: ['arg-type'],
} as const;

type MetaType = keyof typeof KEYS;

type Json = unknown;
type JsonObject = Readonly<Record<string, Json>>;

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  const text = typeof v === 'bigint' ? String(v) : JSON.stringify(v);
  return text === undefined ? typeof v : text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Reads one reply, collecting every problem at its path. */
class Reader {
  readonly problems: string[] = [];

  private fail(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  /** An object, or a problem. */
  private object(v: Json, path: string): JsonObject | null {
    if (isObject(v)) return v;
    this.fail(path, `expected an object, got ${describe(v)}`);
    return null;
  }

  private name(obj: JsonObject, key: string, path: string): string | null {
    const v = obj[key];
    if (typeof v === 'string' && v !== '') return v;
    this.fail(
      `${path}.${key}`,
      v === undefined ? 'missing (a non-empty string)' : `expected a non-empty string, got ${describe(v)}`,
    );
    return null;
  }

  private list(obj: JsonObject, key: string, path: string, required: boolean): readonly Json[] {
    const v = obj[key];
    if (Array.isArray(v)) return v;
    if (v !== undefined || required)
      this.fail(`${path}.${key}`, v === undefined ? 'missing (an array)' : `expected an array, got ${describe(v)}`);
    return [];
  }

  private onlyKeys(obj: JsonObject, allowed: readonly string[], path: string): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.fail(`${path}.${key}`, `unexpected key (expected only ${allowed.join(', ')})`);
    }
  }

  private features(obj: JsonObject, path: string): string[] {
    return this.list(obj, 'features', path, false).flatMap((f, i) => {
      if (typeof f === 'string' && f !== '') return [f];
      this.fail(`${path}.features[${i}]`, `expected a feature name, got ${describe(f)}`);
      return [];
    });
  }

  entity(raw: Json, path: string): SchemaInfo | null {
    const obj = this.object(raw, path);
    if (obj === null) return null;
    const metaType = obj['meta-type'];
    if (typeof metaType !== 'string' || !Object.hasOwn(KEYS, metaType)) {
      this.fail(`${path}.meta-type`, `expected one of ${Object.keys(KEYS).join(', ')}, got ${describe(metaType)}`);
      return null;
    }
    const meta = metaType as MetaType;
    this.onlyKeys(obj, ['name', 'meta-type', 'features', ...KEYS[meta]], path);
    const name = this.name(obj, 'name', path);
    const features = this.features(obj, path);
    if (name === null) return null;
    const common = { name, features, path };
    switch (meta) {
      case 'builtin': {
        const jsonType = obj['json-type'];
        if (typeof jsonType === 'string' && (JSON_TYPES as readonly string[]).includes(jsonType)) {
          return { ...common, metaType: meta, jsonType: jsonType as SchemaJsonType };
        }
        this.fail(`${path}.json-type`, `expected one of ${JSON_TYPES.join(', ')}, got ${describe(jsonType)}`);
        return null;
      }
      case 'enum':
        return { ...common, metaType: meta, values: this.enumValues(obj, path) };
      case 'array': {
        const elementType = this.name(obj, 'element-type', path);
        return elementType === null ? null : { ...common, metaType: meta, elementType };
      }
      case 'object':
        return { ...common, metaType: meta, ...this.objectBody(obj, path) };
      case 'alternate': {
        const members = this.list(obj, 'members', path, true).flatMap((m, i) => {
          const at = `${path}.members[${i}]`;
          const member = this.object(m, at);
          if (member === null) return [];
          this.onlyKeys(member, ['type'], at);
          const type = this.name(member, 'type', at);
          return type === null ? [] : [type];
        });
        if (members.length === 0) this.fail(`${path}.members`, 'an alternate has at least one branch');
        return { ...common, metaType: meta, members };
      }
      case 'command': {
        const argType = this.name(obj, 'arg-type', path);
        const retType = this.name(obj, 'ret-type', path);
        const oob = obj['allow-oob'];
        if (oob !== undefined && typeof oob !== 'boolean') this.fail(`${path}.allow-oob`, `expected true or false, got ${describe(oob)}`);
        return argType === null || retType === null ? null : { ...common, metaType: meta, argType, retType, allowOob: oob === true };
      }
      case 'event': {
        const argType = this.name(obj, 'arg-type', path);
        return argType === null ? null : { ...common, metaType: meta, argType };
      }
    }
  }

  /** QEMU 6.2 and later list `members` (with features), earlier ones `values`. */
  private enumValues(obj: JsonObject, path: string): EnumValueInfo[] {
    if (obj['members'] === undefined) {
      return this.list(obj, 'values', path, true).flatMap((v, i) => {
        if (typeof v === 'string' && v !== '') return [{ name: v, features: [] }];
        this.fail(`${path}.values[${i}]`, `expected a value name, got ${describe(v)}`);
        return [];
      });
    }
    return this.list(obj, 'members', path, true).flatMap((m, i) => {
      const at = `${path}.members[${i}]`;
      const member = this.object(m, at);
      if (member === null) return [];
      this.onlyKeys(member, ['name', 'features'], at);
      const name = this.name(member, 'name', at);
      const features = this.features(member, at);
      return name === null ? [] : [{ name, features }];
    });
  }

  private objectBody(obj: JsonObject, path: string): Pick<ObjectInfo, 'members' | 'tag' | 'variants'> {
    const members = this.list(obj, 'members', path, true).flatMap((m, i): MemberInfo[] => {
      const at = `${path}.members[${i}]`;
      const member = this.object(m, at);
      if (member === null) return [];
      this.onlyKeys(member, ['name', 'type', 'default', 'features'], at);
      const name = this.name(member, 'name', at);
      const type = this.name(member, 'type', at);
      const features = this.features(member, at);
      // An optional member has 'default' (always null so far).
      return name === null || type === null ? [] : [{ name, type, optional: Object.hasOwn(member, 'default'), features }];
    });
    const hasTag = obj['tag'] !== undefined;
    const tag = hasTag ? this.name(obj, 'tag', path) : null;
    const variants = this.list(obj, 'variants', path, false).flatMap((v, i): VariantInfo[] => {
      const at = `${path}.variants[${i}]`;
      const variant = this.object(v, at);
      if (variant === null) return [];
      this.onlyKeys(variant, ['case', 'type'], at);
      const c = this.name(variant, 'case', at);
      const type = this.name(variant, 'type', at);
      return c === null || type === null ? [] : [{ case: c, type }];
    });
    if (hasTag !== (obj['variants'] !== undefined)) this.fail(path, "'tag' and 'variants' come together (a union) or not at all");
    return { members, tag, variants };
  }
}

/**
 * Reads query-qmp-schema's reply: every record checked (keys, types,
 * non-empty names), no name reported twice, and every type a record refers
 * to defined (`[T]`, the array of a defined T, counts as defined: QEMU
 * reports those too, but need not be trusted to); else every problem, each
 * at its JSON path.  `at` is where the reply sits in
 * what it was read from (`schema` in a capture file), for those paths.
 */
export function readSchemaInfo(reply: unknown, at = ''): SchemaInfoReading {
  const reader = new Reader();
  if (!Array.isArray(reply)) {
    return { ok: false, problems: [`${at === '' ? '' : `${at}: `}expected an array of SchemaInfo records, got ${describe(reply)}`] };
  }
  const entities = reply.flatMap((raw, i) => {
    const e = reader.entity(raw, `${at}[${i}]`);
    return e === null ? [] : [e];
  });
  const problems = [...reader.problems, ...undefinedNames(entities)];
  return problems.length === 0 ? { ok: true, entities } : { ok: false, problems };
}

/** The name of the array of T, `[T]`: a reply may refer to one it does not report. */
export const ARRAY_NAME = /^\[(.+)\]$/;

/** Names reported twice; types referred to but not defined, each where it is used. */
function undefinedNames(entities: readonly SchemaInfo[]): string[] {
  const types = new Set<string>();
  const problems: string[] = [];
  const seen = { command: new Set<string>(), event: new Set<string>(), type: types };
  for (const e of entities) {
    const kind = e.metaType === 'command' || e.metaType === 'event' ? e.metaType : 'type';
    if (seen[kind].has(e.name)) problems.push(`${e.path}: the ${kind === 'type' ? 'type name' : kind} '${e.name}' is reported twice`);
    seen[kind].add(e.name);
  }
  const defined = (name: string): boolean => {
    const element = ARRAY_NAME.exec(name)?.[1];
    return types.has(name) || (element !== undefined && defined(element));
  };
  const need = (name: string, at: string): void => {
    if (!defined(name)) problems.push(`${at}: refers to the type '${name}', which the reply does not define`);
  };
  for (const e of entities) {
    switch (e.metaType) {
      case 'array':
        need(e.elementType, `${e.path}.element-type`);
        break;
      case 'object':
        e.members.forEach((m, i) => need(m.type, `${e.path}.members[${i}].type`));
        e.variants.forEach((v, i) => need(v.type, `${e.path}.variants[${i}].type`));
        break;
      case 'alternate':
        e.members.forEach((t, i) => need(t, `${e.path}.members[${i}].type`));
        break;
      case 'command':
        need(e.argType, `${e.path}.arg-type`);
        need(e.retType, `${e.path}.ret-type`);
        break;
      case 'event':
        need(e.argType, `${e.path}.arg-type`);
        break;
      default:
        break;
    }
  }
  return problems;
}
