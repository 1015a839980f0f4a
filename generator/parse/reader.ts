/**
 * Reads a schema: the root file and everything it includes, in order.
 *
 * This is the stage that knows about files.  It turns each file's syntax
 * tree into a flat list of top-level items: definitions (with the
 * documentation comment that precedes them) and include markers.  It
 * applies pragmas, attaches documentation, follows includes (relative to
 * the including file, each file once, refusing cycles) and reports errors
 * in file order.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocBlock, DocSyntaxError } from '../doc/parser.js';
import type { DocComment } from '../doc/types.js';
import {
  DiagnosticSink,
  SchemaError,
  warningAt,
  type Diagnostic,
  type SourceInfo,
  type SourceLocation,
} from '../source/diagnostics.js';
import { type DictNode, type Loc, type TopItemNode } from './ast.js';
import { applyPragma, defaultPragma, type Pragma } from './pragma.js';
import { parseText } from './syntax.js';

export interface DefinitionItem {
  readonly kind: 'definition';
  readonly expr: DictNode;
  readonly info: SourceInfo;
  readonly doc: DocComment | null;
}

export interface IncludeItem {
  readonly kind: 'include';
  /** The included file's path, joined to the including file's directory. */
  readonly path: string;
  readonly info: SourceInfo;
}

export type SchemaItem = DefinitionItem | IncludeItem;

export interface ParsedSchema {
  /** The root file's path, as given. */
  readonly rootFile: string;
  readonly items: readonly SchemaItem[];
  /** Every documentation comment, free-form ones included, in order. */
  readonly docs: readonly DocComment[];
  readonly pragma: Pragma;
  readonly warnings: readonly Diagnostic[];
  /** Every file read, the root first, as paths the schema spells them. */
  readonly files: readonly string[];
}

export interface ReadOptions {
  /** Accept the 2012 dialect. */
  readonly legacy?: boolean;
  /** Reads a file's text; defaults to the file system. */
  readonly readFile?: (path: string) => string;
}

/** Reads and parses a schema; throws SchemaError listing every error. */
export function readSchema(rootFile: string, options: ReadOptions = {}): ParsedSchema {
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

/** Python's os.path.join(os.path.dirname(base), rel): not normalized, so that
 *  messages name included files the way the schema spells them. */
export function joinInclude(base: string, rel: string): string {
  if (rel.startsWith('/')) return rel;
  const slash = base.lastIndexOf('/');
  return slash === -1 ? rel : `${base.slice(0, slash + 1)}${rel}`;
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
};

function describeReadError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return ERRNO_TEXT[code] ?? (e instanceof Error ? e.message : String(e));
}

function infoOf(loc: Loc, includedFrom: readonly SourceLocation[]): SourceInfo {
  return { file: loc.file, line: loc.line, column: loc.column, includedFrom };
}

class SchemaReader {
  readonly sink = new DiagnosticSink();
  readonly items: SchemaItem[] = [];
  readonly docs: DocComment[] = [];
  readonly pragma = defaultPragma();
  readonly files: string[] = [];
  /** Absolute paths of every file read so far. */
  private readonly seen = new Set<string>();
  private readonly legacy: boolean;
  private readonly readFile: (path: string) => string;

  constructor(options: ReadOptions) {
    this.legacy = options.legacy ?? false;
    this.readFile = options.readFile ?? ((p) => readFileSync(p, 'utf8'));
  }

  readRoot(file: string): void {
    let text: string;
    try {
      text = this.readFile(file);
    } catch (e) {
      this.sink.error(undefined, `cannot read the schema file '${file}': ${describeReadError(e)}`);
      return;
    }
    this.readText(file, text, []);
  }

  private readText(file: string, rawText: string, includedFrom: readonly SourceLocation[]): void {
    this.seen.add(resolve(file));
    this.files.push(file);
    const text = rawText.endsWith('\n') ? rawText : `${rawText}\n`;
    const parsed = parseText(text, file, this.legacy);
    for (const slip of parsed.slips) {
      this.sink.report(warningAt(infoOf(slip.loc, includedFrom), `${slip.message} (accepted in legacy mode)`));
    }
    let pendingDoc: DocComment | null = null;
    for (const item of parsed.items) {
      pendingDoc = this.readItem(item, pendingDoc, includedFrom);
    }
    if (parsed.error) {
      this.sink.error(infoOf(parsed.error.loc, includedFrom), parsed.error.message);
    } else {
      this.rejectDanglingDoc(pendingDoc, includedFrom);
    }
  }

  /** Handles one top-level item; returns the documentation comment that the
   *  next definition would take. */
  private readItem(
    item: TopItemNode,
    pendingDoc: DocComment | null,
    includedFrom: readonly SourceLocation[],
  ): DocComment | null {
    const info = infoOf(item.loc, includedFrom);
    if (item.kind === 'doc') {
      this.rejectDanglingDoc(pendingDoc, includedFrom);
      try {
        const docs = parseDocBlock(item, this.legacy);
        this.docs.push(...docs);
        return docs[docs.length - 1] ?? null;
      } catch (e) {
        if (!(e instanceof DocSyntaxError)) throw e;
        this.sink.error(infoOf(e.loc, includedFrom), e.message);
        return null;
      }
    }
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

  private rejectDanglingDoc(doc: DocComment | null, includedFrom: readonly SourceLocation[]): void {
    if (doc && doc.symbol !== null) {
      this.sink.error(
        infoOf(doc.loc, includedFrom),
        `the comment documenting '${doc.symbol}' must be followed directly by that definition`,
      );
    }
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
    const absolute = resolve(path);
    const chain = [info, ...info.includedFrom];
    if (chain.some((frame) => resolve(frame.file) === absolute)) {
      this.sink.error(info, `including '${value.value}' here would loop: it is already being included further up`);
      return;
    }
    if (this.seen.has(absolute)) return;
    let text: string;
    try {
      text = this.readFile(path);
    } catch (e) {
      this.sink.error(info, `cannot read the included file '${path}': ${describeReadError(e)}`);
      return;
    }
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
      const problem = applyPragma(this.pragma, entry.key, entry.value);
      if (problem !== null) {
        this.sink.error(info, problem);
        return;
      }
    }
  }
}
