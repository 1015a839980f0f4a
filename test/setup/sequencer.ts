/**
 * The order test files start in: a tier's files together, the tier whose
 * longest file is longest first, and in a tier the longest file first, so
 * that on a machine of few cores the long runs (the nodes tier's nested
 * runs, the compilers, the fuzz campaign) overlap everything else rather
 * than start last.  vitest's own order runs projects one after another by
 * name.  A tier's files stay together because a worker runs the next file
 * only if it is of its own tier (vitest's pool ends it otherwise, and a new
 * one loads the sources and the compilers again): ordered by length across
 * tiers, a run switched tiers some 55 times instead of 5, and spent a
 * quarter more time importing.  A file's length is what vitest recorded of
 * its last run; where a file has none (a fresh install, as in CI) its
 * tier's rank stands in for the tiers' order, and names order the files.
 * The unit tier goes last, so that its files share workers
 * (vitest.config.ts) instead of each starting one.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import type { TierName } from './tiers.js';

/** Without a recorded time: the tiers whose files take longest first (a
 *  record, so that the type-check wants a place for every tier). */
const UNTIMED_RANK: Record<TierName, number> = { nodes: 0, fuzz: 1, compiler: 2, qemu: 3, process: 4, unit: 5 };

export class TierSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const duration = (spec: TestSpecification): number | undefined =>
      this.ctx.cache.getFileTestResults(`${spec.project.name}:${relative(this.ctx.config.root, spec.moduleId)}`)?.duration;
    const allTimed = files.every((f) => duration(f) !== undefined);
    const tier = (spec: TestSpecification): TierName => spec.project.name as TierName;
    // Each tier's longest file, where every file has a length.
    const longest = new Map<TierName, number>();
    if (allTimed) for (const f of files) longest.set(tier(f), Math.max(longest.get(tier(f)) ?? 0, duration(f)!));
    const tierOrder = (spec: TestSpecification): number => (tier(spec) === 'unit' ? Infinity : allTimed ? -longest.get(tier(spec))! : UNTIMED_RANK[tier(spec)]);
    return [...files].sort((a, b) => {
      const byTier = tierOrder(a) - tierOrder(b) || UNTIMED_RANK[tier(a)] - UNTIMED_RANK[tier(b)];
      if (byTier !== 0) return byTier;
      if (allTimed) return duration(b)! - duration(a)!;
      return a.moduleId.localeCompare(b.moduleId);
    });
  }
}
