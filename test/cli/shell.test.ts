/**
 * The shell's reading of lines, its completion and its help, on QEMU
 * 10.0.2's storage daemon schema as query-qmp-schema tells it (the capture)
 * and, for the documentation, QEMU 10.0's source schema; and its history
 * file.  What a terminal shows of them is test/e2e/shell.qemu.test.ts's.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../generator/cli/io.js';
import { givenSchema, type CallSchema } from '../../generator/cli/qmp-schema.js';
import { complete } from '../../generator/cli/shell-complete.js';
import { helpText, SHELL_HELP } from '../../generator/cli/shell-help.js';
import { defaultHistoryFile, HISTORY_SIZE, HistoryFile } from '../../generator/cli/shell-history.js';
import { readLine, ShellInputError, type ShellInput } from '../../generator/cli/shell-line.js';
import { runInProcess } from '../helpers/cli.js';
import { requireShared } from '../helpers/shared.js';

const capture = requireShared('qemu-10.0/introspection/qemu-storage-daemon.json', "the shell's reading of lines");
const source = requireShared('qemu-10.0/qapi/qapi-schema.json', "the shell's help from a source schema");

const quiet: CliIo = { stdout: () => {}, stderr: () => {} };
const load = async (flags: Parameters<typeof givenSchema>[0]): Promise<CallSchema> => (await givenSchema(flags, { settings: {} }, quiet))!;
const fromCapture = capture.available ? await load({ schema: capture.path }) : undefined;
const fromSource = source.available ? await load({ schema: source.path, qemuVersion: '10.0' }) : undefined;

describe.skipIf(!capture.available)('reading a line', () => {
  const schema = fromCapture!;
  const call = (command: string, args?: Record<string, unknown>): ShellInput => ({ kind: 'call', command, args });

  it.each<[string, string, ShellInput]>([
    ['nothing', '   ', { kind: 'empty' }],
    ['exit', 'exit', { kind: 'exit' }],
    ['help', 'help', { kind: 'help', topic: undefined }],
    ['help COMMAND', 'help block-commit', { kind: 'help', topic: 'block-commit' }],
    ['a command alone', 'query-version', call('query-version')],
    [
      'values typed by the schema: string, integer, enum, boolean',
      'block-commit device=top speed=1048576 on-error=stop backing-mask-protocol=true',
      call('block-commit', { device: 'top', speed: 1048576, 'on-error': 'stop', 'backing-mask-protocol': true }),
    ],
    ['an integer beyond 2^53, exact', 'block-commit device=d speed=9223372036854775807', call('block-commit', { device: 'd', speed: 9223372036854775807n })],
    ['digits for a string member stay a string', 'block-commit device=123 job-id=true', call('block-commit', { device: '123', 'job-id': 'true' })],
    ['quoted values are strings as written', `block-commit device='a b' job-id="x=\\"y\\""`, call('block-commit', { device: 'a b', 'job-id': 'x="y"' })],
    [
      'dotted keys build objects, typed through the union branch',
      'blockdev-create job-id=c0 options.driver=file options.filename=/tmp/x options.size=1048576',
      call('blockdev-create', { 'job-id': 'c0', options: { driver: 'file', filename: '/tmp/x', size: 1048576 } }),
    ],
    ['the tag may come after the branch member', 'blockdev-create options.size=10 options.driver=file', call('blockdev-create', { options: { size: 10, driver: 'file' } })],
    ['JSON for an object member', 'blockdev-create options={"driver": "file", "size": 1}', call('blockdev-create', { options: { driver: 'file', size: 1 } })],
    ['an alternate: a string', 'blockdev-add driver=raw node-name=r file=n0', call('blockdev-add', { driver: 'raw', 'node-name': 'r', file: 'n0' })],
    ['an alternate: its object branch by dotted keys', 'blockdev-add driver=raw node-name=r file.driver=null-co', call('blockdev-add', { driver: 'raw', 'node-name': 'r', file: { driver: 'null-co' } })],
    ['an alternate: null', 'x-blockdev-set-iothread node-name=n iothread=null', call('x-blockdev-set-iothread', { 'node-name': 'n', iothread: null })],
    ['a member the schema lacks: read as JSON when it is JSON', 'block-commit devize=7 other=abc', call('block-commit', { devize: 7, other: 'abc' })],
    ['text where an integer belongs is kept (the validator reports it)', 'block-commit device=d speed=fast', call('block-commit', { device: 'd', speed: 'fast' })],
    ['the arguments as JSON', 'blockdev-add {"driver": "null-co", "node-name": "n0"}', call('blockdev-add', { driver: 'null-co', 'node-name': 'n0' })],
    ['a whole QMP command', '{"execute": "query-version"}', call('query-version')],
    ['a whole QMP command with arguments and an id', '{"execute": "blockdev-del", "arguments": {"node-name": "n0"}, "id": 7}', call('blockdev-del', { 'node-name': 'n0' })],
  ])('%s', (_, line, want) => {
    expect(readLine(line, schema.model)).toEqual(want);
  });

  it.each([
    ['a word without =', 'block-commit device', "expected KEY=VALUE or a JSON object, got 'device'"],
    ['a key given twice', 'block-commit device=a device=b', 'device: given twice'],
    ['a key given a value and members', 'blockdev-create options=1 options.driver=file', "options.driver: 'options' is given a value already"],
    ['an empty key', 'block-commit =x', "expected KEY=VALUE or a JSON object, got '=x'"],
    ['an empty step', 'blockdev-create options..driver=file', 'options..driver: empty key'],
    ['broken JSON', 'blockdev-create options={"driver"', 'options: the value is not valid JSON'],
    ['JSON arguments that are no object', '{"execute": "blockdev-add", "arguments": [1]}', 'blockdev-add: the arguments must be a JSON object'],
    ['a JSON array for arguments', 'blockdev-add [1]', "expected KEY=VALUE or a JSON object, got '[1]'"],
    ['more after JSON arguments', 'blockdev-add {} x=1', 'blockdev-add: after the JSON object, nothing more'],
    ["QMP without 'execute'", '{"arguments": {}}', "without 'execute'"],
    ['QMP with keys the shell does not send', '{"execute": "x", "control": 1}', "unexpected key 'control'"],
    ['help of two names', 'help a b', 'help takes one name'],
  ])('refuses %s', (_, line, message) => {
    expect(() => readLine(line, schema.model)).toThrow(ShellInputError);
    expect(() => readLine(line, schema.model)).toThrow(message);
  });
});

describe.skipIf(!capture.available)('completion', () => {
  const schema = fromCapture!;

  it.each<[string, string, string[], string]>([
    ['a command name', 'query-ver', ['query-version '], 'query-ver'],
    ['several command names', 'block-job-', ['block-job-cancel ', 'block-job-change ', 'block-job-complete ', 'block-job-dismiss ', 'block-job-finalize ', 'block-job-pause ', 'block-job-resume ', 'block-job-set-speed '], 'block-job-'],
    ["the shell's own words", 'ex', ['exit '], 'ex'],
    ['a name after help, events too', 'help JOB_S', ['JOB_STATUS_CHANGE'], 'JOB_S'],
    ['an argument name', 'block-commit dev', ['device='], 'dev'],
    ['an enum value', 'block-commit device=x on-error=', ['auto ', 'enospc ', 'ignore ', 'report ', 'stop '], ''],
    ['an enum value, begun', 'block-commit on-error=st', ['stop '], 'st'],
    ['a boolean', 'block-commit backing-mask-protocol=t', ['true '], 't'],
    ['an object member: a dot follows', 'blockdev-create op', ['options.'], 'op'],
    ["a union's members before its tag: the tag", 'blockdev-create options.', ['driver='], ''],
    ['a union branch value', 'blockdev-create options.driver=fi', ['file '], 'fi'],
    ["the branch's members once the tag is given", 'blockdev-create options.driver=file options.p', ['preallocation='], 'p'],
    ['an enum in the branch', 'blockdev-create options.driver=file options.preallocation=fa', ['falloc '], 'fa'],
    ['an object given members so far takes more', 'blockdev-create options.driver=file op', ['options.'], 'op'],
    ['a string value: nothing to offer', 'block-commit device=', [], ''],
    ['an unknown command', 'no-such-command x', [], 'x'],
    ['inside JSON', 'blockdev-add {"driver', [], '{"driver'],
    ['a whole QMP command', '{"execute": "query', [], '{"execute": "query'],
  ])('%s', (_, line, candidates, completing) => {
    expect(complete(schema, line)).toEqual([candidates, completing]);
  });

  it('leaves out the arguments already given', () => {
    const [candidates] = complete(schema, 'block-commit device=x job-id=j ');
    expect(candidates).toContain('on-error=');
    expect(candidates).not.toContain('device=');
    expect(candidates).not.toContain('job-id=');
  });

  it('offers every command and the shell words on an empty line', () => {
    const [candidates] = complete(schema, '');
    expect(candidates).toHaveLength(schema.commands.length + 2);
    expect(candidates).toEqual(expect.arrayContaining(['help ', 'exit ', 'query-version ']));
  });
});

describe.skipIf(!capture.available)('help from a schema without documentation', () => {
  const schema = fromCapture!;

  it('lists the arguments with their types, enum values, what it returns, and says there are no docs', () => {
    const text = helpText(schema, 'block-commit');
    expect(text).toMatch(/^command block-commit\n\nArguments:\n {2}job-id: str, optional\n {2}device: str\n/);
    expect(text).toContain('  speed: int (any width), optional\n');
    expect(text).toContain('  on-error: BlockCommitArgumentsOnError, optional\n      one of: report, ignore, enospc, stop, auto\n');
    expect(text).toContain('Returns: nothing ({})');
    expect(text).toMatch(/\(No documentation: the schema qemu-storage-daemon\.json carries none; .*\)$/);
  });

  it("names a union's branches", () => {
    expect(helpText(schema, 'blockdev-add')).toMatch(/Further arguments depend on 'driver': .*\bnull-co\b.*\bqcow2\b/);
  });

  it('describes events', () => {
    expect(helpText(schema, 'JOB_STATUS_CHANGE')).toMatch(/^event JOB_STATUS_CHANGE\n\nArguments:\n {2}id: str\n {2}status: \w+\n {6}one of: undefined, created, running,/);
  });

  it('says what it does not know, with near misses', () => {
    expect(helpText(schema, 'block-comit')).toBe("help: the schema qemu-storage-daemon.json has no command or event 'block-comit' (did you mean 'block-commit'?)");
  });

  it('without a topic explains the shell', () => {
    expect(helpText(schema, undefined)).toBe(SHELL_HELP);
  });
});

describe.skipIf(!source.available)('help from a source schema', () => {
  const schema = fromSource!;

  it("shows the doc comment: the command's text, each argument's, and the sections", () => {
    const text = helpText(schema, 'block-commit');
    expect(text).toMatch(/^command block-commit\n\nLive commit of data from overlay image nodes into backing nodes/);
    expect(text).toMatch(/\n {2}device: str\n {6}the device name or node-name of a root node\n/);
    expect(text).toMatch(/\n {2}speed: int, optional\n {6}the maximum speed, in bytes per second\n/);
    expect(text).toMatch(/\nSince:\n {2}1\.3\n/);
    expect(text).not.toContain('No documentation');
  });
});

describe('the history file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qapi-ts-history-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is ~/.qapi-ts_history, or qapi-ts/history under $XDG_STATE_HOME', () => {
    expect(defaultHistoryFile({ HOME: '/home/u' })).toMatch(/\/\.qapi-ts_history$/);
    expect(defaultHistoryFile({ XDG_STATE_HOME: '/state' })).toBe('/state/qapi-ts/history');
  });

  it('keeps the newest lines, oldest first on disk, for its owner only', () => {
    const path = join(dir, 'state', 'qapi-ts', 'history');
    const file = new HistoryFile(path, (m) => {
      throw new Error(m);
    });
    expect(file.load()).toEqual([]);
    const newestFirst = Array.from({ length: HISTORY_SIZE + 5 }, (_, i) => `line ${HISTORY_SIZE + 4 - i}`);
    file.save(newestFirst);
    const onDisk = readFileSync(path, 'utf8').split('\n');
    expect(onDisk).toHaveLength(HISTORY_SIZE + 1);
    expect(onDisk[0]).toBe('line 5');
    expect(onDisk.at(-2)).toBe(`line ${HISTORY_SIZE + 4}`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(file.load()).toEqual(newestFirst.slice(0, HISTORY_SIZE));
  });

  it('warns once when it cannot be written, and the session goes on', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    const warnings: string[] = [];
    const file = new HistoryFile(join(blocker, 'history'), (m) => warnings.push(m));
    file.save(['a']);
    file.save(['b', 'a']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^qapi-ts: warning: cannot write the history file .*; history is kept for this session only$/);
  });
});

describe('qapi-ts shell: usage errors (exit 2)', () => {
  it.each([
    ['no QEMU to talk to', ['shell'], /give --socket PATH .* or --qemu BINARY/],
    ['a socket twice', ['shell', 'a.sock', '--socket', 'b.sock'], /shell takes at most a socket path, got a\.sock/],
    ['two operands', ['shell', 'a.sock', 'b.sock'], /shell takes at most a socket path, got a\.sock b\.sock/],
    ["QEMU's arguments without --qemu", ['shell', '--socket', 'a.sock', '--', '-x'], /arguments after -- are QEMU's own and need --qemu BINARY/],
    ['a capture and a schema', ['shell', '--socket', 'a.sock', '--schema', 'a', '--introspection', 'b'], /give --schema FILE or --introspection FILE, not both/],
  ])('%s', async (_, argv, message) => {
    const r = await runInProcess(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
