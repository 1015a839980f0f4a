/**
 * The front end as one call: read (syntax, includes, pragmas, docs), check
 * each expression's shape, build the checked model.  Each stage collects
 * its errors and fails with a SchemaError listing them.
 */
import { buildModel } from './model/index.js';
import type { SchemaModel } from './model/types.js';
import { readSchema } from './parse/reader.js';
import { checkShapes } from './shape/index.js';
import { SchemaError, type Diagnostic } from './source/diagnostics.js';

export interface LoadOptions {
  /** Accept the 2012 dialect (QEMU 1.3's schema). */
  readonly legacy?: boolean;
  /** Reads a file's text; defaults to the file system. */
  readonly readFile?: (path: string) => string;
}

export interface LoadedSchema {
  readonly model: SchemaModel;
  /** Warnings (legacy-mode slips), each located. */
  readonly warnings: readonly Diagnostic[];
  /** Every file the schema consists of, the root first. */
  readonly files: readonly string[];
}

export function loadSchema(rootFile: string, options: LoadOptions = {}): LoadedSchema {
  const parsed = readSchema(rootFile, options);
  try {
    const definitions = checkShapes(parsed, options);
    const { model, warnings } = buildModel({
      definitions,
      rootFile,
      docs: parsed.docs,
      pragma: parsed.pragma,
      legacy: options.legacy ?? false,
    });
    return { model, warnings: [...parsed.warnings, ...warnings], files: parsed.files };
  } catch (e) {
    // Later stages fail without the reader's warnings; keep them.
    if (e instanceof SchemaError) throw new SchemaError(e.diagnostics, [...parsed.warnings, ...e.warnings], parsed.files);
    throw e;
  }
}
