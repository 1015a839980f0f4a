/**
 * Issue 20, item 4: `qapi-ts qmp` checks calls against the connected
 * QEMU's own schema when none is given, and takes a captured
 * query-qmp-schema reply as `--schema` (or `--introspection`).  Against a
 * mock QMP server that answers query-qmp-schema with QEMU 10.0.2's storage
 * daemon capture: what is checked, what is sent, and the exit codes.  Also
 * `qmp --events` (every event, by name, until a count or a timeout) and the
 * usage errors of the new flags.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../generator/cli/program.js';
import { hasStackTrace, runInProcess, type CliResult } from '../helpers/cli.js';
import { requireShared } from '../helpers/shared.js';
import { startMockServer, type CommandHandler, type MockConnection, type MockServer } from '../runtime/helpers/mock-qmp-server.js';

const shared = requireShared('qemu-10.0/introspection/qemu-storage-daemon.json', 'qmp with the QEMU schema');
const CAPTURE = shared.path;

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A mock QEMU 10.0.2 storage daemon: it tells its schema; `handler` answers the rest. */
async function qemu(handler?: CommandHandler, schemaReply?: (c: Parameters<CommandHandler>[0], conn: MockConnection) => void): Promise<MockServer> {
  const capture = JSON.parse(readFileSync(CAPTURE, 'utf8')) as { schema: unknown; version: { qemu: { major: number; minor: number; micro: number }; package: string } };
  server = await startMockServer({
    version: capture.version,
    onCommand: (c, conn) => {
      if (c.name === 'query-qmp-schema') {
        if (schemaReply) schemaReply(c, conn);
        else conn.reply(c, capture.schema);
        return true;
      }
      if (c.name === 'query-version') return (conn.reply(c, capture.version), true);
      return handler?.(c, conn);
    },
  });
  return server;
}

const qmp = (socket: string, ...rest: string[]): Promise<CliResult> => runInProcess(['qmp', '--socket', socket, ...rest]);
const names = (s: MockServer): string[] => s.received.map((c) => c.name);
const ASKED = ['qmp_capabilities', 'query-qmp-schema', 'query-version'];

describe("qmp without a schema: the QEMU's own", () => {
  it('runs a command the QEMU has (and the embedded default schema lacks)', async () => {
    const s = await qemu((c, conn) => c.name === 'query-named-block-nodes' && (conn.reply(c, [{ 'node-name': 'n0' }]), true));
    const r = await qmp(s.path, 'query-named-block-nodes', '{"flat":true}');
    expect(r).toEqual({ code: 0, stdout: '[{"node-name":"n0"}]\n', stderr: '' });
    expect(names(s)).toEqual([...ASKED, 'query-named-block-nodes']);
  });

  it.each([
    [
      'an unknown command, with near misses',
      ['blockdev-ad', '{}'],
      /^qapi-ts: unknown command 'blockdev-ad': the schema of QEMU 10\.0\.2 \(query-qmp-schema\) has no such command \(did you mean 'blockdev-add'.*\); nothing was sent\n$/,
    ],
    [
      'every problem of the arguments',
      ['block-commit', '{"device":"top","speed":"fast","bogus":1}'],
      /^qapi-ts: block-commit: arguments\.speed: expected an integer, got "fast"\nqapi-ts: block-commit: arguments\.bogus: unknown member\nqapi-ts: block-commit: invalid arguments \(2 problems\); nothing was sent\n$/,
    ],
    [
      'a value outside an enum',
      ['block-commit', '{"device":"top","on-error":"later"}'],
      /arguments\["on-error"\]: expected one of "report", "ignore", "enospc", "stop", "auto", got "later"\n/,
    ],
  ])('refuses %s with exit 4, sending nothing but its questions', async (_, args, message) => {
    const s = await qemu();
    const r = await qmp(s.path, ...args);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(names(s)).toEqual(ASKED);
  });

  it('exits 3 with a hint when the QEMU cannot tell its schema', async () => {
    const s = await qemu(undefined, (c, conn) => conn.replyError(c, 'CommandNotFound', "The command query-qmp-schema has not been found"));
    const r = await qmp(s.path, 'query-version');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^qapi-ts: the QEMU at .* cannot tell its schema \(CommandNotFound: .*\); pass --schema with its qapi-schema\.json or a capture\n$/);
    expect(names(s)).not.toContain('query-version');
  });

  it('exits 3 when the reply is no schema', async () => {
    const s = await qemu(undefined, (c, conn) => conn.reply(c, { not: 'a schema' }));
    const r = await qmp(s.path, 'query-version');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/expected query-qmp-schema's reply \(an array\)[\s\S]*answered query-qmp-schema with no schema qapi-ts can read; pass --schema\n$/);
  });
});

describe('qmp --schema CAPTURE and --introspection CAPTURE', () => {
  it.each([['--schema'], ['--introspection']])('%s: checks against the capture before connecting, then runs', async (flag) => {
    const s = await qemu((c, conn) => c.name === 'query-named-block-nodes' && (conn.reply(c, []), true));
    const bad = await qmp(s.path, flag, CAPTURE, 'block-commit', '{"device":"top","bogus":1}');
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/arguments\.bogus: unknown member/);
    expect(await s.settledConnectionCount()).toBe(0);
    const good = await qmp(s.path, flag, CAPTURE, 'query-named-block-nodes');
    expect(good).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
    // The capture is the schema: the QEMU is not asked for its own.
    expect(names(s)).toEqual(['qmp_capabilities', 'query-named-block-nodes']);
  });

  it('refuses both at once (exit 2)', async () => {
    const s = await qemu();
    const r = await qmp(s.path, '--schema', CAPTURE, '--introspection', CAPTURE, 'query-version');
    expect(r).toMatchObject({ code: 2, stderr: 'qapi-ts: give --schema FILE or --introspection FILE, not both\n' });
  });
});

/** Runs `qmp --events ...` in-process; `ready` runs once it says it is printing. */
async function watch(socket: string, args: readonly string[], ready: () => void): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['qmp', '--socket', socket, '--events', ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => {
      stderr += t;
      if (/^qapi-ts: printing .* \(Ctrl-C to stop\)$/m.test(t)) ready();
    },
  });
  return { code, stdout, stderr };
}

const JOB = (id: string, status: string) => ['JOB_STATUS_CHANGE', { id, status }] as const;

describe('qmp --events', () => {
  it('prints every event as one JSON line until --count', async () => {
    const s = await qemu();
    const r = await watch(s.path, ['--count', '2'], () => {
      const conn = s.connections[0]!;
      conn.event('RESUME');
      conn.event(...JOB('j0', 'created'));
      conn.event(...JOB('j0', 'running'));
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      '{"event":"RESUME","timestamp":{"seconds":1700000000,"microseconds":42}}\n' +
        '{"event":"JOB_STATUS_CHANGE","data":{"id":"j0","status":"created"},"timestamp":{"seconds":1700000000,"microseconds":42}}\n',
    );
  });

  it('prints only the events named, keeping 64-bit integers exact', async () => {
    const s = await qemu();
    const r = await watch(s.path, ['BLOCK_JOB_COMPLETED,JOB_STATUS_CHANGE', '--count', '2'], () => {
      const conn = s.connections[0]!;
      conn.event('RESUME');
      conn.event(...JOB('j0', 'concluded'));
      conn.event('BLOCK_JOB_COMPLETED', { type: 'commit', device: 'j0', len: 2n ** 63n - 1n, offset: 2n ** 63n - 1n, speed: 0 });
    });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { event: string }).event)).toEqual(['JOB_STATUS_CHANGE', 'BLOCK_JOB_COMPLETED']);
    expect(lines[1]).toContain('"len":9223372036854775807');
  });

  it('ends after --timeout with exit 0', async () => {
    const s = await qemu();
    const r = await watch(s.path, ['--timeout', '0.05'], () => {});
    expect(r).toMatchObject({ code: 0, stdout: '' });
  });

  it('exits 3 when the connection is lost', async () => {
    const s = await qemu();
    const r = await watch(s.path, [], () => s.connections[0]!.socket.destroy());
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^qapi-ts: connection closed.* while watching events$/m);
  });

  it.each([
    ['the QEMU', []],
    ['a capture', ['--schema', CAPTURE]],
  ])('refuses an event name %s does not have (exit 2), with near misses', async (_, extra) => {
    const s = await qemu();
    const r = await watch(s.path, ['JOB_STATUS_CHANG', ...extra], () => {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--events: the schema .* has no event 'JOB_STATUS_CHANG' \(did you mean 'JOB_STATUS_CHANGE'\?\)/);
  });
});

describe('qmp: usage errors of the new flags (exit 2)', () => {
  it.each([
    ['neither --socket nor --qemu', ['qmp', 'query-version'], /give --socket PATH .* or --qemu BINARY/],
    ['both --socket and --qemu', ['qmp', '--socket', 's', '--qemu', 'qemu-storage-daemon', 'query-version'], /give --socket PATH .* one of them/],
    ["QEMU's arguments without --qemu", ['qmp', '--socket', 's', 'query-version', '--', '--blockdev', 'x'], /arguments after -- are QEMU's own and need --qemu BINARY/],
    ['a third operand', ['qmp', '--socket', 's', 'query-version', '{}', 'x'], /qmp takes COMMAND \[ARGS-JSON\], got 3 operands/],
    ['no command and no --events', ['qmp', '--socket', 's'], /missing COMMAND \(or --events\)/],
    ['--count without --events', ['qmp', '--socket', 's', '--count', '2', 'query-version'], /--count and --timeout go with --events/],
    ['a --count that is no count', ['qmp', '--socket', 's', '--events', '--count', '0'], /--count: expected a positive whole number, got '0'/],
    ['a --timeout that is no time', ['qmp', '--socket', 's', '--events', '--timeout', 'soon'], /--timeout: expected a positive number of seconds, got 'soon'/],
    ['--events with --wait-job', ['qmp', '--socket', 's', '--events', '--wait-job'], /--wait-job follows the job a command starts; --events runs none/],
    ['a --qemu that is no QEMU', ['qmp', '--qemu', process.execPath, 'query-version'], /cannot tell how to start/],
  ])('%s', async (_, argv, message) => {
    const r = await runInProcess(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('--events with a command is refused', async () => {
    const s = await qemu();
    const r = await qmp(s.path, '--events', 'JOB_STATUS_CHANGE', 'query-version');
    expect(r).toMatchObject({ code: 2, stderr: 'qapi-ts: --events prints events; it runs no command (drop COMMAND)\n' });
  });
});
