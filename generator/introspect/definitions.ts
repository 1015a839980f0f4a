/**
 * Introspection as the model's input: the Definitions a schema file with
 * the same commands, events and types would produce, so the model builder,
 * the emitter, the validators and everything else work on it unchanged.
 *
 * What introspection does not carry is filled in from the source schema's
 * paired types when one is given (--names-from): names, exact integer
 * widths (introspection folds every integer type into 'int'), alternate
 * branch names, and the bases that introspection flattens into members.
 */
import type { DocArg, DocComment } from '../doc/types.js';
import type { Loc } from '../source/location.js';
import { defaultPragma, type Pragma } from '../common/pragma.js';
import type {
  AlternateDef,
  CommandDef,
  Definition,
  EnumDef,
  EventDef,
  FeatureDef,
  MemberDef,
  StructDef,
  TypeRef,
  UnionDef,
} from '../common/definitions.js';
import type { SourceInfo } from '../source/diagnostics.js';
import type { Entity, ObjectType, QapiType, SchemaModel } from '../model/types.js';
import { basename } from 'node:path';
import { BUILTIN_OF_JSON_TYPE } from 'qapi-ts-runtime';
import { builtinType } from 'qapi-ts-runtime/type-rules';
import { isEmptyObject, type AlternateNode, type CommandNode, type EnumNode, type EventNode, type IntrospectionGraph, type MemberNode, type ObjectNode, type TypeNode } from './graph.js';
import type { Naming } from './naming.js';
import { sourceBranchFor } from './pairing.js';
import { versionText } from './schema-info.js';

export interface DefinitionsInput {
  readonly graph: IntrospectionGraph;
  readonly naming: Naming;
  readonly paired: ReadonlyMap<TypeNode, QapiType>;
  /** The source schema names came from (--names-from), and its file name. */
  readonly source: { readonly model: SchemaModel; readonly file: string } | null;
}

export interface IntrospectedDefinitions {
  readonly definitions: Definition[];
  /** Commands that return something other than objects are normal here. */
  readonly pragma: Pragma;
}

/** A definition before its documentation is written. */
type Undocumented<T> = T extends unknown ? Omit<T, 'doc'> : never;

const features = (names: readonly string[]): FeatureDef[] => names.map((name) => ({ name, ifcond: null }));

/** An integer built-in of the source at the same place: introspection says only 'int'. */
function exactBuiltin(node: TypeNode, source: QapiType | undefined): string | null {
  if (node.kind !== 'builtin') return null;
  const builtin = BUILTIN_OF_JSON_TYPE[node.jsonType];
  if (node.jsonType === 'int' && source?.kind === 'builtin' && builtinType(source.name).range !== undefined) return source.name;
  return builtin;
}

class Converter {
  private readonly info: SourceInfo;
  private readonly loc: Loc;
  private readonly qemu: string;
  private readonly namesFrom: string;
  /** Base types rebuilt from the source schema, by name, with their members' signature. */
  private readonly bases = new Map<string, string>();
  private readonly byName = new Map<string, TypeNode>();
  readonly definitions: Definition[] = [];

  constructor(private readonly input: DefinitionsInput) {
    const source = input.graph.introspection.source;
    this.info = { file: source, line: 1, column: 1, includedFrom: [] };
    this.loc = { file: source, line: 1, column: 1, offset: 0 };
    const version = input.graph.introspection.version;
    this.qemu = version ? `QEMU ${versionText(version)}` : 'QEMU';
    this.namesFrom = input.source ? basename(input.source.file) : '';
    for (const [node, name] of input.naming.names) this.byName.set(name, node);
  }

  /** The reference to a type at a place whose source counterpart is `source`. */
  ref(node: TypeNode, source: QapiType | undefined): TypeRef {
    if (node.kind === 'array') {
      const element = this.ref(node.element, source?.kind === 'array' ? source.elementType : undefined);
      return { name: element.name, array: true };
    }
    const builtin = exactBuiltin(node, source);
    if (builtin !== null) return { name: builtin, array: false };
    const name = this.input.naming.names.get(node);
    if (name === undefined) throw new Error(`introspected type '${node.id}' was never named`);
    return { name, array: false };
  }

  members(members: readonly MemberNode[], source: QapiType | undefined): MemberDef[] {
    return members.map((m) => {
      const sm = source?.kind === 'object' ? source.members.find((x) => x.name === m.info.name) : undefined;
      return {
        name: m.info.name,
        optional: m.info.optional,
        type: this.ref(m.type, sm?.type),
        ifcond: null,
        features: features(m.info.features),
      };
    });
  }

  private doc(symbol: string, body: string, def: Definition): DocComment {
    const used = new Set<string>();
    const add = (fs: readonly FeatureDef[]): void => fs.forEach((f) => used.add(f.name));
    const addMembers = (ms: string | readonly MemberDef[] | null): void => {
      if (Array.isArray(ms)) for (const m of ms as readonly MemberDef[]) add(m.features);
    };
    add(def.features);
    if (def.meta === 'struct') addMembers(def.members);
    if (def.meta === 'union') addMembers(def.base);
    if (def.meta === 'command' || def.meta === 'event') addMembers(def.data);
    if (def.meta === 'enum') for (const v of def.values) add(v.features);
    // Every feature must be described; QEMU reports only their names.
    const featureDocs: DocArg[] = [...used].map((name) => ({ name, text: '', loc: this.loc, markedOptional: false }));
    return { loc: this.loc, symbol, body, args: [], features: featureDocs, sections: [] };
  }

  private push(def: Undocumented<Definition>, body: string): void {
    const full = { ...def, doc: null } as Definition;
    this.definitions.push({ ...full, doc: this.doc(def.name, body, full) } as Definition);
  }

  private typeBody(node: TypeNode): string {
    const origin = this.input.naming.origins.get(node);
    const reported = `Reported by ${this.qemu} through query-qmp-schema`;
    if (origin?.kind === 'borrowed') return `${reported}; named as in the source schema ${this.namesFrom}.`;
    return `${reported}, where type names are numbers; named after its first use: ${origin?.kind === 'derived' ? origin.use : 'none'}.`;
  }

  /** What every definition from introspection has alike. */
  private header(name: string, reported: readonly string[]): { name: string; info: SourceInfo; ifcond: null; features: FeatureDef[] } {
    return { name, info: this.info, ifcond: null, features: features(reported) };
  }

  command(c: CommandNode): void {
    const sc = this.sourceEntity(c.info.name, 'command');
    const [data, boxed] = this.argument(c.arg, sc?.argType ?? undefined);
    const returns = c.ret ? this.ref(c.ret, sc?.retType ?? undefined) : null;
    const flags = { gen: true, successResponse: true, allowOob: c.info.allowOob, allowPreconfig: false, coroutine: false };
    const def: Undocumented<CommandDef> = { meta: 'command', ...this.header(c.info.name, c.info.features), data, returns, boxed, ...flags };
    this.push(def, `Reported by ${this.qemu} through query-qmp-schema.`);
  }

  event(e: EventNode): void {
    const se = this.sourceEntity(e.info.name, 'event');
    const [data, boxed] = this.argument(e.arg, se?.argType ?? undefined);
    const def: Undocumented<EventDef> = { meta: 'event', ...this.header(e.info.name, e.info.features), data, boxed };
    this.push(def, `Reported by ${this.qemu} through query-qmp-schema.`);
  }

  private sourceEntity<K extends 'command' | 'event'>(name: string, kind: K): Extract<Entity, { kind: K }> | undefined {
    const e = this.input.source?.model.lookupEntity(name);
    return e?.kind === kind ? (e as Extract<Entity, { kind: K }>) : undefined;
  }

  private argument(arg: ObjectNode | null, source: ObjectType | undefined): [string | MemberDef[] | null, boolean] {
    if (arg === null) return [null, false];
    if (this.input.naming.inline.has(arg)) return [this.members(arg.members, source), false];
    return [this.ref(arg, source).name, arg.variants.length > 0];
  }

  type(node: TypeNode): void {
    const name = this.input.naming.names.get(node)!;
    const source = this.input.paired.get(node);
    const common = this.header(name, node.kind === 'builtin' || node.kind === 'array' ? [] : node.info.features);
    switch (node.kind) {
      case 'enum':
        this.push({ ...common, meta: 'enum', values: this.enumValues(node), prefix: null } satisfies Undocumented<EnumDef>, this.typeBody(node));
        break;
      case 'alternate':
        this.push({ ...common, meta: 'alternate', branches: this.branches(node, source) } satisfies Undocumented<AlternateDef>, this.typeBody(node));
        break;
      case 'object': {
        const { base, local } = this.splitBase(node.members, source);
        if (node.variants.length === 0) {
          const def: Undocumented<StructDef> = { ...common, meta: 'struct', base, members: this.members(local, source) };
          this.push(def, this.typeBody(node));
        } else {
          const def: Undocumented<UnionDef> = {
            ...common,
            meta: 'union',
            base: base !== null && local.length === 0 ? base : this.members(node.members, source),
            discriminator: node.info.tag,
            branches: node.variants
              .filter((v) => !isEmptyObject(v.type))
              .map((v) => {
                const sv = source?.kind === 'object' ? source.variants?.variants.find((x) => x.name === v.case) : undefined;
                return { name: v.case, type: this.ref(v.type, sv?.type), ifcond: null };
              }),
          };
          this.push(def, this.typeBody(node));
        }
        break;
      }
      default:
        break;
    }
  }

  private enumValues(node: EnumNode): EnumDef['values'] {
    return node.info.values.map((v) => ({ name: v.name, ifcond: null, features: features(v.features) }));
  }

  private branches(node: AlternateNode, source: QapiType | undefined): AlternateDef['branches'] {
    const names = this.input.naming.branchNames.get(node)!;
    return node.branches.map((b, i) => ({
      name: names[i]!,
      type: this.ref(b, source ? sourceBranchFor(source, b)?.type : undefined),
      ifcond: null,
    }));
  }

  /**
   * Introspection flattens a base into the members; the source schema says
   * which leading members came from which base.  The base is the reported
   * type of that name when there is one, or rebuilt from the members here
   * (once; a later type must then agree with it exactly).
   */
  private splitBase(members: readonly MemberNode[], source: QapiType | undefined): { base: string | null; local: readonly MemberNode[] } {
    const none = { base: null, local: members };
    if (source?.kind !== 'object' || source.base === null || source.base.implicit) return none;
    const sb = source.base;
    const count = sb.members.length;
    if (members.length < count || sb.members.some((m, i) => members[i]!.info.name !== m.name)) return none;
    const prefix = members.slice(0, count);
    const signature = membersSignature(prefix);
    const reported = this.byName.get(sb.name);
    if (reported) {
      const same = reported.kind === 'object' && reported.variants.length === 0 && membersSignature(reported.members) === signature;
      return same ? { base: sb.name, local: members.slice(count) } : none;
    }
    const known = this.bases.get(sb.name);
    if (known !== undefined) return known === signature ? { base: sb.name, local: members.slice(count) } : none;
    this.bases.set(sb.name, signature);
    const { base, local } = this.splitBase(prefix, sb);
    const def: Undocumented<StructDef> = { ...this.header(sb.name, []), meta: 'struct', base, members: this.members(local, sb) };
    this.push(
      def,
      `Declared as a base type in the source schema ${this.namesFrom}; ${this.qemu} reports its members only as part of the types built on it.`,
    );
    return { base: sb.name, local: members.slice(count) };
  }
}

function membersSignature(members: readonly MemberNode[]): string {
  return members.map((m) => `${m.info.name}:${m.type.id}:${m.info.optional}:${m.info.features.join(',')}`).join(' ');
}

/** Whether a command's return value is one the model accepts without an exception. */
function returnsObjects(ret: TypeNode | null): boolean {
  const t = ret?.kind === 'array' ? ret.element : ret;
  return t === null || t === undefined || t.kind === 'object';
}

export function toDefinitions(input: DefinitionsInput): IntrospectedDefinitions {
  const converter = new Converter(input);
  const exceptions = new Set<string>();
  // Commands and events in the order QEMU reports them, then the types,
  // each where it was named.
  for (const r of input.graph.roots) {
    if (r.kind === 'event') {
      converter.event(r);
    } else {
      converter.command(r);
      if (!returnsObjects(r.ret)) exceptions.add(r.info.name);
    }
  }
  for (const node of input.naming.order) converter.type(node);
  // QEMU reports no documentation: nothing is described, and that is no error.
  const undocumented = new Set(converter.definitions.map((d) => d.name));
  return {
    definitions: converter.definitions,
    pragma: { ...defaultPragma(), commandReturnsExceptions: exceptions, documentationExceptions: undocumented },
  };
}
