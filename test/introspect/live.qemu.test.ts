/**
 * `--qemu BINARY`: QEMU is started in a private temporary directory, asked,
 * and stopped; nothing is left running and nothing is left on disk, also
 * when it fails or the CLI is interrupted (SIGINT, SIGTERM).  A stand-in
 * "QEMU" makes the failure and interruption cases deterministic: it
 * connects its monitor and then never greets.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY } from '../helpers/cli.js';
import { makeTempDir, removeTempDir, requireBinaries } from '../helpers/qemu.js';

const work = makeTempDir('qapi-ts-live-');
afterAll(() => removeTempDir(work));

/** A stand-in for qemu-storage-daemon: `hang` connects its monitor and
 *  stays silent; `fail` complains on stderr and exits 1. */
function fakeQemu(mode: 'hang' | 'fail'): string {
  const dir = join(work, `fake-${mode}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'qemu-storage-daemon');
  writeFileSync(
    path,
    `#!${process.execPath}
const net = require('node:net');
if (${JSON.stringify(mode)} === 'fail') {
  process.stderr.write('qemu-storage-daemon: cannot open device: no such thing\\n');
  process.exit(1);
}
const chardev = process.argv[process.argv.indexOf('--chardev') + 1];
const path = /path=((?:[^,]|,,)*)/.exec(chardev)[1].replace(/,,/g, ',');
net.createConnection({ path }); // and never a greeting
`,
  );
  chmodSync(path, 0o755);
  return path;
}

interface Run {
  readonly code: number | null;
  readonly stderr: string;
  readonly pid: number | null;
  /** What the CLI left in its private temp dir. */
  readonly leftOver: string[];
}

/** Runs `generate --qemu BINARY` with a temp dir of its own; sends `signal`
 *  once the CLI says QEMU started. */
function generateLive(binary: string, signal?: NodeJS.Signals): Promise<Run> {
  const tmp = makeTempDir('qapi-ts-live-tmp-');
  const out = join(work, `out-${Math.random().toString(36).slice(2)}`);
  const child = spawn(process.execPath, [CLI_ENTRY, 'generate', '--qemu', binary, '-o', out], {
    env: { ...process.env, TMPDIR: tmp },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let pid: number | null = null;
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    const m = /\(pid (\d+)\)/.exec(stderr);
    if (m && pid === null) {
      pid = Number(m[1]);
      if (signal) child.kill(signal);
    }
  });
  return new Promise((resolve) => {
    child.once('close', (code) => {
      const leftOver = readdirSync(tmp);
      removeTempDir(tmp);
      resolve({ code, stderr, pid, leftOver });
    });
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.each([{ signal: 'SIGINT' as const }, { signal: 'SIGTERM' as const }])('interrupted by $signal while QEMU is up', ({ signal }) => {
  it('stops QEMU, removes its directory and exits 130', async () => {
    const run = await generateLive(fakeQemu('hang'), signal);
    expect(run.pid, run.stderr).not.toBeNull();
    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toContain('interrupted; QEMU was stopped');
    expect(isRunning(run.pid!)).toBe(false);
    expect(run.leftOver).toEqual([]);
  });
});

describe('a QEMU that fails to start', () => {
  it("exits 3 with QEMU's own complaint, leaving nothing behind", async () => {
    const run = await generateLive(fakeQemu('fail'));
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/exited with code 1 before its monitor connected:\nqemu-storage-daemon: cannot open device: no such thing/);
    expect(run.leftOver).toEqual([]);
  });

  it('refuses a program it cannot tell how to start, and a missing one (exit 2)', async () => {
    for (const binary of [process.execPath, join(work, 'no-such-qemu-system-x86_64')]) {
      const run = await generateLive(binary);
      expect(run.code, run.stderr).toBe(2);
      expect(run.pid).toBeNull();
    }
  });
});

const qemu = requireBinaries(['qemu-storage-daemon'], 'generate --qemu');

describe.skipIf(!qemu.available)('a real QEMU 7.2', () => {
  it('is asked, then gone: no process, no directory', async () => {
    const run = await generateLive('qemu-storage-daemon');
    expect(run.code, run.stderr).toBe(0);
    expect(isRunning(run.pid!)).toBe(false);
    expect(run.leftOver).toEqual([]);
  });
});
