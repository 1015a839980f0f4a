/**
 * The front end as one call: read (syntax, includes, pragmas, docs), check
 * each expression's shape, build the checked model, all by the rules of the
 * selected QEMU release.  Each stage collects its errors and fails with a
 * SchemaError listing them.  When a schema fails, the other releases'
 * languages are tried, and the error ends with a note naming the newest
 * that accepts it.
 */
import { parseDocBlock } from './doc/parser.js';
import type { DocComment } from './doc/types.js';
import { buildModel } from './model/index.js';
import type { SchemaModel } from './model/types.js';
import { readSchema } from './parse/reader.js';
import { checkShapes } from './shape/index.js';
import { SchemaError, type Diagnostic } from './source/diagnostics.js';
import { readSchemaFile } from './source/files.js';
import { LanguageLevel, selectLanguage } from './source/language.js';

export interface LoadOptions {
  /** QEMU 1.3's 2012 dialect (cannot be combined with qemuVersion). */
  readonly legacy?: boolean | undefined;
  /** The QEMU release whose language the schema is written in, 'X.Y'
   *  (7.2 to 10.2); default: the newest.  An unknown release throws
   *  LanguageSelectionError. */
  readonly qemuVersion?: string | undefined;
  /** Reads a file's text; defaults to readSchemaFile (regular files only,
   *  at most 16 MiB, UTF-8). */
  readonly readFile?: ((path: string) => string) | undefined;
  /** When the schema fails, try the other languages and name the newest
   *  that accepts it (default true). */
  readonly suggestLanguage?: boolean | undefined;
}

export interface LoadedSchema {
  readonly model: SchemaModel;
  /** The language it was read in. */
  readonly level: LanguageLevel;
  /** Warnings (legacy-mode slips), each located. */
  readonly warnings: readonly Diagnostic[];
  /** Every file the schema consists of, the root first. */
  readonly files: readonly string[];
}

export function loadSchema(rootFile: string, options: LoadOptions = {}): LoadedSchema {
  const level = selectLanguage(options);
  const readFile = options.readFile ?? readSchemaFile;
  try {
    return loadAt(rootFile, level, readFile, false);
  } catch (e) {
    if (!(e instanceof SchemaError) || options.suggestLanguage === false) throw e;
    const other = acceptingLevel(rootFile, level, readFile);
    if (other === null) throw e;
    const note: Diagnostic = { severity: 'note', message: `accepted as ${other.describe()}: pass ${other.flag()}` };
    throw new SchemaError([...e.diagnostics, note], e.warnings, e.files);
  }
}

function loadAt(rootFile: string, level: LanguageLevel, readFile: (path: string) => string, firstErrorOnly: boolean): LoadedSchema {
  const parsed = readSchema<DocComment>(rootFile, {
    level,
    readFile,
    firstErrorOnly,
    readDoc: (block) => parseDocBlock(block, level),
  });
  try {
    const definitions = checkShapes(parsed, { level });
    const { model, warnings } = buildModel({
      definitions,
      rootFile,
      docs: parsed.docs,
      pragma: parsed.pragma,
      level,
    });
    return { model, level, warnings: [...parsed.warnings, ...warnings], files: parsed.files };
  } catch (e) {
    // Later stages fail without the reader's warnings; keep them.
    if (e instanceof SchemaError) throw new SchemaError(e.diagnostics, [...parsed.warnings, ...e.warnings], parsed.files);
    throw e;
  }
}

/** The newest other language that accepts the schema, or null.  Files are
 *  read once; each try stops at its first error. */
function acceptingLevel(rootFile: string, failed: LanguageLevel, readFile: (path: string) => string): LanguageLevel | null {
  const texts = new Map<string, { text: string } | { error: unknown }>();
  const cached = (path: string): string => {
    let entry = texts.get(path);
    if (entry === undefined) {
      try {
        entry = { text: readFile(path) };
      } catch (error) {
        entry = { error };
      }
      texts.set(path, entry);
    }
    if ('error' in entry) throw entry.error;
    return entry.text;
  };
  for (const level of LanguageLevel.all()) {
    if (level === failed) continue;
    try {
      loadAt(rootFile, level, cached, true);
      return level;
    } catch {
      // Not accepted; whatever went wrong, the error to report is the
      // one of the language asked for.
    }
  }
  return null;
}
