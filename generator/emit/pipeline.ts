/**
 * The emitter's pipeline, in one place, from a checked model to the text of
 * every output file:
 *
 *   1. select  (../select/)        what the settings keep (`--if`, `--no-unstable`,
 *                                  `--only`), shared with every backend;
 *   2. name    (naming/plan.ts)    output files, identifiers, method names;
 *   3. emit    (files/)            one file per QAPI module, then registry.ts,
 *                                  client.ts and index.ts, each as statements
 *                                  (syntax/) built from parts (parts/);
 *   4. print   (output/)           header, then the text of each target, laid
 *                                  out as prettier would lay it out.
 *
 * Emitters take a model and know nothing of where it came from; the input
 * resolver (../input/) makes models, and the TypeScript backend
 * (../backends/typescript.ts) runs these steps.  Nothing is written here:
 * the CLI's writer (cli/writer/) writes.
 */
import type { EnumType, SchemaModel } from '../model/types.js';
import { Filter } from '../select/filter.js';
import { unmentionedSymbolWarnings } from '../select/symbols.js';
import { completeSettings, type Settings } from '../settings/table.js';
import { emitClientFile, type ClientParts } from './files/client-file.js';
import { emitIndexFile } from './files/index-file.js';
import { emitModuleFile, type EntityParts } from './files/module-file.js';
import { emitRegistryFile } from './files/registry-file.js';
import { emitSpanFile } from './files/span-file.js';
import { Plan } from './naming/plan.js';
import type { GeneratedFile } from './output/generated-file.js';
import type { PrintedStatements } from './output/print-file.js';
import { renderFiles } from './output/render.js';
import { headerTemplate, renderHeader } from './templates.js';
import { wireErrorClasses } from './parts/error-docs.js';
import type { FileSyntax } from './syntax/statements.js';

/** Settings as the library takes them: any left out get their defaults. */
export type EmitOptions = Partial<Settings>;

export interface EmittedBindings {
  /** Every output file, before printing. */
  readonly files: FileSyntax[];
  /** What the user should know (a `--if` symbol no condition mentions). */
  readonly warnings: string[];
}

/**
 * Where a caller that emits again and again (kept.ts) answers with a
 * file's statements from an earlier run, when nothing they are made of
 * changed; `emit` makes them afresh.
 */
export interface FileReuse {
  /** `emit` takes what the caller keeps of each entity's part of the file. */
  module(name: string, emit: (parts: EntityParts) => FileSyntax | null): FileSyntax | null;
  /** `emit` takes what the caller keeps of each command's and event's part of client.ts. */
  client(emit: (parts: ClientParts) => FileSyntax): FileSyntax;
  /** registry.ts, which lists the module files' tables. */
  registry(modules: readonly FileSyntax[], emit: () => FileSyntax): FileSyntax;
}

/** A FileReuse for a run's plan and wire error classes, or null where
 *  nothing is reused. */
export type ReuseFor = (plan: Plan, errorClasses: readonly string[], errorClassEnum: EnumType | null) => FileReuse | null;

/** Steps 2–3 for a selection made: the statements of every output file (fast; pure). */
export function emitSelected(model: SchemaModel, selection: Filter, settings: Settings, reuseFor?: ReuseFor): FileSyntax[] {
  const plan = new Plan(model, selection, settings);
  const { classes: errorClasses, enumType: errorClassEnum } = wireErrorClasses(model, plan.filter);
  const reuse = reuseFor?.(plan, errorClasses, errorClassEnum) ?? null;
  const modules: FileSyntax[] = [];
  for (const m of model.modules) {
    const emit = (parts?: EntityParts): FileSyntax | null => emitModuleFile(plan, m.name, new Set(errorClasses), parts);
    const file = reuse === null ? emit() : reuse.module(m.name, emit);
    if (file) modules.push(file);
  }
  const emitClient = (parts?: ClientParts): FileSyntax => emitClientFile(plan, { errorClasses, errorClassEnum }, parts);
  const client = reuse === null ? emitClient() : reuse.client(emitClient);
  const emitRegistry = (): FileSyntax => emitRegistryFile(plan, modules);
  const registry = reuse === null ? emitRegistry() : reuse.registry(modules, emitRegistry);
  const files = [...modules, registry, client, ...(plan.span ? [emitSpanFile(plan)] : [])];
  return [...files, emitIndexFile(plan, files)];
}

/** Steps 1–3: the statements of every output file, and the selection's warnings. */
export function emitBindings(model: SchemaModel, options: EmitOptions = {}): EmittedBindings {
  const settings = completeSettings(options);
  return { files: emitSelected(model, new Filter(model, settings), settings), warnings: unmentionedSymbolWarnings(model, settings.ifSymbols) };
}

/** The statements of every output file, before printing. */
export function emitStructures(model: SchemaModel, options: EmitOptions = {}): FileSyntax[] {
  return emitBindings(model, options).files;
}

/** Step 4: the files' text, each with its header naming `schemaFile`. */
export function printBindings(files: readonly FileSyntax[], schemaFile: string, settings: Settings, printed?: PrintedStatements): GeneratedFile[] {
  const header = headerTemplate();
  return renderFiles(files, {
    header: (file) => renderHeader(header, schemaFile, file.module),
    target: settings.target,
    printed,
  });
}

/** The whole pipeline from a loaded model; `schemaFile` names the schema in headers. */
export function generateFromModel(model: SchemaModel, schemaFile: string, options: EmitOptions = {}): GeneratedFile[] {
  const settings = completeSettings(options);
  return printBindings(emitBindings(model, settings).files, schemaFile, settings);
}
