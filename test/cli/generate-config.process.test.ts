/**
 * `qapi-ts generate` as a consumer's build runs it: settings from
 * qapi-ts.config.json (checked strictly), flags overriding them, the
 * embedded default schema when none is named, and --watch.
 */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../generator/cli/config.js';
import { CliExit } from '../../generator/cli/io.js';
import { CLI_ENTRY, hasStackTrace, runBuilt } from '../helpers/cli.js';
import { scratchFolders } from '../helpers/scratch.js';

const projectFolder = scratchFolders('qapi-ts-config-');

function tempProject(files: Record<string, string>): string {
  const dir = projectFolder();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const SCHEMA = "##\n# @Colour:\n# @red: warm\n##\n{ 'enum': 'Colour', 'data': [ 'red' ] }\n";

const badConfigs: [string, string, RegExp][] = [
  ['unknown key', '{ "outDir": "x" }', /unknown key 'outDir'; valid keys are 'schema', 'output'/],
  ['wrong type', '{ "legacy": "yes" }', /'legacy' must be true or false, not "yes"/],
  ['not an object', '[]', /must hold a JSON object/],
  ['empty schema list entry', '{ "schema": [""] }', /'schema' must be a file name or an array of them/],
  ['an unknown QEMU release', '{ "qemuVersion": "8.3" }', /'qemuVersion' must be a QEMU release whose language qapi-ts knows, "7.2" to "10.2" \(or newer\), not "8.3"/],
  ['a release and legacy both', '{ "legacy": true, "qemuVersion": "8.2" }', /'legacy' and 'qemuVersion' both choose the schema's language/],
  ['an unknown target', '{ "target": "js" }', /'target' must be "ts" or "js\+dts", not "js"/],
  ['a name list that is not one', '{ "only": "block-commit" }', /'only' must be an array of non-empty strings/],
  ['format not a boolean', '{ "format": "yes" }', /'format' must be true or false/],
];

describe.each(badConfigs)('config file with %s', (_name, text, message) => {
  it('is a usage error naming the file and the problem', () => {
    expect(() => parseConfig(text, '/p/qapi-ts.config.json')).toThrow(CliExit);
    expect(() => parseConfig(text, '/p/qapi-ts.config.json')).toThrow(message);
    const dir = tempProject({ 'qapi-ts.config.json': text });
    const result = runBuilt(['generate'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('qapi-ts.config.json');
    expect(hasStackTrace(result.stderr)).toBe(false);
  });
});

/** Text that is not JSON: located FILE:LINE:COL (1-based, a TAB one
 *  column, characters not bytes), with what is wrong, the same under every
 *  Node release. */
const notJson: [what: string, text: string, want: string][] = [
  ['a comma before the closing brace', '{\n  "output": "gen",\n}\n', "3:1: not valid JSON: Quoted object key expected but got '}' (JSON allows no comma before a closing bracket)"],
  ['a comma before the closing bracket', '{ "only": ["a", "b",] }', "1:21: not valid JSON: Array item expected but got ']' (JSON allows no comma before a closing bracket)"],
  ['a key without quotes', '{ output: "x" }', "1:3: not valid JSON: Quoted object key expected but got 'o'"],
  ['a comment', '{\n  // the bindings\n  "output": "gen"\n}\n', "2:3: not valid JSON: Quoted object key expected but got '/' (JSON has no comments)"],
  ['single quotes', "{ 'output': 'gen' }", `1:3: not valid JSON: Quoted object key expected but got ''' (JSON strings are quoted with ", not ')`],
  ['a missing comma', '{\n  "output": "gen"\n  "int64": "number"\n}\n', `3:3: not valid JSON: Comma ',' expected after value but got '"'`],
  ['a missing colon after a TAB and an accent', '{\n\t"output": "gén", "x" }', "2:23: not valid JSON: Colon ':' expected after property name but got '}'"],
  ['an end too early', '{ "output": "gen"', "1:18: not valid JSON: Quoted object key or end of object '}' expected but reached end of input"],
  ['nothing at all', '', '1:1: not valid JSON: JSON value expected but reached end of input'],
  ['text after the object', '{ "output": "gen" } x', "1:21: not valid JSON: Expected end of input but got 'x'"],
];

describe.each(notJson)('a config file with %s', (_what, text, want) => {
  it('is a usage error at FILE:LINE:COL saying what is wrong', () => {
    expect(() => parseConfig(text, '/p/qapi-ts.config.json')).toThrow(new CliExit(2, `qapi-ts: /p/qapi-ts.config.json:${want}`));
  });
});

it('a config file that is not JSON stops the built CLI with the located error alone', () => {
  const dir = tempProject({ 'qapi-ts.config.json': notJson[0]![1] });
  const result = runBuilt(['generate'], { cwd: dir });
  expect(result.stderr).toBe(`qapi-ts: ${join(dir, 'qapi-ts.config.json')}:${notJson[0]![2]}\n`);
  expect(result.code).toBe(2);
});

describe('settings', () => {
  it('resolve paths relative to the config file', () => {
    expect(parseConfig('{ "schema": "s.json", "output": "out" }', '/p/q/qapi-ts.config.json')).toEqual({
      schema: ['/p/q/s.json'],
      output: '/p/q/out',
      settings: {},
    });
  });

  it('let a bare `qapi-ts generate` build from the config file', () => {
    const dir = tempProject({ 'qapi-ts.config.json': '{ "schema": "colours.json", "output": "gen" }', 'colours.json': SCHEMA });
    const result = runBuilt(['generate'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'gen', 'colours.d.ts'), 'utf8')).toContain("export type Colour = 'red';");
  });

  it('are overridden by flags', () => {
    const dir = tempProject({ 'qapi-ts.config.json': '{ "schema": "colours.json", "output": "gen" }', 'colours.json': SCHEMA });
    const result = runBuilt(['generate', '-o', join(dir, 'elsewhere')], { cwd: dir });
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, 'elsewhere', 'colours.js'))).toBe(true);
    expect(existsSync(join(dir, 'gen'))).toBe(false);
  });

  it('default to the embedded schema', () => {
    const dir = tempProject({});
    const result = runBuilt(['generate', '-o', 'gen'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'gen', 'client.d.ts'), 'utf8')).toContain('blockCommit(');
  });

  it('choose the target and the commands kept', () => {
    const dir = tempProject({
      'qapi-ts.config.json': '{ "output": "gen", "target": "ts", "only": ["query-version"], "legacy": true }',
    });
    const result = runBuilt(['generate'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const client = readFileSync(join(dir, 'gen', 'client.ts'), 'utf8');
    expect(client).toContain('queryVersion(');
    expect(client).not.toContain('blockCommit');
    // A flag overrides the config's list.
    expect(runBuilt(['generate', '--only', 'block-commit'], { cwd: dir }).code).toBe(0);
    expect(readFileSync(join(dir, 'gen', 'client.ts'), 'utf8')).toContain('blockCommit(');
  });

  it('keep the output a symbolic link with `symlink`', () => {
    const dir = tempProject({ 'qapi-ts.config.json': '{ "output": "gen", "legacy": true, "symlink": true }' });
    const result = runBuilt(['generate'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(lstatSync(join(dir, 'gen')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'gen'))).toMatch(/^\.gen\.qapi-ts-set-/);
    expect(readFileSync(join(dir, 'gen', 'client.d.ts'), 'utf8')).toContain('blockCommit(');
  });

  it('need an output directory from somewhere', () => {
    const result = runBuilt(['generate'], { cwd: tempProject({}) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no output directory/);
  });
});

describe('--watch', () => {
  it('regenerates when an included file changes', async () => {
    const dir = tempProject({
      'main.json': "{ 'include': 'sub.json' }\n",
      'sub.json': SCHEMA,
    });
    const child = spawn(process.execPath, [CLI_ENTRY, 'generate', 'main.json', '-o', 'gen', '--watch'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const count = (text: string): number => stdout.split(text).length - 1;
    const seen = (text: string, times = 1): Promise<void> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for '${text}'; got: ${stdout}`)), 30_000);
        const check = (): void => {
          if (count(text) >= times) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          check();
        });
        check();
      });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await seen('watching 2 schema file(s)');
      expect(readFileSync(join(dir, 'gen', 'sub.d.ts'), 'utf8')).not.toContain('Shade');
      writeFileSync(join(dir, 'sub.json'), `${SCHEMA}##\n# @Shade:\n# @dark: deep\n##\n{ 'enum': 'Shade', 'data': [ 'dark' ] }\n`);
      await seen(`changed: ${dir}/sub.json`);
      await seen('file(s) updated', 2);
      expect(readFileSync(join(dir, 'gen', 'sub.d.ts'), 'utf8')).toContain("export type Shade = 'dark';");
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

describe('the schema language', () => {
  // A 'Note:' section: QEMU 9.1 and later want a '.. note::' directive.
  const schema72 = "##\n# @Colour:\n#\n# @red: warm\n#\n# Note: bright\n##\n{ 'enum': 'Colour', 'data': [ 'red' ] }\n";

  it("comes from the config's qemuVersion, and a flag overrides it", () => {
    const dir = tempProject({ 'qapi-ts.config.json': '{ "schema": "colours.json", "output": "gen", "qemuVersion": "7.2" }', 'colours.json': schema72 });
    const ok = runBuilt(['generate'], { cwd: dir });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const newer = runBuilt(['generate', '--qemu-version', '10.2'], { cwd: dir });
    expect(newer.code).toBe(1);
    expect(newer.stderr).toContain("colours.json:6:1: 'Note:' sections are no longer part of the language");
    expect(newer.stderr).toContain("accepted by the language of QEMU 7.2 to 9.0: pass --qemu-version 9.0");
  });

  it('is the newest release by default', () => {
    const dir = tempProject({ 'qapi-ts.config.json': '{ "schema": "colours.json", "output": "gen" }', 'colours.json': schema72 });
    const result = runBuilt(['generate'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("'Note:' sections are no longer part of the language");
  });
});

describe('generate leaves nothing behind', () => {
  /** Every file and folder under `dir`, relative. */
  const everything = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();

  it('but its output: no cache in the package, no node_modules created', () => {
    const project = tempProject({ 'package.json': '{}' });
    mkdirSync(join(project, 'node_modules'));
    mkdirSync(join(project, 'qapi'));
    writeFileSync(join(project, 'qapi', 'colours.json'), SCHEMA);
    const result = runBuilt(['generate', join('..', 'qapi', 'colours.json'), '-o', join('..', 'gen')], { cwd: join(project, 'qapi') });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(everything(join(project, 'node_modules'))).toEqual([]);
    expect(everything(join(project, 'qapi'))).toEqual(['colours.json']);
    expect(everything(project).filter((p) => !p.startsWith('gen'))).toEqual(['node_modules', 'package.json', 'qapi', join('qapi', 'colours.json')]);
  });

  it('and takes no --no-cache any more (nothing was cached): a usage error, nothing written', () => {
    const dir = tempProject({ 'colours.json': SCHEMA });
    const result = runBuilt(['generate', 'colours.json', '-o', 'gen', '--no-cache'], { cwd: dir });
    expect(result.stderr).toContain("unknown option '--no-cache'");
    expect(result.code).toBe(2);
    expect(existsSync(join(dir, 'gen'))).toBe(false);
  });
});
