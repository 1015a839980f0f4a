/**
 * The documentation's examples that talk to QEMU, run against it:
 *
 * - each `ts` block with `run=SCENARIO` (its prelude and epilogue around
 *   it, `./generated/` the bindings its directive names), as its own Node
 *   process against the scenario's QEMU (test/helpers/doc-contexts.ts),
 *   its socket the program's first argument (or, where the program starts
 *   QEMU itself, the files it names in its folder and QEMU's programs first
 *   on PATH): it must end with exit 0;
 * - each project (README's quick start): its `file` blocks written where
 *   they say, what the page leaves to the user laid out, its install step
 *   made from this repository (test/package/consumer.qemu.test.ts installs the
 *   packed tarballs for real), then its `run` blocks run by bash, as
 *   written, in the project's folder, QEMU 10.0.2's programs first on
 *   PATH.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { transform } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { blockFile, blockSource, docBlocks, shellCommands, where, type DocBlock } from '../helpers/doc-blocks.js';
import { isRunning, until } from '../helpers/cli-process.js';
import { BINDINGS, installedPackage, linkPackage, PROJECTS, SCENARIOS } from '../helpers/doc-contexts.js';
import { imageIsConsistent, makeTempDir, removeTempDir, requireBinaries, requireQemu10 } from '../helpers/qemu.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';
import { runNode } from '../helpers/tsc.js';

const blocks = docBlocks();
const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

/** A folder inside the repository, so that the packages resolve; removed after. */
function folder(prefix: string): string {
  const dir = mkdtempSync(join(PROJECT_ROOT, 'test', `.out-docs-${prefix}-`));
  folders.push(dir);
  return dir;
}

function qemuOf(scenario: (typeof SCENARIOS)[string]): { available: boolean } {
  return scenario.qemu.name === 'QEMU 10.0.2'
    ? requireQemu10([...scenario.programs], scenario.what)
    : requireBinaries([...scenario.programs], scenario.what);
}

const runs = blocks.filter((b) => b.directive?.kind === 'ts' && b.directive.options.run !== undefined);

describe.each(runs.map((b) => [where(b), b] as const))('the TypeScript block of %s, run', (_at, block) => {
  const scenario = SCENARIOS[block.directive!.options.run!]!;
  const bindings = BINDINGS[block.directive!.options.bindings ?? 'default']!;
  const qemu = qemuOf(scenario);
  const shared = bindings.shared === null ? { available: true } : requireShared(bindings.shared, `${where(block)} with ${bindings.what}`);

  it.skipIf(!qemu.available || !shared.available)(`ends well against ${scenario.what}`, async () => {
    const dir = folder('run');
    symlinkSync(await bindings.folder(), join(dir, 'generated'));
    const program = join(dir, blockFile(block, 'mjs'));
    writeFileSync(program, (await transform(blockSource(block), { loader: 'ts', format: 'esm', target: 'es2022' })).code);
    // QEMU's folder outside the repository: a socket's path is short.
    const qemuDir = makeTempDir('qapi-ts-docs-');
    const stage = await scenario.start(qemuDir);
    try {
      // In QEMU's folder, its programs first on PATH: a program that starts QEMU by name finds the scenario's.
      const path = [dirname(scenario.qemu.bin('qemu-img')), process.env.PATH ?? ''].join(delimiter);
      const r = await runNode([program, ...stage.args], 120_000, { cwd: qemuDir, env: { ...process.env, PATH: path } });
      expect(r.output).not.toMatch(/Error|at .*\.mjs/);
      expect(r.code, r.output).toBe(0);
    } finally {
      await stage.stop();
      removeTempDir(qemuDir);
    }
  }, 180_000);
});

/** The names of the projects the pages hold. */
const projects = [...new Set(blocks.flatMap((b) => (b.directive?.options.project !== undefined ? [b.directive.options.project] : [])))];

/** Makes the install step of a project: packages linked, other steps run. */
function install(block: DocBlock, dir: string): void {
  for (const words of shellCommands(block.text)) {
    const [program, sub, ...rest] = words;
    if (program === 'cd') continue; // into the checkout: the repository, built
    if (program === 'npm' && (sub === 'ci' || sub === 'pack')) continue; // the checkout's build and tarballs: this repository as it is
    if (program === 'npm' && sub === 'install') {
      for (const arg of rest.filter((a) => !a.startsWith('-'))) linkPackage(dir, installedPackage(arg) ?? arg);
      continue;
    }
    if (program === 'npm' && sub === 'pkg') {
      const r = spawnSync('npm', [sub, ...rest], { cwd: dir, encoding: 'utf8' });
      expect(r.status, `${words.join(' ')}: ${r.stderr}`).toBe(0);
      continue;
    }
    throw new Error(`${where(block)}: no way to make the install step '${words.join(' ')}' (test/project/doc-blocks.qemu.test.ts)`);
  }
}

describe.each(projects)('the project %s, as its page lays it out and runs it', (name) => {
  const project = PROJECTS[name]!;
  const mine = blocks.filter((b) => b.directive?.options.project === name);
  const qemu = requireQemu10(['qemu-img', 'qemu-system-x86_64', 'qemu-storage-daemon'], project.what);
  const shared = project.shared.map((s) => requireShared(s, project.what));

  it.skipIf(!qemu.available || shared.some((s) => !s.available))('builds and runs', async () => {
    const dir = folder(`project-${name}`);
    project.prepare(dir);
    for (const b of mine.filter((x) => x.directive!.kind === 'file')) {
      const path = join(dir, b.directive!.words[0]!);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, b.text);
    }
    const steps = mine.filter((b) => b.directive!.kind === 'sh');
    for (const b of steps.filter((x) => x.directive!.words.includes('install'))) install(b, dir);
    const env = { ...process.env, PATH: [join(dir, 'node_modules', '.bin'), dirname(project.qemu.bin('qemu-img')), process.env.PATH ?? ''].join(delimiter) };
    const pidFile = join(dir, 'qemu.pid');
    /** The QEMU the page started, as its pid file named it (QEMU removes the file as it ends). */
    let qemuPid: number | undefined;
    /** Whether every step ran, the page's own `kill` among them. */
    let ranAll = false;
    try {
      const runSteps = steps.filter((x) => x.directive!.words.includes('run'));
      expect(runSteps.length).toBeGreaterThan(0);
      let printed = '';
      for (const b of runSteps) {
        // Line by line, as typed: each must succeed (`set -e` lets a
        // failure inside `a && b` pass).
        for (const line of b.text.replace(/\\\n/g, '').split('\n').filter((l) => l.trim() !== '')) {
          const r = spawnSync('bash', ['-c', line], { cwd: dir, env, encoding: 'utf8', timeout: 300_000 });
          expect(r.stderr, `${where(b)}: ${line}`).not.toMatch(/error TS|Error:|at .*\.js:\d+/);
          expect(r.status, `${where(b)}: ${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
          printed += r.stdout;
          if (qemuPid === undefined && existsSync(pidFile)) qemuPid = Number(readFileSync(pidFile, 'utf8').trim());
        }
      }
      ranAll = true;
      project.check(dir, printed);
    } finally {
      // A QEMU the page started and a failed step left running (the pid
      // read back only while it still names a QEMU).
      const pid = qemuPid ?? (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : NaN);
      const command = Number.isInteger(pid) && existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
      if (command.includes('qemu') && !ranAll) process.kill(pid, 'SIGKILL');
      // The page's `kill` returns at once; QEMU holds its images' locks
      // until it has ended, so the images are checked once it has.
      if (command.includes('qemu')) await until(() => !isRunning(pid), `QEMU (pid ${pid}) to end after the page's kill`, 60_000);
    }
    for (const image of ['base.qcow2', 'top.qcow2']) if (existsSync(join(dir, image))) expect(imageIsConsistent(join(dir, image), project.qemu), image).toBe(true);
  }, 600_000);
});
