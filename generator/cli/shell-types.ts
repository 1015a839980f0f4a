/**
 * What the shell needs to know of a command's arguments, read from the
 * model: the members an object offers (a union's branch chosen by its tag
 * value when the line gives it), the type at a dotted key (`options.size`),
 * the words a value of a type may be (enum values, booleans), and how a
 * type is named for people.
 */
import type { Command, Member, ObjectType, QapiType, SchemaModel } from '../model/types.js';

export type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The command named `name`, if the schema has one. */
export function commandOf(model: SchemaModel, name: string): Command | undefined {
  const entity = model.lookupEntity(name);
  return entity?.kind === 'command' ? entity : undefined;
}

/**
 * The members an object offers, given what the value holds so far: its
 * own and its base's, plus those of the union branch its tag selects (none
 * when the tag is not given yet).
 */
export function membersOf(type: ObjectType, value: Json): Member[] {
  const members = [...type.members];
  const variants = type.variants;
  if (variants === null) return members;
  const tag = isObject(value) ? value[variants.tagMember.name] : undefined;
  const branch = variants.variants.find((v) => v.name === tag);
  if (branch !== undefined && branch.type.kind === 'object') members.push(...membersOf(branch.type, value));
  return members;
}

/** A member by name: among those the value selects, else in any branch (the tag may come later on the line). */
export function memberOf(type: ObjectType, name: string, value: Json): Member | undefined {
  const direct = membersOf(type, value).find((m) => m.name === name);
  if (direct !== undefined || type.variants === null) return direct;
  for (const branch of type.variants.variants) {
    if (branch.type.kind !== 'object') continue;
    const found = memberOf(branch.type, name, undefined);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The object type a value of `type` is when written as `key.member=...`: an object, or an alternate's object branch. */
export function objectOf(type: QapiType): ObjectType | undefined {
  if (type.kind === 'object') return type;
  if (type.kind === 'alternate') {
    const branch = type.variants.variants.find((v) => v.type.kind === 'object');
    return branch?.type.kind === 'object' ? branch.type : undefined;
  }
  return undefined;
}

/**
 * The type at a dotted path under `root` (undefined when a step names no
 * member), reading tag values from `value`, the arguments built so far.
 */
export function typeAt(root: ObjectType, path: readonly string[], value: Json): QapiType | undefined {
  let type: QapiType = root;
  let here: Json = value;
  for (const key of path) {
    const object = objectOf(type);
    if (object === undefined) return undefined;
    const member = memberOf(object, key, here);
    if (member === undefined) return undefined;
    type = member.type;
    here = isObject(here) ? here[key] : undefined;
  }
  return type;
}

/** The words a value of `type` may be, when it is one of a few: enum values, booleans, null. */
export function valueWords(type: QapiType): string[] {
  switch (type.kind) {
    case 'enum':
      return type.members.map((m) => m.name);
    case 'builtin':
      if (type.jsonType === 'boolean') return ['true', 'false'];
      if (type.jsonType === 'null') return ['null'];
      return [];
    case 'alternate':
      return type.variants.variants.flatMap((v) => valueWords(v.type));
    default:
      return [];
  }
}

/** How a type is shown: its name, `[element]` for an array, an implicit object as `object`. */
export function typeName(type: QapiType): string {
  switch (type.kind) {
    case 'array':
      return `[${typeName(type.elementType)}]`;
    case 'object':
      return type.implicit ? 'object' : type.name;
    case 'alternate':
      return `${type.name} (${type.variants.variants.map((v) => typeName(v.type)).join(' or ')})`;
    default:
      return type.name;
  }
}
