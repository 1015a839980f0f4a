/**
 * `qapi-ts qmp` with real QEMU 10.0.2 through the built CLI: `--qemu
 * BINARY [-- ARGS]` starts it for one command (checked against its own
 * schema) and leaves no process and no directory; a capture serves as
 * `--schema`; `--events` prints a job's events as JSON lines until a
 * count, a timeout or SIGINT (exit 0); SIGTERM while a started QEMU has
 * not answered yet stops it (exit 130).
 */
import { chmodSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasStackTrace } from '../helpers/cli.js';
import { isRunning, startCli, until } from '../helpers/cli-process.js';
import { removeTempDir, requireQemu10 } from '../helpers/qemu.js';
import { requireShared } from '../helpers/shared.js';
import { E2eScope } from './helpers/scope.js';

const qemu10 = requireQemu10(['qemu-storage-daemon', 'qemu-system-x86_64'], 'qmp --qemu and --events against QEMU 10.0.2');
const capture = requireShared('qemu-10.0/introspection/qemu-storage-daemon.json', 'qmp --schema CAPTURE against QEMU 10.0.2');
const QSD = qemu10.bin('qemu-storage-daemon');

// The CLI's temporary directories land here, so a test sees what is left.
const tmp = mkdtempSync(join(tmpdir(), 'qapi-ts-qmp-qemu-'));
afterAll(() => removeTempDir(tmp));
const env = { TMPDIR: tmp };

const run = async (args: readonly string[]) => startCli(args, { env }).ended;

describe.skipIf(!qemu10.available)('qmp --qemu BINARY: a QEMU for one command', () => {
  afterEach(() => {
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('runs a command on the storage daemon it started, then stops it', async () => {
    const r = await run(['qmp', '--qemu', QSD, 'query-version']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ qemu: { major: 10, minor: 0, micro: 2 } });
  });

  it("passes QEMU's own arguments after --", async () => {
    const r = await run(['qmp', '--qemu', QSD, 'query-named-block-nodes', '{"flat":true}', '--', '--blockdev', 'driver=null-co,node-name=extra0']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { 'node-name': string }[]).map((n) => n['node-name'])).toEqual(['extra0']);
  });

  it('starts an emulator without a guest when given no arguments', async () => {
    const r = await run(['qmp', '--qemu', qemu10.bin('qemu-system-x86_64'), 'query-machines']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('"name":"none"');
  });

  it("checks the arguments against the started QEMU's schema (exit 4)", async () => {
    const r = await run(['qmp', '--qemu', QSD, 'blockdev-add', '{"driver":"null-co","node-name":"n0","bogus":1}']);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('qapi-ts: blockdev-add: arguments.bogus: unknown member\nqapi-ts: blockdev-add: invalid arguments (1 problem); nothing was sent\n');
  });

  it("exits 3 with QEMU's complaint when it dies at start", async () => {
    const r = await run(['qmp', '--qemu', QSD, 'query-version', '--', '--blockdev', 'driver=no-such-driver,node-name=x']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/qemu-storage-daemon exited with code 1 .*:\n.*no-such-driver/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});

describe.skipIf(!qemu10.available || !capture.available)('qmp against a running QEMU 10.0.2', () => {
  let scope: E2eScope;
  beforeEach(() => {
    scope = new E2eScope();
  });
  afterEach(async () => {
    await scope.dispose();
  });

  it('takes its capture as --schema', async () => {
    const daemon = await scope.daemon(qemu10);
    const r = await run(['qmp', '--socket', daemon.socketPath, '--schema', capture.path, 'query-version']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ qemu: { major: 10 } });
  });

  it("--events prints a job's events, one JSON line each, until --count", async () => {
    // A monitor serves one client at a time: the job is started on a second one.
    const second = join(scope.dir, 'second.sock');
    const daemon = await scope.daemon(qemu10, ['--chardev', `socket,path=${second},server=on,wait=off,id=second`, '--monitor', 'chardev=second']);
    const watcher = startCli(['qmp', '--socket', daemon.socketPath, '--events', 'JOB_STATUS_CHANGE', '--count', '3'], { env });
    await watcher.stderrMatch(/printing JOB_STATUS_CHANGE from .* \(Ctrl-C to stop\)/);
    const client = await scope.connect(second);
    const image = join(scope.dir, 'new.img');
    await client.execute('blockdev-create', { 'job-id': 'create0', options: { driver: 'file', filename: image, size: 1048576 } });
    const r = await watcher.ended;
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; data: { id: string; status: string }; timestamp: { seconds: number } });
    expect(events.map((e) => [e.event, e.data.id, e.data.status])).toEqual([
      ['JOB_STATUS_CHANGE', 'create0', 'created'],
      ['JOB_STATUS_CHANGE', 'create0', 'running'],
      ['JOB_STATUS_CHANGE', 'create0', 'waiting'],
    ]);
    expect(events.every((e) => e.timestamp.seconds > 0)).toBe(true);
  });

  it('--events ends after --timeout with exit 0', async () => {
    const daemon = await scope.daemon(qemu10);
    const r = await run(['qmp', '--socket', daemon.socketPath, '--events', '--timeout', '0.2']);
    expect(r).toMatchObject({ code: 0, stdout: '' });
  });
});

describe.skipIf(!qemu10.available)('qmp --qemu interrupted', () => {
  afterEach(() => {
    expect(readdirSync(tmp)).toEqual([]);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('--events ends on %s with exit 0, and the QEMU it started is gone', async (signal) => {
    const watcher = startCli(['qmp', '--qemu', QSD, '--events'], { env });
    const [, pid] = await watcher.stderrMatch(/printing every event from .*qemu-storage-daemon \(pid (\d+)\)/);
    expect(isRunning(Number(pid))).toBe(true);
    watcher.child.kill(signal);
    const r = await watcher.ended;
    expect(r.code, r.stderr).toBe(0);
    await until(() => !isRunning(Number(pid)), 'the started QEMU to end');
  });

  it('a command interrupted while QEMU starts: exit 130, QEMU stopped', async () => {
    // A stand-in that connects its monitor and never greets: the start cannot end on its own.
    const dir = mkdtempSync(join(tmpdir(), 'qapi-ts-silent-'));
    const fake = join(dir, 'qemu-storage-daemon');
    writeFileSync(
      fake,
      `#!${process.execPath}
process.stderr.write('started ' + process.pid + '\\n');
const chardev = process.argv[process.argv.indexOf('--chardev') + 1];
require('node:net').createConnection({ path: /path=((?:[^,]|,,)*)/.exec(chardev)[1].replace(/,,/g, ',') });
`,
    );
    chmodSync(fake, 0o755);
    try {
      const cli = startCli(['qmp', '--qemu', fake, 'query-version'], { env });
      const [, pid] = await cli.stderrMatch(/started (\d+)/);
      cli.child.kill('SIGTERM');
      const r = await cli.ended;
      expect(r.code).toBe(130);
      expect(r.stderr).toMatch(/^qapi-ts: interrupted; QEMU was stopped$/m);
      expect(isRunning(Number(pid))).toBe(false);
    } finally {
      removeTempDir(dir);
    }
  });
});
