/**
 * A mutant under construction, and the rough view of schema text the
 * operators aim with: tokens, line starts, and the places where a value,
 * a definition or a documentation line may stand.
 */
import type { CorpusEntry } from '../corpus.js';
import type { Special } from '../mutant.js';
import type { Rng } from '../random.js';

export class Draft {
  readonly files = new Map<string, Buffer>();
  readonly specials: Special[] = [];
  readonly operations: string[] = [];

  constructor(
    readonly corpus: CorpusEntry,
    readonly rng: Rng,
  ) {}

  /** A schema file of the release, the root about as often as any other
   *  (a suite's case: three times in four, as the other files are other
   *  cases, or included by a few). */
  pickFile(): string {
    if (this.corpus.roots && this.rng.chance(0.75)) return this.corpus.root;
    return this.rng.pick([...this.corpus.files.keys()]);
  }

  bytes(name: string): Buffer {
    const b = this.files.get(name) ?? this.corpus.files.get(name);
    if (!b) throw new Error(`fuzz draft: no file '${name}'`);
    return b;
  }

  text(name: string): string {
    return this.bytes(name).toString('utf8');
  }

  setBytes(name: string, bytes: Buffer): void {
    this.files.set(name, bytes);
  }

  setText(name: string, text: string): void {
    this.files.set(name, Buffer.from(text, 'utf8'));
  }

  /** Inserts `insert` at `offset` of a file's text. */
  insert(name: string, offset: number, insert: string): void {
    const text = this.text(name);
    this.setText(name, text.slice(0, offset) + insert + text.slice(offset));
  }

  /** Replaces `[start, end)` of a file's text. */
  replace(name: string, start: number, end: number, replacement: string): void {
    const text = this.text(name);
    this.setText(name, text.slice(0, start) + replacement + text.slice(end));
  }

  /** A file name not yet used by the schema or this draft. */
  freshName(stem: string, extension = '.json'): string {
    for (let i = 0; ; i++) {
      const name = `${stem}${i === 0 ? '' : `-${i}`}${extension}`;
      const taken =
        this.corpus.files.has(name) || this.files.has(name) || this.specials.some((s) => s.path === name || s.path.startsWith(`${name}/`));
      if (!taken) return name;
    }
  }
}

export interface Token {
  readonly start: number;
  readonly end: number;
  readonly kind: 'string' | 'punct' | 'word' | 'comment' | 'other';
}

const TOKEN = /('(?:[^'\\\n]|\\.)*'?)|(#[^\n]*)|([{}[\]:,])|([A-Za-z_][\w-]*)|(\s+)|([^])/gu;

/** Splits schema text into rough tokens (whitespace dropped). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    if (m[5] !== undefined) continue;
    const kind = m[1] !== undefined ? 'string' : m[2] !== undefined ? 'comment' : m[3] !== undefined ? 'punct' : m[4] !== undefined ? 'word' : 'other';
    tokens.push({ start: m.index, end: m.index + m[0].length, kind });
  }
  return tokens;
}

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1 && i + 1 < text.length; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Offsets where a value may stand: after ':', '[' or ','. */
export function valuePositions(text: string): number[] {
  const out: number[] = [];
  for (const t of tokenize(text)) {
    if (t.kind === 'punct' && ':[,'.includes(text[t.start]!)) out.push(t.end);
  }
  return out;
}

/** Offsets where a top-level item may stand: line starts holding '{', and
 *  the end of the text. */
export function topLevelPositions(text: string): number[] {
  return [...lineStarts(text).filter((s) => text[s] === '{'), text.length];
}

/** Line starts of comment lines ('#' first on the line). */
export function commentLines(text: string): number[] {
  return lineStarts(text).filter((s) => /^[ \t]*#/.test(text.slice(s, s + 80)));
}

/** Offsets inside the NAME of documentation tags `# @NAME:`. */
export function tagNamePositions(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/^# @([\w-]+):/gm)) {
    const nameStart = m.index + 3;
    out.push(nameStart + Math.floor(m[1]!.length / 2));
  }
  return out;
}

/** Member and definition names the text spells, for markers that name them. */
export function namesIn(text: string): string[] {
  return [...text.matchAll(/'([a-zA-Z][\w-]*)'/g)].map((m) => m[1]!);
}
