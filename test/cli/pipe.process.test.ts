/**
 * Output piped to a reader that stops reading (`qapi-ts dump ... | head`):
 * the run ends quietly, as Unix tools do, with no stack trace and no
 * message, and keeps the exit code it reaches (docs/cli.md, exit codes).
 * Every verb that prints to stdout is run by the built CLI with a stdout
 * whose reader is gone: closed as the process starts (long before Node has
 * loaded qapi-ts and printed anything), and, for the case the issue was
 * filed about, a shell pipeline into `head -n 1` with an output far larger
 * than a pipe holds, so that writing must fail once head has left.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CLI_ENTRY, hasStackTrace } from '../helpers/cli.js';
import { PROJECT_ROOT, requireShared, SHARED } from '../helpers/shared.js';
import { startMockServer, type MockServer } from '../runtime/helpers/mock-qmp-server.js';

const shared = requireShared('qemu-7.2/qapi/qapi-schema.json', 'piping the output of QEMU 7.2 schema runs');
const SCHEMA_72 = join(SHARED, 'qemu-7.2', 'qapi', 'qapi-schema.json');
const SCHEMA_13 = join(SHARED, 'qemu-1.3', 'qapi-schema.json');
const DEFAULT = join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json');
const folder = mkdtempSync(join(tmpdir(), 'qapi-ts-pipe-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface Outcome {
  readonly code: number | null;
  readonly stderr: string;
}

/** Runs the built CLI with its stdout's reader closed as it starts. */
function runIntoClosedPipe(args: readonly string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    // spawn() returns once the child runs; Node takes tens of milliseconds
    // to start, so the reader is gone well before the first write.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

/** Runs the built CLI with stdout (and, when asked, stderr) piped into
 *  `head -n 1`; the CLI's exit code and stderr, and what head printed. */
function runIntoHead(args: readonly string[]): Promise<Outcome & { readonly head: string }> {
  const quoted = [process.execPath, CLI_ENTRY, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const script = `${quoted} 2>"$1" | head -n 1; exit "\${PIPESTATUS[0]}"`;
  const errors = join(folder, 'stderr.txt');
  // Not spawnSync: a QMP peer of this process must keep answering meanwhile.
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script, 'bash', errors], { stdio: ['ignore', 'pipe', 'inherit'] });
    let head = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (head += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr: readFileSync(errors, 'utf8'), head }));
  });
}

/** A QEMU that sends an event every few milliseconds from the handshake on, as a busy one does, until the client leaves. */
function startChattyServer(): Promise<MockServer> {
  return startMockServer({
    onCommand: (c, conn) => {
      if (c.name !== 'qmp_capabilities') return false;
      conn.reply(c, {});
      let n = 0;
      const ticking = setInterval(() => {
        if (conn.socket.destroyed) clearInterval(ticking);
        else conn.event('BLOCK_JOB_READY', { device: `job${n++}`, len: 1, offset: 1, speed: 0, type: 'commit' });
      }, 5);
      conn.socket.once('close', () => clearInterval(ticking));
      return true;
    },
  });
}

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.skipIf(!shared.available)('a reader that has gone before anything is printed', () => {
  it.each([
    ['--version', ['--version'], 0, ''],
    ['-V', ['-V'], 0, ''],
    ['--help', ['--help'], 0, ''],
    ['check --help', ['check', '--help'], 0, ''],
    ['dump', ['dump', SCHEMA_72, '--qemu-version', '7.2'], 0, ''],
    ['jsonschema', ['jsonschema', DEFAULT, '--legacy'], 0, ''],
    ['diff, breaking changes found', ['diff', SCHEMA_13, SCHEMA_72, '--old-qemu-version', '1.3', '--new-qemu-version', '7.2', '--json'], 5, 'qapi-ts: diff: 25 breaking change(s)\n'],
  ] as const)('%s: ends quietly with its own exit code', async (_what, args, code, stderr) => {
    const r = await runIntoClosedPipe(args);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(r.stderr).not.toContain('EPIPE');
    // Warnings of the 2012 dialect aside, which diff prints as it reads.
    expect(r.stderr.split('\n').filter((l) => !l.includes('warning:')).join('\n')).toBe(stderr);
    expect(r.code).toBe(code);
  });

  it('qmp: the reply is lost to the closed pipe, the command ran, exit 0', async () => {
    server = await startMockServer({ onCommand: (c, conn) => c.name === 'query-version' && (conn.reply(c, { qemu: { major: 10, minor: 0, micro: 2 }, package: '' }), true) });
    // A capture to check against: without one, qmp would ask the QEMU for its schema first.
    const capture = join(folder, 'query-version.json');
    writeFileSync(capture, JSON.stringify([{ name: 'query-version', 'meta-type': 'command', 'arg-type': '0', 'ret-type': '0' }, { name: '0', 'meta-type': 'object', members: [] }]));
    const r = await runIntoClosedPipe(['qmp', '--socket', server.path, '--schema', capture, 'query-version']);
    expect(r).toEqual({ code: 0, stderr: '' });
    expect(server.received.map((c) => c.name)).toEqual(['qmp_capabilities', 'query-version']);
  });
});

describe.skipIf(!shared.available)('qapi-ts VERB ... | head -n 1, as the issue has it', () => {
  it.each([
    ['dump', ['dump', SCHEMA_72, '--qemu-version', '7.2'], 'module ./builtin\n'],
    ['jsonschema', ['jsonschema', SCHEMA_72, '--qemu-version', '7.2'], '{\n'],
  ])('%s: the first line, then a quiet end with exit 0', async (_verb, args, first) => {
    // Far more than a pipe holds (64 KiB) and head reads before it leaves.
    const whole = spawnSync(process.execPath, [CLI_ENTRY, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
    expect(whole.stdout.length).toBeGreaterThan(1 << 18);
    const r = await runIntoHead(args);
    expect(r.head).toBe(first);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

// A short run of these verbs ends as soon as its output is out (main.ts):
// what it printed must all reach the pipes' readers, byte for byte what
// the same run writes into a file (far more than a pipe holds, so the run
// waits on its reader).
describe.skipIf(!shared.available)('the whole output reaches a pipe before the run ends', () => {
  it.each([
    ['dump, on stdout', ['dump', SCHEMA_72, '--qemu-version', '7.2']],
    ['check, its errors on stderr', ['check', SCHEMA_13, '--qemu-version', '7.2']],
  ])('%s', async (_what, args) => {
    const file = join(folder, 'whole.txt');
    const fd = openSync(file, 'w');
    const intoFile = spawnSync(process.execPath, [CLI_ENTRY, ...args], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const expected = readFileSync(file, 'utf8');
    expect(expected.length).toBeGreaterThan(1000);
    const piped = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI_ENTRY, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      const chunks = { stdout: [] as string[], stderr: [] as string[] };
      child.stdout.setEncoding('utf8').on('data', (d: string) => chunks.stdout.push(d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => chunks.stderr.push(d));
      child.once('error', reject);
      child.once('close', (code) => {
        text = chunks.stdout.join('') + chunks.stderr.join('');
        resolve({ code, text });
      });
    });
    expect(piped.code).toBe(intoFile.status);
    expect(piped.text.length).toBe(expected.length);
    expect(piped.text).toBe(expected);
  });
});

describe('qapi-ts qmp --events | head -n 1: a watch of a busy QEMU', () => {
  it('prints the first event, then ends with exit 0 once the next finds the reader gone', async () => {
    server = await startChattyServer();
    const r = await runIntoHead(['qmp', '--socket', server.path, '--events']);
    // Whichever came first once it listened: the peer does not wait for it.
    expect(JSON.parse(r.head)).toMatchObject({ event: 'BLOCK_JOB_READY', data: { device: expect.stringMatching(/^job\d+$/) } });
    expect(r.stderr).toBe(`qapi-ts: printing every event from the QEMU at ${server.path} (Ctrl-C to stop)\n`);
    expect(r.code).toBe(0);
  });

  it('ends as quietly when the reader has gone before it starts', async () => {
    server = await startChattyServer();
    const r = await runIntoClosedPipe(['qmp', '--socket', server.path, '--events']);
    expect(r).toEqual({ code: 0, stderr: `qapi-ts: printing every event from the QEMU at ${server.path} (Ctrl-C to stop)\n` });
  });
});
