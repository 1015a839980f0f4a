/**
 * What a long-running caller (`generate --watch`) keeps between loads of
 * one schema, so that a load after an edit does the front end's work only
 * for what changed: each file's syntax tree by its text, each doc block's
 * comments by its syntax tree, and each definition's checked shape by its
 * syntax tree and everything else its check reads.  A file that changed is
 * parsed again, and each of its top-level items that reads as before (the
 * same text at the same line and column) keeps its earlier syntax tree, so
 * that what did not change keeps its doc comments and checked definition,
 * the very objects, by which a backend tells what it need not emit again.
 * The model is built afresh every time (its checks span the whole schema,
 * and are quick).
 *
 * Nothing is kept on disk.  A cache serves one language: a load in
 * another one starts it afresh.
 */
import type { Definition } from './common/definitions.js';
import type { Pragma } from './common/pragma.js';
import { parseDocBlock } from './doc/parser.js';
import type { DocComment } from './doc/types.js';
import { itemLoc, itemOffset, type DocBlockNode, type TopItemNode } from './parse/ast.js';
import type { DefinitionItem } from './parse/reader.js';
import { parseText, type ParsedText } from './parse/syntax.js';
import type { SourceInfo } from './source/diagnostics.js';
import { LocatedProblem } from './source/diagnostics.js';
import type { LanguageLevel } from './source/language.js';

/** A file as last read. */
interface KeptFile {
  readonly text: string;
  readonly parsed: ParsedText;
  /** The text each top-level item is read from (itemTexts), computed from
   *  the parse of `text` (a kept item's offsets are those of an earlier
   *  text). */
  readonly items: readonly string[];
}

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
  /** Top-level items of a file parsed again that kept their syntax tree. */
  reusedItems: number;
  docsParsed: number;
  reusedDocs: number;
  checked: number;
  reusedDefinitions: number;
}

export class FrontEndCache {
  private level: LanguageLevel | null = null;
  /** Each file's text, syntax tree and the text each top-level item is
   *  read from (itemTexts), by the path the schema spells. */
  private files = new Map<string, KeptFile>();
  private docs = new WeakMap<DocBlockNode, DocComment[] | LocatedProblem>();
  private definitions = new WeakMap<object, CheckedEntry>();
  /** The pragmas of the load under way, and their text. */
  private pragma: { readonly of: Pragma; readonly text: string } | null = null;
  readonly counts: CacheCounts = { parsed: 0, reusedFiles: 0, reusedItems: 0, docsParsed: 0, reusedDocs: 0, checked: 0, reusedDefinitions: 0 };

  /** Starts a load in `level`: a cache of another language is emptied. */
  begin(level: LanguageLevel): void {
    if (this.level !== level) {
      this.files = new Map();
      this.docs = new WeakMap();
      this.definitions = new WeakMap();
      this.level = level;
    }
  }

  /**
   * Forgets the largest file read, as if it had changed: the next load
   * parses it again and keeps none of its items, doc comments or checked
   * definitions, which are made afresh, equal to those forgotten.  A
   * watch's warm-up (cli/generate-jobs.ts) sends it through the path an
   * edit takes.  Returns what puts the file back as it was kept (for a
   * warm-up stopped after the load, before anything used what it made).
   */
  forgetLargest(): () => void {
    let largest: [string, KeptFile] | null = null;
    for (const entry of this.files) if (largest === null || entry[1].text.length > largest[1].text.length) largest = entry;
    if (largest === null) return () => undefined;
    const [file, kept] = largest;
    this.files.delete(file);
    return () => void this.files.set(file, kept);
  }

  /** A file's syntax tree: the kept one while its text is the same. */
  parse(text: string, file: string): ParsedText {
    const kept = this.files.get(file);
    if (kept !== undefined && kept.text === text) {
      this.counts.reusedFiles++;
      return kept.parsed;
    }
    this.counts.parsed++;
    const fresh = parseText(text, file, this.requireLevel());
    const items = itemTexts(text, fresh.items);
    const parsed = kept === undefined ? fresh : this.keepUnchangedItems(kept, fresh, items);
    this.files.set(file, { text, parsed, items });
    return parsed;
  }

  /**
   * The new parse of a file, with each top-level item that reads exactly
   * as an item of the earlier parse replaced by that item's syntax tree.
   * An item reads the same when it starts at the same line and column and
   * the text from its start to the end of the line where the next item
   * starts (or to the end of the file) is the same: an item's tree is made
   * of that text alone (the grammar looks no further past an item than
   * the next item's first token), so the trees are equal, but for the
   * offsets in the file the kept one records: its nodes keep the earlier
   * text (and its lines) they were parsed from, and are located in it,
   * at the same lines and columns.  Only parses without a syntax error
   * take part.
   */
  private keepUnchangedItems(kept: KeptFile, fresh: ParsedText, texts: readonly string[]): ParsedText {
    if (kept.parsed.error !== null || fresh.error !== null) return fresh;
    const earlier = new Map<string, { readonly item: TopItemNode; readonly text: string }>();
    kept.parsed.items.forEach((item, i) => earlier.set(placeKey(item), { item, text: kept.items[i]! }));
    const items = fresh.items.map((item, i) => {
      const same = earlier.get(placeKey(item));
      if (same === undefined || same.text !== texts[i]) return item;
      this.counts.reusedItems++;
      return same.item;
    });
    return { ...fresh, items };
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

/** Where an item stands, as a key: its line and column. */
function placeKey(item: TopItemNode): string {
  const loc = itemLoc(item);
  return `${loc.line}:${loc.column}`;
}

/** The text each item is read from: from its start to the end of the line
 *  where the next item starts (the end of the text for the last). */
function itemTexts(text: string, items: readonly TopItemNode[]): string[] {
  return items.map((item, i) => {
    const next = items[i + 1];
    if (next === undefined) return text.slice(itemOffset(item));
    const lineEnd = text.indexOf('\n', itemOffset(next));
    return text.slice(itemOffset(item), lineEnd < 0 ? text.length : lineEnd);
  });
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
