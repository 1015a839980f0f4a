/**
 * docs/fuzzing.md states the fuzzer's bounds; they are the ones it applies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BOUNDS } from '../../fuzz/campaign.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

const readme = readFileSync(join(PROJECT_ROOT, 'docs', 'fuzzing.md'), 'utf8');
const stated = (bound: string): string | undefined => new RegExp(`^\\| ${bound} \\| ([^|]+) \\|`, 'm').exec(readme)?.[1]?.trim();

describe('docs/fuzzing.md', () => {
  it.each([
    ['CPU time', `${DEFAULT_BOUNDS.cpuMs / 1000} s`],
    ['wall time', `${DEFAULT_BOUNDS.wallMs / 1000} s`],
    ['resident memory', `${DEFAULT_BOUNDS.memoryMiB / 1024} GiB`],
  ])('states the %s bound the fuzzer applies', (bound, want) => {
    expect(stated(bound)).toBe(want);
  });
});
