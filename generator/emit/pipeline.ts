/**
 * The emitter's pipeline, in one place, from a checked model to the text of
 * every output file:
 *
 *   1. select  (select/filter.ts)  what the options keep (`--if`, `--no-unstable`);
 *   2. name    (naming/plan.ts)    output files, identifiers, method names;
 *   3. emit    (files/)            one file per QAPI module, then registry.ts,
 *                                  client.ts and index.ts, each as statements
 *                                  (syntax/) built from parts (parts/);
 *   4. print   (output/)           header, then the text of each target, laid
 *                                  out as prettier would lay it out.
 *
 * Emitters take a model and know nothing of where it came from; loading a
 * schema is the front end's, and generator/generate.ts joins the two.
 * Nothing is written here (output/write.ts does that for the CLI).
 */
import type { Int64Mode } from 'qapi-ts-runtime/type-rules';
import type { SchemaModel } from '../model/types.js';
import { emitClientFile } from './files/client-file.js';
import { emitIndexFile } from './files/index-file.js';
import { emitModuleFile } from './files/module-file.js';
import { emitRegistryFile } from './files/registry-file.js';
import { Plan } from './naming/plan.js';
import { DEFAULT_INT64_MODE, DEFAULT_RUNTIME } from './naming/runtime-names.js';
import type { GeneratedFile } from './output/generated-file.js';
import { DEFAULT_TARGET, renderFiles, type OutputTarget } from './output/render.js';
import { loadTemplates, renderHeader } from './output/templates.js';
import { wireErrorClasses } from './parts/error-docs.js';
import { unmentionedSymbolWarnings } from '../select/symbols.js';
import type { FileSyntax } from './syntax/statements.js';

export interface EmitOptions {
  /** Defined configuration symbols for `if` conditions; absent keeps all. */
  readonly ifSymbols?: readonly string[] | undefined;
  /** Drop what has the `unstable` feature. */
  readonly noUnstable?: boolean | undefined;
  /** Keep only these commands and events, and the types they reach. */
  readonly only?: readonly string[] | undefined;
  /** Module specifier of the QMP runtime (default `qapi-ts-runtime`). */
  readonly runtime?: string | undefined;
  /** How the 64-bit integer types are typed and read (default `bigint`). */
  readonly int64?: Int64Mode | undefined;
  /** TypeScript, or JavaScript with declarations (the default). */
  readonly target?: OutputTarget | undefined;
}

export interface EmittedBindings {
  /** Every output file, before printing. */
  readonly files: FileSyntax[];
  /** What the user should know (a `--if` symbol no condition mentions). */
  readonly warnings: string[];
}

/** Steps 1–3: the statements of every output file (fast; pure). */
export function emitBindings(model: SchemaModel, options: EmitOptions = {}): EmittedBindings {
  const plan = new Plan(
    model,
    { ifSymbols: options.ifSymbols, noUnstable: options.noUnstable, only: options.only },
    options.runtime ?? DEFAULT_RUNTIME,
    options.int64 ?? DEFAULT_INT64_MODE,
  );
  const { classes: errorClasses, enumType: errorClassEnum } = wireErrorClasses(model, plan.filter);
  const modules: FileSyntax[] = [];
  for (const m of model.modules) {
    const file = emitModuleFile(plan, m.name, new Set(errorClasses));
    if (file) modules.push(file);
  }
  const client = emitClientFile(plan, { errorClasses, errorClassEnum });
  const registry = emitRegistryFile(plan, modules);
  const files = [...modules, registry, client];
  return { files: [...files, emitIndexFile(plan, files)], warnings: unmentionedSymbolWarnings(model, options.ifSymbols) };
}

/** The statements of every output file, before printing. */
export function emitStructures(model: SchemaModel, options: EmitOptions = {}): FileSyntax[] {
  return emitBindings(model, options).files;
}

/** Step 4: the files' text, each with its header naming `schemaFile`. */
export function printBindings(files: readonly FileSyntax[], schemaFile: string, options: EmitOptions = {}): GeneratedFile[] {
  const header = loadTemplates().header;
  return renderFiles(files, {
    header: (file) => renderHeader(header, schemaFile, file.module),
    target: options.target ?? DEFAULT_TARGET,
  });
}

/** The whole pipeline from a loaded model; `schemaFile` names the schema in headers. */
export async function generateFromModel(model: SchemaModel, schemaFile: string, options: EmitOptions = {}): Promise<GeneratedFile[]> {
  return printBindings(emitBindings(model, options).files, schemaFile, options);
}
