/**
 * The configuration symbols a schema's conditions mention, so that a
 * `--if` symbol none of them mentions (usually a typo) can be reported with
 * the ones it nearly matches.
 */
import type { Feature, IfCondition, SchemaModel } from '../model/types.js';
import { nearMisses } from 'qapi-ts-runtime';

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
function conditionSymbols(model: SchemaModel): Set<string> {
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

/** A warning for each `--if` symbol that no condition of the model
 *  mentions, naming the near misses. */
export function unmentionedSymbolWarnings(model: SchemaModel, ifSymbols: readonly string[] | undefined): string[] {
  if (!ifSymbols || ifSymbols.length === 0) return [];
  const mentioned = conditionSymbols(model);
  return ifSymbols
    .filter((s) => !mentioned.has(s))
    .map((s) => {
      const near = nearMisses(s, [...mentioned]);
      const hint = near.length > 0 ? `; did you mean ${near.join(', ')}?` : '';
      return `qapi-ts: warning: --if ${s}: no condition in the schema mentions this symbol${hint}`;
    });
}
