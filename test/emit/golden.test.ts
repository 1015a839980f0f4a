/**
 * Golden output: small schemas of our own that use every construct once
 * (test/fixtures/golden: QEMU 7.2's language; golden-legacy: 2012;
 * golden-docs: every doc-comment construct of QEMU 10.2, and the TSDoc
 * each becomes), each in both targets: expected/ holds JavaScript and its
 * declarations (the default), expected-ts/ TypeScript.  Any change to the
 * generated code shows up as a diff of test/fixtures/golden*\/expected*\/
 * in review; `vitest -u` accepts it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

const cases = [
  { name: 'golden', legacy: false, qemuVersion: '7.2' },
  { name: 'golden-legacy', legacy: true, qemuVersion: undefined },
  { name: 'golden-docs', legacy: false, qemuVersion: '10.2' },
];
const targets = [
  { target: 'js+dts', folder: 'expected' },
  { target: 'ts', folder: 'expected-ts' },
] as const;

describe.each(cases)('$name', ({ name, legacy, qemuVersion }) => {
  const dir = join(PROJECT_ROOT, 'test', 'fixtures', name);
  const schema = join(dir, 'schema.json');

  it.each(targets)('matches the reviewed output, file by file ($target)', async ({ target, folder }) => {
    const files = await generate({ schema, legacy, qemuVersion, target });
    expect(files.map((f) => f.path)).toMatchSnapshot();
    for (const f of files) await expect(f.content).toMatchFileSnapshot(join(dir, folder, f.path));
  });

  it('is deterministic', async () => {
    expect(await generate({ schema, legacy, qemuVersion })).toEqual(await generate({ schema, legacy, qemuVersion }));
  });
});
