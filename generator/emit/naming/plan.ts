/**
 * The naming plan for one generation: which output file each QAPI module
 * becomes, and the identifier of every emitted type, descriptor, value
 * table, command function and command method.  All names are allocated
 * here, once, in definition order, because `index.ts` re-exports every
 * file and so shares one namespace; the names the generator fixes itself
 * and the runtime names generated files bind are reserved first.  Names
 * derived from QEMU's internal ones never appear: implicit types are named
 * after what they are for.
 */
import { owningDefinition } from '../../model/roles.js';
import { BUILTIN_MODULE, type Command, type Entity, type EntityDoc, type Event, type ObjectType, type QapiType, type SchemaModel } from '../../model/types.js';
import type { Filter } from '../../select/filter.js';
import type { Settings } from '../../settings/table.js';
import { spanOf } from '../../span/types.js';
import { SpanShapes } from '../span/shapes.js';
import { FIXED_EXPORTS, FIXED_FILES, SPAN_EXPORTS, SPAN_FILE } from './fixed-names.js';
import { camelCase, NameAllocator, pascalCase, sanitize } from './identifiers.js';
import { LOCALS } from './local-names.js';
import { reservedMethodNames } from './reserved-methods.js';
import { RUNTIME_NAMES } from './runtime-names.js';

/** The identifiers of a module file's run-time tables. */
export interface ModuleTables {
  readonly types: string;
  readonly commands: string;
  readonly events: string;
}

/**
 * Whether a type's run-time descriptor is a declaration of its own, which
 * other descriptors refer to: named types (the registry lists them), and
 * the implicit types a command, an event or a member refers to.  Built-ins
 * are named by kind; arrays, the empty object and legacy branch wrappers
 * are written where they are used; union bases are never checked on their
 * own (a union's descriptor lists its base's members).
 */
export function hasOwnDescriptor(t: QapiType): boolean {
  if (t.kind === 'enum' || t.kind === 'alternate') return true;
  if (t.kind !== 'object') return false;
  return t.role === null || t.role.kind === 'command-arguments' || t.role.kind === 'event-data' || t.role.kind === 'nested-struct';
}

export class Plan {
  private readonly typeIds = new Map<QapiType, string>();
  private readonly fileStems = new Map<string, string>();
  private readonly tableIds = new Map<string, ModuleTables>();
  private readonly methodIds = new Map<Command, string>();
  private readonly functionIds = new Map<Command, string>();
  private readonly descriptorIds = new Map<QapiType | Command, string>();
  private readonly argumentsSchemaIds = new Map<Command, string>();
  /** Every identifier a file may export: allocated here, or fixed. */
  private readonly exportable = new Set<string>(FIXED_EXPORTS);
  /** For a model that spans releases: how its types are declared. */
  readonly span: SpanShapes | null;

  constructor(
    readonly model: SchemaModel,
    /** What the output keeps. */
    readonly filter: Filter,
    /** The run's settings (the runtime's module specifier, the --int64 mode, ...). */
    readonly settings: Settings,
  ) {
    const span = spanOf(model);
    const ids = new NameAllocator();
    // What files declare and import shares one namespace with the names
    // bound inside declarations (parameters, type parameters): none of
    // those is ever hidden.
    ids.reserve(...FIXED_EXPORTS, ...RUNTIME_NAMES, ...LOCALS);
    if (span) {
      ids.reserve(...SPAN_EXPORTS);
      for (const name of SPAN_EXPORTS) this.exportable.add(name);
    }
    this.nameFiles(span !== undefined);
    this.nameTypes(ids);
    for (const stem of new Set(this.fileStems.values())) {
      const base = camelCase(stem);
      this.tableIds.set(stem, { types: ids.allocate(`${base}Types`), commands: ids.allocate(`${base}Commands`), events: ids.allocate(`${base}Events`) });
    }
    for (const cmd of this.commands()) this.functionIds.set(cmd, ids.allocate(camelCase(cmd.name)));
    // Descriptors: the type's (or command function's) name and a `$`,
    // which no name derived from the schema contains.
    for (const [t, id] of this.typeIds) if (hasOwnDescriptor(t)) this.descriptorIds.set(t, ids.allocate(`${id}$`));
    for (const [cmd, id] of this.functionIds) this.descriptorIds.set(cmd, ids.allocate(`${id}$`));
    // Standard Schema validators, after every other name: they take a
    // suffix before a name of the schema's does.
    for (const cmd of this.functionIds.keys()) if (cmd.argType) this.argumentsSchemaIds.set(cmd, ids.allocate(camelCase(`${cmd.name}-arguments`)));
    for (const id of [
      ...this.typeIds.values(),
      ...[...this.tableIds.values()].flatMap((t) => [t.types, t.commands, t.events]),
      ...this.functionIds.values(),
      ...this.descriptorIds.values(),
      ...this.argumentsSchemaIds.values(),
    ]) {
      this.exportable.add(id);
    }
    this.nameMethods();
    const kept = model.entities.filter((e): e is QapiType => e.kind !== 'command' && e.kind !== 'event' && e.kind !== 'include' && this.filter.keepsEntity(e));
    this.span = span ? new SpanShapes(span, this.filter, settings.int64, kept) : null;
  }

  /** Whether a file may export `name`: the plan allocated or fixed it. */
  mayExport(name: string): boolean {
    return this.exportable.has(name);
  }

  /** The output file (without extension) of a QAPI module. */
  fileOf(moduleName: string): string {
    const stem = this.fileStems.get(moduleName);
    if (stem === undefined) throw new Error(`no output file for module '${moduleName}'`);
    return stem;
  }

  /** The identifier of a declared type; undefined for types written inline
   *  (built-ins, arrays, q_empty, legacy union wrappers). */
  typeId(t: QapiType): string | undefined {
    return this.typeIds.get(t);
  }

  tablesOf(stem: string): ModuleTables {
    const ids = this.tableIds.get(stem);
    if (!ids) throw new Error(`no tables for file '${stem}'`);
    return ids;
  }

  /** The function that runs a command. */
  functionOf(cmd: Command): string {
    const id = this.functionIds.get(cmd);
    if (id === undefined) throw new Error(`no function for command '${cmd.name}'`);
    return id;
  }

  /** The run-time descriptor of a type that has one of its own, or of a
   *  command. */
  descriptorOf(of: QapiType | Command): string {
    const id = this.descriptorIds.get(of);
    if (id === undefined) throw new Error(`no descriptor for '${of.name}'`);
    return id;
  }

  /** The Standard Schema validator of a command's arguments; undefined
   *  for a command that takes none. */
  argumentsSchemaOf(cmd: Command): string | undefined {
    return this.argumentsSchemaIds.get(cmd);
  }

  methodOf(cmd: Command): string {
    const id = this.methodIds.get(cmd);
    if (id === undefined) throw new Error(`no method for command '${cmd.name}'`);
    return id;
  }

  /** Every identifier the plan gave an entity (its type, descriptor,
   *  function, method and validator), as one string: what a watch compares
   *  to tell that an entity is named as before. */
  namesOf(e: Entity): string {
    const type = e.kind === 'command' || e.kind === 'event' || e.kind === 'include' ? undefined : this.typeIds.get(e);
    const command = e.kind === 'command' ? e : undefined;
    const descriptor = e.kind === 'event' || e.kind === 'include' ? undefined : this.descriptorIds.get(e);
    return [type, descriptor, command && this.functionIds.get(command), command && this.methodIds.get(command), command && this.argumentsSchemaIds.get(command)]
      .map((id) => id ?? '')
      .join(' ');
  }

  /** Emitted entities of a module, in definition order. */
  entitiesOf(moduleName: string): Entity[] {
    const mod = this.model.modules.find((m) => m.name === moduleName);
    return (mod?.entities ?? []).filter((e) => this.filter.keepsEntity(e));
  }

  /** Where an object's member descriptions live: its own doc, or (for
   *  implicit types) its owner's, where a legacy nested struct's members
   *  are documented as `@outer.inner`. */
  memberDocs(t: ObjectType): { doc: EntityDoc | null; prefix: string } {
    if (t.role?.kind === 'nested-struct') {
      const outer = this.memberDocs(t.role.owner);
      return { doc: outer.doc, prefix: `${outer.prefix}${t.role.member}.` };
    }
    return { doc: owningDefinition(t)?.doc ?? null, prefix: '' };
  }

  commands(): Command[] {
    return this.model.entities.filter((e): e is Command => e.kind === 'command' && this.filter.keepsEntity(e));
  }

  events(): Event[] {
    return this.model.entities.filter((e): e is Event => e.kind === 'event' && this.filter.keepsEntity(e));
  }

  private nameFiles(spanned: boolean): void {
    // Unique ignoring case: on a case-insensitive file system `X.ts` and
    // `x.ts` are one file, and tsc refuses imports differing only in case.
    const stems = new NameAllocator(spanned ? [...FIXED_FILES, SPAN_FILE] : FIXED_FILES, (stem) => stem.toLowerCase());
    for (const mod of this.model.modules) {
      const wanted =
        mod.name === BUILTIN_MODULE
          ? 'builtin'
          : mod.name
              .replace(/\.json$/, '')
              .replace(/[^A-Za-z0-9_-]+/g, '-')
              .replace(/^[-_]+/, '') || 'module';
      this.fileStems.set(mod.name, stems.allocate(wanted.replace(/^[^A-Za-z]/, 'm$&')));
    }
  }

  private nameTypes(ids: NameAllocator): void {
    const declared = this.model.entities.filter(
      (e): e is QapiType => (e.kind === 'enum' || e.kind === 'object' || e.kind === 'alternate') && this.filter.keepsEntity(e),
    );
    // Schema names first, so a derived name never displaces one.
    for (const t of declared) {
      if (t.kind === 'object' && t.implicit) continue;
      this.typeIds.set(t, ids.allocate(sanitize(t.name)));
    }
    const nested: ObjectType[] = [];
    for (const t of declared) {
      if (t.kind !== 'object' || t.role === null) continue;
      switch (t.role.kind) {
        case 'nested-struct':
          nested.push(t);
          break;
        case 'union-base':
          this.typeIds.set(t, ids.allocate(`${this.typeIds.get(t.role.owner) ?? pascalCase(t.role.owner.name)}Base`));
          break;
        case 'event-data':
          this.typeIds.set(t, ids.allocate(`${pascalCase(t.role.owner.name)}Data`));
          break;
        case 'command-arguments':
          this.typeIds.set(t, ids.allocate(`${pascalCase(t.role.owner.name)}Arguments`));
          break;
        case 'empty-object':
        case 'branch-wrapper':
          // Written inline where used.
          break;
      }
    }
    // A legacy nested struct is named after the member holding it; its
    // owner (maybe nested itself) is named first.
    const nameNested = (t: ObjectType): string => {
      const known = this.typeIds.get(t);
      if (known !== undefined) return known;
      const role = t.role;
      const id = ids.allocate(role?.kind === 'nested-struct' ? `${nameNested(role.owner)}${pascalCase(role.member)}` : sanitize(t.name));
      this.typeIds.set(t, id);
      return id;
    };
    for (const t of nested) nameNested(t);
  }

  private nameMethods(): void {
    const methods = new NameAllocator(reservedMethodNames());
    for (const cmd of this.commands()) this.methodIds.set(cmd, methods.allocate(camelCase(cmd.name)));
  }
}
