/**
 * A broken installation (a file the package ships deleted, or a package
 * copied in part) is said in one line naming the file, with its own exit
 * code (72), not as a bug in qapi-ts; nothing is written.  Each case runs
 * the built CLI from a copy of the package with one thing wrong.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../generator/cli/io.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

describe('a broken installation', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'qapi-ts-broken-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A copy of the package (its built code, manifest, schema and templates), `breaks` then applied. */
  function brokenCopy(name: string, breaks: (pkg: string) => void): string {
    const pkg = join(dir, name);
    for (const part of ['dist', 'package.json', 'schema', 'templates']) cpSync(join(PROJECT_ROOT, part), join(pkg, part), { recursive: true });
    breaks(pkg);
    return pkg;
  }

  function run(pkg: string, argv: string[]) {
    const r = spawnSync(process.execPath, [join(pkg, 'dist', 'generator', 'cli', 'main.cjs'), ...argv], { encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it.each([
    ['a template deleted', 'templates/typescript/header.txt', 'is missing', ['generate', 'SCHEMA', '--legacy', '-o', 'OUT']],
    ['a template made unreadable (a folder in its place)', 'templates/typescript/declarations.txt', 'cannot be read (EISDIR)', ['generate', 'SCHEMA', '--legacy', '-o', 'OUT']],
    ['the manifest garbled', 'package.json', 'is not JSON', ['--version']],
  ])('%s: one line naming %s, exit 72, nothing written', (what, file, says, argv) => {
    const pkg = brokenCopy(what.replace(/\W+/g, '-'), (root) => {
      const path = join(root, file);
      rmSync(path, { force: true });
      if (says.includes('EISDIR')) cpSync(join(root, 'schema'), path, { recursive: true });
      else if (says === 'is not JSON') writeFileSync(path, '{ "name": "qapi-ts", ');
    });
    const out = join(pkg, 'out');
    const r = run(pkg, argv.map((a) => (a === 'SCHEMA' ? join(pkg, 'schema', 'qapi-ts-default.json') : a === 'OUT' ? out : a)));
    expect(r.code).toBe(EXIT.brokenInstall);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`qapi-ts: qapi-ts's installation is broken: ${join(pkg, file)} ${says}; reinstall qapi-ts\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('the same copy whole generates (the cases above fail for what they break alone)', () => {
    const pkg = brokenCopy('whole', () => {});
    const out = join(pkg, 'out');
    const r = run(pkg, ['generate', join(pkg, 'schema', 'qapi-ts-default.json'), '--legacy', '-o', out]);
    expect(r.code).toBe(0);
    expect(existsSync(join(out, 'index.js'))).toBe(true);
  });
});
