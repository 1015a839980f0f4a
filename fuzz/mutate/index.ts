/**
 * Builds mutant number `index` of a run: picks a release, then applies one
 * to three operators drawn by weight.  Everything is drawn from the input's
 * own generator, so (seed, index, corpus list) rebuilds the same mutant.
 */
import type { CorpusEntry } from '../corpus.js';
import type { Mutant } from '../mutant.js';
import { Rng } from '../random.js';
import { Draft } from './draft.js';
import { hostileInclude } from './include-operators.js';
import {
  byteFlip,
  byteInsert,
  deepNesting,
  docMarker,
  hugeString,
  lineEdit,
  longLine,
  oddWhitespace,
  tokenDelete,
  tokenDuplicate,
  tokenTransplant,
  truncate,
  type Operator,
} from './text-operators.js';

/** Every operator, by the name reports use, with its weight. */
export const OPERATORS: readonly (readonly [string, number, Operator])[] = [
  ['byte-flip', 3, byteFlip],
  ['byte-insert', 2, byteInsert],
  ['truncate', 2, truncate],
  ['token-delete', 4, tokenDelete],
  ['token-duplicate', 3, tokenDuplicate],
  ['token-transplant', 4, tokenTransplant],
  ['line-edit', 3, lineEdit],
  ['doc-marker', 5, docMarker],
  ['odd-whitespace', 4, oddWhitespace],
  ['deep-nesting', 2, deepNesting],
  ['huge-string', 2, hugeString],
  ['long-line', 2, longLine],
  ['hostile-include', 3, hostileInclude],
];

export function makeMutant(corpus: readonly CorpusEntry[], seed: number, index: number): Mutant {
  const rng = Rng.forInput(seed, index);
  const entry = rng.pick(corpus);
  // A suite's input is one of its cases.
  const draft = new Draft(entry.roots ? { ...entry, root: rng.pick(entry.roots) } : entry, rng);
  const count = rng.weighted([
    [6, 1],
    [3, 2],
    [1, 3],
  ] as const);
  for (let i = 0; i < count; i++) {
    const operator = rng.weighted(OPERATORS.map(([, w, op]) => [w, op] as const));
    draft.operations.push(operator(draft));
  }
  return {
    seed,
    index,
    corpus: draft.corpus,
    files: draft.files,
    specials: draft.specials,
    operations: draft.operations,
  };
}
