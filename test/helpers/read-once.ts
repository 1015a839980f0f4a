/**
 * An input reader that reads each source once: a test file that makes
 * several outputs of the same schema (alone, in spans, in both targets)
 * resolves it once.  Sharing the model is sound because a span merges the
 * models it is given and changes none of them (test/span/merge.test.ts,
 * "the models it is given").  One reader per test file: what it holds
 * goes with the file.
 */
import { resolveInput } from '../../generator/input/resolve.js';
import type { InputSource, ResolvedInput } from '../../generator/input/source.js';

export function inputReader(): (source: InputSource) => Promise<ResolvedInput> {
  const reads = new Map<string, Promise<ResolvedInput>>();
  return (source) => {
    const key = JSON.stringify(source);
    let input = reads.get(key);
    if (!input) reads.set(key, (input = resolveInput(source)));
    return input;
  };
}
