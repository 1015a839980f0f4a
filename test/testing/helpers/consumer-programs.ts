/**
 * The README's main example and examples/consumer as programs to run, each
 * as its own Node process against whatever serves QMP at a socket (the
 * peer, or QEMU).  The README's example is taken from README.md as it is;
 * only what names this machine changes: the socket path, the image to
 * commit, and where its bindings are (the repository's generated/, the
 * embedded default schema's, which is what the example's `qapi-ts
 * generate` would write).  examples/consumer is built as its own build
 * does (`qapi-ts generate` with its config, its main.ts compiled), and
 * run with its command line.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transform } from 'esbuild';
import { PROJECT_ROOT } from '../../helpers/shared.js';
import { runNode, type RunOutput } from '../../helpers/tsc.js';

const CLI = join(PROJECT_ROOT, 'dist', 'generator', 'cli', 'main.js');

/** The README's first TypeScript example, as README.md has it. */
export function readmeExample(): string {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (example === undefined) throw new Error('README.md has no TypeScript example');
  return example;
}

/** What the README's example names that only exists on its author's machine. */
const README_SOCKET = "'/run/vm/qmp.sock'";
const README_TOP = "'/images/mid.qcow2'";
const README_BINDINGS = "'./generated/index.js'";

/** A folder inside the repository (so that `qapi-ts-runtime` resolves to the workspace's build); removed by `dispose`. */
export function programFolder(prefix: string): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(PROJECT_ROOT, 'test', `.out-${prefix}-`));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

async function compile(source: string, file: string): Promise<void> {
  const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'es2022' });
  writeFileSync(file, code);
}

/** Writes the README's example, pointed at `socket` and committing `top`; its path. */
export async function writeReadmeProgram(dir: string, socket: string, top: string): Promise<string> {
  let source = readmeExample();
  for (const [from, to] of [
    [README_SOCKET, JSON.stringify(socket)],
    [README_TOP, JSON.stringify(top)],
    [README_BINDINGS, JSON.stringify(join(PROJECT_ROOT, 'generated', 'index.js'))],
  ] as const) {
    if (!source.includes(from)) throw new Error(`the README's example no longer has ${from}: update test/testing/helpers/consumer-programs.ts`);
    source = source.replace(from, to);
  }
  const file = join(dir, 'readme-example.mjs');
  await compile(source, file);
  return file;
}

/** Builds examples/consumer into `dir` as its own build does; the path of its main.js. */
export async function buildConsumer(dir: string): Promise<string> {
  const example = join(PROJECT_ROOT, 'examples', 'consumer');
  cpSync(join(example, 'qapi-ts.config.json'), join(dir, 'qapi-ts.config.json'));
  // Its config names its output relative to itself, as in the example's own folder.
  const generated = await runNode([CLI, 'generate', '--config', join(dir, 'qapi-ts.config.json')], 120_000);
  if (generated.code !== 0) throw new Error(`qapi-ts generate for examples/consumer failed: ${generated.output}`);
  mkdirSync(join(dir, 'dist'));
  const main = join(dir, 'dist', 'main.js');
  await compile(readFileSync(join(example, 'src', 'main.ts'), 'utf8'), main);
  return main;
}

/** Runs a program with Node; its exit code and output. */
export function runProgram(file: string, args: readonly string[] = []): Promise<RunOutput> {
  return runNode([file, ...args], 60_000);
}
