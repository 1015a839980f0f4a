/**
 * The bindings of every release's schema compile under `tsc --strict`
 * (plus the stricter options many projects add), and every doc comment in
 * them is TSDoc that parses without a message: the embedded default
 * schema, QEMU 1.3's (legacy), the whole QMP schemas of QEMU 7.2, 8.2,
 * 10.0 and 10.2, and QEMU's own qapi-schema-test.json of 7.2 and 10.2.
 * Generation runs the built CLI, as a user would; one tsc run checks them
 * all (each run costs seconds of start-up).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY } from '../helpers/cli.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';
import { runNode, typecheck, type RunOutput } from '../helpers/tsc.js';

// @microsoft/tsdoc's ESM build imports without extensions: load its CommonJS one.
const tsdoc = createRequire(import.meta.url)('@microsoft/tsdoc') as typeof import('@microsoft/tsdoc');

const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-tsc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Case {
  readonly name: string;
  readonly schema: string;
  /** The language flags. */
  readonly flags: readonly string[];
  readonly available: boolean;
}

const shared = (name: string, relative: string, flags: readonly string[]): Case => {
  const check = requireShared(relative, `type-checking ${name} bindings`);
  return { name, schema: check.path, flags, available: check.available };
};

const cases: Case[] = [
  { name: 'default', schema: join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json'), flags: ['--legacy'], available: true },
  shared('qemu-1.3', 'qemu-1.3/qapi-schema.json', ['--legacy']),
  shared('qemu-7.2', 'qemu-7.2/qapi/qapi-schema.json', ['--qemu-version', '7.2']),
  shared('qemu-8.2', 'qemu-8.2/qapi/qapi-schema.json', ['--qemu-version', '8.2']),
  shared('qemu-10.0', 'qemu-10.0/qapi/qapi-schema.json', ['--qemu-version', '10.0']),
  shared('qemu-10.2', 'qemu-10.2/qapi/qapi-schema.json', ['--qemu-version', '10.2']),
  shared('qapi-schema-test 7.2', 'qemu-7.2/tests/qapi-schema/qapi-schema-test.json', ['--qemu-version', '7.2']),
  shared('qapi-schema-test 10.2', 'qemu-10.2/tests/qapi-schema/qapi-schema-test.json', ['--qemu-version', '10.2']),
].filter((c) => c.available);

const outDir = (c: Case): string => join(work, c.name.replace(/[^A-Za-z0-9.-]+/g, '-'));

/** Each case's generation, two at a time (the machine may have two cores). */
const generated = new Map<string, Promise<RunOutput>>();
beforeAll(async () => {
  const lanes = [Promise.resolve(), Promise.resolve()];
  cases.forEach((c, i) => {
    const run = lanes[i % lanes.length]!.then(() => runNode([CLI_ENTRY, 'generate', c.schema, ...c.flags, '-o', outDir(c)]));
    generated.set(c.name, run);
    lanes[i % lanes.length] = run.then(() => undefined);
  });
  await Promise.all(lanes);
}, 300_000);

describe('bindings of every release', () => {
  it.each(cases)('$name generates', async (c) => {
    const gen = await generated.get(c.name)!;
    expect(gen.output).toMatch(/file\(s\) (updated|unchanged)/);
    expect(gen.code, gen.output).toBe(0);
  });

  it('pass tsc --strict --noEmit, all in one run', async () => {
    const tsc = await typecheck(cases.map((c) => join(outDir(c), 'index.ts')));
    expect(tsc.output).toBe('');
    expect(tsc.code).toBe(0);
  }, 300_000);

  it.each(cases)('$name: every doc comment is TSDoc without a message', (c) => {
    const configuration = new tsdoc.TSDocConfiguration();
    // QEMU's 'Since:' has no standard TSDoc tag; TypeDoc and others know @since.
    configuration.addTagDefinition(new tsdoc.TSDocTagDefinition({ tagName: '@since', syntaxKind: tsdoc.TSDocTagSyntaxKind.BlockTag }));
    const parser = new tsdoc.TSDocParser(configuration);
    const messages: string[] = [];
    let comments = 0;
    for (const file of readdirSync(outDir(c)).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(outDir(c), file), 'utf8');
      for (const m of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
        comments++;
        for (const msg of parser.parseString(m[0]).log.messages) messages.push(`${file}: ${msg.text}`);
      }
    }
    expect(comments).toBeGreaterThan(0);
    expect(messages).toEqual([]);
  });
});
