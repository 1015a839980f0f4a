/**
 * generate(): from a schema (or a loaded model) to the files of its
 * bindings.  Nothing is written here; the CLI writes (see write.ts).
 */
import { join } from 'node:path';
import { loadSchema } from '../frontend.js';
import type { SchemaModel } from '../model/types.js';
import { emitClientFile } from './client-file.js';
import { wireErrorClasses } from './error-docs.js';
import { emitModuleFile } from './module-file.js';
import { Plan } from './plan.js';
import { emitIndexFile, emitRegistryFile } from './registry-file.js';
import { FormatCache, renderFiles } from './render.js';
import type { FileStructure, GeneratedFile } from './structures.js';
import { DEFAULT_RUNTIME } from './runtime-names.js';
import { loadTemplates, renderHeader } from './templates.js';

export interface EmitOptions {
  /** Defined configuration symbols for `if` conditions; absent keeps all. */
  readonly ifSymbols?: readonly string[] | undefined;
  /** Drop what has the `unstable` feature. */
  readonly noUnstable?: boolean | undefined;
  /** Module specifier of the QMP runtime (default `qapi-ts/runtime`). */
  readonly runtime?: string | undefined;
  /** Where formatted files are cached; null disables the cache.  Default:
   *  `node_modules/.cache/qapi-ts` under the working directory. */
  readonly cacheDir?: string | null | undefined;
  /** Format cache misses in worker threads (default true). */
  readonly workers?: boolean | undefined;
}

export interface GenerateOptions extends EmitOptions {
  readonly schema: string;
  readonly legacy?: boolean | undefined;
  /** The QEMU release whose language the schema is written in ('X.Y'). */
  readonly qemuVersion?: string | undefined;
}

export const DEFAULT_CACHE_DIR = join('node_modules', '.cache', 'qapi-ts');

/** Loads the schema and generates its bindings. */
export async function generate(options: GenerateOptions): Promise<GeneratedFile[]> {
  const { model } = loadSchema(options.schema, { legacy: options.legacy, qemuVersion: options.qemuVersion });
  return generateFromModel(model, options.schema, options);
}

/** Structures of every output file, before printing (fast; pure). */
export function emitStructures(model: SchemaModel, options: EmitOptions = {}): FileStructure[] {
  const runtime = options.runtime ?? DEFAULT_RUNTIME;
  const plan = new Plan(model, { ifSymbols: options.ifSymbols, noUnstable: options.noUnstable }, runtime);
  const { classes: errorClasses, enumType: errorClassEnum } = wireErrorClasses(model, plan.filter);
  const modules: FileStructure[] = [];
  for (const m of model.modules) {
    const file = emitModuleFile(plan, m.name, new Set(errorClasses));
    if (file) modules.push(file);
  }
  const client = emitClientFile(plan, { errorClasses, errorClassEnum });
  const registry = emitRegistryFile(plan, modules);
  const files = [...modules, registry, client];
  return [...files, emitIndexFile(plan, files)];
}

/** Generates from a loaded model; `schemaFile` names the schema in headers. */
export async function generateFromModel(model: SchemaModel, schemaFile: string, options: EmitOptions = {}): Promise<GeneratedFile[]> {
  const files = emitStructures(model, options);
  const header = loadTemplates().header;
  const cacheDir = options.cacheDir === undefined ? DEFAULT_CACHE_DIR : options.cacheDir;
  return renderFiles(files, {
    cache: cacheDir === null ? null : new FormatCache(cacheDir),
    header: (file) => renderHeader(header, schemaFile, file.module),
    workers: options.workers ?? true,
  });
}
