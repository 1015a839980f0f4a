/**
 * `qapi-ts qmp` against a mock QMP server: what is (not) sent, exit codes
 * (3: error reply or connection failure; 4: invalid arguments, nothing
 * sent), output formats, 64-bit integers exact both ways, and --wait-job.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../generator/cli/program.js';
import { hasStackTrace, runInProcess, type CliResult } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { TerminalScreen } from '../helpers/terminal-screen.js';
import { startMockServer, type CommandHandler, type MockServer } from '../runtime/helpers/mock-qmp-server.js';

const GOLDEN = join(PROJECT_ROOT, 'test', 'fixtures', 'golden', 'schema.json');
const GOLDEN_LEGACY = join(PROJECT_ROOT, 'test', 'fixtures', 'golden-legacy', 'schema.json');
const BIG = '9223372036854775807';
const VERSION = { qemu: { major: 7, minor: 2, micro: 0 }, package: 'mock' };

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function mock(onCommand?: CommandHandler, capabilities?: string[]): Promise<MockServer> {
  server = await startMockServer({ onCommand, ...(capabilities ? { capabilities } : {}) });
  return server;
}

const qmp = (socket: string, ...rest: string[]): Promise<CliResult> => runInProcess(['qmp', '--socket', socket, ...rest]);
/** The schema the package embeds (the seed's block-commit and a few commands around it), given explicitly:
 *  without a schema, qmp asks the QEMU, which the mock server is not (qmp-live.test.ts does that). */
const EMBEDDED = ['--schema', join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json'), '--legacy'];
const qmpEmbedded = (socket: string, ...rest: string[]): Promise<CliResult> => qmp(socket, ...EMBEDDED, ...rest);


describe('qapi-ts qmp: a command and its result', () => {
  it('prints the return value as one line of JSON', async () => {
    const s = await mock((c, conn) => c.name === 'query-version' && (conn.reply(c, VERSION), true));
    const r = await qmpEmbedded(s.path, 'query-version');
    expect(r).toEqual({ code: 0, stdout: `${JSON.stringify(VERSION)}\n`, stderr: '' });
    expect(s.received.map((c) => c.name)).toEqual(['qmp_capabilities', 'query-version']);
  });

  it('prints what the server answers for a command without returns', async () => {
    const s = await mock();
    const r = await qmpEmbedded(s.path, 'block-job-complete', '{"device":"job0"}');
    expect(r).toEqual({ code: 0, stdout: '{}\n', stderr: '' });
    expect(s.received[1]?.arguments).toEqual({ device: 'job0' });
  });

  it('keeps integers beyond 2^53 exact, in the arguments and in the reply', async () => {
    const reply = [
      {
        type: 'commit',
        device: 'drive0',
        len: 2n ** 64n - 1n,
        offset: 2n ** 53n + 1n,
        busy: false,
        paused: false,
        speed: 0,
        'io-status': 'ok',
        ready: false,
      },
    ];
    const s = await mock((c, conn) => c.name === 'query-block-jobs' && (conn.reply(c, reply), true));
    const commit = await qmpEmbedded(s.path, 'block-commit', `{"device":"drive0","top":"mid.qcow2","speed":${BIG}}`);
    expect(commit.code).toBe(0);
    expect(s.received[1]?.raw).toContain(`"speed":${BIG}`);
    expect(s.received[1]?.arguments?.speed).toBe(BigInt(BIG));
    const jobs = await qmpEmbedded(s.path, 'query-block-jobs');
    expect(jobs.code).toBe(0);
    expect(jobs.stdout).toContain('"len":18446744073709551615');
    expect(jobs.stdout).toContain('"offset":9007199254740993');
    expect(jobs.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('pretty-prints on a terminal, still exact', async () => {
    const s = await mock((c, conn) => c.name === 'query-version' && (conn.reply(c, { ...VERSION, big: 2n ** 63n }), true));
    let stdout = '';
    const code = await runCli(['qmp', '--socket', s.path, ...EMBEDDED, 'query-version'], {
      stdout: (t) => (stdout += t),
      stderr: () => {},
      stdoutIsTTY: true,
    });
    expect(code).toBe(0);
    expect(stdout).toContain('\n  "qemu": {\n    "major": 7,');
    expect(stdout).toContain('"big": 9223372036854775808');
  });

  it('validates against --schema; allow-oob goes out of band, no-reply prints nothing', async () => {
    const s = await mock();
    expect(await qmp(s.path, '--schema', GOLDEN, '--qemu-version', '7.2', 'ping')).toEqual({ code: 0, stdout: '{}\n', stderr: '' });
    expect(s.received.at(-1)).toMatchObject({ name: 'ping', oob: true });
    expect(s.received.find((c) => c.name === 'qmp_capabilities')?.arguments).toEqual({ enable: ['oob'] });
    expect(await qmp(s.path, '--schema', GOLDEN, '--qemu-version', '7.2', 'fire-and-forget', '{"level":"low"}')).toMatchObject({ code: 0, stdout: '' });
    await expect.poll(() => s.received.at(-1)?.name).toBe('fire-and-forget');
    expect((await qmp(s.path, '--schema', GOLDEN, '--qemu-version', '7.2', 'query-version')).code).toBe(4);
  });

  it('sends an oob command in band when the server does not offer oob', async () => {
    const s = await mock(undefined, []);
    expect((await qmp(s.path, '--schema', GOLDEN, '--qemu-version', '7.2', 'ping')).code).toBe(0);
    expect(s.received.map((c) => [c.name, c.oob, c.arguments])).toEqual([
      ['qmp_capabilities', false, undefined],
      ['ping', false, undefined],
    ]);
  });
});

describe('qapi-ts qmp: invalid arguments exit 4 and send nothing', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'every problem of the arguments',
      ['block-commit', '{"device":"drive0","speed":"fast","bogus":1}'],
      /qapi-ts: block-commit: arguments\.top: missing required member\nqapi-ts: block-commit: arguments\.speed: expected an integer, got "fast"\nqapi-ts: block-commit: arguments\.bogus: unknown member\n.*3 problems.*nothing was sent/,
    ],
    [
      'an integer out of range',
      ['block-commit', `{"device":"d","top":"t","speed":${BIG}0}`],
      /arguments\.speed: expected an integer in int64 range/,
    ],
    ['an unknown command', ['block_commit', '{}'], /unknown command 'block_commit'.*did you mean 'block-commit'/],
    [
      'a command the schema lacks',
      ['drive-mirror', '{}'],
      /unknown command 'drive-mirror': the schema qapi-ts-default\.json has no such command; nothing was sent/,
    ],
    ['malformed JSON', ['block-commit', '{"device":'], /ARGS-JSON is not valid JSON/],
    ['JSON that is not an object', ['block-commit', '["drive0"]'], /ARGS-JSON must be a JSON object, got an array/],
    ['arguments to a command without any', ['query-version', '{"x":1}'], /arguments: the command takes no arguments/],
    ['--wait-job without a job to follow', ['query-version', '--wait-job'], /--wait-job: the arguments name no job/],
  ];

  it.each(cases)('%s', async (_, args, message) => {
    const s = await mock();
    const r = await qmpEmbedded(s.path, ...args);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
    // Not even a connection: validation comes first.
    expect(await s.settledConnectionCount()).toBe(0);
    expect(s.received).toEqual([]);
  });
});

describe('qapi-ts qmp: QMP failures exit 3', () => {
  it('prints an error reply as `Class: desc`', async () => {
    const s = await mock((c, conn) => c.name === 'block-commit' && (conn.replyError(c, 'DeviceNotFound', "Device 'nope' not found"), true));
    const r = await qmpEmbedded(s.path, 'block-commit', '{"device":"nope","top":"t"}');
    expect(r).toEqual({ code: 3, stdout: '', stderr: "DeviceNotFound: Device 'nope' not found\n" });
  });

  it('reports a missing socket in one line', async () => {
    const r = await qmp(join(PROJECT_ROOT, 'test', 'no-such.sock'), 'query-version');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^qapi-ts: cannot connect to QMP socket .*no-such\.sock: no such socket\n$/);
  });

  it('reports a connection closed before the reply', async () => {
    const s = await mock((c, conn) => c.name === 'query-version' && (conn.socket.destroy(), true));
    const r = await qmpEmbedded(s.path, 'query-version');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^qapi-ts: query-version: connection (closed|broken)[^\n]*\n$/);
    expect(r.stdout).toBe('');
  });

  it('is a usage error (2) without --socket or with a missing --schema', async () => {
    expect((await runInProcess(['qmp', 'query-version'])).code).toBe(2);
    const s = await mock();
    expect((await qmp(s.path, '--schema', join(PROJECT_ROOT, 'nope.json'), 'query-version')).code).toBe(2);
  });
});

/**
 * A server whose block-commit starts a job that ends with `end` once
 * runBlockJob has checked that it exists (the job is listed until then).
 */
function jobServer(end: (device: string) => [string, Record<string, unknown>]): CommandHandler {
  let device = '';
  return (c, conn) => {
    if (c.name === 'block-commit') {
      device = String(c.arguments?.['job-id'] ?? c.arguments?.device);
      conn.reply(c, {});
      conn.event('JOB_STATUS_CHANGE', { id: device, status: 'running' });
      return true;
    }
    if (c.name === 'query-block-jobs') {
      const len = 2n ** 60n;
      conn.reply(c, [{ type: 'commit', device, len, offset: len / 2n, speed: 0, busy: true, paused: false, ready: false, status: 'running', 'io-status': 'ok' }]);
      conn.event('JOB_STATUS_CHANGE', { id: device, status: 'pending' });
      const [event, data] = end(device);
      conn.event(event, { type: 'commit', device, len, offset: len, speed: 0, ...data });
      conn.event('JOB_STATUS_CHANGE', { id: device, status: 'concluded' });
      conn.event('JOB_STATUS_CHANGE', { id: device, status: 'null' });
      return true;
    }
    return false;
  };
}

describe('qapi-ts qmp --wait-job', () => {
  it('follows the job to its end: exit 0, progress lines on stderr', async () => {
    const s = await mock(jobServer(() => ['BLOCK_JOB_COMPLETED', {}]));
    const r = await qmpEmbedded(s.path, 'block-commit', '{"device":"drive0","top":"mid.qcow2"}', '--wait-job');
    expect(r.stdout).toBe('{}\n');
    // The half-way line shows when the job's numbers arrive apart from its end (as the bytes were cut).
    expect(r.stderr).toMatch(new RegExp(`^(progress ${2n ** 59n}/${2n ** 60n}\\n)?progress ${2n ** 60n}/${2n ** 60n}\\njob drive0: completed\\n$`));
    expect(r.code).toBe(0);
  });

  it("follows the job by its 'job-id' when one is given, else by its device", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qapi-ts-qmp-'));
    try {
      const schema = join(dir, 'jobs.json');
      writeFileSync(schema, "{ 'command': 'block-commit', 'data': { '*job-id': 'str', 'device': 'str', 'top': 'str' } }\n");
      const s = await mock(jobServer(() => ['BLOCK_JOB_COMPLETED', {}]));
      const named = await qmp(s.path, '--schema', schema, 'block-commit', '{"job-id":"commit0","device":"drive0","top":"t"}', '--wait-job');
      expect(named.stderr).toMatch(/^job commit0: completed$/m);
      expect(named.code).toBe(0);
      const unnamed = await qmp(s.path, '--schema', schema, 'block-commit', '{"device":"drive0","top":"t"}', '--wait-job');
      expect(unnamed.stderr).toMatch(/^job drive0: completed$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['an error', 'BLOCK_JOB_COMPLETED', { error: 'Input/output error' }, /^qapi-ts: job drive0: failed: Input\/output error$/m],
    ['a cancel', 'BLOCK_JOB_CANCELLED', {}, /^qapi-ts: job drive0: cancelled$/m],
  ])('exits 3 when the job ends with %s', async (_, event, data, message) => {
    const s = await mock(jobServer(() => [event, data]));
    const r = await qmpEmbedded(s.path, 'block-commit', '{"device":"drive0","top":"mid.qcow2"}', '--wait-job');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('exits 3 when the command that would start the job fails', async () => {
    const s = await mock(
      (c, conn) => c.name === 'block-commit' && (conn.replyError(c, 'GenericError', 'Top image file mid.qcow2 not found'), true),
    );
    const r = await qmpEmbedded(s.path, 'block-commit', '{"device":"drive0","top":"mid.qcow2"}', '--wait-job');
    expect(r).toEqual({ code: 3, stdout: '', stderr: 'GenericError: Top image file mid.qcow2 not found\n' });
  });

  it('exits 3 when the connection is lost mid-job', async () => {
    // The hang-up comes when the job is being followed: at the check that it exists.
    const s = await mock((c, conn) => c.name === 'query-block-jobs' && (conn.socket.destroy(), true));
    const r = await qmpEmbedded(s.path, 'block-commit', '{"device":"drive0","top":"mid.qcow2"}', '--wait-job');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^qapi-ts: job drive0: connection (closed|broken)/m);
  });

  it('fails at once with exit 3 when the job goes by another id than the one followed', async () => {
    const s = await mock((c, conn) => {
      if (c.name !== 'query-block-jobs') return false;
      conn.reply(c, [{ type: 'commit', device: 'commit0', len: 10, offset: 1, speed: 0, busy: true, paused: false, ready: false, status: 'running', 'io-status': 'ok' }]);
      return true;
    });
    const r = await qmpEmbedded(s.path, 'block-commit', '{"device":"drive0","top":"mid.qcow2"}', '--wait-job');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^qapi-ts: job drive0: no such block job \(there are: commit0\)/m);
  });
});

describe('qapi-ts qmp --wait-job on a terminal', () => {
  /** Runs the command with stderr on a terminal; what is left on its screen. */
  async function onTerminal(handler: CommandHandler): Promise<{ code: number; screen: TerminalScreen }> {
    const s = await mock(handler);
    const screen = new TerminalScreen();
    const code = await runCli(['qmp', '--socket', s.path, ...EMBEDDED, 'block-commit', '{"device":"drive0","top":"t"}', '--wait-job'], {
      stdout: () => {},
      stderr: (t) => screen.write(t),
      stderrTerminal: screen.stream(),
    });
    return { code, screen };
  }

  it.each([
    ['completes', 'BLOCK_JOB_COMPLETED', {}, 0, 'job drive0: completed'],
    ['is cancelled', 'BLOCK_JOB_CANCELLED', {}, 3, 'qapi-ts: job drive0: cancelled'],
    ['fails', 'BLOCK_JOB_COMPLETED', { error: 'Input/output error' }, 3, 'qapi-ts: job drive0: failed: Input/output error'],
  ])('draws a bar, and when the job %s leaves only the final line, cursor shown', async (_, event, data, want, last) => {
    const { code, screen } = await onTerminal(jobServer(() => [event, data]));
    expect(code).toBe(want);
    // The bar was drawn, with exact byte counts.
    expect(screen.raw).toMatch(/job drive0 \[.*\] 100% \| 1152921504606846976\/1152921504606846976 bytes/);
    // What is left: the final line alone; no bar, no status word, no leftover glyph.
    expect(screen.lines()).toEqual([last]);
    expect(screen.cursorVisible).toBe(true);
  });
});

describe('qapi-ts qmp reads qapi-ts.config.json as generate does', () => {
  /** Runs `body` with a config file holding `config` in a fresh directory. */
  async function withConfig(config: unknown, body: (dir: string, file: string) => Promise<void>): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'qapi-ts-qmp-config-'));
    try {
      const file = join(dir, 'qapi-ts.config.json');
      writeFileSync(file, JSON.stringify(config));
      await body(dir, file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("uses the config's schema (from the working directory by default)", async () => {
    const s = await mock((c, conn) => c.name === 'draw' && (conn.reply(c, [{ w: 1, h: 2 }]), true));
    await withConfig({ schema: GOLDEN, qemuVersion: '7.2', output: 'out' }, async (dir) => {
      const before = process.cwd();
      process.chdir(dir);
      try {
        // 'draw' is not in the embedded default schema, and the mock is no QEMU to ask.
        const r = await qmp(s.path, 'draw', '{"shape":"circle","radius":3}');
        expect(r).toEqual({ code: 0, stdout: '[{"w":1,"h":2}]\n', stderr: '' });
      } finally {
        process.chdir(before);
      }
    });
  });

  it("applies the config's legacy and unstable settings", async () => {
    const s = await mock((c, conn) => c.name === 'query-release' && (conn.reply(c, { name: 'r' }), true));
    await withConfig({ schema: GOLDEN_LEGACY, legacy: true }, async (_, file) => {
      expect(await qmp(s.path, '--config', file, 'query-release')).toMatchObject({ code: 0, stdout: '{"name":"r"}\n' });
    });
    await withConfig({ schema: GOLDEN_LEGACY }, async (_, file) => {
      expect((await qmp(s.path, '--config', file, 'query-release')).code).toBe(1);
    });
    await withConfig({ schema: GOLDEN, qemuVersion: '7.2', unstable: false }, async (_, file) => {
      const r = await qmp(s.path, '--config', file, 'to-string');
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/unknown command 'to-string': the schema schema\.json has no such command; nothing was sent/);
    });
  });

  it('--schema overrides the config; several schemas in it need --schema', async () => {
    const s = await mock();
    await withConfig({ schema: [GOLDEN, GOLDEN_LEGACY] }, async (_, file) => {
      const r = await qmp(s.path, '--config', file, 'ping');
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('qapi-ts: qapi-ts.config.json lists several schemas (schema.json, schema.json): choose one with --schema\n');
      expect((await qmp(s.path, '--config', file, '--schema', GOLDEN, '--qemu-version', '7.2', 'ping')).code).toBe(0);
    });
  });
});
