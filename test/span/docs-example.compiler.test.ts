/**
 * docs/spans.md's example compiles, strict, against bindings that span
 * QEMU 7.2 and 10.0 (each release's schema from ../shared), in both
 * targets' declarations, with TypeScript 5 and 7: the documentation cannot
 * drift from the API.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOutput } from '../../generator/cli/writer/directory.js';
import { isGeneratedFile } from '../../generator/emit/templates.js';
import { generate } from '../../generator/generate.js';
import { PROJECT_ROOT, requireShared, SHARED } from '../helpers/shared.js';
import { COMPILERS, typecheckProject } from '../helpers/tsc.js';

const available = ['qemu-7.2/qapi/qapi-schema.json', 'qemu-10.0/qapi/qapi-schema.json'].every((f) => requireShared(f, "docs/spans.md's example").available);
const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-spans-doc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!available)("docs/spans.md's example", () => {
  beforeAll(async () => {
    const files = await generate({ releases: { '7.2': join(SHARED, 'qemu-7.2/qapi/qapi-schema.json'), '10.0': join(SHARED, 'qemu-10.0/qapi/qapi-schema.json') } });
    writeOutput(join(work, 'generated'), files, { owns: isGeneratedFile });
    const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'spans.md'), 'utf8');
    const examples = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(examples).toHaveLength(1);
    writeFileSync(join(work, 'example.ts'), examples[0]!);
  }, 180_000);

  it.each(COMPILERS)('type-checks under --strict, $name', async ({ tsc }) => {
    const r = await typecheckProject(tsc, work, tsc.includes('typescript7') ? 'ts7' : 'ts5', [join(work, 'example.ts')], true);
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  }, 180_000);
});
