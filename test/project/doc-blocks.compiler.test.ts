/**
 * Every TypeScript block of the documentation compiles (doc-blocks.test.ts
 * says how the others are checked): each with its directive's prelude and
 * epilogue around it, `./generated/` beside it being the bindings its
 * directive names (the embedded default schema's when it names none),
 * under TypeScript 5 and 7 with the strict settings the bindings are held
 * to (test/helpers/tsc.ts).  One compiler run per set of bindings.  A
 * project's files are compiled by running the project
 * (doc-blocks.qemu.test.ts).
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blockFile, blockSource, docBlocks, where, type DocBlock } from '../helpers/doc-blocks.js';
import { BINDINGS } from '../helpers/doc-contexts.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';
import { COMPILERS, typecheckProject } from '../helpers/tsc.js';

/** The TypeScript blocks that stand alone (a project's files are its own). */
const blocks = docBlocks().filter((b) => (b.directive === null ? b.lang === 'ts' : b.directive.kind === 'ts'));
const bindingsOf = (b: DocBlock): string => b.directive?.options.bindings ?? 'default';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

describe.each(Object.keys(BINDINGS).filter((name) => blocks.some((b) => bindingsOf(b) === name)))('the TypeScript blocks with the %s bindings', (name) => {
  const context = BINDINGS[name]!;
  const shared = context.shared === null ? { available: true } : requireShared(context.shared, `the documentation's blocks with ${context.what}`);
  const mine = blocks.filter((b) => bindingsOf(b) === name);

  it.skipIf(!shared.available).each(COMPILERS)(`compile with ${context.what} as ./generated/, under $name`, async ({ tsc }) => {
    // Inside the repository, so that the packages resolve as in a project that installed them.
    const dir = mkdtempSync(join(PROJECT_ROOT, 'test', `.out-docs-${name}-`));
    folders.push(dir);
    symlinkSync(await context.folder(), join(dir, 'generated'));
    for (const b of mine) writeFileSync(join(dir, blockFile(b)), blockSource(b));
    const r = await typecheckProject(tsc, dir, 'docs', mine.map((b) => join(dir, blockFile(b))), true);
    expect(r.output, `blocks: ${mine.map(where).join(', ')}`).toBe('');
    expect(r.code).toBe(0);
  }, 300_000);
});
