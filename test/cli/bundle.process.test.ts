/**
 * The built CLI runs from one bundled file (build/bundle.mjs), compiled
 * with the code cache the build made for this Node's V8 under a short
 * run's flags; a long run's flags differ, and V8 refuses the cache there
 * rather than run code compiled for other flags.  Under another Node (the
 * nodes tier runs these tests on a build made by the machine's Node) there
 * is no cache for its V8, and the bundle is compiled as it runs.  What the
 * bundle does is what every test of the built CLI checks.  `check` loads
 * a cache of its own, trained on checks alone (a smaller file to read);
 * other verbs the whole CLI's.  The package's bin is the entry bundled too
 * (main.cjs), and says what main.js says.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBuilt } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

const CLI_DIR = join(PROJECT_ROOT, 'dist', 'generator', 'cli');
/** Whether the build ran under this Node's V8, and so made its caches. */
const BUILT_HERE = existsSync(join(CLI_DIR, `qapi-ts.cjs.v8-${process.versions.v8}.cache`));

/** How the built loader loads the CLI in a fresh process with the V8 flags
 *  main.js would set for `argv`. */
function loadedFor(argv: readonly string[]): { from: string; cacheKind: string; cache: string } {
  const url = (file: string): string => JSON.stringify(pathToFileURL(join(CLI_DIR, file)).href);
  const program = `
    import { setFlagsFromString } from 'node:v8';
    const { v8FlagsFor } = await import(${url('v8-flags.js')});
    for (const flag of v8FlagsFor(${JSON.stringify(argv)})) setFlagsFromString(flag);
    const { loadCli } = await import(${url('bundle.js')});
    const { from, cacheKind, cache } = await loadCli(${JSON.stringify(argv)});
    console.log(JSON.stringify({ from, cacheKind, cache }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { from: string; cacheKind: string; cache: string };
}

describe('the bundled CLI', () => {
  it("is built, with two code caches for the V8 that built it: check's and the whole CLI's, the larger", () => {
    expect(existsSync(join(CLI_DIR, 'qapi-ts.cjs'))).toBe(true);
    const caches = readdirSync(CLI_DIR).filter((f) => /^qapi-ts\.cjs\.v8-.*\.cache$/.test(f));
    expect(caches.map((f) => f.replace(/v8-.*?(\.check)?\.cache$/, 'v8-V$1.cache')).sort()).toEqual(['qapi-ts.cjs.v8-V.cache', 'qapi-ts.cjs.v8-V.check.cache']);
    const size = (check: boolean) => statSync(join(CLI_DIR, caches.find((f) => f.endsWith('.check.cache') === check)!)).size;
    expect(size(true)).toBeLessThan(size(false) * 0.8);
  });

  it('is ASCII, which the loader reads as Latin-1 (one byte a character)', () => {
    const bytes = readFileSync(join(CLI_DIR, 'qapi-ts.cjs'));
    expect(bytes.length).toBeGreaterThan(100_000);
    expect(bytes.findIndex((b) => b > 0x7f)).toBe(-1);
  });

  it.each([
    ['check', 'check', BUILT_HERE ? 'accepted' : 'absent', ['check', 'schema.json']],
    ['a short run of another verb', 'cli', BUILT_HERE ? 'accepted' : 'absent', ['generate', 'schema.json', '-o', 'out']],
    ['a long run (other V8 flags)', 'cli', BUILT_HERE ? 'rejected' : 'absent', ['generate', '--watch', 'schema.json', '-o', 'out']],
  ])('%s loads it with the cache %s; V8 has it %s', (_what, cacheKind, cache, argv) => {
    expect(loadedFor(argv)).toEqual({ from: 'bundle', cacheKind, cache });
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
