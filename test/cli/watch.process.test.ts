/**
 * `generate --watch` keeps what it parsed, checked and printed between
 * runs (the front end's cache, the backend's printed files): after each
 * edit of a sequence (a doc comment, a definition added, a type another
 * module uses renamed and renamed back, a syntax error and its repair, an
 * include added and edited), what it writes is what a fresh run writes,
 * and a broken schema is reported (where it breaks, in a module that did
 * not change too) without ending the watch.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY, runBuilt } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

/** A root module and the module it includes (test/fixtures/two-modules/). */
const SCHEMA = join(PROJECT_ROOT, 'test', 'fixtures', 'two-modules');

const SHADE = "\n##\n# @Shade:\n#\n# A shade.\n#\n# @dark: deep\n#\n# Since: 2.0\n##\n{ 'enum': 'Shade', 'data': [ 'dark' ] }\n";

/** Each edit, what the watch prints once it has run, and whether the
 *  schema then fails (and the output stays as it was). */
const EDITS: { readonly what: string; readonly file: string; readonly text: (current: string) => string; readonly said: string; readonly fails?: boolean }[] = [
  { what: 'a doc comment', file: 'sub.json', text: (t) => t.replace('@red: warm', '@red: very warm'), said: 'file(s) updated' },
  { what: 'a definition added', file: 'sub.json', text: (t) => t + SHADE, said: 'file(s) updated' },
  // The other module breaks: the error is its, though it did not change.
  {
    what: 'a type the other module uses, renamed',
    file: 'sub.json',
    text: (t) => t.replace('# @Status:', '# @State:').replace("{ 'struct': 'Status',", "{ 'struct': 'State',"),
    said: "root.json:14:1: the command's 'returns' refers to the type 'Status', which is not defined",
    fails: true,
  },
  { what: 'the type renamed back', file: 'sub.json', text: (t) => t.replace('# @State:', '# @Status:').replace("{ 'struct': 'State',", "{ 'struct': 'Status',"), said: 'up to date' },
  { what: 'a syntax error', file: 'sub.json', text: (t) => t.replace("{ 'enum': 'Shade',", "{ 'enum' 'Shade',"), said: 'expected', fails: true },
  // The output is the one before the error, which that run left in place.
  { what: 'the error repaired', file: 'sub.json', text: (t) => t.replace("{ 'enum' 'Shade',", "{ 'enum': 'Shade',"), said: 'up to date' },
  {
    what: 'an include added',
    file: 'root.json',
    text: (t) => t.replace("{ 'include': 'sub.json' }", "{ 'include': 'sub.json' }\n{ 'include': 'more.json' }"),
    said: 'file(s) updated',
  },
  { what: 'the new include edited', file: 'more.json', text: (t) => t.replace('A size.', 'A size, in bytes.'), said: 'file(s) updated' },
];

const MORE = "##\n# @Size:\n#\n# A size.\n#\n# @bytes: how many\n#\n# Since: 3.0\n##\n{ 'struct': 'Size', 'data': { 'bytes': 'int' } }\n";

const dir = mkdtempSync(join(tmpdir(), 'qapi-ts-watch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const contents = (out: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(out)
      .sort()
      .map((f) => [f, readFileSync(join(out, f), 'utf8')]),
  );

describe('generate --watch', () => {
  it('writes after every edit what a fresh run writes', { timeout: 180_000 }, async () => {
    cpSync(SCHEMA, dir, { recursive: true });
    writeFileSync(join(dir, 'more.json'), MORE);
    const child = spawn(process.execPath, [CLI_ENTRY, 'generate', 'root.json', '-o', 'gen', '--watch'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let said = '';
    const count = (text: string): number => said.split(text).length - 1;
    const onData = (chunk: Buffer): void => {
      said += chunk.toString();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const seen = (text: string, times: number): Promise<void> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for '${text}' (${times}); got: ${said}`)), 60_000);
        const check = (): void => {
          if (count(text) < times) return;
          clearTimeout(timer);
          child.stdout.off('data', check);
          child.stderr.off('data', check);
          resolve();
        };
        child.stdout.on('data', check);
        child.stderr.on('data', check);
        check();
      });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await seen('watching 2 schema file(s)', 1);
      for (const [i, edit] of EDITS.entries()) {
        const path = join(dir, edit.file);
        const before = count(edit.said);
        const watching = count('watching');
        writeFileSync(path, edit.text(readFileSync(path, 'utf8')));
        await seen(edit.said, before + 1);
        await seen('watching', watching + 1);
        if (edit.fails) continue;
        const fresh = join(dir, `fresh-${i}`);
        const r = runBuilt(['generate', 'root.json', '-o', fresh], { cwd: dir });
        expect(r.code, `${edit.what}: ${r.stderr}`).toBe(0);
        expect(contents(join(dir, 'gen')), edit.what).toEqual(contents(fresh));
      }
      expect(said).toContain('watching 3 schema file(s)');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
