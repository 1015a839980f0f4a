/**
 * qapi-ts-runtime/launch against real QEMU 7.2 and 10.0.2, storage daemon
 * and system emulator: a QEMU is started, answers, and is gone with its
 * directory once closed; one that dies at start is a typed error carrying
 * its stderr; a crash mid-session reaches the client and the exit promise;
 * and a program that ends (exit, uncaught exception, SIGTERM, SIGINT)
 * takes its QEMU with it.  A stand-in "QEMU" that connects its monitor and
 * never greets makes the timeout and abort cases deterministic.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { QmpConnectionError } from '../../runtime/index.js';
import { launchQemu, QemuLaunchError, type QemuInstance } from '../../runtime/launch.js';
import { isRunning, until } from '../helpers/cli-process.js';
import { removeTempDir, requireBinaries, requireQemu10, SYSTEM_QEMU, type QemuInstall } from '../helpers/qemu.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

// Every directory the launcher makes lands here, so a test sees what is left.
const privateTmp = mkdtempSync(join(tmpdir(), 'qapi-ts-launch-test-'));
const tmpdirBefore = process.env.TMPDIR;
process.env.TMPDIR = privateTmp;
const scratch = mkdtempSync(join(privateTmp, '..', 'qapi-ts-launch-scratch-'));
afterAll(() => {
  // The worker may run other files after this one (vitest.config.ts).
  if (tmpdirBefore === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = tmpdirBefore;
  removeTempDir(privateTmp);
  removeTempDir(scratch);
});

let running: QemuInstance | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
  expect(readdirSync(privateTmp)).toEqual([]);
});

const system72 = requireBinaries(['qemu-storage-daemon', 'qemu-system-x86_64'], 'launcher tests against QEMU 7.2');
const qemu10 = requireQemu10(['qemu-storage-daemon', 'qemu-system-x86_64'], 'launcher tests against QEMU 10.0.2');

interface Program {
  readonly name: string;
  readonly install: QemuInstall;
  readonly available: boolean;
  readonly binary: string;
  /** What it needs to run without a guest. */
  readonly args: readonly string[];
  /** An argument it refuses at start, and what it says about it. */
  readonly bad: readonly [string[], RegExp];
}

const programs: Program[] = [SYSTEM_QEMU, qemu10].flatMap((install) => {
  const available = install === SYSTEM_QEMU ? system72.available : qemu10.available;
  return [
    {
      name: `${install.name} qemu-storage-daemon`,
      install,
      available,
      binary: install.bin('qemu-storage-daemon'),
      args: [],
      bad: [['--blockdev', 'driver=no-such-driver,node-name=x'], /no-such-driver/],
    },
    {
      // -nodefaults: no default audio or display backends, whose modules
      // QEMU 10.0.2 unpacked in /opt would look for among 7.2's.
      name: `${install.name} qemu-system-x86_64 -machine none`,
      install,
      available,
      binary: install.bin('qemu-system-x86_64'),
      args: ['-machine', 'none', '-nodefaults'],
      bad: [['-machine', 'none', '-nodefaults', '-no-such-option'], /no-such-option/],
    },
  ];
});

describe.each(programs)('launchQemu: $name', (program) => {
  it.skipIf(!program.available)('starts it, runs a command, and leaves no process and no directory once closed', async () => {
    let started: number | undefined;
    const qemu = (running = await launchQemu(program.binary, { args: program.args, onStarted: (pid) => (started = pid) }));
    expect(qemu.pid).toBe(started);
    expect(isRunning(qemu.pid)).toBe(true);
    expect(existsSync(qemu.directory)).toBe(true);
    const version = (await qemu.client.execute('query-version')) as { qemu: { major: number } };
    expect(version.qemu.major).toBe(program.install === SYSTEM_QEMU ? 7 : 10);
    expect(qemu.exitStatus).toBeUndefined();
    const exit = await qemu.close();
    // It quit when asked: no signal was needed.
    expect(exit).toEqual({ code: 0, signal: null });
    expect(await qemu.exited).toEqual(exit);
    expect(isRunning(qemu.pid)).toBe(false);
    expect(existsSync(qemu.directory)).toBe(false);
    expect(qemu.client.closed).toBe(true);
  });

  it.skipIf(!program.available)('passes extra arguments through: a node given on the command line is there', async () => {
    const qemu = (running = await launchQemu(program.binary, {
      args: [...program.args, program.binary.includes('daemon') ? '--blockdev' : '-blockdev', 'driver=null-co,node-name=extra0'],
    }));
    const nodes = (await qemu.client.execute('query-named-block-nodes')) as { 'node-name': string }[];
    expect(nodes.map((n) => n['node-name'])).toContain('extra0');
  });

  it.skipIf(!program.available)('reports a QEMU that dies at start as a typed error with its stderr, leaving nothing', async () => {
    const [args, complaint] = program.bad;
    const error = await launchQemu(program.binary, { args }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QemuLaunchError);
    const e = error as QemuLaunchError;
    expect(e.reason).toBe('exited');
    expect(e.exit).toEqual({ code: 1, signal: null });
    expect(e.stderr).toMatch(complaint);
    expect(e.message).toContain(`${program.binary} exited with code 1`);
    expect(e.message).toMatch(complaint);
  });

  it.skipIf(!program.available)('tells the client and the exit promise of a crash mid-session (kill -9)', async () => {
    const qemu = (running = await launchQemu(program.binary, { args: program.args }));
    const closed = new Promise<QmpConnectionError>((resolve) => qemu.client.onClose(resolve));
    // A command that waits for an event that never comes keeps a waiter pending.
    const waiting = qemu.client.waitFor('NEVER_SENT', undefined, { since: 'now' }).catch((e: unknown) => e);
    process.kill(qemu.pid, 'SIGKILL');
    expect(await qemu.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await closed).toBeInstanceOf(QmpConnectionError);
    expect(await waiting).toBeInstanceOf(QmpConnectionError);
    const late = await qemu.client.execute('query-version').catch((e: unknown) => e);
    expect(late).toBeInstanceOf(QmpConnectionError);
    expect(qemu.exitStatus).toEqual({ code: null, signal: 'SIGKILL' });
    expect(existsSync(qemu.directory)).toBe(false);
    // Closing after the crash tells the same exit.
    expect(await qemu.close()).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it.skipIf(!program.available)('stops QEMU when the client is closed or the signal aborted', async () => {
    const viaClient = await launchQemu(program.binary, { args: program.args });
    await viaClient.client.close();
    expect(await viaClient.exited).toEqual({ code: 0, signal: null });
    expect(isRunning(viaClient.pid)).toBe(false);
    const stop = new AbortController();
    const viaSignal = await launchQemu(program.binary, { args: program.args, signal: stop.signal });
    // QEMU's exit and the client's close are two events; either may come first.
    const clientClosed = new Promise<void>((resolve) => viaSignal.client.onClose(() => resolve()));
    stop.abort();
    expect(await viaSignal.exited).toEqual({ code: 0, signal: null });
    await clientClosed;
    expect(viaSignal.client.closed).toBe(true);
  });

  it.skipIf(!program.available)('escalates to SIGKILL when QEMU neither quits nor terminates (stopped with SIGSTOP)', async () => {
    const qemu = (running = await launchQemu(program.binary, { args: program.args, stopTimeouts: { quit: 100, terminate: 100 } }));
    process.kill(qemu.pid, 'SIGSTOP');
    expect(await qemu.close()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(existsSync(qemu.directory)).toBe(false);
  });
});

describe.skipIf(!system72.available)('launchQemu with the bindings and the schema check', () => {
  it('checks calls against the launched QEMU, telling binaries apart by path', async () => {
    const qemu = (running = await launchQemu('qemu-storage-daemon', { checkSchema: true }));
    // The storage daemon has no guest: a command only the emulator knows is refused unsent.
    const refused = await qemu.client.execute('query-status').catch((e: unknown) => e);
    expect((refused as Error).name).toBe('QmpSchemaDriftError');
    expect(qemu.binary).toMatch(/\/qemu-storage-daemon$/);
  });
});

/** A stand-in for qemu-storage-daemon that connects its monitor and never greets. */
function silentQemu(): string {
  const dir = join(scratch, 'silent');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'qemu-storage-daemon');
  writeFileSync(
    path,
    `#!${process.execPath}
const net = require('node:net');
const chardev = process.argv[process.argv.indexOf('--chardev') + 1];
const path = /path=((?:[^,]|,,)*)/.exec(chardev)[1].replace(/,,/g, ',');
net.createConnection({ path }); // and never a greeting
`,
  );
  chmodSync(path, 0o755);
  return path;
}

describe('launchQemu: starts that do not finish', () => {
  it('times out a QEMU that never greets, and stops it', async () => {
    let pid: number | undefined;
    const error = (await launchQemu(silentQemu(), { timeout: 300, onStarted: (p) => (pid = p) }).catch((e: unknown) => e)) as QemuLaunchError;
    expect(error).toBeInstanceOf(QemuLaunchError);
    expect(error.reason).toBe('timeout');
    expect(error.message).toMatch(/did not answer within 300 ms/);
    expect(isRunning(pid!)).toBe(false);
  });

  it('gives up when aborted, and stops it', async () => {
    const stop = new AbortController();
    let pid: number | undefined;
    const error = (await launchQemu(silentQemu(), {
      signal: stop.signal,
      onStarted: (p) => {
        pid = p;
        stop.abort();
      },
    }).catch((e: unknown) => e)) as QemuLaunchError;
    expect(error.reason).toBe('aborted');
    expect(isRunning(pid!)).toBe(false);
  });

  it.each([
    ['a missing binary', join(scratch, 'no-such-qemu-system-x86_64'), 'not-found'],
    ['a name not on PATH', 'qemu-system-no-such-arch', 'not-found'],
    ['a program that is no QEMU it knows', process.execPath, 'unknown-kind'],
  ])('refuses %s before starting anything', async (_, binary, reason) => {
    const error = (await launchQemu(binary).catch((e: unknown) => e)) as QemuLaunchError;
    expect(error).toBeInstanceOf(QemuLaunchError);
    expect(error.reason).toBe(reason);
  });
});

/** A program that launches QEMU, prints its pid and directory, then ends as told. */
const PARENT = `
import { launchQemu } from ${JSON.stringify(pathToFileURL(join(PROJECT_ROOT, 'runtime', 'dist', 'launch.js')).href)};
const [binary, end, ...args] = process.argv.slice(2);
const qemu = await launchQemu(binary, { args, handleSignals: end === 'signal' || end === 'listen' });
// 'listen': the program has its own say on SIGTERM, so the launcher does not end it.
if (end === 'listen') process.on('SIGTERM', () => { process.exitCode = 7; });
process.stdout.write(JSON.stringify({ pid: qemu.pid, directory: qemu.directory }) + '\\n');
if (end === 'exit') process.exit(3);
if (end === 'throw') setTimeout(() => { throw new Error('uncaught'); });
// 'signal', 'listen': QEMU keeps the process alive until one comes.
`;

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly qemu: { pid: number; directory: string };
  readonly stderr: string;
}

function runParent(binary: string, args: readonly string[], end: 'exit' | 'throw' | 'signal' | 'listen', signal?: NodeJS.Signals): Promise<Ended> {
  const script = join(scratch, 'parent.mjs');
  writeFileSync(script, PARENT);
  const child = spawn(process.execPath, [script, binary, end, ...args], { env: { ...process.env, TMPDIR: privateTmp }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (signal !== undefined && stdout.endsWith('\n')) child.kill(signal);
    });
    child.once('error', reject);
    child.once('close', (code, sig) => {
      try {
        resolve({ code, signal: sig, qemu: JSON.parse(stdout) as Ended['qemu'], stderr });
      } catch {
        reject(new Error(`the parent printed no QEMU (exit ${code ?? sig}): ${stderr}`));
      }
    });
  });
}

describe.skipIf(!qemu10.available)('a program that ends takes its QEMU with it (QEMU 10.0.2 storage daemon)', () => {
  const binary = qemu10.bin('qemu-storage-daemon');
  it.each([
    { how: 'process.exit()', end: 'exit' as const, signal: undefined, want: { code: 3, signal: null } },
    { how: 'an uncaught exception', end: 'throw' as const, signal: undefined, want: { code: 1, signal: null } },
    { how: 'SIGTERM (handleSignals)', end: 'signal' as const, signal: 'SIGTERM' as const, want: { code: null, signal: 'SIGTERM' } },
    { how: 'SIGINT (handleSignals)', end: 'signal' as const, signal: 'SIGINT' as const, want: { code: null, signal: 'SIGINT' } },
    { how: 'SIGTERM that the program listens for too: QEMU stopped, the program ends on its own', end: 'listen' as const, signal: 'SIGTERM' as const, want: { code: 7, signal: null } },
  ])('$how', async ({ end, signal, want }) => {
    const ended = await runParent(binary, [], end, signal);
    // The program still ends as it would have: by its code or by the signal.
    expect({ code: ended.code, signal: ended.signal }, ended.stderr).toEqual(want);
    await until(() => !isRunning(ended.qemu.pid), `QEMU ${ended.qemu.pid} to end`);
    expect(existsSync(ended.qemu.directory)).toBe(false);
  });
});
