/**
 * What a long-running caller (`generate --watch`) keeps between loads of
 * one schema, so that a load after an edit does the front end's work only
 * for what changed: each file's syntax tree by its text, each doc block's
 * comments by its syntax tree, and each definition's checked shape by its
 * syntax tree and everything else its check reads.  The model is built
 * afresh every time (its checks span the whole schema, and are quick).
 *
 * Nothing is kept on disk.  A cache serves one language: a load in
 * another one starts it afresh.
 */
import type { Definition } from './common/definitions.js';
import type { Pragma } from './common/pragma.js';
import { parseDocBlock } from './doc/parser.js';
import type { DocComment } from './doc/types.js';
import type { DocBlockNode } from './parse/ast.js';
import type { DefinitionItem } from './parse/reader.js';
import { parseText, type ParsedText } from './parse/syntax.js';
import type { SourceInfo } from './source/diagnostics.js';
import { LocatedProblem } from './source/diagnostics.js';
import type { LanguageLevel } from './source/language.js';

/** A checked definition, with what its check read besides its syntax. */
interface CheckedEntry {
  readonly definition: Definition;
  readonly info: SourceInfo;
  readonly doc: DocComment | null;
  readonly pragma: string;
}

/** Counts of the work a load did and the work it was spared (for tests
 *  and the bench). */
export interface CacheCounts {
  parsed: number;
  reusedFiles: number;
  docsParsed: number;
  reusedDocs: number;
  checked: number;
  reusedDefinitions: number;
}

export class FrontEndCache {
  private level: LanguageLevel | null = null;
  /** Each file's text and syntax tree, by the path the schema spells. */
  private files = new Map<string, { readonly text: string; readonly parsed: ParsedText }>();
  private docs = new WeakMap<DocBlockNode, DocComment[] | LocatedProblem>();
  private definitions = new WeakMap<object, CheckedEntry>();
  /** The pragmas of the load under way, and their text. */
  private pragma: { readonly of: Pragma; readonly text: string } | null = null;
  readonly counts: CacheCounts = { parsed: 0, reusedFiles: 0, docsParsed: 0, reusedDocs: 0, checked: 0, reusedDefinitions: 0 };

  /** Starts a load in `level`: a cache of another language is emptied. */
  begin(level: LanguageLevel): void {
    if (this.level !== level) {
      this.files = new Map();
      this.docs = new WeakMap();
      this.definitions = new WeakMap();
      this.level = level;
    }
  }

  /** A file's syntax tree: the kept one while its text is the same. */
  parse(text: string, file: string): ParsedText {
    const kept = this.files.get(file);
    if (kept !== undefined && kept.text === text) {
      this.counts.reusedFiles++;
      return kept.parsed;
    }
    this.counts.parsed++;
    const parsed = parseText(text, file, this.requireLevel());
    this.files.set(file, { text, parsed });
    return parsed;
  }

  /** A doc block's comments (or its error): the kept ones for a block of a
   *  kept syntax tree. */
  readDoc(block: DocBlockNode): DocComment[] {
    let result = this.docs.get(block);
    if (result === undefined) {
      this.counts.docsParsed++;
      try {
        result = parseDocBlock(block, this.requireLevel());
      } catch (e) {
        if (!(e instanceof LocatedProblem)) throw e;
        result = e;
      }
      this.docs.set(block, result);
    } else {
      this.counts.reusedDocs++;
    }
    if (result instanceof LocatedProblem) throw result;
    return result;
  }

  /** A definition's checked shape: the kept one while its syntax tree, its
   *  place (include chain too), its doc comment and the pragmas are the
   *  same; otherwise `check`'s, kept when it succeeds. */
  reuseDefinition(item: DefinitionItem<DocComment>, pragma: Pragma, check: () => Definition | null): Definition | null {
    if (this.pragma?.of !== pragma) this.pragma = { of: pragma, text: pragmaText(pragma) };
    const pragmaKey = this.pragma.text;
    const kept = this.definitions.get(item.expr);
    if (kept !== undefined && kept.doc === item.doc && kept.pragma === pragmaKey && sameInfo(kept.info, item.info)) {
      this.counts.reusedDefinitions++;
      return kept.definition;
    }
    this.counts.checked++;
    const definition = check();
    if (definition !== null) this.definitions.set(item.expr, { definition, info: item.info, doc: item.doc, pragma: pragmaKey });
    return definition;
  }

  private requireLevel(): LanguageLevel {
    if (this.level === null) throw new Error('FrontEndCache used before begin()');
    return this.level;
  }
}

/** The pragmas as one string, to tell whether any changed. */
function pragmaText(p: Pragma): string {
  const list = (s: ReadonlySet<string>): string[] => [...s].sort();
  return JSON.stringify([
    p.docRequired,
    list(p.commandNameExceptions),
    list(p.commandReturnsExceptions),
    list(p.memberNameExceptions),
    list(p.documentationExceptions),
  ]);
}

function sameInfo(a: SourceInfo, b: SourceInfo): boolean {
  if (a.file !== b.file || a.line !== b.line || a.column !== b.column) return false;
  if (a.includedFrom.length !== b.includedFrom.length) return false;
  return a.includedFrom.every((f, i) => {
    const g = b.includedFrom[i]!;
    return f.file === g.file && f.line === g.line && f.column === g.column;
  });
}
