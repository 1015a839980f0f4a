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
import type { GeneratedFile } from './emit/output/generated-file.js';
import { loadSpan, type ReleaseInput } from './load-span.js';
import { SpanError } from './span/merge.js';

export interface GenerateOptions extends EmitOptions {
  /** The schema's root file; or, for bindings that span releases, none
   *  and `releases`. */
  readonly schema?: string | undefined;
  readonly legacy?: boolean | undefined;
  /** The QEMU release whose language the schema is written in ('X.Y'). */
  readonly qemuVersion?: string | undefined;
  /** Bindings that span releases: each release (`X.Y`; `1.3` the 2012
   *  dialect) and its file, a source schema in that release's language or
   *  a captured query-qmp-schema reply. */
  readonly releases?: readonly ReleaseInput[] | Readonly<Record<string, string>> | undefined;
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
  if (options.releases !== undefined) {
    if (options.schema !== undefined) throw new SpanError('give a schema or releases, not both');
    const releases = Array.isArray(options.releases)
      ? (options.releases as readonly ReleaseInput[])
      : Object.entries(options.releases).map(([release, file]) => ({ release, file }));
    const span = loadSpan(releases);
    const emitted = emitBindings(span.model, options);
    const names = span.model.span.releases.map((r) => r.name);
    const files = printBindings(emitted.files, `span of QEMU ${names.join(', ')}`, options);
    return { files, warnings: [...span.warnings.map((w) => formatDiagnostic(w)), ...emitted.warnings], inputs: span.files };
  }
  if (options.schema === undefined) throw new SpanError('give a schema or releases');
  const inputs: string[] = [];
  const readFile = (path: string): string => {
    const text = readSchemaFile(path);
    inputs.push(resolve(path));
    return text;
  };
  const { model, warnings } = loadSchema(options.schema, { legacy: options.legacy, qemuVersion: options.qemuVersion, readFile });
  const emitted = emitBindings(model, options);
  const files = printBindings(emitted.files, options.schema, options);
  return { files, warnings: [...warnings.map((w) => formatDiagnostic(w)), ...emitted.warnings], inputs };
}
