/**
 * Every test exercises the working tree: the build (`npm run build`, which
 * the global setup runs) ends by writing into dist/ and runtime/dist/ a hash
 * of the sources it compiled (build/stamp.mjs); here the working tree is
 * hashed by the same function and the two must agree.  The CLI the tests
 * run, and the runtime it loads, must be the ones in those stamped folders.
 */
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_DIRS, readStamp, SKIPPED_DIRS, SOURCE_DIRS, SOURCE_FILES, sourceHash } from '../../build/stamp.mjs';
import { CLI_ENTRY } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

const HASH = /^[0-9a-f]{64}$/;

/** Whether `path` lies inside `dir`. */
const inside = (dir: string, path: string): boolean => !relative(dir, path).startsWith('..');

describe('build stamp', () => {
  const working = sourceHash(PROJECT_ROOT);

  it.each(BUILT_DIRS)('%s was built from the working tree', (dir) => {
    const stamp = readStamp(join(PROJECT_ROOT, dir));
    expect(stamp, `${dir} has no build stamp: was it built by \`npm run build\`?`).toMatch(HASH);
    expect(stamp, `${dir} was built from other sources than the working tree's`).toBe(working);
  });

  it('the CLI under test, and the runtime it loads, are the stamped builds', () => {
    const dist = join(PROJECT_ROOT, 'dist');
    expect(inside(dist, CLI_ENTRY)).toBe(true);
    // Resolved as the built CLI resolves it (the workspace link in node_modules).
    const runtimeEntry = realpathSync(createRequire(CLI_ENTRY).resolve('qapi-ts-runtime'));
    expect(inside(join(PROJECT_ROOT, 'runtime', 'dist'), runtimeEntry)).toBe(true);
  });

  describe('fails for a build of other sources', () => {
    // A copy of the sources the hash covers (the built folders and
    // node_modules left out, as the hash leaves them out); nothing is built.
    const copy = mkdtempSync(join(tmpdir(), 'qapi-ts-stamp-'));
    beforeAll(() => {
      for (const entry of [...SOURCE_DIRS, ...SOURCE_FILES]) {
        cpSync(join(PROJECT_ROOT, entry), join(copy, entry), { recursive: true, filter: (from) => !SKIPPED_DIRS.has(basename(from)) });
      }
    });
    afterAll(() => rmSync(copy, { recursive: true, force: true }));

    it('an unchanged copy hashes as the working tree does (the hash depends on content, not place)', () => {
      expect(sourceHash(copy)).toBe(working);
    });

    it.each([
      ['a generator source', join('generator', 'cli', 'main.ts')],
      ['a runtime source', join('runtime', 'client.ts')],
      ['the grammar', join('grammar', 'qapi.peggy')],
    ])('%s changed by one byte: its hash is not the stamp in dist/', (_what, file) => {
      const path = join(copy, file);
      const original = readFileSync(path);
      try {
        writeFileSync(path, Buffer.concat([original, Buffer.from('\n')]));
        const other = sourceHash(copy);
        expect(other).toMatch(HASH);
        expect(other).not.toBe(readStamp(join(PROJECT_ROOT, 'dist')));
      } finally {
        writeFileSync(path, original);
      }
    });
  });
});
