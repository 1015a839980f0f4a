/**
 * The one list of reference data: what each ../shared/qemu-X.Y folder
 * holds, read from its layout, with the flags the language table gives its
 * release; a folder of a release the table does not know is an error.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusReleases } from '../../fuzz/corpus.js';
import { SharedDataError, sharedReleases, sharedReleasesWith } from '../../fuzz/shared-data.js';
import { requireShared, SHARED } from '../helpers/shared.js';
import { scratchFolders } from '../helpers/scratch.js';

const scratch = scratchFolders('qapi-ts-shared-');

function layout(files: string[]): string {
  const dir = scratch();
  for (const file of files) {
    if (file.endsWith('/')) {
      mkdirSync(join(dir, file), { recursive: true });
    } else {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), '');
    }
  }
  return dir;
}

describe('sharedReleases', () => {
  const dir = layout([
    'qemu-10.2/qapi/qapi-schema.json',
    'qemu-10.2/expected/qapi-schema.out',
    'qemu-10.2/tests/qapi-schema/',
    'qemu-1.3/qapi-schema.json',
    'qemu-9.2/tests/qapi-schema/',
    'qemu-9.2/docs/qapi-code-gen.rst',
    'qemu-7.2/introspection/',
    'seed/x.txt',
  ]);

  it('lists the qemu-X.Y folders in release order, each with what it holds and its flags', () => {
    const found = sharedReleases(dir).map((r) => ({
      release: r.release,
      schema: r.schema?.root.slice(dir.length + 1) ?? null,
      dump: r.expectedDump !== null,
      suite: r.suite !== null,
      introspection: r.introspection !== null,
      spec: r.spec !== null,
      flags: r.flags.join(' '),
      options: r.options,
    }));
    expect(found).toEqual([
      { release: '1.3', schema: 'qemu-1.3/qapi-schema.json', dump: false, suite: false, introspection: false, spec: false, flags: '--legacy', options: { legacy: true } },
      { release: '7.2', schema: null, dump: false, suite: false, introspection: true, spec: false, flags: '--qemu-version 7.2', options: { qemuVersion: '7.2' } },
      { release: '9.2', schema: null, dump: false, suite: true, introspection: false, spec: true, flags: '--qemu-version 9.2', options: { qemuVersion: '9.2' } },
      { release: '10.2', schema: 'qemu-10.2/qapi/qapi-schema.json', dump: true, suite: true, introspection: false, spec: false, flags: '--qemu-version 10.2', options: { qemuVersion: '10.2' } },
    ]);
  });

  it('selects by what a release holds, and the fuzz corpus is the releases with a whole schema, then the suites', () => {
    expect(sharedReleasesWith('suite', dir).map((r) => r.release)).toEqual(['9.2', '10.2']);
    expect(corpusReleases(dir)).toEqual(['1.3', '10.2', '9.2-suite', '10.2-suite']);
  });

  it('refuses a folder of a release the language table does not know', () => {
    const odd = layout(['qemu-8.3/qapi/qapi-schema.json']);
    expect(() => sharedReleases(odd)).toThrow(SharedDataError);
    expect(() => sharedReleases(odd)).toThrow('QEMU 8.3, a release the language table');
  });

  it('is empty where the folder is absent', () => {
    expect(sharedReleases(join(dir, 'absent'))).toEqual([]);
  });
});

describe.skipIf(!requireShared('.', 'the reference data').available)('../shared itself', () => {
  it('holds the suites of 7.2, 8.2, 9.2 and 10.2, and whole schemas with their dumps of 7.2, 8.2, 10.0 and 10.2', () => {
    expect(sharedReleasesWith('suite', SHARED).map((r) => r.release)).toEqual(['7.2', '8.2', '9.2', '10.2']);
    expect(sharedReleasesWith('expectedDump', SHARED).map((r) => r.release)).toEqual(['7.2', '8.2', '10.0', '10.2']);
    expect(corpusReleases(SHARED)).toEqual(['1.3', '7.2', '8.2', '10.0', '10.2', '7.2-suite', '8.2-suite', '9.2-suite', '10.2-suite']);
  });
});
