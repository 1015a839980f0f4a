/**
 * Golden output: small schemas of our own that use every construct once
 * (test/fixtures/golden: QEMU 7.2's language; golden-legacy: 2012;
 * golden-docs: every doc-comment construct of QEMU 10.2, and the TSDoc
 * each becomes).
 * Any change to the generated code shows up as a diff of
 * test/fixtures/golden*\/expected/ in review; `vitest -u` accepts it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

const cases = [
  { name: 'golden', legacy: false, qemuVersion: '7.2' },
  { name: 'golden-legacy', legacy: true, qemuVersion: undefined },
  { name: 'golden-docs', legacy: false, qemuVersion: '10.2' },
];

const cacheDir = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-golden-cache-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe.each(cases)('$name', ({ name, legacy, qemuVersion }) => {
  const dir = join(PROJECT_ROOT, 'test', 'fixtures', name);
  const schema = join(dir, 'schema.json');

  it('matches the reviewed output, file by file', async () => {
    const files = await generate({ schema, legacy, qemuVersion, cacheDir: null });
    expect(files.map((f) => f.path)).toMatchSnapshot();
    for (const f of files) await expect(f.content).toMatchFileSnapshot(join(dir, 'expected', f.path));
  });

  it('is deterministic, and the format cache changes nothing', async () => {
    const plain = await generate({ schema, legacy, qemuVersion, cacheDir: null });
    const filling = await generate({ schema, legacy, qemuVersion, cacheDir });
    const cached = await generate({ schema, legacy, qemuVersion, cacheDir });
    expect(filling).toEqual(plain);
    expect(cached).toEqual(plain);
  });
});
