/**
 * The configuration symbols a schema's conditions mention, so that a
 * `--if` symbol none of them mentions (usually a typo) can be reported with
 * the ones it nearly matches.
 */
import type { Feature, IfCondition, SchemaModel } from '../../model/types.js';

function collect(cond: IfCondition | null, into: Set<string>): void {
  if (cond === null) return;
  switch (cond.kind) {
    case 'name':
      into.add(cond.name);
      return;
    case 'not':
      collect(cond.operand, into);
      return;
    default:
      for (const c of cond.operands) collect(c, into);
  }
}

/** Every symbol any condition of the model mentions. */
export function conditionSymbols(model: SchemaModel): Set<string> {
  const symbols = new Set<string>();
  const parts = (list: readonly { readonly ifcond: IfCondition | null; readonly features?: readonly Feature[] }[]): void => {
    for (const p of list) {
      collect(p.ifcond, symbols);
      for (const f of p.features ?? []) collect(f.ifcond, symbols);
    }
  };
  for (const e of model.entities) {
    parts([e]);
    if (e.kind === 'enum') parts(e.members);
    if (e.kind === 'object') parts(e.localMembers);
    if ((e.kind === 'object' || e.kind === 'alternate') && e.variants) parts(e.variants.variants);
  }
  return symbols;
}

/** Edits (insertions, deletions, substitutions, swaps of neighbours) that
 *  turn `a` into `b`. */
function distance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The candidates `word` nearly matches (case aside, a few edits, or one
 *  containing the other), closest first, at most `limit`. */
export function nearMisses(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const w = word.toUpperCase();
  const scored: [string, number][] = [];
  for (const c of candidates) {
    const u = c.toUpperCase();
    const d = distance(w, u);
    if (d <= Math.max(2, Math.floor(w.length / 4)) || (w.length >= 4 && (u.includes(w) || w.includes(u)))) scored.push([c, d]);
  }
  return scored
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([c]) => c);
}

/** A warning for each `--if` symbol that no condition of the model
 *  mentions, naming the near misses. */
export function unmentionedSymbolWarnings(model: SchemaModel, ifSymbols: readonly string[] | undefined): string[] {
  if (!ifSymbols || ifSymbols.length === 0) return [];
  const mentioned = conditionSymbols(model);
  return ifSymbols
    .filter((s) => !mentioned.has(s))
    .map((s) => {
      const near = nearMisses(s, mentioned);
      const hint = near.length > 0 ? `; did you mean ${near.join(', ')}?` : '';
      return `qapi-ts: warning: --if ${s}: no condition in the schema mentions this symbol${hint}`;
    });
}
