/**
 * The bindings of a schema generated again and again (`generate --watch`):
 * after an edit, only the files whose statements can differ are emitted
 * and printed again; every other file is the earlier run's, the very
 * objects and text.
 *
 * What a file is made of is named by a key, computed from the model and
 * the plan without emitting anything:
 * - an entity's own part: its kind, name, module and output file, whether
 *   the selection keeps it, every identifier the plan gave it, and the
 *   definition it was made from, by identity (the front end's cache gives
 *   the very object again for a definition that did not change, and a new
 *   one for one that did: model/types.ts);
 * - an entity's key: its own part and the keys of every entity it refers
 *   to (member, base, branch, tag, element, argument and return types, and
 *   the owner of a type the model made), so that it changes when anything
 *   the entity's emission can read changes, however far (entities that
 *   refer to each other in a cycle share one key);
 * - a module file's key: the run's settings, the module's output file and
 *   tables, its free-form doc comments by identity, and the keys of its
 *   entities in order (doc comments link to the types of their own file);
 *   where it changed, each entity's part of the file is still the earlier
 *   run's while its key, the settings and the types its file declares are
 *   the same, and each statement kept is printed as before
 *   (PrintedStatements);
 * - client.ts's key: every kept command and event, its argument type and
 *   that type's bases by their own parts, and how its argument and return
 *   types are written (clientKey); where it changed, each command's and
 *   event's part of it (its map entry, its method) is still the earlier
 *   run's while that much of it is the same, and each kept member of a
 *   statement is printed as before;
 * - registry.ts's key: the tables each module file declares, and every
 *   kept named type and how it is written.
 * index.ts lists every file and is small: it is emitted every time.  A
 * model that spans releases is emitted whole every time.
 */
import { forEachComponent } from '../common/graph.js';
import type { Command, Entity, EnumType, Event, ObjectType, QapiType, SchemaModel } from '../model/types.js';
import type { Filter } from '../select/filter.js';
import type { Settings } from '../settings/table.js';
import type { Plan } from './naming/plan.js';
import type { ClientPartKind, ClientParts } from './files/client-file.js';
import type { EntityParts } from './files/module-file.js';
import type { GeneratedFile } from './output/generated-file.js';
import { PrintedStatements } from './output/print-file.js';
import type { FilePart, MadePart } from './parts/file-builder.js';
import { emitSelected, printBindings, type FileReuse } from './pipeline.js';
import { declaredName, type FileSyntax } from './syntax/statements.js';

/** The entities an entity's emission may read besides itself. */
function referredTo(e: Entity): Entity[] {
  const out: Entity[] = [];
  switch (e.kind) {
    case 'array':
      out.push(e.elementType);
      break;
    case 'object':
      if (e.base) out.push(e.base);
      for (const m of e.members) out.push(m.type);
      if (e.variants) {
        out.push(e.variants.tagMember.type);
        for (const v of e.variants.variants) out.push(v.type);
      }
      if (e.role !== null && 'owner' in e.role) out.push(e.role.owner);
      break;
    case 'alternate':
      out.push(e.variants.tagMember.type);
      for (const v of e.variants.variants) out.push(v.type);
      break;
    case 'command':
      if (e.argType) out.push(e.argType);
      if (e.retType) out.push(e.retType);
      break;
    case 'event':
      if (e.argType) out.push(e.argType);
      break;
    case 'enum':
      if (e.role !== null && 'owner' in e.role) out.push(e.role.owner);
      break;
    case 'builtin':
    case 'include':
      break;
  }
  return out;
}

/** Numbers standing for objects (definitions, doc comments) by identity,
 *  and for key texts by content, stable from run to run. */
class Numbering {
  private readonly objects = new WeakMap<object, number>();
  private nextObject = 1;
  /** Key texts of the earlier run and of this one: a text no run used
   *  last time is forgotten, so the table does not grow. */
  private earlier = new Map<string, number>();
  private current = new Map<string, number>();
  private nextText = 1;

  object(o: object): number {
    let n = this.objects.get(o);
    if (n === undefined) this.objects.set(o, (n = this.nextObject++));
    return n;
  }

  text(t: string): number {
    let n = this.current.get(t);
    if (n === undefined) {
      n = this.earlier.get(t) ?? this.nextText++;
      this.current.set(t, n);
    }
    return n;
  }

  /** Ends a run: what it numbered is what the next one finds. */
  endRun(): void {
    this.earlier = this.current;
    this.current = new Map();
  }
}

/** Every entity's key for one run (see the file's comment). */
class EntityKeys {
  private readonly keys = new Map<Entity, number>();

  constructor(
    private readonly plan: Plan,
    private readonly numbering: Numbering,
  ) {
    this.computeAll(plan.model.entities);
  }

  key(e: Entity): number {
    const k = this.keys.get(e);
    if (k === undefined) throw new Error(`no key for '${e.name}'`);
    return k;
  }

  /** An entity's own part. */
  own(e: Entity): string {
    const kept = this.plan.filter.keepsEntity(e);
    const definition = e.definition === null ? 0 : this.numbering.object(e.definition);
    return `${e.kind} ${e.name} ${definition} ${e.module} ${this.plan.fileOf(e.module)} ${kept ? 1 : 0} ${this.plan.namesOf(e)}`;
  }

  /** Each strongly connected component's key is made once those of the
   *  components it refers to are known (forEachComponent reports them
   *  first). */
  private computeAll(entities: readonly Entity[]): void {
    forEachComponent(entities, referredTo, (members) => this.componentKey(members));
  }

  private componentKey(members: readonly Entity[]): void {
    const inside = new Set(members);
    const own = members.map((e) => this.own(e)).sort();
    const outside = new Set<number>();
    for (const e of members) for (const w of referredTo(e)) if (!inside.has(w)) outside.add(this.key(w));
    const key = this.numbering.text(`${own.join('\n')}\n> ${[...outside].sort((a, b) => a - b).join(' ')}`);
    for (const e of members) this.keys.set(e, key);
  }
}

/** A file kept from the run that emitted it. */
interface KeptFile {
  readonly key: string;
  readonly syntax: FileSyntax | null;
  /** Keeps, for the next run, the parts the file was made of: a run that
   *  reuses the file whole asks for none of them, and KeptByKey would
   *  forget them by the run after, so that the next edit reaching the
   *  file would emit and print all of it again. */
  readonly keepParts: () => void;
}

/** Parts found or made for one file, by key, so that they can be kept
 *  again while the file is reused whole (KeptFile.keepParts). */
class PartsUsed<T> {
  private readonly used: [string, T][] = [];

  constructor(private readonly store: KeptByKey<T>) {}

  find(key: string): T | undefined {
    const found = this.store.find(key);
    if (found !== undefined) this.used.push([key, found]);
    return found;
  }

  keep(key: string, value: T): void {
    this.store.keep(key, value);
    this.used.push([key, value]);
  }

  /** Keeps every part used again, in a later run. */
  keepAgain(): void {
    for (const [key, value] of this.used) this.store.keep(key, value);
  }
}

/** Things kept by key text: what the previous run used and what this one
 *  does (anything else is forgotten). */
class KeptByKey<T> {
  private earlier = new Map<string, T>();
  private current = new Map<string, T>();

  find(key: string): T | undefined {
    const found = this.current.get(key) ?? this.earlier.get(key);
    if (found !== undefined) this.current.set(key, found);
    return found;
  }

  keep(key: string, value: T): void {
    this.current.set(key, value);
  }

  endRun(): void {
    this.earlier = this.current;
    this.current = new Map();
  }
}

/** What the last run emitted again and what it kept (for tests and the
 *  bench). */
export interface KeptCounts {
  /** The files emitted again, as `module NAME`, `client` or `registry`
   *  (index.ts, emitted every time, is not counted). */
  readonly emitted: readonly string[];
  readonly reused: number;
  /** The entities' parts of module files and the commands' and events'
   *  parts of client.ts made afresh (the rest were the earlier runs'). */
  readonly madeParts: number;
}

export class KeptBindings {
  private readonly numbering = new Numbering();
  private files = new Map<string, KeptFile>();
  private readonly printed = new WeakMap<FileSyntax, readonly GeneratedFile[]>();
  /** What each entity added to its module's file, by the key of what
   *  that is made of. */
  private readonly parts = new KeptByKey<FilePart>();
  /** What client.ts holds of each command and event, by the key of what
   *  that is made of. */
  private readonly clientParts = new KeptByKey<MadePart<object>>();
  private readonly statements = new PrintedStatements();
  lastRun: KeptCounts = { emitted: [], reused: 0, madeParts: 0 };

  /** The files of the bindings, as printBindings(emitSelected(...)) gives them. */
  generate(model: SchemaModel, selection: Filter, settings: Settings, schemaFile: string): GeneratedFile[] {
    const files = new Map<string, KeptFile>();
    const emitted: string[] = [];
    let reused = 0;
    let madeParts = 0;
    const reuse = <P>(name: string, key: string, emit: (parts: P) => FileSyntax | null, parts: P, used: PartsUsed<unknown> | null): FileSyntax | null => {
      let file = this.files.get(name);
      if (file !== undefined && file.key === key) {
        reused++;
        file.keepParts();
      } else {
        emitted.push(name);
        file = { key, syntax: emit(parts), keepParts: used === null ? () => undefined : () => used.keepAgain() };
      }
      files.set(name, file);
      return file.syntax;
    };
    const syntax = emitSelected(model, selection, settings, (plan, errorClasses, errorClassEnum): FileReuse | null => {
      if (plan.span !== null) return null;
      const keys = new EntityKeys(plan, this.numbering);
      const run = JSON.stringify([settings, schemaFile, errorClasses]);
      return {
        module: (name, emit) => {
          const context = this.numbering.text(`${run}\n${linksKey(plan, name)}`);
          // Entities that refer to each other share a key: the name tells them apart.
          const partKey = (e: Entity): string => `${context} ${keys.key(e)} ${e.kind} ${e.name}`;
          const used = new PartsUsed(this.parts);
          const parts: EntityParts = {
            find: (e) => used.find(partKey(e)),
            keep: (e, part) => (madeParts++, used.keep(partKey(e), part)),
          };
          return reuse(`module ${name}`, `${run}\n${moduleKey(plan, keys, this.numbering, name)}`, emit, parts, used);
        },
        client: (emit) => {
          const context = this.numbering.text(run);
          const partKey = (of: Command | Event, what: ClientPartKind): string => `${context} ${what} ${clientPart(plan, keys, of)}`;
          const used = new PartsUsed(this.clientParts);
          const parts: ClientParts = {
            find: (of, what) => used.find(partKey(of, what)),
            keep: (of, what, part) => (madeParts++, used.keep(partKey(of, what), part)),
          };
          return reuse('client', `${run}\n${clientKey(plan, keys, errorClassEnum)}`, emit, parts, used)!;
        },
        registry: (modules, emit) => reuse('registry', `${run}\n${registryKey(plan, keys, modules)}`, emit, undefined, null)!,
      };
    });
    this.files = files;
    this.numbering.endRun();
    this.parts.endRun();
    this.clientParts.endRun();
    this.lastRun = { emitted, reused, madeParts };
    return syntax.flatMap((file) => {
      let printed = this.printed.get(file);
      if (printed === undefined) {
        printed = printBindings([file], schemaFile, settings, this.statements);
        this.printed.set(file, printed);
      }
      return printed;
    });
  }
}

function moduleKey(plan: Plan, keys: EntityKeys, numbering: Numbering, name: string): string {
  const module = plan.model.modules.find((m) => m.name === name);
  if (module === undefined) throw new Error(`no module '${name}'`);
  const stem = plan.fileOf(name);
  const tables = plan.tablesOf(stem);
  // Every entity, kept or not (a doc comment links to a type of its own
  // file only while that type is declared there), but include directives,
  // which emit nothing.
  const entities = module.entities.filter((e) => e.kind !== 'include').map((e) => (plan.filter.keepsEntity(e) ? keys.key(e) : `(${keys.own(e)})`));
  const overview = module.overview.map((d) => numbering.object(d));
  return `${name} ${stem} ${tables.types} ${tables.commands} ${tables.events}\n${overview.join(' ')}\n${entities.join(' ')}`;
}

/** What an entity's part of its module's file may read besides the
 *  entity and what it refers to: the file's name, and the types the file
 *  declares, which its doc comments link to (by name). */
function linksKey(plan: Plan, name: string): string {
  const declared = plan.entitiesOf(name).flatMap((e) => (e.kind === 'command' || e.kind === 'event' || e.kind === 'include' ? [] : [`${e.name}=${plan.typeId(e) ?? ''}`]));
  return `${plan.fileOf(name)} ${declared.join(' ')}`;
}

/**
 * What client.ts reads of a command or an event: the entity itself, its
 * argument type's members (its base's too) and how its argument and
 * return types are written (typeRef): not what those types hold, which
 * their own files declare.
 */
function clientKey(plan: Plan, keys: EntityKeys, errorClassEnum: EnumType | null): string {
  const of = (e: Command | Event): string => clientPart(plan, keys, e);
  return [...plan.commands().map(of), ...plan.events().map(of), errorClassEnum === null ? '-' : typeRef(plan, keys, errorClassEnum)].join('\n');
}

/** What client.ts reads of one command or event (clientKey). */
function clientPart(plan: Plan, keys: EntityKeys, e: Command | Event): string {
  const ref = (t: QapiType | null): string => (t === null ? '-' : typeRef(plan, keys, t));
  const own = [keys.own(e)];
  for (let t: ObjectType | null = e.argType; t !== null; t = t.base) own.push(keys.own(t));
  return `${own.join('|')}|${ref(e.argType)}|${e.kind === 'command' ? ref(e.retType) : ''}`;
}

/** The tables a module file declares, by file (a kept file's are known;
 *  its tables are named by the plan its file was emitted with). */
const declaredTables = new WeakMap<FileSyntax, string>();

/** What registry.ts reads: the tables each module file declares, and
 *  every kept named type and how it is written. */
function registryKey(plan: Plan, keys: EntityKeys, modules: readonly FileSyntax[]): string {
  const tables = modules.map((m) => {
    let declared = declaredTables.get(m);
    if (declared === undefined) {
      const names = new Set(m.statements.map(declaredName));
      const ids = plan.tablesOf(m.stem);
      declared = `${m.stem}:${[ids.types, ids.commands, ids.events].filter((id) => names.has(id)).join(',')}`;
      declaredTables.set(m, declared);
    }
    return declared;
  });
  const types = plan.model.entities.flatMap((t) =>
    (t.kind === 'enum' || t.kind === 'alternate' || (t.kind === 'object' && !t.implicit)) && plan.filter.keepsEntity(t) ? [`${t.name}=${typeRef(plan, keys, t)}`] : [],
  );
  return `${tables.join(' ')}\n${types.join(' ')}`;
}

/** How a type is written where it is used (FileBuilder.typeOf): a
 *  declared type by its name and file, a built-in by name, an array by
 *  its element, the types written inline by what they hold. */
function typeRef(plan: Plan, keys: EntityKeys, t: QapiType): string {
  switch (t.kind) {
    case 'builtin':
      return t.name;
    case 'array':
      return `[${typeRef(plan, keys, t.elementType)}]`;
    case 'object':
      if (t.role?.kind === 'empty-object' || t.role?.kind === 'branch-wrapper') {
        return `{${keys.own(t)}|${t.members.map((m) => typeRef(plan, keys, m.type)).join('|')}}`;
      }
      return `${plan.typeId(t) ?? ''}@${plan.fileOf(t.module)}`;
    default:
      return `${plan.typeId(t) ?? ''}@${plan.fileOf(t.module)}`;
  }
}
