/**
 * Reads a schema: the root file and everything it includes, in order.
 *
 * This is the stage that knows about files.  It turns each file's syntax
 * tree into a flat list of top-level items: definitions (with the
 * documentation comment that precedes them) and include markers.  It
 * applies pragmas, attaches documentation, follows includes (relative to
 * the including file, each file once, refusing cycles, and none once an
 * error has been found) and reports errors in file order.
 *
 * It does not know how doc comments are written: the caller passes the
 * doc-comment parser (`readDoc`), and the reader only needs each comment's
 * symbol and place.
 */
import { resolve } from 'node:path';
import type { Pragma } from '../common/pragma.js';
import { defaultPragma } from '../common/pragma.js';
import { describeReadError, MAX_SCHEMA_FILE_BYTES, readSchemaFile, SchemaFileError } from '../source/files.js';
import type { LanguageLevel } from '../source/language.js';
import type { Loc } from '../source/location.js';
import {
  DiagnosticSink,
  errorAt,
  LocatedProblem,
  noteAt,
  SchemaError,
  warningAt,
  type Diagnostic,
  type SourceInfo,
  type SourceLocation,
} from '../source/diagnostics.js';
import { universalNewlines } from '../source/text.js';
import { locOf, type DictNode, type DocBlockNode, type TopItemNode } from './ast.js';
import { applyPragma } from './pragma.js';
import { parseText, type ParsedText } from './syntax.js';

/** What the reader needs to know of a parsed doc comment. */
export interface DocLike {
  /** The documented definition's name; null for free-form documentation. */
  readonly symbol: string | null;
  /** Where the block's opening '##' stands. */
  readonly loc: Loc;
}

/** Parses one documentation block into its comments (more than one where
 *  the language splits a block at headings); throws LocatedProblem. */
export type DocReader<D extends DocLike> = (block: DocBlockNode) => D[];

export interface DefinitionItem<D extends DocLike = DocLike> {
  readonly kind: 'definition';
  readonly expr: DictNode;
  readonly info: SourceInfo;
  readonly doc: D | null;
}

export interface IncludeItem {
  readonly kind: 'include';
  /** The included file's path, joined to the including file's directory. */
  readonly path: string;
  readonly info: SourceInfo;
}

export type SchemaItem<D extends DocLike = DocLike> = DefinitionItem<D> | IncludeItem;

export interface ParsedSchema<D extends DocLike = DocLike> {
  /** The root file's path, as given. */
  readonly rootFile: string;
  readonly items: readonly SchemaItem<D>[];
  /** Every documentation comment, free-form ones included, in order. */
  readonly docs: readonly D[];
  readonly pragma: Pragma;
  readonly warnings: readonly Diagnostic[];
  /** Every file read, the root first, as paths the schema spells them. */
  readonly files: readonly string[];
}

export interface ReadOptions<D extends DocLike> {
  readonly level: LanguageLevel;
  readonly readDoc: DocReader<D>;
  /** Reads a file's text; defaults to readSchemaFile (regular files only,
   *  bounded in size, UTF-8). */
  readonly readFile?: ((path: string) => string) | undefined;
  /** Stop at the first error (for trying other language levels cheaply). */
  readonly firstErrorOnly?: boolean | undefined;
  /** Parses a file's text; defaults to parseText in `level` (a caller that
   *  keeps syntax trees between loads passes its own). */
  readonly parse?: ((text: string, file: string) => ParsedText) | undefined;
}

/** Reads and parses a schema; throws SchemaError listing every error. */
export function readSchema<D extends DocLike>(rootFile: string, options: ReadOptions<D>): ParsedSchema<D> {
  const reader = new SchemaReader(options);
  reader.readRoot(rootFile);
  if (reader.sink.errors.length > 0) throw new SchemaError(reader.sink.errors, reader.sink.warnings, reader.files);
  return {
    rootFile,
    items: reader.items,
    docs: reader.docs,
    pragma: reader.pragma,
    warnings: reader.sink.warnings,
    files: reader.files,
  };
}

/** How deeply includes may nest.  Includes are followed recursively, and a
 *  chain of a few thousand files would overflow the call stack; QEMU's own
 *  reader gives up (RecursionError) at about 250. */
export const MAX_INCLUDE_DEPTH = 500;

/** Python's os.path.join(os.path.dirname(base), rel): not normalized, so that
 *  messages name included files the way the schema spells them. */
export function joinInclude(base: string, rel: string): string {
  if (rel.startsWith('/')) return rel;
  const slash = base.lastIndexOf('/');
  return slash === -1 ? rel : `${base.slice(0, slash + 1)}${rel}`;
}

function infoOf(loc: SourceLocation, includedFrom: readonly SourceLocation[]): SourceInfo {
  return { file: loc.file, line: loc.line, column: loc.column, includedFrom };
}

class SchemaReader<D extends DocLike> {
  readonly sink = new DiagnosticSink();
  readonly items: SchemaItem<D>[] = [];
  readonly docs: D[] = [];
  readonly pragma = defaultPragma();
  readonly files: string[] = [];
  /** Absolute paths of every file read so far. */
  private readonly seen = new Set<string>();
  /** The absolute path of each path met: an include directive compares its
   *  file with each file that includes it, and a schema names few files
   *  many times (QEMU 7.2: 38 files, 300 comparisons). */
  private readonly absolutePaths = new Map<string, string>();
  private readonly level: LanguageLevel;
  private readonly readDoc: DocReader<D>;
  private readonly readFile: (path: string) => string;
  private readonly parse: (text: string, file: string) => ParsedText;
  private readonly firstErrorOnly: boolean;

  constructor(options: ReadOptions<D>) {
    this.level = options.level;
    this.readDoc = options.readDoc;
    this.readFile = options.readFile ?? readSchemaFile;
    this.parse = options.parse ?? ((text, file) => parseText(text, file, this.level));
    this.firstErrorOnly = options.firstErrorOnly ?? false;
  }

  private get failed(): boolean {
    return this.sink.errors.length > 0;
  }

  readRoot(file: string): void {
    const text = this.load(file, undefined, (reason) => `cannot read the schema file '${file}': ${reason}`);
    if (text !== null) this.readText(file, text, []);
  }

  /** A file's text with Python's line ends, or null after reporting why it
   *  cannot be read (at `info`, the include directive, if any). */
  private load(path: string, info: SourceInfo | undefined, describe: (reason: string) => string): string | null {
    let text: string;
    try {
      text = this.readFile(path);
    } catch (e) {
      if (e instanceof SchemaFileError && e.at !== null) {
        const includedFrom = info ? [...info.includedFrom, { file: info.file, line: info.line, column: info.column }] : [];
        this.sink.error({ file: path, ...e.at, includedFrom }, e.message);
      } else {
        this.sink.error(info, describe(describeReadError(e)));
      }
      return null;
    }
    if (text.length > MAX_SCHEMA_FILE_BYTES) {
      this.sink.error(info, describe(`larger than ${MAX_SCHEMA_FILE_BYTES / 1024 / 1024} MiB, the most a schema file may hold`));
      return null;
    }
    return universalNewlines(text);
  }

  private readText(file: string, rawText: string, includedFrom: readonly SourceLocation[]): void {
    this.seen.add(this.absolute(file));
    this.files.push(file);
    const text = rawText.endsWith('\n') ? rawText : `${rawText}\n`;
    const parsed = this.parse(text, file);
    for (const slip of parsed.slips) {
      this.sink.report(warningAt(infoOf(slip.loc, includedFrom), `${slip.message} (accepted in ${this.level.describe()})`));
    }
    let pendingDoc: D | null = null;
    for (const item of parsed.items) {
      if (this.firstErrorOnly && this.failed) return;
      pendingDoc = this.readItem(item, pendingDoc, includedFrom);
    }
    if (this.firstErrorOnly && this.failed) return;
    if (parsed.error) {
      const notes = (parsed.error.notes ?? []).map((n) => noteAt(infoOf(n.loc, []), n.message));
      this.sink.report(errorAt(infoOf(parsed.error.loc, includedFrom), parsed.error.message, undefined, notes));
    } else {
      this.rejectDanglingDoc(pendingDoc, includedFrom);
    }
  }

  /** Handles one top-level item; returns the documentation comment that the
   *  next definition would take. */
  private readItem(item: TopItemNode, pendingDoc: D | null, includedFrom: readonly SourceLocation[]): D | null {
    if (item.kind === 'doc') {
      this.rejectDanglingDoc(pendingDoc, includedFrom);
      return this.readDocBlock(item, includedFrom);
    }
    const info = infoOf(locOf(item), includedFrom);
    if (item.kind !== 'dict') {
      this.sink.error(info, 'only objects (definitions and directives) may stand at the top level');
      return null;
    }
    const first = item.entries[0]?.key;
    if (item.entries.some((e) => e.key === 'include')) {
      this.rejectDanglingDoc(pendingDoc, includedFrom);
      this.readInclude(item, info);
    } else if (item.entries.some((e) => e.key === 'pragma')) {
      this.rejectDanglingDoc(pendingDoc, includedFrom);
      this.readPragma(item, info);
    } else {
      if (pendingDoc && pendingDoc.symbol === null) {
        this.sink.error(
          infoOf(pendingDoc.loc, includedFrom),
          `the comment before this ${first ? `'${first}'` : 'definition'} documents no definition: a definition's comment starts with '@NAME:'`,
        );
      }
      this.items.push({ kind: 'definition', expr: item, info, doc: pendingDoc });
    }
    return null;
  }

  private readDocBlock(block: DocBlockNode, includedFrom: readonly SourceLocation[]): D | null {
    let docs: D[];
    try {
      docs = this.readDoc(block);
    } catch (e) {
      if (!(e instanceof LocatedProblem)) throw e;
      this.sink.error(infoOf(e.loc, includedFrom), e.message);
      return null;
    }
    this.docs.push(...docs);
    const last = docs[docs.length - 1] ?? null;
    if (block.commentAfter !== null && this.level.has('commentAfterDocIsDoc')) {
      // QEMU 9.0 took the comment for the start of another doc comment.
      if (last !== null && last.symbol !== null) {
        this.rejectDanglingDoc(last, includedFrom);
      } else {
        this.sink.error(
          infoOf(block.commentAfter, includedFrom),
          `${this.level.describe()} reads a comment right after a doc comment as the start of another doc comment, and this one does not start with '##': move it away from the doc comment`,
        );
      }
      return null;
    }
    return last;
  }

  private rejectDanglingDoc(doc: D | null, includedFrom: readonly SourceLocation[]): void {
    if (doc && doc.symbol !== null) {
      this.sink.error(
        infoOf(doc.loc, includedFrom),
        `the comment documenting '${doc.symbol}' must be followed directly by that definition`,
      );
    }
  }

  private absolute(path: string): string {
    let absolute = this.absolutePaths.get(path);
    if (absolute === undefined) {
      absolute = resolve(path);
      this.absolutePaths.set(path, absolute);
    }
    return absolute;
  }

  private readInclude(expr: DictNode, info: SourceInfo): void {
    if (expr.entries.length !== 1) {
      this.sink.error(info, "an 'include' directive has only the one key 'include'");
      return;
    }
    const value = expr.entries[0]!.value;
    if (value.kind !== 'string') {
      this.sink.error(info, "'include' takes a file name (a string)");
      return;
    }
    const path = joinInclude(info.file, value.value);
    this.items.push({ kind: 'include', path, info });
    const absolute = this.absolute(path);
    const chain = [info, ...info.includedFrom];
    if (chain.some((frame) => this.absolute(frame.file) === absolute)) {
      this.sink.error(info, `including '${value.value}' here would loop: it is already being included further up`);
      return;
    }
    // QEMU stops at the first error; a file named after one is not read.
    if (this.seen.has(absolute) || this.failed) return;
    if (info.includedFrom.length + 1 > MAX_INCLUDE_DEPTH) {
      this.sink.error(info, `including '${value.value}' here would nest includes more than ${MAX_INCLUDE_DEPTH} deep`);
      return;
    }
    const text = this.load(path, info, (reason) => `cannot read the included file '${path}': ${reason}`);
    if (text === null) return;
    this.readText(path, text, [...info.includedFrom, { file: info.file, line: info.line, column: info.column }]);
  }

  private readPragma(expr: DictNode, info: SourceInfo): void {
    if (expr.entries.length !== 1) {
      this.sink.error(info, "a 'pragma' directive has only the one key 'pragma'");
      return;
    }
    const value = expr.entries[0]!.value;
    if (value.kind !== 'dict') {
      this.sink.error(info, "'pragma' takes an object of pragma names and values");
      return;
    }
    for (const entry of value.entries) {
      const problem = applyPragma(this.pragma, entry.key, entry.value, this.level);
      if (problem !== null) {
        this.sink.error(info, problem);
        return;
      }
    }
  }
}
