/**
 * The order test files start in, across tiers: the longest first, so that
 * on a machine of few cores the long runs (the nodes tier's nested runs,
 * the fuzz campaign, the compilers) overlap everything else rather than
 * start last.  vitest's own order runs projects one after another by name.
 * A file's length is what vitest recorded of its last run; where there is
 * none (a fresh install, as in CI) its tier's rank stands in.  The unit
 * tier goes last and together, so that its files share workers
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
    const rank = (spec: TestSpecification): number => UNTIMED_RANK[spec.project.name as TierName];
    return [...files].sort((a, b) => {
      const unit = Number(a.project.name === 'unit') - Number(b.project.name === 'unit');
      if (unit !== 0) return unit;
      if (allTimed) return duration(b)! - duration(a)!;
      return rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId);
    });
  }
}
