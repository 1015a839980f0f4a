/**
 * `qapi-ts shell` in a real terminal (tmux) against QEMU 10.0.2's storage
 * daemon: Tab completes a command name, an argument name and an enum
 * value; `query-version` runs; an invalid call is refused with the
 * validators' messages and never reaches QEMU (a recording proxy sits on
 * the wire); `help block-commit` lists the arguments (and, from a source
 * schema, the documentation); a job's events are printed as they come,
 * also above a line being typed, which survives them; the up arrow recalls
 * earlier lines, within the session and in the next one (the history
 * file).  With --qemu the shell starts QEMU and leaves nothing behind.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ENTRY } from '../helpers/cli.js';
import { isRunning, startCli, until } from '../helpers/cli-process.js';
import { removeTempDir, requireQemu10 } from '../helpers/qemu.js';
import { requireShared } from '../helpers/shared.js';
import { requireTmux, TmuxTerminal } from '../helpers/tmux.js';
import { startRecordingProxy } from './helpers/recording-proxy.js';
import { E2eScope } from './helpers/scope.js';

const qemu10 = requireQemu10(['qemu-storage-daemon'], 'qapi-ts shell against QEMU 10.0.2');
const tmux = requireTmux('qapi-ts shell in a terminal');
const schema10 = requireShared('qemu-10.0/qapi/qapi-schema.json', "qapi-ts shell's help from QEMU 10.0's schema");
const QSD = qemu10.bin('qemu-storage-daemon');
const PROMPT = 'qmp> ';

// Where the shells keep history (HOME) and their temporary directories (TMPDIR).
const home = mkdtempSync(join(tmpdir(), 'qapi-ts-shell-home-'));
const tmp = mkdtempSync(join(tmpdir(), 'qapi-ts-shell-tmp-'));
afterAll(() => {
  removeTempDir(home);
  removeTempDir(tmp);
});

let terminal: TmuxTerminal | undefined;
afterEach(() => {
  terminal?.close();
  terminal = undefined;
});

function shell(...args: string[]): TmuxTerminal {
  terminal = TmuxTerminal.start([process.execPath, CLI_ENTRY, 'shell', ...args], { env: { HOME: home, TMPDIR: tmp, XDG_STATE_HOME: '' } });
  return terminal;
}

/** The screen's text from the last prompt showing `line`: the command and what it printed.
 *  (The screen's lines come with trailing blanks dropped: an empty prompt reads `qmp>`.) */
const afterLastPrompt = (screen: string, line: string): string => screen.slice(screen.lastIndexOf(`\n${PROMPT}${line}`) + 1);

describe.skipIf(!qemu10.available || !tmux.available)('qapi-ts shell on a terminal, QEMU 10.0.2 storage daemon', () => {
  let scope: E2eScope;
  beforeEach(() => {
    scope = new E2eScope();
  });
  afterEach(async () => {
    await scope.dispose();
  });

  it('completes, runs, refuses unsent, explains, prints events and recalls history', async () => {
    // A second monitor, for a client of the test's own that makes events while the shell waits.
    const second = join(scope.dir, 'second.sock');
    const daemon = await scope.daemon(qemu10, ['--chardev', `socket,path=${second},server=on,wait=off,id=second`, '--monitor', 'chardev=second']);
    const proxy = scope.adopt(await startRecordingProxy(scope.dir, daemon.socketPath));
    const t = shell('--socket', proxy.path);
    await t.waitFor(/calls are checked against the schema of QEMU 10\.0\.2 \(query-qmp-schema\)[^\n]*\nqmp>$/, 'the banner and the prompt');

    // A command name.
    t.type('query-ver');
    t.press('Tab');
    await t.waitFor(() => t.cursorLine() === `${PROMPT}query-version`, 'query-version completed');
    t.press('Enter');
    const version = await t.waitFor(/"package": "Debian 1:10\.0\.2[^"]*"\n\}\nqmp>$/, "query-version's reply");
    expect(afterLastPrompt(version, 'query-version')).toMatch(/^qmp> query-version\s*\n\{\n {2}"qemu": \{\n {4}"micro": 2,\n {4}"minor": 0,\n {4}"major": 10\n {2}\},/);

    // An argument name, then an enum value.
    t.type('block-commit dev');
    t.press('Tab');
    await t.waitFor(() => t.cursorLine() === `${PROMPT}block-commit device=`, 'device= completed');
    t.type('top on-error=st');
    t.press('Tab');
    await t.waitFor(() => t.cursorLine() === `${PROMPT}block-commit device=top on-error=stop`, 'stop completed');

    // Invalid: refused with the validators' messages, and not sent.
    t.type('speed=fast bogus=1');
    t.press('Enter');
    const refused = await t.waitFor(/invalid arguments \(2 problems\); nothing was sent\nqmp>$/, 'the refusal');
    expect(afterLastPrompt(refused, 'block-commit')).toContain(
      'qapi-ts: block-commit: arguments.speed: expected an integer, got "fast"\nqapi-ts: block-commit: arguments.bogus: unknown member\n',
    );
    expect(proxy.sentMessages().map((m) => m['execute'])).toEqual(['qmp_capabilities', 'query-qmp-schema', 'query-version', 'query-version']);

    // help: the arguments with their types; the QEMU's own schema has no documentation.
    t.type('help block-commit');
    t.press('Enter');
    const help = afterLastPrompt(await t.waitFor(/has it\.\)\nqmp>$/, "block-commit's help"), 'help block-commit');
    expect(help).toContain('command block-commit\n\nArguments:\n  job-id: str, optional\n  device: str\n');
    expect(help).toContain('  on-error: BlockCommitArgumentsOnError, optional\n      one of: report, ignore, enospc, stop, auto\n');
    expect(help).toContain('(No documentation: the schema of QEMU 10.0.2 (query-qmp-schema) carries none;');

    // A job of the shell's own: its events as they come, its arguments typed by the schema.
    const image = join(scope.dir, 'created.img');
    t.type(`blockdev-create job-id=c0 options.driver=file options.filename=${image} options.size=1048576`);
    t.press('Enter');
    await t.waitFor(/event JOB_STATUS_CHANGE \{"status":"concluded","id":"c0"\}/, "the job's events");
    const create = proxy.sentMessages().find((m) => m['execute'] === 'blockdev-create');
    expect(create?.['arguments']).toEqual({ 'job-id': 'c0', options: { driver: 'file', filename: image, size: 1048576 } });

    // Events from elsewhere while a line is being typed, one long enough to wrap: printed above it; the line is kept.
    await t.waitFor(/\nqmp>$/, 'the prompt');
    const partial = `blockdev-create job-id=c2 options.driver=file options.filename=${join(scope.dir, 'x'.repeat(200))} opt`;
    t.type(partial);
    await t.waitFor((s) => s.endsWith(`\n${PROMPT}${partial}`), 'the partial line');
    const client = await scope.connect(second);
    await client.execute('blockdev-create', { 'job-id': 'c1', options: { driver: 'file', filename: join(scope.dir, 'other.img'), size: 65536 } });
    const during = await t.waitFor((s) => s.endsWith(`event JOB_STATUS_CHANGE {"status":"concluded","id":"c1"}\n${PROMPT}${partial}`), "c1's events right above the line");
    expect(during.split('\n').filter((l) => l.includes('job-id=c2'))).toEqual([`${PROMPT}${partial}`]);
    t.press('Tab');
    await t.waitFor((s) => s.endsWith(`\n${PROMPT}${partial}ions.`), 'the kept line completed');
    t.press('C-u');

    // History: the up arrow goes back through this session's lines.
    t.press('Up', 'Up');
    await t.waitFor(() => t.cursorLine() === `${PROMPT}help block-commit`, 'help block-commit recalled');
    t.press('C-u');
    await t.waitFor(() => t.cursorLine() === 'qmp>', 'the line cleared');
    t.press('C-d');
    expect(await t.exitStatus()).toBe(0);
    const saved = readFileSync(join(home, '.qapi-ts_history'), 'utf8').split('\n');
    expect(saved.map((l) => l.trim())).toEqual([
      'query-version',
      'block-commit device=top on-error=stop speed=fast bogus=1',
      'help block-commit',
      `blockdev-create job-id=c0 options.driver=file options.filename=${image} options.size=1048576`,
      '',
    ]);

    // The next session starts with that history.
    t.close();
    const next = shell(proxy.path);
    await next.waitFor(/\nqmp>$/, 'the prompt');
    next.press('Up');
    await next.waitFor(() => next.cursorLine() === `${PROMPT}blockdev-create job-id=c0 options.driver=file options.filename=${image} options.size=1048576`, 'the last line of the previous session');
    next.press('C-u');
    await next.waitFor(() => next.cursorLine() === 'qmp>', 'the line cleared');
    next.press('C-d');
    expect(await next.exitStatus()).toBe(0);
  });
});

describe.skipIf(!qemu10.available || !tmux.available || !schema10.available)('qapi-ts shell --qemu on a terminal', () => {
  afterEach(() => {
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("starts QEMU, documents from a source schema, and stops QEMU on Ctrl-D", async () => {
    const t = shell('--qemu', QSD, '--schema', schema10.path, '--qemu-version', '10.0', '--no-history');
    await t.waitFor(/calls are checked against the schema qapi-schema\.json[^\n]*\nqmp>$/, 'the banner');
    const pid = Number(/\(pid (\d+)\)/.exec(t.screen())![1]);
    expect(isRunning(pid)).toBe(true);
    t.type('help block-commit');
    t.press('Enter');
    const help = afterLastPrompt(await t.waitFor(/Returns: nothing[\s\S]*\nqmp>$/, "block-commit's documented help"), 'help block-commit');
    expect(help).toContain('Live commit of data from overlay image nodes into backing nodes');
    expect(help).toMatch(/ {2}device: str\n {6}the device name or node-name of a root node\n/);
    expect(help).not.toContain('No documentation');
    t.press('C-d');
    expect(await t.exitStatus()).toBe(0);
    await until(() => !isRunning(pid), 'the started QEMU to end');
  });

  it('stops the QEMU it started on SIGTERM, exit 130', async () => {
    const t = shell('--qemu', QSD, '--no-history');
    await t.waitFor(/\nqmp>$/, 'the prompt');
    const qemuPid = Number(/\(pid (\d+)\)/.exec(t.screen())![1]);
    process.kill(t.pid(), 'SIGTERM');
    expect(await t.exitStatus()).toBe(130);
    expect(t.screen()).toMatch(/^qapi-ts: interrupted; QEMU was stopped$/m);
    expect(isRunning(qemuPid)).toBe(false);
  });
});

describe.skipIf(!qemu10.available)('qapi-ts shell reading a pipe', () => {
  it('runs one line after another without prompts, and ends with the input', async () => {
    const scope = new E2eScope();
    try {
      const daemon = await scope.daemon(qemu10);
      const lines = ['query-version', 'blockdev-add driver=null-co node-name=n0 size=4096', 'query-named-block-nodes flat=true', 'query-block-jobs {"x": 1}', 'help nope'];
      const piped = startCli(['shell', '--socket', daemon.socketPath, '--no-history'], { env: { TMPDIR: tmp }, stdin: `${lines.join('\n')}\n` });
      const r = await piped.ended;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toContain(PROMPT);
      expect(r.stdout).toContain('"major": 10');
      expect(r.stdout).toContain('"node-name": "n0"');
      expect(r.stdout).toContain('qapi-ts: query-block-jobs: arguments: the command takes no arguments');
      expect(r.stdout).toContain("help: the schema of QEMU 10.0.2 (query-qmp-schema) has no command or event 'nope'");
    } finally {
      await scope.dispose();
    }
  });
});
