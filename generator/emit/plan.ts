/**
 * The naming plan for one generation: which output file each QAPI module
 * becomes, and the identifier of every emitted type, value table and
 * command method.  All names are allocated here, once, in definition order,
 * because `index.ts` re-exports every file and so shares one namespace.
 */
import { BUILTIN_MODULE, type Command, type Entity, type EntityDoc, type Event, type ObjectType, type QapiType, type SchemaModel } from '../model/types.js';
import { Filter, type FilterOptions } from './filter.js';
import { camelCase, NameAllocator, pascalCase, RESERVED_METHODS, sanitize } from './names.js';
import { DEFAULT_RUNTIME, RUNTIME_NAMES } from './runtime-names.js';

/** Files the generator writes besides one per module. */
export const FIXED_FILES = ['index', 'client', 'registry'] as const;

/** Names the fixed files export; no schema name may take them (nor a
 *  runtime name, see runtime-names.ts). */
export const FIXED_EXPORTS = [
  'QmpCommands',
  'Commands',
  'CommandName',
  'ArgumentsOf',
  'ReturnOf',
  'Events',
  'EventData',
  'Types',
  'TypeName',
  'registry',
  'WireErrorClass',
  'QmpCommandError',
];

export class Plan {
  readonly filter: Filter;
  private readonly typeIds = new Map<QapiType, string>();
  private readonly fileStems = new Map<string, string>();
  private readonly tableIds = new Map<string, { types: string; commands: string }>();
  private readonly methodIds = new Map<Command, string>();
  /** For legacy nested structs: the object and member holding each. */
  private readonly holders = new Map<QapiType, { owner: ObjectType; member: string }>();

  constructor(
    readonly model: SchemaModel,
    filterOptions: FilterOptions,
    /** Module specifier the output imports the runtime from. */
    readonly runtime: string = DEFAULT_RUNTIME,
  ) {
    this.filter = new Filter(model, filterOptions);
    for (const e of model.entities) {
      if (e.kind !== 'object') continue;
      for (const m of e.localMembers) {
        if (m.type.kind === 'object' && m.type.name.endsWith('-nested')) this.holders.set(m.type, { owner: e, member: m.name });
      }
    }
    const ids = new NameAllocator();
    ids.reserve(...FIXED_EXPORTS, ...RUNTIME_NAMES);
    this.nameFiles();
    this.nameTypes(ids);
    for (const stem of new Set(this.fileStems.values())) {
      const base = camelCase(stem);
      this.tableIds.set(stem, { types: ids.allocate(`${base}Types`), commands: ids.allocate(`${base}Commands`) });
    }
    this.nameMethods();
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

  tablesOf(stem: string): { types: string; commands: string } {
    const ids = this.tableIds.get(stem);
    if (!ids) throw new Error(`no tables for file '${stem}'`);
    return ids;
  }

  methodOf(cmd: Command): string {
    const id = this.methodIds.get(cmd);
    if (id === undefined) throw new Error(`no method for command '${cmd.name}'`);
    return id;
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
    if (!t.implicit) return { doc: t.doc, prefix: '' };
    const holder = this.holders.get(t);
    if (holder) {
      const outer = this.memberDocs(holder.owner);
      return { doc: outer.doc, prefix: `${outer.prefix}${holder.member}.` };
    }
    const owner = t.context ? this.model.lookupEntity(t.context.name) : undefined;
    return { doc: owner?.doc ?? null, prefix: '' };
  }

  commands(): Command[] {
    return this.model.entities.filter((e): e is Command => e.kind === 'command' && this.filter.keepsEntity(e));
  }

  events(): Event[] {
    return this.model.entities.filter((e): e is Event => e.kind === 'event' && this.filter.keepsEntity(e));
  }

  private nameFiles(): void {
    const stems = new NameAllocator(FIXED_FILES);
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
      if (t.kind !== 'object' || !t.implicit) continue;
      if (t.name.endsWith('-nested')) nested.push(t);
      else if (t.name !== 'q_empty' && !t.name.endsWith('-wrapper')) this.typeIds.set(t, ids.allocate(this.implicitName(t)));
    }
    // A legacy nested struct is named after the member holding it; its
    // owner (maybe nested itself) is named first.
    const holders = this.holders;
    const nameNested = (t: QapiType): string => {
      const known = this.typeIds.get(t);
      if (known !== undefined) return known;
      const holder = holders.get(t);
      const id = ids.allocate(holder ? `${nameNested(holder.owner)}${pascalCase(holder.member)}` : sanitize(t.name));
      this.typeIds.set(t, id);
      return id;
    };
    for (const t of nested) nameNested(t);
  }

  /** Derived names: `<Command>Arguments`, `<Event>Data`, `<Union>Base`. */
  private implicitName(t: ObjectType): string {
    const owner = t.context?.name ?? t.name;
    if (t.name.endsWith('-base')) {
      const ent = this.model.lookupType(owner);
      return `${(ent && this.typeIds.get(ent)) ?? pascalCase(owner)}Base`;
    }
    if (t.context?.meta === 'event') return `${pascalCase(owner)}Data`;
    return `${pascalCase(owner)}Arguments`;
  }

  private nameMethods(): void {
    const methods = new NameAllocator(RESERVED_METHODS);
    for (const cmd of this.commands()) this.methodIds.set(cmd, methods.allocate(camelCase(cmd.name)));
  }
}
