/**
 * generate(): from a schema file to the files of its bindings, the one place
 * where the front end (which loads a schema into a model) and the emitter
 * (which takes a model) meet.  Nothing is written here; the CLI writes
 * (emit/output/write.ts).
 */
import { resolve } from 'node:path';
import { formatDiagnostic } from './source/diagnostics.js';
import { loadSchema } from './frontend.js';
import { readSchemaFile } from './source/files.js';
import { generateFromModel, emitBindings, printBindings, type EmitOptions } from './emit/pipeline.js';
import { findCacheDir } from './emit/output/cache-dir.js';
import type { GeneratedFile } from './emit/output/generated-file.js';
import { cachedRun, sha, type CachedRun } from './emit/output/run-cache.js';

export interface GenerateOptions extends EmitOptions {
  readonly schema: string;
  readonly legacy?: boolean | undefined;
  /** The QEMU release whose language the schema is written in ('X.Y'). */
  readonly qemuVersion?: string | undefined;
}

/** Loads the schema and generates its bindings. */
export async function generate(options: GenerateOptions): Promise<GeneratedFile[]> {
  const { model } = loadSchema(options.schema, { legacy: options.legacy, qemuVersion: options.qemuVersion });
  return generateFromModel(model, options.schema, options);
}

/**
 * A generation as the CLI runs it: with the warnings to print and the schema
 * files read (for --watch), through the whole-run cache (`cacheDir`, by
 * default the nearest package's; null for none).
 */
export async function generateRun(options: GenerateOptions): Promise<CachedRun> {
  const cacheDir = options.cacheDir === undefined ? findCacheDir() : options.cacheDir;
  const key = [resolve(options.schema), options.schema, options.legacy ?? false, options.qemuVersion ?? null, options.ifSymbols ?? null, options.noUnstable ?? false, options.runtime ?? null, options.int64 ?? null];
  return cachedRun(cacheDir, key, async () => {
    const inputs: [string, string][] = [];
    const readFile = (path: string): string => {
      const text = readSchemaFile(path);
      inputs.push([resolve(path), sha(text)]);
      return text;
    };
    const { model, warnings } = loadSchema(options.schema, { legacy: options.legacy, qemuVersion: options.qemuVersion, readFile });
    const emitted = emitBindings(model, options);
    const files = await printBindings(emitted.files, options.schema, { ...options, cacheDir });
    return { files, warnings: [...warnings.map((w) => formatDiagnostic(w)), ...emitted.warnings], inputs };
  });
}
