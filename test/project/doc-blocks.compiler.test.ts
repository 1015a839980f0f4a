/**
 * Every TypeScript block of the documentation compiles (doc-blocks.test.ts
 * says how the others are checked): each with its directive's prelude and
 * epilogue around it, `./generated/` beside it being the bindings its
 * directive names (the embedded default schema's when it names none),
 * under TypeScript 5 and 7 with the strict settings the bindings are held
 * to (test/helpers/tsc.ts).  One compiler run for every set of bindings.  A
 * project's files are compiled by running the project
 * (doc-blocks.qemu.test.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

/** Each set of bindings the blocks name, with its blocks, where ../shared holds what it needs. */
const contexts = Object.keys(BINDINGS).flatMap((name) => {
  const context = BINDINGS[name]!;
  const mine = blocks.filter((b) => bindingsOf(b) === name);
  if (mine.length === 0) return [];
  const shared = context.shared === null ? { available: true } : requireShared(context.shared, `the documentation's blocks with ${context.what}`);
  return shared.available ? [{ name, context, mine }] : [];
});

// One program per compiler, each set of bindings' blocks in a folder of
// their own beside it as ./generated/: a run per set would parse the
// library's, Node's and the runtime's declarations again for each.
describe.each(COMPILERS)('the TypeScript blocks, under $name', ({ tsc }) => {
  it(`compile, each with its bindings as ./generated/ (${contexts.map((c) => c.context.what).join('; ')})`, async () => {
    // Inside the repository, so that the packages resolve as in a project that installed them.
    const dir = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-docs-blocks-'));
    folders.push(dir);
    const files: string[] = [];
    for (const { name, context, mine } of contexts) {
      const folder = join(dir, name);
      mkdirSync(folder);
      symlinkSync(await context.folder(), join(folder, 'generated'));
      for (const b of mine) {
        writeFileSync(join(folder, blockFile(b)), blockSource(b));
        files.push(join(folder, blockFile(b)));
      }
    }
    expect(files.length).toBe(blocks.filter((b) => contexts.some((c) => c.name === bindingsOf(b))).length);
    const r = await typecheckProject(tsc, dir, 'docs', files, true);
    expect(r.output, `blocks: ${contexts.flatMap((c) => c.mine.map(where)).join(', ')}`).toBe('');
    expect(r.code).toBe(0);
  }, 300_000);
});
