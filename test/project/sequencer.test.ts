/**
 * The order test files start in (test/setup/sequencer.ts): a tier's files
 * together (a worker goes on only to a file of its own tier), the tiers by
 * their longest file, the unit tier last, and in a tier the longest first;
 * without a length for every file, the tiers' rank and the files' names.
 */
import type { TestSpecification, Vitest } from 'vitest/node';
import { describe, expect, it } from 'vitest';
import { TierSequencer } from '../setup/sequencer.js';

const ROOT = '/repo';

/** Files as `tier:path`, with the length vitest recorded of each (or none). */
async function order(files: Record<string, number | undefined>): Promise<string[]> {
  const recorded = new Map(Object.entries(files).filter(([, d]) => d !== undefined));
  const ctx = {
    config: { root: ROOT },
    cache: { getFileTestResults: (key: string) => (recorded.has(key) ? { duration: recorded.get(key)! } : undefined) },
  } as unknown as Vitest;
  const specs = Object.keys(files).map((key) => {
    const [tier, path] = key.split(':') as [string, string];
    return { project: { name: tier }, moduleId: `${ROOT}/${path}` } as unknown as TestSpecification;
  });
  const sorted = await new TierSequencer(ctx).sort(specs);
  return sorted.map((s) => `${s.project.name}:${s.moduleId.slice(ROOT.length + 1)}`);
}

describe('TierSequencer', () => {
  it.each<[string, Record<string, number | undefined>, string[]]>([
    [
      'every file timed: tiers by their longest file, unit last, the longest first in each',
      { 'unit:u1': 9000, 'compiler:c1': 3000, 'nodes:n1': 40000, 'compiler:c2': 20000, 'qemu:q1': 5000, 'unit:u2': 100, 'qemu:q2': 6000 },
      ['nodes:n1', 'compiler:c2', 'compiler:c1', 'qemu:q2', 'qemu:q1', 'unit:u1', 'unit:u2'],
    ],
    [
      'a file without a length: the tiers by rank, the files by name',
      { 'unit:a': 9000, 'qemu:b': 1, 'compiler:z': 5, 'compiler:y': undefined, 'fuzz:x': 2, 'nodes:w': 3 },
      ['nodes:w', 'fuzz:x', 'compiler:y', 'compiler:z', 'qemu:b', 'unit:a'],
    ],
  ])('%s', async (_name, files, want) => {
    expect(await order(files)).toEqual(want);
  });
});
