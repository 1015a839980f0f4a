/**
 * Every code block of the documentation is checked, so an example cannot
 * rot: each page of README.md, runtime/README.md, docs/ and examples/
 * (test/helpers/doc-blocks.ts finds them, new pages included), each block
 * by what it is, as its directive or its language says:
 *
 * - `ts`: compiled against generated bindings, and run against QEMU where
 *   it talks to it (doc-blocks.compiler.test.ts, doc-blocks.qemu.test.ts);
 * - `json`: a qapi-ts.config.json, read by the config loader; a project's
 *   other files parsed as JSON;
 * - `sh`: every command checked: a qapi-ts command line parsed by the CLI
 *   itself (its verb, flags and their values; nothing run), `npm run`
 *   naming a script of the page's package.json, `npm install` of a tarball
 *   naming a package and its version as they are; a project's commands
 *   run (doc-blocks.qemu.test.ts);
 * - the CLI's synopsis: every flag it shows is a flag of its verb, and
 *   every verb is shown.
 *
 * A block none of these covers is named in NOT_RUN with the reason; an
 * entry there that names no block, or a block that is covered, fails.
 * Here: what needs no compiler and no process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { parseConfig } from '../../generator/cli/config.js';
import type { CliIo } from '../../generator/cli/io.js';
import { inertProgram } from '../../generator/cli/program.js';
import { docBlocks, docPages, pageFolder, shellCommands, where, type DocBlock } from '../helpers/doc-blocks.js';
import { BINDINGS, installedPackage, PROJECTS, SCENARIOS } from '../helpers/doc-contexts.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

/** Blocks no test compiles or runs: the page, how the block's first line starts, and why. */
const NOT_RUN: readonly { readonly page: string; readonly starts: string; readonly reason: string }[] = [
  { page: 'docs/development.md', starts: '<!-- doc-test: ts bindings=', reason: "the shape of a directive, shown; test/helpers/doc-blocks.ts reads it" },
  { page: 'docs/cli.md', starts: 'In file included from', reason: "an excerpt of check's output; test/frontend/checks.test.ts and cli.test.ts hold the messages" },
  { page: 'docs/introspection.md', starts: 'qapi-schema.json (QEMU 7.2) against', reason: "drift's report, abbreviated; test/compare/drift.qemu.test.ts runs it" },
  { page: 'docs/introspection.md', starts: 'qapi-schema.json (QEMU 1.3) →', reason: "diff's report, abbreviated; test/compare/diff.test.ts runs it" },
  { page: 'docs/testing.md', starts: '{"qmp-recording":1', reason: 'a recording, abbreviated; test/fixtures/recordings/ holds whole ones' },
  { page: 'docs/testing.md', starts: 'replay: connection 1', reason: "a replay's error message; test/testing/replay.test.ts holds it" },
  { page: 'docs/spans.md', starts: 'block-commit: not sent:', reason: "QmpUnavailableError's message; test/runtime/span.test.ts and test/e2e/span-fleet.qemu.test.ts hold it" },
  { page: 'examples/consumer/README.md', starts: 'qemu-system-x86_64 -machine none', reason: 'starting QEMU for the example; test/package/consumer.qemu.test.ts starts it with these flags' },
];

/** The languages each kind of directive is for. */
const KINDS: Readonly<Record<string, readonly string[]>> = {
  ts: ['ts'],
  file: ['ts', 'json'],
  config: ['json'],
  sh: ['sh'],
  synopsis: [''],
};

const blocks = docBlocks();
const notRun = (b: DocBlock): (typeof NOT_RUN)[number] | undefined => NOT_RUN.find((n) => n.page === b.page && b.text.startsWith(n.starts));

/** What a block is checked as: its directive's kind; else, unless NOT_RUN
 *  names it, its language's; null: not checked. */
function kindOf(block: DocBlock): string | null {
  if (block.directive) return block.directive.kind;
  if (notRun(block)) return null;
  return { ts: 'ts', json: 'config', sh: 'sh' }[block.lang] ?? null;
}

describe('the pages', () => {
  it('are found afresh: README.md, runtime/README.md, every page of docs/, every example', () => {
    expect(docPages()).toEqual(expect.arrayContaining(['README.md', 'runtime/README.md', 'docs/cli.md', 'docs/client.md', 'examples/consumer/README.md']));
    expect(blocks.length).toBeGreaterThan(20);
  });

  it('leave no block unchecked but those NOT_RUN names, each for a reason', () => {
    const unchecked = blocks.filter((b) => kindOf(b) === null && notRun(b) === undefined).map(where);
    expect(unchecked, 'give each a doc-test directive (test/helpers/doc-blocks.ts), or name it in NOT_RUN with a reason').toEqual([]);
  });

  it.each(NOT_RUN)('NOT_RUN names a block no test covers: $page, $starts', (entry) => {
    const named = blocks.filter((b) => b.page === entry.page && b.text.startsWith(entry.starts));
    expect(named.map(where)).toHaveLength(1);
    expect(named[0]!.directive, `${where(named[0]!)} has a directive, so it is checked: take it out of NOT_RUN`).toBeNull();
    expect(entry.reason.length).toBeGreaterThan(20);
  });
});

describe.each(blocks.filter((b) => b.directive !== null).map((b) => [where(b), b] as const))('the directive of %s', (_at, block) => {
  it('names a kind for the block, and contexts that exist', () => {
    const d = block.directive!;
    expect(KINDS[d.kind], `unknown kind '${d.kind}'`).toBeDefined();
    expect(KINDS[d.kind]).toContain(block.lang);
    const known: Record<string, readonly string[]> = { ts: ['bindings', 'run'], file: ['project'], sh: ['project'], config: [], synopsis: [] };
    for (const key of Object.keys(d.options)) expect(known[d.kind], `option '${key}'`).toContain(key);
    if (d.options.bindings !== undefined) expect(Object.keys(BINDINGS)).toContain(d.options.bindings);
    if (d.options.run !== undefined) expect(Object.keys(SCENARIOS)).toContain(d.options.run);
    if (d.options.project !== undefined) expect(Object.keys(PROJECTS)).toContain(d.options.project);
    if (d.kind === 'file') {
      expect(d.words).toHaveLength(1);
      expect(d.options.project).toBeDefined();
    } else if (d.kind === 'sh') {
      expect(d.words.filter((w) => w !== 'install' && w !== 'run')).toEqual([]);
      expect(d.words.length > 0).toBe(d.options.project !== undefined);
    } else {
      expect(d.words).toEqual([]);
    }
    if (d.prelude !== '' || d.epilogue !== '') expect(d.kind).toBe('ts');
  });
});

describe.each(blocks.filter((b) => kindOf(b) === 'config' || (b.directive?.kind === 'file' && b.lang === 'json')).map((b) => [where(b), b] as const))(
  'the JSON of %s',
  (_at, block) => {
    it('is read as its file is', () => {
      const file = block.directive?.kind === 'file' ? block.directive.words[0]! : 'qapi-ts.config.json';
      if (file.endsWith('qapi-ts.config.json')) expect(() => parseConfig(block.text, join(PROJECT_ROOT, 'project', file))).not.toThrow();
      else expect(() => JSON.parse(block.text) as unknown).not.toThrow();
    });
  },
);

const silent: CliIo = { stdout: () => {}, stderr: () => {} };

/** What the CLI makes of a command line: null when it parses, else what is wrong. */
async function cliRefusal(args: readonly string[]): Promise<string | null> {
  let said = '';
  const program = await inertProgram(args, { stdout: () => {}, stderr: (t) => (said += t) });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return null;
  } catch (e) {
    return said.trim() || (e instanceof Error ? e.message : String(e));
  }
}

function scriptsOf(block: DocBlock): string[] {
  const manifest = JSON.parse(readFileSync(join(pageFolder(block), 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  return Object.keys(manifest.scripts ?? {});
}

/** Why a command of a shell block is wrong, or null. */
async function commandProblem(words: readonly string[], block: DocBlock): Promise<string | null> {
  const [program, ...args] = words;
  if (program === 'qapi-ts') return cliRefusal(args);
  if (program === 'npx') {
    const [tool, ...rest] = args[0] === '--no-install' ? args.slice(1) : args;
    if (tool === 'qapi-ts') return cliRefusal(rest);
    return tool === 'tsc' || tool === 'vitest' ? null : `npx ${tool}: not a tool of this repository`;
  }
  if (program === 'npm') {
    const [sub, ...rest] = args;
    if (sub === 'run') return scriptsOf(block).includes(rest[0]!) ? null : `npm run ${rest[0]}: no such script in ${join(pageFolder(block), 'package.json')}`;
    if (sub === 'install') {
      for (const arg of rest.filter((a) => !a.startsWith('-'))) {
        if (installedPackage(arg) === undefined && !arg.includes('*')) return `npm install ${arg}: no package installs from that here`;
        if (arg === 'qapi-ts' || arg === 'qapi-ts-runtime') return `npm install ${arg}: not on the npm registry; install the packed tarball`;
        const tarball = /(qapi-ts(?:-runtime)?)-([^/]*)\.tgz$/.exec(arg);
        if (tarball && !tarball[2]!.includes('*')) {
          const manifest = tarball[1] === 'qapi-ts' ? 'package.json' : 'runtime/package.json';
          const version = (JSON.parse(readFileSync(join(PROJECT_ROOT, manifest), 'utf8')) as { version: string }).version;
          if (tarball[2] !== version) return `npm install ${arg}: ${tarball[1]} is at ${version}, so npm pack names it ${tarball[1]}-${version}.tgz`;
        }
      }
      return null;
    }
    return ['ci', 'test', 'pack', 'ls', 'pkg'].includes(sub!) ? null : `npm ${sub}: not a step of this repository`;
  }
  if (program === 'cd') return null;
  return `${program}: no check knows this program; run the block in a project, or name it in NOT_RUN`;
}

describe.each(blocks.filter((b) => kindOf(b) === 'sh').map((b) => [where(b), b] as const))('the commands of %s', (_at, block) => {
  it('are each what the program takes', async () => {
    const project = block.directive?.options.project !== undefined;
    const problems: string[] = [];
    for (const words of shellCommands(block.text)) {
      // A project runs its commands; those of qapi-ts are parsed here too.
      if (project && words[0] !== 'npm' && words[0] !== 'npx' && words[0] !== 'qapi-ts') continue;
      const problem = await commandProblem(words, block);
      if (problem !== null) problems.push(`${words.join(' ')}: ${problem}`);
    }
    expect(problems).toEqual([]);
  });
});

describe.each(blocks.filter((b) => kindOf(b) === 'synopsis').map((b) => [where(b), b] as const))('the synopsis of %s', (_at, block) => {
  /** Each verb's lines (continuations joined). */
  const usages = new Map<string, string>();
  let verb: string | null = null;
  for (const line of block.text.split('\n')) {
    const m = /^qapi-ts (\S+)/.exec(line);
    if (m) usages.set((verb = m[1]!), `${usages.get(m[1]!) ?? ''} ${line}`);
    else if (verb !== null && /^\s+\S/.test(line)) usages.set(verb, `${usages.get(verb)} ${line}`);
  }

  async function verbs(): Promise<Command[]> {
    return [...(await inertProgram([], silent)).commands];
  }

  it('shows every verb of the CLI', async () => {
    expect([...usages.keys()].sort()).toEqual((await verbs()).map((c) => c.name()).sort());
  });

  it('shows only flags its verb takes', async () => {
    const wrong: string[] = [];
    for (const command of await verbs()) {
      const flags = new Set(command.options.flatMap((o) => [o.long, o.short]).filter((f): f is string => f !== undefined));
      for (const [flag] of (usages.get(command.name()) ?? '').matchAll(/(?<![\w-])--?[a-zA-Z][\w-]*/g)) {
        if (!flags.has(flag)) wrong.push(`${command.name()} ${flag}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

describe.each(docPages())('the links of %s', (page) => {
  const text = readFileSync(join(PROJECT_ROOT, page), 'utf8').replace(/^```[\s\S]*?^```$/gm, '');
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);

  it('name files and headings that exist', () => {
    const broken: string[] = [];
    for (const link of links.filter((l) => !/^[a-z]+:/.test(l))) {
      const [file, anchor] = link.split('#') as [string, string | undefined];
      const target = file === '' ? join(PROJECT_ROOT, page) : join(PROJECT_ROOT, dirname(page), file);
      if (!existsSync(target)) {
        broken.push(`${link}: no such file`);
        continue;
      }
      if (anchor === undefined) continue;
      const headings = [...readFileSync(target, 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) => anchorOf(m[1]!));
      if (!headings.includes(anchor)) broken.push(`${link}: no heading '#${anchor}' there`);
    }
    expect(broken).toEqual([]);
  });

  it("link no registry page of qapi-ts's packages (they are not published)", () => {
    expect(links.filter((l) => /npmjs\.(com|org)\/package\/qapi-ts/.test(l))).toEqual([]);
  });
});
