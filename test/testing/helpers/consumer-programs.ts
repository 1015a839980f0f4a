/**
 * The README's main example and examples/consumer as programs to run, each
 * as its own Node process against whatever serves QMP at a socket (the
 * peer, or QEMU).  The README's example is its quick start's src/main.ts,
 * taken from README.md as it is; only where its bindings are changes (the
 * quick start's `generated/`: QEMU 10.0's, which the end-to-end helpers
 * generate), and it takes the socket as its argument, as the quick start
 * runs it.  examples/consumer is built as its own build does (`qapi-ts
 * generate` with its config, its main.ts compiled), and run with its
 * command line.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transform } from 'esbuild';
import { generateBindings, outDirOf } from '../../e2e/helpers/bindings.js';
import { SPEC_100 } from '../../e2e/helpers/bindings100.js';
import { blocksOf } from '../../helpers/doc-blocks.js';
import { PROJECT_ROOT } from '../../helpers/shared.js';
import { runNode, type RunOutput } from '../../helpers/tsc.js';

const CLI = join(PROJECT_ROOT, 'dist', 'generator', 'cli', 'main.js');

/** The README's quick start program (its src/main.ts), as README.md has it. */
export function readmeExample(): string {
  const block = blocksOf('README.md').find((b) => b.directive?.kind === 'file' && b.directive.words[0] === 'src/main.ts');
  if (block === undefined) throw new Error("README.md's quick start has no src/main.ts");
  return block.text;
}

/** Where the quick start's program imports its bindings from. */
const README_BINDINGS = "'../generated/index.js'";

/** The bindings the README's example is built with (QEMU 10.0's); their folder. */
export async function readmeBindings(): Promise<string> {
  await generateBindings(SPEC_100);
  return outDirOf(SPEC_100);
}

/** The README's example with its bindings at `bindings` (a folder). */
export function readmeSource(bindings: string): string {
  const source = readmeExample();
  if (!source.includes(README_BINDINGS)) throw new Error(`the README's example no longer imports ${README_BINDINGS}: update test/testing/helpers/consumer-programs.ts`);
  return source.replace(README_BINDINGS, JSON.stringify(join(bindings, 'index.js')));
}

/** A folder inside the repository (so that `qapi-ts-runtime` resolves to the workspace's build); removed by `dispose`. */
export function programFolder(prefix: string): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(PROJECT_ROOT, 'test', `.out-${prefix}-`));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

async function compile(source: string, file: string): Promise<void> {
  const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'es2022' });
  writeFileSync(file, code);
}

/** Writes the README's example, built with its bindings, into `dir`; its
 *  path (run it with the socket as its argument). */
export async function writeReadmeProgram(dir: string): Promise<string> {
  const file = join(dir, 'readme-example.mjs');
  await compile(readmeSource(await readmeBindings()), file);
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
