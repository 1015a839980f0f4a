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
import { emitBindings, printBindings, type EmitOptions } from './emit/pipeline.js';
import { completeSettings } from './settings/table.js';
import type { GeneratedFile } from './emit/output/generated-file.js';

export interface GenerateOptions extends EmitOptions {
  readonly schema: string;
  readonly legacy?: boolean | undefined;
  /** The QEMU release whose language the schema is written in ('X.Y'). */
  readonly qemuVersion?: string | undefined;
}

/** What one run produced, and what it read. */
export interface GenerateRun {
  readonly files: readonly GeneratedFile[];
  /** Warnings, formatted as the CLI prints them. */
  readonly warnings: readonly string[];
  /** Absolute paths of the schema files the run read (for --watch). */
  readonly inputs: readonly string[];
}

/** Loads the schema and generates its bindings. */
export async function generate(options: GenerateOptions): Promise<readonly GeneratedFile[]> {
  return (await generateRun(options)).files;
}

/** A generation as the CLI runs it: with the warnings to print and the
 *  schema files read. */
export async function generateRun(options: GenerateOptions): Promise<GenerateRun> {
  const inputs: string[] = [];
  const readFile = (path: string): string => {
    const text = readSchemaFile(path);
    inputs.push(resolve(path));
    return text;
  };
  const { model, warnings } = loadSchema(options.schema, { legacy: options.legacy, qemuVersion: options.qemuVersion, readFile });
  const settings = completeSettings(options);
  const emitted = emitBindings(model, settings);
  const files = printBindings(emitted.files, options.schema, settings);
  return { files, warnings: [...warnings.map((w) => formatDiagnostic(w)), ...emitted.warnings], inputs };
}
