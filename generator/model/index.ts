/**
 * The model stage: builds the checked schema model from definitions.
 *
 * Definitions come from the shape stage (or any other source); the stage
 * defines the built-ins, then every definition, checks each entity in order
 * and connects its documentation, and finally sorts entities into modules.
 * It collects every error it finds, then fails with all of them.
 */
import { dirname, relative, resolve } from 'node:path';
import type { DocComment } from '../doc/types.js';
import { defaultPragma, type Pragma } from '../common/pragma.js';
import type { Definition, MemberDef, SchemaDefinition } from '../common/definitions.js';
import { DiagnosticSink, errorAt, partNotes, type Diagnostic } from '../source/diagnostics.js';
import { DEFAULT_QEMU_RELEASE, LanguageLevel } from '../source/language.js';
import { ModelBuilder } from './builder.js';
import { BrokenDependency, checkEntity, ModelError } from './check.js';
import { connectDoc, plainDoc } from './docs.js';
import { ArrayEnt, type AnyEnt } from './entities.js';
import { BUILTIN_MODULE, type Entity, type EntityDoc, type Module, type QapiType, type SchemaModel } from './types.js';

export interface ModelInput {
  readonly definitions: readonly SchemaDefinition[];
  /** The root file: module names are relative to its directory. */
  readonly rootFile: string;
  /** Every documentation comment in source order, free-form ones included. */
  readonly docs?: readonly DocComment[];
  readonly pragma?: Pragma;
  /** The language the definitions are written in; default: the newest. */
  readonly level?: LanguageLevel;
  /** The definitions come from QEMU's introspection (which folds integer
   *  widths into one integer type). */
  readonly introspected?: boolean;
}

export interface BuiltModel {
  readonly model: SchemaModel;
  /** Located warnings (the 2012 dialect's leniencies). */
  readonly warnings: readonly Diagnostic[];
}

export function buildModel(input: ModelInput): BuiltModel {
  const sink = new DiagnosticSink();
  const level = input.level ?? LanguageLevel.of(DEFAULT_QEMU_RELEASE);
  const pragma = input.pragma ?? defaultPragma();
  const builder = new ModelBuilder(sink, level);
  builder.defineBuiltins(input.introspected ?? false);
  builder.define(input.definitions);
  sink.throwIfErrors();

  const ctx = { lookupType: (name: string) => builder.lookupType(name), pragma, level };
  const connected = new Map<DocComment, EntityDoc>();
  const deferred: Diagnostic[] = [];
  for (const ent of builder.entities) {
    try {
      checkEntity(ctx, ent);
    } catch (e) {
      if (e instanceof ModelError) {
        const info = e.where.info ?? undefined;
        sink.report(errorAt(info, e.message, e.where.context ?? undefined, partNotes(e.at, info)));
      } else if (!(e instanceof BrokenDependency)) {
        throw e;
      }
      continue;
    }
    const connection = connectDoc(ent, level, pragma);
    if (connection.problem) sink.report(connection.problem);
    if (connection.deferred) deferred.push(connection.deferred);
    if (connection.doc) {
      ent.doc = connection.doc;
      connected.set(connection.doc.comment, connection.doc);
    }
  }
  for (const d of deferred) sink.report(d);
  if (level.has('featureLimit')) checkFeatureLimit(input.definitions, sink);
  sink.throwIfErrors();

  const modules = assignModules(builder.entities, input.docs ?? [], input.rootFile);
  const docs = (input.docs ?? []).map((c) => connected.get(c) ?? plainDoc(c));
  const entities = builder.entities as readonly Entity[];
  const model: SchemaModel = {
    modules,
    entities,
    docs,
    lookupType: (name) => builder.lookupType(name) as QapiType | undefined,
    lookupEntity: (name) => builder.lookup(name) as Entity | undefined,
  };
  return { model, warnings: sink.warnings };
}

/** QEMU 10.0 numbers a schema's features in a 64-bit mask: at most 64
 *  distinct names, 'deprecated' and 'unstable' counted first. */
const MAX_FEATURES = 64;

function checkFeatureLimit(definitions: readonly SchemaDefinition[], sink: DiagnosticSink): void {
  const names = new Set(['deprecated', 'unstable']);
  for (const def of definitions) {
    if (def.meta === 'include') continue;
    const used = [...def.features];
    if (def.meta === 'enum') for (const v of def.values) used.push(...v.features);
    for (const m of inlineMembers(def)) used.push(...m.features);
    for (const f of used) {
      names.add(f.name);
      if (names.size > MAX_FEATURES) {
        sink.report(
          errorAt(def.info, `the schema uses more than ${MAX_FEATURES} distinct features, the most QEMU allows; '${f.name}' is one too many`, {
            meta: def.meta,
            name: def.name,
          }),
        );
        return;
      }
    }
  }
}

/** The members a definition writes out itself (not through a named type). */
function inlineMembers(def: Definition): readonly MemberDef[] {
  switch (def.meta) {
    case 'struct':
      return def.members;
    case 'union':
      return typeof def.base === 'string' || def.base === null ? [] : def.base;
    case 'command':
    case 'event':
      return typeof def.data === 'string' || def.data === null ? [] : def.data;
    default:
      return [];
  }
}

/** Sorts entities into modules, named by their path relative to the root
 *  file's directory (and, for the dump, as QEMU names them: see
 *  Module.qemuName).  An array type lives with its element type; a
 *  free-form doc comment with the file it stands in. */
function assignModules(entities: readonly AnyEnt[], docs: readonly DocComment[], rootFile: string): Module[] {
  const schemaDir = resolve(dirname(rootFile));
  const names = new Map<string | undefined, string>([[undefined, BUILTIN_MODULE]]);
  const moduleName = (file: string | undefined): string => {
    let name = names.get(file);
    if (name === undefined) {
      name = relative(schemaDir, resolve(file!));
      names.set(file, name);
    }
    return name;
  };
  const qemuName = (file: string): string => (file.startsWith('./') ? file : moduleName(file));
  // A module's QEMU name is that of the path that first named it.
  const qemuNames = new Map<string, string>([
    [BUILTIN_MODULE, BUILTIN_MODULE],
    [moduleName(rootFile), qemuName(rootFile)],
  ]);
  const modules = new Map<string, Entity[]>([
    [BUILTIN_MODULE, []],
    [moduleName(rootFile), []],
  ]);
  for (const ent of entities) {
    if (ent.kind !== 'include') continue;
    ent.included = moduleName(ent.path);
    ent.qemuName = qemuName(ent.path);
    modules.set(ent.included, modules.get(ent.included) ?? []);
    if (!qemuNames.has(ent.included)) qemuNames.set(ent.included, ent.qemuName);
  }
  for (const ent of entities) {
    const owner = ent instanceof ArrayEnt ? (ent.elementType as AnyEnt) : ent;
    const name = moduleName(owner.info?.file);
    ent.module = name;
    let list = modules.get(name);
    if (!list) {
      list = [];
      modules.set(name, list);
    }
    list.push(ent as Entity);
  }
  const overviews = new Map<string, DocComment[]>();
  for (const doc of docs) {
    if (doc.symbol !== null) continue;
    const name = moduleName(doc.loc.file);
    overviews.set(name, [...(overviews.get(name) ?? []), doc]);
  }
  return [...modules].map(([name, list]) => ({
    name,
    qemuName: qemuNames.get(name) ?? name,
    entities: list,
    overview: overviews.get(name) ?? [],
  }));
}
