/**
 * An output is a backend, one object and its registration: a made-up one,
 * registered here and nowhere else, is run by `generate --backend NAME`
 * with every input the resolver reads (a schema's source, a capture), the
 * shared selection (`--only`, `--if`, `--no-unstable`), the settings, and
 * the CLI's writer (`--check`, a real write, its stale files removed and
 * the user's kept) — with no other change to qapi-ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBackend, type Backend } from '../../generator/backends/index.js';
import { generate } from '../../generator/generate.js';
import { runInProcess } from '../helpers/cli.js';
import { BUILTINS, command, EMPTY } from '../introspect/helpers/capture.js';
import { memoryReader } from '../helpers/memory-schema.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

const GOLDEN = join(PROJECT_ROOT, 'test', 'fixtures', 'golden', 'schema.json');
/** The golden schema's commands, in schema order. */
const ALL = ['make-widget', 'draw', 'ping', 'fire-and-forget', 'to-string', 'query-linux'];

/** Lists the commands the selection keeps, under a line saying what it was given. */
const commandList: Backend = {
  name: 'command-list',
  description: 'the selected commands, one a line',
  reads: ['typescript'],
  generate: ({ model, input, selection, settings }) => ({
    files: [
      {
        path: 'commands.txt',
        content: `# ${input.name} (${input.origin}), --int64 ${settings.int64}\n${model.entities
          .filter((e) => e.kind === 'command' && selection.keepsEntity(e))
          .map((e) => `${e.name}\n`)
          .join('')}`,
      },
    ],
    warnings: ['qapi-ts: note: listed by a made-up backend'],
  }),
  owns: (name, read) => name.endsWith('.txt') && (read()?.startsWith('# ') ?? false),
};

const dir = mkdtempSync(join(tmpdir(), 'qapi-ts-backend-'));
let unregister: () => void;
beforeAll(() => {
  unregister = registerBackend(commandList);
});
afterAll(() => {
  unregister();
  rmSync(dir, { recursive: true, force: true });
});

const listed = (out: string): string[] => readFileSync(join(out, 'commands.txt'), 'utf8').split('\n').slice(1, -1);

describe('a backend registered in a test', () => {
  it('writes through the CLI writer, and --check compares', async () => {
    const out = join(dir, 'write');
    const args = ['generate', GOLDEN, '--qemu-version', '7.2', '--backend', 'command-list', '-o', out];
    const stale = await runInProcess([...args, '--check']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('added: commands.txt');
    expect(readdirSync(dir)).not.toContain('write');

    const first = await runInProcess(args);
    expect(first.stderr).toBe('qapi-ts: note: listed by a made-up backend\n');
    expect(first.stdout).toBe(`1 file(s) updated: ${out}\n`);
    expect(readFileSync(join(out, 'commands.txt'), 'utf8')).toBe(`# schema.json (schema), --int64 bigint\n${ALL.map((c) => `${c}\n`).join('')}`);
    expect((await runInProcess([...args, '--check'])).code).toBe(0);
    expect((await runInProcess([...args])).stdout).toBe(`up to date: ${out}\n`);
  });

  it('removes its own stale files and keeps the user\'s', async () => {
    const out = join(dir, 'stale');
    const args = ['generate', GOLDEN, '--qemu-version', '7.2', '--backend', 'command-list', '-o', out];
    expect((await runInProcess(args)).code).toBe(0);
    writeFileSync(join(out, 'old.txt'), '# a file of an earlier run\n');
    writeFileSync(join(out, 'notes.txt'), 'my own notes\n');
    const check = await runInProcess([...args, '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('removed: old.txt');
    expect((await runInProcess(args)).code).toBe(0);
    // The stamp is the writer's, beside every backend's output.
    expect(readdirSync(out).sort()).toEqual(['.qapi-ts-stamp.json', 'commands.txt', 'notes.txt']);
  });

  describe.each([
    { given: '--only', flags: ['--only', 'ping,draw'], want: ['draw', 'ping'] },
    { given: '--if', flags: ['--if', 'CONFIG_WIN32'], want: ALL.filter((c) => c !== 'query-linux') },
    { given: '--no-unstable', flags: ['--no-unstable'], want: ALL.filter((c) => c !== 'to-string') },
  ])('with $given', ({ flags, want }) => {
    it('gets the selection every backend shares', async () => {
      const out = join(dir, `select${flags.join('')}`);
      const r = await runInProcess(['generate', GOLDEN, '--qemu-version', '7.2', '--backend', 'command-list', '-o', out, ...flags]);
      expect(r.code, r.stderr).toBe(0);
      expect(listed(out)).toEqual(want);
    });
  });

  it('gets the settings, flags over the config file', async () => {
    const out = join(dir, 'configured');
    const config = join(dir, 'qapi-ts.config.json');
    writeFileSync(config, JSON.stringify({ schema: GOLDEN, qemuVersion: '7.2', output: out, int64: 'number' }));
    expect((await runInProcess(['generate', '--config', config, '--backend', 'command-list'])).code).toBe(0);
    expect(readFileSync(join(out, 'commands.txt'), 'utf8')).toMatch(/^# schema\.json \(schema\), --int64 number\n/);
    expect((await runInProcess(['generate', '--config', config, '--backend', 'command-list', '--int64', 'mixed'])).code).toBe(0);
    expect(readFileSync(join(out, 'commands.txt'), 'utf8')).toMatch(/^# schema\.json \(schema\), --int64 mixed\n/);
  });

  it('reads a capture as well as a schema (the input is the resolver\'s)', async () => {
    const capture = join(dir, 'reply.json');
    writeFileSync(capture, JSON.stringify([command('query-status'), command('stop'), EMPTY, ...BUILTINS]));
    for (const args of [[capture], ['--introspection', capture]]) {
      const out = join(dir, `capture-${args.length}`);
      const r = await runInProcess(['generate', ...args, '--backend', 'command-list', '-o', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(out, 'commands.txt'), 'utf8')).toBe('# reply.json (introspection), --int64 bigint\nquery-status\nstop\n');
    }
  });

  it('reads files through the library caller\'s reader (in memory here), a schema or a capture alike', async () => {
    const readFile = memoryReader({
      'main.json': "{ 'command': 'ping' }\n{ 'command': 'stop', 'if': 'CONFIG_STOP' }\n",
      'reply.json': JSON.stringify([command('query-status'), EMPTY, ...BUILTINS]),
    });
    const run = async (path: string, options: { ifSymbols?: string[] } = {}) =>
      (await generate({ input: { kind: 'file', path, language: {} }, readFile, backend: 'command-list', ...options }))[0]!.content;
    expect(await run('main.json')).toBe('# main.json (schema), --int64 bigint\nping\nstop\n');
    expect(await run('main.json', { ifSymbols: [] })).toBe('# main.json (schema), --int64 bigint\nping\n');
    expect(await run('reply.json')).toBe('# reply.json (introspection), --int64 bigint\nquery-status\n');
  });

  it('is what the library runs too', async () => {
    const files = await generate({ schema: GOLDEN, qemuVersion: '7.2', backend: 'command-list', only: ['ping'] });
    expect(files).toEqual([{ path: 'commands.txt', content: '# schema.json (schema), --int64 bigint\nping\n' }]);
  });

  it('an unknown backend is a usage error naming the registered ones', async () => {
    const r = await runInProcess(['generate', GOLDEN, '--backend', 'nope', '-o', join(dir, 'none')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("qapi-ts: unknown backend 'nope': give one of typescript, jsonschema, command-list\n");
  });

  describe.each([
    { backend: 'jsonschema', flags: ['--int64', 'number'], refused: '--int64 is a setting of the typescript backend; --backend jsonschema does not read it' },
    { backend: 'jsonschema', flags: ['--target', 'ts'], refused: '--target is a setting of the typescript backend; --backend jsonschema does not read it' },
    { backend: 'command-list', flags: ['--int64', 'number'], refused: undefined },
    { backend: 'jsonschema', flags: ['--only', 'ping', '--symlink'], refused: undefined },
  ])('--backend $backend with $flags', ({ backend, flags, refused }) => {
    it(refused ? 'is a usage error, nothing written' : 'is accepted: the backend reads those settings', async () => {
      const out = join(dir, `flags-${backend}-${flags[0]!.slice(2)}`);
      const r = await runInProcess(['generate', GOLDEN, '--qemu-version', '7.2', '--backend', backend, ...flags, '-o', out]);
      if (refused === undefined) {
        expect(r.stderr.split('\n').filter((l) => !l.startsWith('qapi-ts: note:') && l !== '')).toEqual([]);
        expect(r.code).toBe(0);
        expect(readdirSync(out).length).toBeGreaterThan(0);
      } else {
        expect(r.code).toBe(2);
        expect(r.stderr).toBe(`qapi-ts: ${refused}\n`);
        expect(readdirSync(dir)).not.toContain(out.slice(dir.length + 1));
      }
    });
  });
});
