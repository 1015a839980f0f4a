/**
 * A connected QEMU's own schema (its query-qmp-schema reply) as the
 * runtime's tables, so that one validator (TypeRegistry) checks a call
 * against what that QEMU accepts, as it checks it against the bindings.
 */
import { ARRAY_NAME, BUILTIN_OF_JSON_TYPE, type SchemaInfo } from './schema-info.js';
import { linkNamedTables, type NamedDescriptor, type NamedTables } from './tables.js';
import { checkedAs } from './type-rules.js';
import { TypeRegistry, type Problem, type ProblemKind } from './validation.js';

/**
 * The problems that mean the QEMU refuses a call.  An integer's range is
 * not among them: SchemaInfo folds every integer type into `int`, so only
 * the bindings know a member's width (and check it).
 */
const REFUSED: ReadonlySet<ProblemKind> = new Set<ProblemKind>([
  'type',
  'enum',
  'unknown-member',
  'missing-member',
  'no-arguments',
  'unknown-command',
  'unknown-type',
  'nesting',
]);

function descriptor(e: SchemaInfo & { metaType: 'builtin' | 'enum' | 'array' | 'object' | 'alternate' }): NamedDescriptor {
  switch (e.metaType) {
    case 'builtin':
      // Any integer is `int`, checked as int64 (see REFUSED).
      return { kind: 'builtin', type: checkedAs(BUILTIN_OF_JSON_TYPE[e.jsonType]) };
    case 'enum':
      return { kind: 'enum', values: e.values.map((v) => v.name) };
    case 'array':
      return { kind: 'array', element: e.elementType };
    case 'alternate':
      return { kind: 'alternate', branches: e.members };
    case 'object': {
      const members = e.members.map((m) => [m.name, m.type, m.optional] as const);
      if (e.tag === null) return { kind: 'object', members };
      return { kind: 'object', members, tag: e.tag, cases: e.variants.map((v) => [v.case, v.type] as const) };
    }
  }
}

export class QemuSchema {
  /** QEMU's types (named by number, as SchemaInfo names them), commands and events. */
  readonly registry: TypeRegistry;

  constructor(entities: readonly SchemaInfo[]) {
    const types: [string, NamedDescriptor][] = [];
    const commands: [string, NamedTables['commands'][number][1]][] = [];
    const events: [string, string | null][] = [];
    for (const e of entities) {
      if (e.metaType === 'command') {
        commands.push([e.name, { args: e.argType, returns: e.retType, oob: e.allowOob, noReply: false }]);
      } else if (e.metaType === 'event') {
        events.push([e.name, e.argType]);
      } else {
        types.push([e.name, descriptor(e)]);
      }
    }
    // SchemaInfo names types by number and refers to them by name: linked.
    const arrays = implicitArrays(entities, new Set(types.map(([name]) => name)));
    const linked = linkNamedTables({ types: [...types, ...arrays], commands, events });
    this.registry = new TypeRegistry([linked.types], [linked.commands], { events: [linked.events] });
  }

  /** What in a call this QEMU refuses, each with its path: an unknown
   *  command, member or enum value, a missing member, a value of the wrong
   *  JSON kind.  Empty when it accepts the call. */
  refusals(command: string, args: unknown): Problem[] {
    return this.registry.argumentProblems(command, args).filter((p) => REFUSED.has(p.kind));
  }
}

/** The `[T]` arrays the entities refer to without reporting them. */
function implicitArrays(entities: readonly SchemaInfo[], reported: ReadonlySet<string>): [string, NamedDescriptor][] {
  const out = new Map<string, NamedDescriptor>();
  const add = (name: string): void => {
    const element = ARRAY_NAME.exec(name)?.[1];
    if (element === undefined || reported.has(name) || out.has(name)) return;
    out.set(name, { kind: 'array', element });
    add(element);
  };
  for (const e of entities) {
    switch (e.metaType) {
      case 'array':
        add(e.elementType);
        break;
      case 'object':
        for (const m of e.members) add(m.type);
        for (const v of e.variants) add(v.type);
        break;
      case 'alternate':
        e.members.forEach(add);
        break;
      case 'command':
        add(e.argType);
        add(e.retType);
        break;
      case 'event':
        add(e.argType);
        break;
      default:
        break;
    }
  }
  return [...out];
}
