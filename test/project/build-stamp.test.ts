/**
 * Every test exercises the working tree: the built CLI (dist/) and runtime
 * package (runtime/dist/) were compiled from the sources as they are now (the global setup
 * builds before the tests and stamps the build with a hash of its sources).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILD_STAMP_FILE, sourceHash } from '../helpers/build-stamp.js';
import { CLI_ENTRY } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

describe('build stamp', () => {
  it('the built CLI and runtime were compiled from the working tree', () => {
    expect(existsSync(CLI_ENTRY)).toBe(true);
    expect(existsSync(join(PROJECT_ROOT, 'runtime', 'dist', 'index.js'))).toBe(true);
    const stamp = JSON.parse(readFileSync(BUILD_STAMP_FILE, 'utf8')) as { sources: string };
    expect(stamp.sources).toMatch(/^[0-9a-f]{64}$/);
    expect(stamp.sources).toBe(sourceHash());
  });
});
