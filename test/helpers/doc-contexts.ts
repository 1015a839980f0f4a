/**
 * What the documentation's code blocks are checked against (their
 * directives name these; test/helpers/doc-blocks.ts reads them):
 *
 * - BINDINGS: the generated bindings a `ts` block's `./generated/` is;
 * - SCENARIOS: the QEMU a `ts` block with `run=NAME` runs against (its
 *   socket the program's first argument);
 * - PROJECTS: the folder a project's `file` blocks are written to and its
 *   `sh` blocks run in, as the page tells a user to lay it out: what the
 *   page leaves to the user (copying QEMU's `qapi/` folder, the checkout
 *   the tarballs come from) is done here, the rest as written.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { generateBindings, outDirOf } from '../e2e/helpers/bindings.js';
import { SPEC_100 } from '../e2e/helpers/bindings100.js';
import { createImage, QEMU10_DIR, SYSTEM_QEMU, startStorageDaemon, type QemuInstall, type QmpProcess } from './qemu.js';
import { PROJECT_ROOT, SHARED } from './shared.js';

export interface BindingsContext {
  /** What the bindings are generated from, said in messages. */
  readonly what: string;
  /** Generates them (or confirms them up to date); their folder. */
  readonly folder: () => Promise<string>;
  /** A file of ../shared they need, for requireShared; null: none. */
  readonly shared: string | null;
}

let spanFolder: Promise<string> | undefined;
async function generateSpan(): Promise<string> {
  const { generate } = await import('../../generator/generate.js');
  const { writeOutput } = await import('../../generator/cli/writer/directory.js');
  const { isGeneratedFile } = await import('../../generator/emit/templates.js');
  const releases = { '7.2': join(SHARED, 'qemu-7.2/qapi/qapi-schema.json'), '10.0': join(SHARED, 'qemu-10.0/qapi/qapi-schema.json') };
  const folder = join(PROJECT_ROOT, 'test', '.out-docs-span');
  rmSync(folder, { recursive: true, force: true });
  writeOutput(folder, await generate({ releases }), { owns: isGeneratedFile });
  return folder;
}

export const BINDINGS: Readonly<Record<string, BindingsContext>> = {
  default: { what: 'the embedded default schema (generated/)', folder: async () => join(PROJECT_ROOT, 'generated'), shared: null },
  'qemu-10.0': {
    what: "QEMU 10.0's schema",
    folder: async () => {
      await generateBindings(SPEC_100);
      return outDirOf(SPEC_100);
    },
    shared: 'qemu-10.0/qapi/qapi-schema.json',
  },
  // Bindings that span QEMU 7.2 and 10.0 (docs/spans.md), each release's
  // schema from ../shared; made in the repository so that the runtime resolves.
  'span-7.2-10.0': {
    what: 'a span of QEMU 7.2 and 10.0',
    // Generated once per worker (each compiler's run asks for it).
    folder: () => (spanFolder ??= generateSpan()),
    shared: 'qemu-7.2/qapi/qapi-schema.json',
  },
};

/** QEMU 10.0.2, as .ci/install-qemu-10 unpacks it. */
export const QEMU_10: QemuInstall = { name: 'QEMU 10.0.2', bin: (program) => join(QEMU10_DIR, 'usr', 'bin', program) };

/** What a program of the documentation runs against, made in its working directory. */
export interface Stage {
  /** The program's arguments: the socket of the QEMU started for it, or none. */
  readonly args: readonly string[];
  /** Stops what was started (nothing, where the program starts QEMU itself). */
  readonly stop: () => Promise<void>;
}

export interface Scenario {
  readonly what: string;
  /** The programs it needs, of `qemu`; the program finds them first on PATH. */
  readonly programs: readonly string[];
  readonly qemu: QemuInstall;
  /** Lays out, and starts, what the program runs against in `dir`, its working directory. */
  readonly start: (dir: string) => Promise<Stage>;
}

/** A QEMU started for the program, its socket the program's one argument. */
async function serving(started: Promise<QmpProcess>): Promise<Stage> {
  const qemu = await started;
  return { args: [qemu.socketPath], stop: () => qemu.stop() };
}

export const SCENARIOS: Readonly<Record<string, Scenario>> = {
  'daemon-10.0': {
    what: "QEMU 10.0.2's qemu-storage-daemon with a file node 'f' (a 64 MiB raw file)",
    programs: ['qemu-storage-daemon', 'qemu-img'],
    qemu: QEMU_10,
    start: (dir) => {
      createImage(join(dir, 'f.img'), '64M', { format: 'raw', qemu: QEMU_10 });
      return serving(startStorageDaemon(dir, ['--blockdev', `driver=file,node-name=f,filename=${join(dir, 'f.img')}`], 'qmp.sock', QEMU_10));
    },
  },
  'daemon-7.2': {
    what: "the system's QEMU 7.2 qemu-storage-daemon, no nodes",
    programs: ['qemu-storage-daemon'],
    qemu: SYSTEM_QEMU,
    start: (dir) => serving(startStorageDaemon(dir, [], 'qmp.sock', SYSTEM_QEMU)),
  },
  'launch-10.0': {
    what: "a program that starts QEMU 10.0.2's qemu-storage-daemon itself, a qcow2 image disk.qcow2 in its folder",
    programs: ['qemu-storage-daemon', 'qemu-img'],
    qemu: QEMU_10,
    start: async (dir) => {
      createImage(join(dir, 'disk.qcow2'), '64M', { qemu: QEMU_10 });
      return { args: [], stop: async () => {} };
    },
  },
};

export interface Project {
  readonly what: string;
  /** Files of ../shared it needs. */
  readonly shared: readonly string[];
  /** Lays out what the page leaves to the user, in the project's folder. */
  readonly prepare: (dir: string) => void;
  /** The programs of QEMU 10.0.2 its commands run, found on PATH first. */
  readonly qemu: QemuInstall;
  /** Checks what a run step printed. */
  readonly check: (dir: string, stdout: string) => void;
}

export const PROJECTS: Readonly<Record<string, Project>> = {
  quickstart: {
    what: "README's quick start: a project of its own, QEMU 10.0's qapi/ copied to qemu/qapi/",
    shared: ['qemu-10.0/qapi/qapi-schema.json'],
    prepare: (dir) => {
      mkdirSync(join(dir, 'qemu'), { recursive: true });
      symlinkSync(join(SHARED, 'qemu-10.0', 'qapi'), join(dir, 'qemu', 'qapi'));
      // What `npm install` makes when a folder has no package.json yet.
      writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'quickstart', version: '1.0.0', private: true }, null, 2)}\n`);
    },
    qemu: QEMU_10,
    check: (_dir, stdout) => {
      // src/main.ts's last line, and its progress before.
      expect(stdout).toMatch(/^BLOCK_JOB_COMPLETED: \d+ bytes$/m);
      expect(stdout).toMatch(/^\d+ of \d+ bytes$/m);
    },
  },
};

/**
 * What `npm install` of the packages named would give the project, made
 * from this repository as it is (test/package/consumer.qemu.test.ts installs
 * the packed tarballs for real): each package linked into node_modules,
 * with its programs in node_modules/.bin.
 */
const INSTALLABLE: Readonly<Record<string, { readonly from: string; readonly bin?: Readonly<Record<string, string>> }>> = {
  'qapi-ts-runtime': { from: join(PROJECT_ROOT, 'runtime') },
  'qapi-ts': { from: PROJECT_ROOT, bin: { 'qapi-ts': join(PROJECT_ROOT, 'dist', 'generator', 'cli', 'main.js') } },
  typescript: { from: join(PROJECT_ROOT, 'node_modules', 'typescript'), bin: { tsc: join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc') } },
  '@types/node': { from: join(PROJECT_ROOT, 'node_modules', '@types', 'node') },
};

/** The package an argument of `npm install` names: a registry name, or
 *  one of our tarballs (`../qapi-ts/qapi-ts-runtime-0.1.0.tgz`). */
export function installedPackage(arg: string): string | undefined {
  const tarball = /(?:^|\/)(qapi-ts(?:-runtime)?)-\d[^/]*\.tgz$/.exec(arg);
  const name = tarball ? tarball[1]! : arg;
  return Object.hasOwn(INSTALLABLE, name) ? name : undefined;
}

/** Installs (links) `name` into the project in `dir`. */
export function linkPackage(dir: string, name: string): void {
  const pkg = INSTALLABLE[name];
  if (pkg === undefined) throw new Error(`no package '${name}' to install here (test/helpers/doc-contexts.ts)`);
  const target = join(dir, 'node_modules', name);
  mkdirSync(join(target, '..'), { recursive: true });
  rmSync(target, { recursive: true, force: true });
  symlinkSync(pkg.from, target);
  for (const [bin, file] of Object.entries(pkg.bin ?? {})) {
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
    // As npm links a program: runnable whatever the file's own mode.
    writeFileSync(join(dir, 'node_modules', '.bin', bin), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(file)} "$@"\n`, { mode: 0o755 });
  }
}
