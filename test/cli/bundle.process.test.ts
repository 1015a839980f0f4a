/**
 * The built CLI runs from one bundled file (build/bundle.mjs), compiled
 * with the code cache the build made for this Node's V8 under a short
 * run's flags; a long run's flags differ, and V8 refuses the cache there
 * rather than run code compiled for other flags.  Under another Node (the
 * nodes tier runs these tests on a build made by the machine's Node) there
 * is no cache for its V8, and the bundle is compiled as it runs.  What the
 * bundle does is what every test of the built CLI checks.  `check` loads
 * a bundle of its own, without the other verbs' code, with a cache trained
 * on checks alone (smaller files to read); other verbs the whole CLI's.
 * The package's bin is the entry bundled too (main.cjs), and says what
 * main.js says.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../generator/cli/io.js';
import { runBuilt } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

const CLI_DIR = join(PROJECT_ROOT, 'dist', 'generator', 'cli');
/** Whether the build ran under this Node's V8, and so made its caches. */
const BUILT_HERE = existsSync(join(CLI_DIR, `qapi-ts.cjs.v8-${process.versions.v8}.cache`));

/** How the built loader loads the CLI in a fresh process with the V8 flags
 *  main.js would set for `argv`. */
function loadedFor(argv: readonly string[]): { from: string; kind: string; cache: string } {
  const url = (file: string): string => JSON.stringify(pathToFileURL(join(CLI_DIR, file)).href);
  const program = `
    import { setFlagsFromString } from 'node:v8';
    const { v8FlagsFor } = await import(${url('v8-flags.js')});
    for (const flag of v8FlagsFor(${JSON.stringify(argv)})) setFlagsFromString(flag);
    const { loadCli } = await import(${url('bundle.js')});
    const { from, kind, cache } = await loadCli(${JSON.stringify(argv)});
    console.log(JSON.stringify({ from, kind, cache }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { from: string; kind: string; cache: string };
}

describe('the bundled CLI', () => {
  it("is built twice, the whole CLI and check's own, each with a code cache for the V8 that built it; check's are the smaller", () => {
    const files = readdirSync(CLI_DIR).filter((f) => /^qapi-ts.*\.cjs/.test(f));
    expect(files.map((f) => f.replace(/v8-.*\.cache$/, 'v8-V.cache')).sort()).toEqual([
      'qapi-ts-check.cjs',
      'qapi-ts-check.cjs.v8-V.cache',
      'qapi-ts.cjs',
      'qapi-ts.cjs.v8-V.cache',
    ]);
    const size = (name: string) => statSync(join(CLI_DIR, files.find((f) => f.startsWith(name))!)).size;
    expect(size('qapi-ts-check.cjs')).toBeLessThan(size('qapi-ts.cjs') * 0.7);
    expect(size('qapi-ts-check.cjs.v8-')).toBeLessThan(size('qapi-ts.cjs.v8-') * 0.6);
  });

  it("check's leaves out the other verbs' code: the emitter, the QMP command, the shell", () => {
    const modules = (file: string) => [...readFileSync(join(CLI_DIR, file), 'latin1').matchAll(/^\/\/ (\S+\.js)$/gm)].map((m) => m[1]!);
    const whole = modules('qapi-ts.cjs');
    const check = modules('qapi-ts-check.cjs');
    for (const verb of ['dist/generator/emit/', 'dist/generator/cli/qmp-command.js', 'dist/generator/cli/shell-command.js', 'dist/generator/cli/generate-command.js']) {
      expect(whole.some((m) => m.startsWith(verb)), verb).toBe(true);
      expect(check.some((m) => m.startsWith(verb)), verb).toBe(false);
    }
    expect(check).toContain('dist/grammar/parser.js');
  });

  // The loader gives check's bundle every command line whose verb is
  // `check`; for those the whole CLI builds the same program.
  it.each([
    ['a valid schema', 0, ['check', join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json'), '--legacy']],
    ['a file that is no schema', 1, ['check', join(PROJECT_ROOT, 'package.json')]],
    ['a schema with an error', 1, ['check', join(PROJECT_ROOT, 'build', 'code-cache', 'classic.json'), '--qemu-version', '10.2']],
    ['help', 0, ['check', '--help']],
    ['help asked first', 0, ['--help', 'check']],
    ['no schema', 2, ['check']],
    ['an unknown flag', 2, ['check', 'x.json', '--bogus']],
    ['an unknown release', 2, ['check', 'x.json', '--qemu-version', '6.0']],
  ] as const)("check's bundle says what the whole CLI says, given %s (exit %i)", async (what, exit, argv) => {
    const require = createRequire(import.meta.url);
    const run = async (file: string) => {
      const { runCli } = require(join(CLI_DIR, file)) as { runCli: (argv: string[], io: CliIo) => Promise<number> };
      let out = '';
      let err = '';
      const code = await runCli([...argv], { stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
      return { code, out, err };
    };
    const [check, whole] = [await run('qapi-ts-check.cjs'), await run('qapi-ts.cjs')];
    expect(check).toEqual(whole);
    expect(check.code).toBe(exit);
    // Quiet only where all is well.
    expect(check.out + check.err === '').toBe(what === 'a valid schema');
  });

  it.each(['qapi-ts.cjs', 'qapi-ts-check.cjs'])('%s is ASCII, which the loader reads as Latin-1 (one byte a character)', (file) => {
    const bytes = readFileSync(join(CLI_DIR, file));
    expect(bytes.length).toBeGreaterThan(100_000);
    expect(bytes.findIndex((b) => b > 0x7f)).toBe(-1);
  });

  it.each([
    ['check', 'check', BUILT_HERE ? 'accepted' : 'absent', ['check', 'schema.json']],
    ['a short run of another verb', 'cli', BUILT_HERE ? 'accepted' : 'absent', ['generate', 'schema.json', '-o', 'out']],
    ['a long run (other V8 flags)', 'cli', BUILT_HERE ? 'rejected' : 'absent', ['generate', '--watch', 'schema.json', '-o', 'out']],
  ])('%s loads the bundle %s; V8 has its cache %s', (_what, kind, cache, argv) => {
    expect(loadedFor(argv)).toEqual({ from: 'bundle', kind, cache });
  });

  it('leaves nothing in the temporary directory, under any Node', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'qapi-ts-bundle-tmp-'));
    try {
      const r = spawnSync(process.execPath, [join(CLI_DIR, 'main.js'), 'check', join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json'), '--legacy'], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, TMPDIR: tmp },
      });
      expect([r.status, r.stderr]).toEqual([0, '']);
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("is the package's bin as one CommonJS file, which says what the ES module entry says", () => {
    const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(manifest.bin).toEqual({ 'qapi-ts': 'dist/generator/cli/main.cjs' });
    // Bundled: nothing of ours is required or imported beside node's own
    // modules, but the fallback to the modules where there is no bundle.
    const text = readFileSync(join(CLI_DIR, 'main.cjs'), 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect([...text.matchAll(/\b(?:require|import)\("(\.[^"]*)"\)/g)].map((m) => m[1])).toEqual(['./program.js']);
    const schema = join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json');
    const bad = join(PROJECT_ROOT, 'package.json');
    for (const argv of [['dump', schema, '--legacy'], ['check', bad], ['--version']]) {
      const run = (entry: string) => spawnSync(process.execPath, [join(CLI_DIR, entry), ...argv], { encoding: 'utf8', timeout: 60_000 });
      const [bin, esm] = [run('main.cjs'), run('main.js')];
      expect([bin.status, bin.stdout, bin.stderr], argv.join(' ')).toEqual([esm.status, esm.stdout, esm.stderr]);
    }
  });

  it('runs a verb the cache was not made with', () => {
    const r = runBuilt(['dump', join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json'), '--legacy']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^object q_empty$/m);
  });
});
