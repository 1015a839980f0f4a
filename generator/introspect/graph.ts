/**
 * The introspected schema as a graph: every type reference resolved to the
 * type itself, and everything checked that the model could not report
 * helpfully later (a union tag that is no enum member, a variant that is
 * no object...), each at its JSON path.  Names reported twice and
 * references to undefined types are the reader's to refuse
 * (readSchemaInfo, shared with the runtime).
 */
import type {
  AlternateInfo,
  ArrayInfo,
  BuiltinInfo,
  CommandInfo,
  EnumInfo,
  EventInfo,
  Introspection,
  JsonTypeName,
  MemberInfo,
  ObjectInfo,
  TypeInfo,
} from './schema-info.js';
import { throwProblems } from './reply.js';
import { BUILTIN_OF_JSON_TYPE } from 'qapi-ts-runtime';
import { jsonKindOfType, type JsonKind } from 'qapi-ts-runtime/type-rules';

export interface BuiltinNode {
  readonly kind: 'builtin';
  readonly id: string;
  readonly jsonType: JsonTypeName;
}

export interface EnumNode {
  readonly kind: 'enum';
  readonly id: string;
  readonly info: EnumInfo;
}

export interface ArrayNode {
  readonly kind: 'array';
  readonly id: string;
  element: TypeNode;
}

export interface MemberNode {
  readonly info: MemberInfo;
  type: TypeNode;
}

export interface VariantNode {
  readonly case: string;
  type: ObjectNode;
}

export interface ObjectNode {
  readonly kind: 'object';
  readonly id: string;
  readonly info: ObjectInfo;
  members: MemberNode[];
  variants: VariantNode[];
}

export interface AlternateNode {
  readonly kind: 'alternate';
  readonly id: string;
  readonly info: AlternateInfo;
  branches: TypeNode[];
}

export type TypeNode = BuiltinNode | EnumNode | ArrayNode | ObjectNode | AlternateNode;

export interface CommandNode {
  readonly kind: 'command';
  readonly info: CommandInfo;
  /** Null when the command takes no arguments (an empty object). */
  readonly arg: ObjectNode | null;
  /** Null when it returns an empty object, as every command without 'returns' does. */
  readonly ret: TypeNode | null;
}

export interface EventNode {
  readonly kind: 'event';
  readonly info: EventInfo;
  readonly arg: ObjectNode | null;
}

export interface IntrospectionGraph {
  readonly introspection: Introspection;
  /** Commands and events, in the order QEMU reported them. */
  readonly roots: readonly (CommandNode | EventNode)[];
  readonly commands: readonly CommandNode[];
  readonly events: readonly EventNode[];
  /** Every type, in the order QEMU reported them. */
  readonly types: readonly TypeNode[];
}

/** The JSON kind of a value of the type (how an alternate tells its
 *  branches apart); null when it may be of several. */
export function jsonKindOf(t: TypeNode): JsonKind | null {
  return jsonKindOfType(t.kind === 'builtin' ? { kind: 'builtin', name: BUILTIN_OF_JSON_TYPE[t.jsonType] } : t);
}

/** An object that carries nothing: how introspection shows "no arguments",
 *  "no return value" and a union's branch without members. */
export function isEmptyObject(t: TypeNode): t is ObjectNode {
  return t.kind === 'object' && t.members.length === 0 && t.variants.length === 0 && t.info.features.length === 0;
}

const describeType = (t: TypeNode): string => (t.kind === 'builtin' ? `the built-in '${t.id}'` : `${t.kind === 'object' ? 'an object' : `an ${t.kind}`} type ('${t.id}')`);

export function buildGraph(introspection: Introspection): IntrospectionGraph {
  const problems: string[] = [];
  const fail = (path: string, message: string): void => {
    problems.push(`${path}: ${message}`);
  };
  const infos = new Map<string, TypeInfo>();
  const nodes = new Map<string, TypeNode>();
  const rootInfos: (CommandInfo | EventInfo)[] = [];
  // The reader (readSchemaInfo) saw to it that no name is reported twice
  // and that every type referred to is defined.
  for (const e of introspection.entities) {
    if (e.metaType === 'command' || e.metaType === 'event') rootInfos.push(e);
    else infos.set(e.name, e);
  }

  // Nodes first, links second: types refer to each other in any order.
  const arrayOf = (id: string, element: TypeNode): ArrayNode => ({ kind: 'array', id, element });
  for (const info of infos.values()) {
    switch (info.metaType) {
      case 'builtin':
        nodes.set(info.name, { kind: 'builtin', id: info.name, jsonType: (info as BuiltinInfo).jsonType });
        break;
      case 'enum':
        nodes.set(info.name, { kind: 'enum', id: info.name, info });
        break;
      case 'array':
        nodes.set(info.name, { kind: 'array', id: info.name, element: undefined as unknown as TypeNode });
        break;
      case 'object':
        nodes.set(info.name, { kind: 'object', id: info.name, info, members: [], variants: [] });
        break;
      case 'alternate':
        nodes.set(info.name, { kind: 'alternate', id: info.name, info, branches: [] });
        break;
    }
  }
  const resolve = (ref: string, path: string): TypeNode | null => {
    const node = nodes.get(ref);
    if (node) return node;
    // '[T]' names the array of T; QEMU reports it too, but need not be trusted to.
    const m = /^\[(.+)\]$/.exec(ref);
    const element = m ? resolve(m[1]!, path) : null;
    if (element) {
      const array = arrayOf(ref, element);
      nodes.set(ref, array);
      return array;
    }
    if (!m) throw new Error(`${path}: '${ref}' is undefined, which readSchemaInfo lets no reply be`);
    return null;
  };
  for (const info of infos.values()) {
    const node = nodes.get(info.name)!;
    if (node.kind === 'array') {
      const element = resolve((info as ArrayInfo).elementType, `${info.path}.element-type`);
      if (element?.kind === 'array') fail(`${info.path}.element-type`, 'an array of arrays cannot be expressed in QAPI');
      if (element) node.element = element;
    } else if (node.kind === 'object') {
      linkObject(node, resolve, fail);
    } else if (node.kind === 'alternate') {
      linkAlternate(node, resolve, fail);
    }
  }
  // Arrays whose element failed to resolve would be half-made: stop here.
  if (problems.length > 0) throwProblems(introspection.source, problems);

  const argument = (ref: string, path: string, what: string): ObjectNode | null => {
    const t = resolve(ref, path);
    if (t === null) return null;
    if (t.kind !== 'object') {
      fail(path, `${what} must be an object type, not ${describeType(t)}`);
      return null;
    }
    return isEmptyObject(t) ? null : t;
  };
  const roots = rootInfos.map((info): CommandNode | EventNode => {
    if (info.metaType === 'event') {
      return { kind: 'event', info, arg: argument(info.argType, `${info.path}.arg-type`, "an event's data") };
    }
    const ret = resolve(info.retType, `${info.path}.ret-type`);
    return {
      kind: 'command',
      info,
      arg: argument(info.argType, `${info.path}.arg-type`, "a command's arguments"),
      ret: ret === null || isEmptyObject(ret) ? null : ret,
    };
  });
  if (problems.length > 0) throwProblems(introspection.source, problems);
  return {
    introspection,
    roots,
    commands: roots.filter((r): r is CommandNode => r.kind === 'command'),
    events: roots.filter((r): r is EventNode => r.kind === 'event'),
    types: [...nodes.values()],
  };
}

type Resolve = (ref: string, path: string) => TypeNode | null;
type Fail = (path: string, message: string) => void;

function linkObject(node: ObjectNode, resolve: Resolve, fail: Fail): void {
  const info = node.info;
  const names = new Set<string>();
  info.members.forEach((m, i) => {
    const path = `${info.path}.members[${i}]`;
    if (names.has(m.name)) fail(`${path}.name`, `the member '${m.name}' appears twice`);
    names.add(m.name);
    const type = resolve(m.type, `${path}.type`);
    if (type) node.members.push({ info: m, type });
  });
  if (info.tag === null) return;
  const tag = node.members.find((m) => m.info.name === info.tag);
  if (!tag) {
    fail(`${info.path}.tag`, `the tag '${info.tag}' is not one of the members`);
    return;
  }
  if (tag.type.kind !== 'enum') {
    fail(`${info.path}.tag`, `the tag '${info.tag}' must have an enum type, not ${describeType(tag.type)}`);
    return;
  }
  if (tag.info.optional) fail(`${info.path}.tag`, `the tag '${info.tag}' cannot be optional`);
  const values = new Set(tag.type.info.values.map((v) => v.name));
  const cases = new Set<string>();
  info.variants.forEach((v, i) => {
    const path = `${info.path}.variants[${i}]`;
    if (!values.has(v.case)) fail(`${path}.case`, `'${v.case}' is not a value of the tag's enum`);
    if (cases.has(v.case)) fail(`${path}.case`, `the case '${v.case}' appears twice`);
    cases.add(v.case);
    const type = resolve(v.type, `${path}.type`);
    if (type && type.kind !== 'object') fail(`${path}.type`, `a variant must be an object type, not ${describeType(type)}`);
    else if (type) node.variants.push({ case: v.case, type });
  });
}

function linkAlternate(node: AlternateNode, resolve: Resolve, fail: Fail): void {
  const kinds = new Map<string, number>();
  node.info.members.forEach((ref, i) => {
    const path = `${node.info.path}.members[${i}].type`;
    const type = resolve(ref, path);
    if (!type) return;
    const kind = jsonKindOf(type);
    if (kind === null) {
      fail(path, `an alternate cannot tell ${describeType(type)} apart from its other branches`);
      return;
    }
    const other = kinds.get(kind);
    if (other !== undefined) fail(path, `this branch and branch ${other} both arrive as a JSON ${kind}: an alternate cannot tell them apart`);
    kinds.set(kind, i);
    node.branches.push(type);
  });
}

