/**
 * Issue 18, must show 4: the testing subpath stays out of production.  A
 * consumer's production bundle of the README's example (esbuild, minified,
 * as the bundle-size tests make them) holds no module of
 * qapi-ts-runtime/testing, and the compiler type-checking it reads no
 * declaration of it: the main entry's declarations are exactly the files
 * its own imports reach, as before the subpath existed.  A program that
 * does import the subpath shows both checks can tell.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { runCompiler, TSC7 } from '../helpers/tsc.js';
import { programFolder, readmeBindings, readmeSource as readmeWith } from './helpers/consumer-programs.js';

const RUNTIME_DIST = join(PROJECT_ROOT, 'runtime', 'dist');
const folder = programFolder('fake-isolation');
afterAll(() => folder.dispose());

/** The README's example, its bindings those it builds with (QEMU 10.0's). */
let bindings = '';
beforeAll(async () => {
  bindings = await readmeBindings();
}, 120_000);
const readmeSource = (): string => readmeWith(bindings);

/** The same, plus a peer of the testing subpath (what a test file is). */
function testSource(): string {
  return `import { QmpPeer } from 'qapi-ts-runtime/testing';\n${readmeSource()}\nexport const peer = new QmpPeer({ bindings: registry });\n`;
}

/** The runtime modules a bundle of `source` holds (`client`, `testing/peer`):
 *  from runtime/dist, or from the sources where tsconfig.json maps the
 *  package to them (esbuild honours its paths, as in the bundle tests). */
async function bundledRuntime(name: string, source: string): Promise<{ modules: string[]; text: string }> {
  const entry = join(folder.dir, `${name}.ts`);
  await import('node:fs').then((fs) => fs.writeFileSync(entry, source));
  const result = await build({ absWorkingDir: PROJECT_ROOT, entryPoints: [entry], bundle: true, minify: true, write: false, platform: 'node', format: 'esm', metafile: true, logLevel: 'silent' });
  const modules = Object.keys(result.metafile.inputs)
    .map((p) => relative(join(PROJECT_ROOT, 'runtime'), join(PROJECT_ROOT, p)))
    .filter((p) => !p.startsWith('..') && !p.includes('node_modules'))
    .map((p) => p.replace(/^dist\//, '').replace(/\.(js|ts)$/, ''));
  return { modules, text: result.outputFiles[0]!.text };
}

/** The runtime declarations tsc reads to type-check `source`. */
async function declarationsRead(name: string, source: string): Promise<string[]> {
  const entry = join(folder.dir, `${name}.ts`);
  await import('node:fs').then((fs) => fs.writeFileSync(entry, source));
  // TypeScript 7, as test/helpers/tsc.ts's typecheck() (both compilers resolve modules alike).
  const flags = ['--ignoreConfig', '--strict', '--noEmit', '--listFiles', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck'];
  const r = await runCompiler(TSC7, [...flags, entry]);
  expect(r.output).not.toMatch(/error TS/);
  return r.output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith(RUNTIME_DIST))
    .map((l) => relative(RUNTIME_DIST, l))
    .sort();
}

/** The declaration files index.d.ts reaches through its own imports. */
function closureOfMainEntry(): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(RUNTIME_DIST, file), 'utf8');
    for (const m of text.matchAll(/from '(\.[^']+)\.js'/g)) visit(relative(RUNTIME_DIST, join(dirname(join(RUNTIME_DIST, file)), `${m[1]}.d.ts`)));
  };
  visit('index.d.ts');
  return [...seen].sort();
}

describe('the testing subpath stays out of a consumer of the main entry', () => {
  let readme: { modules: string[]; text: string };
  let withPeer: { modules: string[]; text: string };
  beforeAll(async () => {
    readme = await bundledRuntime('readme', readmeSource());
    withPeer = await bundledRuntime('with-peer', testSource());
  }, 60_000);

  it("bundles the README's example without any module of qapi-ts-runtime/testing", () => {
    expect(readme.modules).toEqual(expect.arrayContaining(['client', 'block-job', 'validation']));
    expect(readme.modules.filter((m) => m.startsWith('testing'))).toEqual([]);
    for (const text of ['no handler answers', 'qmp-recording', 'Capabilities negotiation is already complete']) expect(readme.text.includes(text), text).toBe(false);
  });

  it('(a program importing the subpath does bundle it: the check can tell)', () => {
    expect(withPeer.modules).toEqual(expect.arrayContaining(['testing', 'testing/peer', 'testing/session']));
    expect(withPeer.text.includes('no handler answers')).toBe(true);
  });

  it("type-checks the README's example reading only the main entry's own declarations", async () => {
    const read = await declarationsRead('readme-types', readmeSource());
    expect(read.filter((f) => f.startsWith('testing'))).toEqual([]);
    expect(read).toEqual(closureOfMainEntry());
    // (a program importing the subpath does read its declarations)
    const withTesting = await declarationsRead('testing-types', testSource());
    expect(withTesting).toEqual(expect.arrayContaining(['testing.d.ts', 'testing/peer.d.ts']));
  }, 120_000);
});
