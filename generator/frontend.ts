/**
 * The front end as one call: read (syntax, includes, pragmas, docs), check
 * each expression's shape, build the checked model, all by the rules of the
 * selected QEMU release.  Each stage collects its errors and fails with a
 * SchemaError listing them.  When a schema fails, the other releases'
 * languages are tried, and the error ends with a note naming the releases
 * whose language accepts it (see languageHint).
 */
import { parseDocBlock } from './doc/parser.js';
import type { DocComment } from './doc/types.js';
import type { FrontEndCache } from './frontend-cache.js';
import { buildModel } from './model/index.js';
import type { SchemaModel } from './model/types.js';
import { readSchema } from './parse/reader.js';
import { checkShapes } from './shape/index.js';
import { SchemaError, type Diagnostic } from './source/diagnostics.js';
import { readSchemaFile } from './source/files.js';
import {
  describeLanguageHint,
  LanguageLevel,
  LEGACY_RELEASE,
  selectLanguage,
  VERSIONED_RELEASES,
  type LanguageHint,
  type QemuRelease,
} from './source/language.js';

export interface LoadOptions {
  /** QEMU 1.3's 2012 dialect (cannot be combined with qemuVersion). */
  readonly legacy?: boolean | undefined;
  /** The QEMU release whose language the schema is written in, 'X.Y' or
   *  'X.Y.Z' (VERSIONED_RELEASES; a newer one is read in the newest
   *  language, with a warning); default: the newest.  An unknown release
   *  throws LanguageSelectionError. */
  readonly qemuVersion?: string | undefined;
  /** Reads a file's text; defaults to readSchemaFile (regular files only,
   *  at most 16 MiB, UTF-8). */
  readonly readFile?: ((path: string) => string) | undefined;
  /** When the schema fails, try the other languages and name those that
   *  accept it (default true). */
  readonly suggestLanguage?: boolean | undefined;
  /** What a long-running caller keeps between loads of the schema, so that
   *  only what changed is parsed and checked again (frontend-cache.ts). */
  readonly cache?: FrontEndCache | undefined;
}

export interface LoadedSchema {
  readonly model: SchemaModel;
  /** The language it was read in. */
  readonly level: LanguageLevel;
  /** Warnings: the 2012 dialect's slips, each located, and a release
   *  newer than qapi-ts knows (not located). */
  readonly warnings: readonly Diagnostic[];
  /** Every file the schema consists of, the root first. */
  readonly files: readonly string[];
}

export function loadSchema(rootFile: string, options: LoadOptions = {}): LoadedSchema {
  const { level, warning } = selectLanguage(options);
  const chosen: Diagnostic[] = warning === null ? [] : [{ severity: 'warning', message: warning }];
  const readFile = options.readFile ?? readSchemaFile;
  try {
    const loaded = loadAt(rootFile, level, readFile, false, options.cache);
    return { ...loaded, warnings: [...chosen, ...loaded.warnings] };
  } catch (e) {
    if (!(e instanceof SchemaError)) throw e;
    const hint = options.suggestLanguage === false ? null : languageHint(rootFile, level, readFile);
    if (hint === null && chosen.length === 0) throw e;
    const note: Diagnostic[] = hint === null ? [] : [{ severity: 'note', message: describeLanguageHint(hint) }];
    throw new SchemaError([...e.diagnostics, ...note], [...chosen, ...e.warnings], e.files, hint ?? undefined);
  }
}

function loadAt(
  rootFile: string,
  level: LanguageLevel,
  readFile: (path: string) => string,
  firstErrorOnly: boolean,
  cache?: FrontEndCache,
): LoadedSchema {
  cache?.begin(level);
  const parsed = readSchema<DocComment>(rootFile, {
    level,
    readFile,
    firstErrorOnly,
    readDoc: cache ? (block) => cache.readDoc(block) : (block) => parseDocBlock(block, level),
    parse: cache ? (text, file) => cache.parse(text, file) : undefined,
  });
  try {
    const definitions = checkShapes(parsed, { level, reuse: cache ? (item, pragma, check) => cache.reuseDefinition(item, pragma, check) : undefined });
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

/**
 * Which other languages accept the schema, or null if none does.  The
 * hint names the newest run of consecutive releases that accept it (the
 * user finds their own release in it) and suggests the newest of them:
 * a run ends where a later release tightened a rule the schema breaks,
 * so its newest release usually reads the schema by the rules of the
 * release it comes from, where the oldest may not (QEMU 10.0's schema is
 * accepted from 9.0 on, but 9.0 gives QType a prefix and reads doc
 * comments differently).  The 2012 dialect is a run of its own, tried
 * only when no numbered release accepts the schema.  Files are read once;
 * each try stops at its first error.
 */
function languageHint(rootFile: string, failed: LanguageLevel, readFile: (path: string) => string): LanguageHint | null {
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
  const accepts = (release: QemuRelease): boolean => {
    try {
      loadAt(rootFile, LanguageLevel.of(release), cached, true);
      return true;
    } catch {
      // Not accepted; whatever went wrong, the error to report is the
      // one of the language asked for.
      return false;
    }
  };
  const run: QemuRelease[] = [];
  for (const release of [...VERSIONED_RELEASES].reverse()) {
    if (release !== failed.release && accepts(release)) {
      run.unshift(release);
    } else if (run.length > 0) {
      break;
    }
  }
  if (run.length === 0 && failed.release !== LEGACY_RELEASE && accepts(LEGACY_RELEASE)) run.push(LEGACY_RELEASE);
  if (run.length === 0) return null;
  return { accepting: run, suggested: run[run.length - 1]! };
}
