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
import { defaultPragma, type Pragma } from '../parse/pragma.js';
import type { SchemaDefinition } from '../shape/definitions.js';
import { DiagnosticSink, errorAt, partNotes, type Diagnostic } from '../source/diagnostics.js';
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
  readonly legacy?: boolean;
}

export interface BuiltModel {
  readonly model: SchemaModel;
  /** Located warnings (legacy-mode leniencies). */
  readonly warnings: readonly Diagnostic[];
}

export function buildModel(input: ModelInput): BuiltModel {
  const sink = new DiagnosticSink();
  const legacy = input.legacy ?? false;
  const pragma = input.pragma ?? defaultPragma();
  const builder = new ModelBuilder(sink, legacy);
  builder.defineBuiltins();
  builder.define(input.definitions);
  sink.throwIfErrors();

  const ctx = { lookupType: (name: string) => builder.lookupType(name), pragma, legacy };
  const connected = new Map<DocComment, EntityDoc>();
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
    const { doc, error } = connectDoc(ent, legacy);
    if (error) sink.report(error);
    if (doc) {
      ent.doc = doc;
      connected.set(doc.comment, doc);
    }
  }
  sink.throwIfErrors();

  const modules = assignModules(builder.entities, input.rootFile);
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

/** Sorts entities into modules, named as QEMU names them: relative to the
 *  root file's directory.  An array type lives with its element type. */
function assignModules(entities: readonly AnyEnt[], rootFile: string): Module[] {
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
  const modules = new Map<string, Entity[]>([
    [BUILTIN_MODULE, []],
    [moduleName(rootFile), []],
  ]);
  for (const ent of entities) {
    if (ent.kind !== 'include') continue;
    ent.included = moduleName(ent.path);
    modules.set(ent.included, modules.get(ent.included) ?? []);
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
  return [...modules].map(([name, list]) => ({ name, entities: list }));
}
