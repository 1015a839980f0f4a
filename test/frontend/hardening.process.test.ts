/**
 * Hostile or unusual input read as QEMU reads it, and never worse than a
 * located error: line ends and columns as Python computes them, Unicode
 * whitespace, doc comments cut short, includes of things that are not
 * schema files, size bounds, and column arithmetic that stays linear.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, statSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumpModel } from '../../generator/dump/dump.js';
import { loadSchema } from '../../generator/frontend.js';
import { parseText } from '../../generator/parse/syntax.js';
import { SchemaError } from '../../generator/source/diagnostics.js';
import { MAX_SCHEMA_FILE_BYTES, readSchemaFile, SchemaFileError } from '../../generator/source/files.js';
import { LanguageLevel } from '../../generator/source/language.js';
import { hasStackTrace, runInProcess } from '../helpers/cli.js';
import { firstError, loadMemory, memoryReader } from '../helpers/memory-schema.js';
import { scratchFolders } from '../helpers/scratch.js';

const dir = scratchFolders('qapi-ts-hardening-')();

/** The first error's location and message, from the CLI (paths in the
 *  temporary folder without it). */
async function checkFile(name: string, text: string | Buffer, ...flags: string[]): Promise<{ code: number; first: string; stderr: string }> {
  const file = join(dir, name);
  writeFileSync(file, text);
  const r = await runInProcess(['check', file, ...flags]);
  return { code: r.code, first: r.stderr.split('\n')[0]!.split(`${dir}/`).join(''), stderr: r.stderr };
}

describe('line ends, as Python reads files (universal newlines)', () => {
  const lf = "##\n# @Foo:\n#\n# Body text.\n#\n# @a: first\n#     second\n#\n# Since: 1.0\n##\n{ 'enum': 'Foo', 'data': [ 'a' ] }\n";
  const cases: [string, string][] = [
    ['CRLF', lf.replace(/\n/g, '\r\n')],
    ['a lone CR', lf.replace(/\n/g, '\r')],
    ['a mix of all three', lf.replace(/\n(#)/g, (_m, h, i: number) => `${['\r\n', '\r', '\n'][i % 3]}${h}`)],
  ];

  it.each(cases)('%s ends a line: the model and its docs are those of the LF file', (_name, text) => {
    const dumpOf = (t: string): string => {
      const result = loadMemory({ 'main.json': t }, { qemuVersion: '10.2' });
      if (!result.ok) throw new Error(result.errors.join('\n'));
      return dumpModel(result.loaded.model, result.loaded.level.release);
    };
    expect(dumpOf(text)).toBe(dumpOf(lf));
    expect(dumpOf(text)).not.toContain('\r');
  });

  it.each([
    ['CRLF', "{ 'enum': 'Foo',\r\n  'data': [ 'a' 'b' ] }\r\n"],
    ['CR', "{ 'enum': 'Foo',\r  'data': [ 'a' 'b' ] }\r"],
  ])('%s: errors are located on the line and column QEMU reports', (_name, text) => {
    expect(firstError({ 'main.json': text })).toContain("main.json:2:17: expected ',' or ']'");
  });

  it('a CR inside a doc member tag ends the line there, as in QEMU', () => {
    const text = "##\n# @Foo:\n# @a\rb: x\n##\n{ 'enum': 'Foo', 'data': [ 'a' ] }\n";
    for (const qemuVersion of ['7.2', '10.2']) {
      expect(firstError({ 'main.json': text }, { qemuVersion })).toContain("main.json:4:1: a line without '#' interrupts the documentation comment (found stray 'b')");
    }
  });
});

describe('columns, counted as QEMU counts them', () => {
  it("puts the second string of {<TAB>'a' 'b' } at 1:6, by QEMU's TAB rule", () => {
    expect(firstError({ 'main.json': "{\t'a' 'b' }\n" })).toContain("main.json:1:6: expected ':'");
  });

  it('stays linear in the size of a line, TABs or not', () => {
    // One line of 20,000 enum values, and a line holding only a TAB: every
    // token's column is computed, and each line is scanned once at most.
    const values = Array.from({ length: 20_000 }, (_, i) => `'v${i}'`).join(', ');
    const text = `{ 'enum': 'Many', 'data': [ ${values} ] }\n\t\n`;
    const parsed = parseText(text, 'main.json', LanguageLevel.of('10.2'));
    expect(parsed.error).toBeNull();
    expect(parsed.lineMap.scanned).toBeLessThanOrEqual(text.length);
    const lastValue = text.lastIndexOf("'v19999'");
    expect(parsed.lineMap.column(lastValue)).toBe(lastValue + 1);
  });

  it('counts a character outside the BMP as one column, as Python does', () => {
    const text = "{ 'enum': 'E', # \u{1F600}\n  'data': [ 'a' 'b' ] }\n";
    expect(firstError({ 'main.json': text })).toContain("main.json:2:17: expected ',' or ']'");
    const emoji = "{ 'a': 'b' } \u{1F600}\u{1F600} x\n";
    expect(firstError({ 'main.json': emoji })).toContain('main.json:1:14:');
  });
});

describe('whitespace between tokens is what Python calls whitespace', () => {
  const spaces: [string, string][] = [
    ['U+00A0 no-break space', '\u00a0'],
    ['U+0085 next line', '\u0085'],
    ['U+2028 line separator', '\u2028'],
    ['U+2003 em space', '\u2003'],
    ['U+3000 ideographic space', '\u3000'],
    ['U+001C file separator', '\u001c'],
    ['vertical tab', '\v'],
    ['form feed', '\f'],
  ];
  it.each(spaces)('%s separates tokens and does not end a line', (_name, space) => {
    const text = `{ 'enum':${space}'Foo',${space}'data':${space}[${space}'a'${space}] }\n{ 'enum': 'Foo', 'data': [] }\n`;
    // The redefinition is on line 2: the character did not start a line.
    expect(firstError({ 'main.json': text })).toContain("main.json:2:1: 'Foo' is defined a second time");
  });

  it.each([
    ['U+200B zero width space', '\u200b', 'U+200B'],
    ['U+FEFF byte-order mark', '\ufeff', 'U+FEFF'],
  ])('%s is not whitespace', (_name, ch, code) => {
    expect(firstError({ 'main.json': `{ 'enum':${ch}'Foo', 'data': [] }\n` })).toContain(`main.json:1:10: expected '{', '[', string or boolean, found the character ${code}`);
  });
});

describe('doc comments cut short', () => {
  it('an unclosed doc comment followed by a stray line: the stray line is reported, on line 2', async () => {
    const r = await checkFile('unclosed.json', '##\nxyz\n');
    expect(r.code).toBe(1);
    expect(r.first).toBe(
      "unclosed.json:2:1: a line without '#' interrupts the documentation comment (found stray 'xyz'): begin the line with '#', or close the comment with a '##' line before it",
    );
    expect(r.stderr.split('\n').filter((l) => /^\S+:\d+:\d+: /.test(l)).map((l) => l.split(`${dir}/`).join(''))).toEqual([
      r.first,
      'unclosed.json:1:1: note: the documentation comment starts here',
    ]);
  });

  it('an unclosed doc comment at the end of the file: its last line', () => {
    expect(firstError({ 'main.json': '##\n# text\n' })).toContain("main.json:2:7: this documentation comment is not closed: end it with a '##' line");
  });

  it.each([
    ['a TAB', '\t'],
    ['a vertical tab', '\v'],
    ['a no-break space', '\u00a0'],
  ])("%s inside a member tag ('# @a?b: x') is a located error in QEMU 7.2's language", async (_name, ch) => {
    const r = await checkFile('tag.json', `##\n# @Foo:\n# @a${ch}b: x\n##\n{ 'enum': 'Foo', 'data': [ 'a' ] }\n`, '--qemu-version', '7.2');
    expect(r.code).toBe(1);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(r.first).toContain('tag.json:3:1: ');
    expect(r.first).toContain("a member's name may not contain whitespace");
  });

  it('a TAB inside a member tag names a member from QEMU 8.1 on (documented, but not a member)', async () => {
    const r = await checkFile('tag81.json', "##\n# @Foo:\n# @a\tb: x\n##\n{ 'enum': 'Foo', 'data': [ 'a' ] }\n", '--qemu-version', '8.1');
    expect(r.code).toBe(1);
    expect(r.first).toBe("tag81.json:1:1: the comment describes member 'a\tb' that 'Foo' does not have");
  });
});

describe('what an include may name', () => {
  const include = (target: string): string => `{ 'enum': 'Foo', 'data': [] }\n{ 'include': '${target}' }\n`;

  it.each([
    ['/dev/zero, a device', '/dev/zero', 'not a regular file'],
    ['/dev/null, a device', '/dev/null', 'not a regular file'],
    ['a directory', dir, 'Is a directory'],
    ['a missing file', join(dir, 'absent.json'), 'No such file or directory'],
  ])('%s: a located error, at once', async (_name, target, reason) => {
    const r = await checkFile('include.json', include(target));
    expect(r.code).toBe(1);
    const named = target.split(`${dir}/`).join('');
    expect(r.first).toBe(`include.json:2:1: cannot read the included file '${named}': ${reason}${reason.startsWith('not') ? ' (qapi-ts reads no devices, FIFOs or sockets)' : ''}`);
  });

  it('a FIFO: a located error, without waiting for a writer', async () => {
    const fifo = join(dir, 'pipe.json');
    const made = spawnSync('mkfifo', [fifo]);
    expect(made.status).toBe(0);
    const r = await checkFile('fifo.json', include(fifo));
    expect(r.code).toBe(1);
    expect(r.first).toContain("fifo.json:2:1: cannot read the included file 'pipe.json': not a regular file");
  });

  it(`a file larger than ${MAX_SCHEMA_FILE_BYTES / 1024 / 1024} MiB: a located error, without reading it`, async () => {
    const big = join(dir, 'big.json');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, MAX_SCHEMA_FILE_BYTES + 1);
    closeSync(fd);
    const r = await checkFile('big-include.json', include(big));
    expect(r.first).toBe("big-include.json:2:1: cannot read the included file 'big.json': larger than 16 MiB, the most a schema file may hold");
    expect(() => readSchemaFile(big)).toThrow(SchemaFileError);
  });

  it('a file that says it is empty and is not (as /proc files do) is read whole, past the room first made', () => {
    // Reported size 0: read into 64 KiB, then into more room as it fills.
    // This process's smaps is larger than that (some 70 KiB in a bare
    // node, more under vitest).
    expect(statSync('/proc/self/smaps').size).toBe(0);
    const text = readSchemaFile('/proc/self/smaps');
    expect(text.length).toBeGreaterThan(64 * 1024);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n').filter((line) => /^[0-9a-f]+-[0-9a-f]+ /.test(line)).length).toBeGreaterThan(50);
  });

  it('the bound applies to the root file, and to text from any reader', () => {
    expect(() => loadSchema('/dev/zero')).toThrow(/cannot read the schema file '\/dev\/zero': not a regular file/);
    const huge = 'x'.repeat(MAX_SCHEMA_FILE_BYTES + 1);
    expect(firstError({ 'main.json': "{ 'include': 'huge.json' }", 'huge.json': huge })).toContain(
      "main.json:1:1: cannot read the included file 'huge.json': larger than 16 MiB",
    );
  });

  it('no include is followed once an error has been found in the same file', () => {
    const read: string[] = [];
    const reader = memoryReader({
      'main.json': "{ 'pragma': { 'no-such-pragma': true } }\n{ 'include': 'other.json' }\n",
      'other.json': "{ 'enum': 'Foo', 'data': [] }\n",
    });
    let caught: unknown;
    try {
      loadSchema('main.json', { readFile: (p) => (read.push(p), reader(p)), suggestLanguage: false });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SchemaError);
    expect((caught as SchemaError).diagnostics).toHaveLength(1);
    expect(read).toEqual(['main.json']);
  });

  it('text that is not UTF-8: located at the first bad byte', async () => {
    const r = await checkFile('latin1.json', Buffer.from("# caf\xe9\n{ 'enum': 'Foo', 'data': [] }\n", 'latin1'));
    expect(r.code).toBe(1);
    expect(r.first).toBe('latin1.json:1:6: this file is not valid UTF-8 (byte 0xe9); schema files are UTF-8 text');
  });
});

describe('known disagreements with QEMU 7.2, resolved', () => {
  it('feature names follow the naming rules of members', () => {
    for (const feature of ['Upper', 'under_score']) {
      expect(firstError({ 'main.json': `{ 'struct': 'Foo', 'data': {}, 'features': [ '${feature}' ] }` }, { qemuVersion: '7.2' })).toContain(
        `the name of 'features' member '${feature}' must be in lower case`,
      );
    }
  });

  it("an enum with 'prefix': '' dumps without a prefix line, as QEMU prints it", () => {
    const result = loadMemory({ 'main.json': "{ 'enum': 'Foo', 'prefix': '', 'data': [ 'a' ] }" }, { qemuVersion: '7.2' });
    expect(result.ok).toBe(true);
    if (result.ok) expect(dumpModel(result.loaded.model, '7.2')).toContain('enum Foo\n    member a\n');
  });

  it("a union used as a union's branch is refused in 7.2, and from 8.1 its members must not clash with the outer base", () => {
    const text =
      "{ 'enum': 'Kind', 'data': [ 'a' ] }\n{ 'struct': 'Fish', 'data': { 'teeth': 'int' } }\n" +
      "{ 'union': 'Inner', 'base': { 'k': 'Kind' }, 'discriminator': 'k', 'data': { 'a': 'Fish' } }\n" +
      "{ 'union': 'Outer', 'base': { 't': 'Kind', 'teeth': 'int' }, 'discriminator': 't', 'data': { 'a': 'Inner' } }";
    expect(firstError({ 'main.json': text }, { qemuVersion: '7.2' })).toContain("main.json:4:1: branch 'a' has union type 'Inner'");
    expect(firstError({ 'main.json': text }, { qemuVersion: '8.2' })).toContain(
      "main.json:4:1: member 'teeth' of type 'Fish' clashes with base member 'teeth'",
    );
  });
});

describe("include paths starting with './', spelled in the dump as QEMU spells them", () => {
  // QEMU (7.2 to 10.2 alike, checked against their front ends) keeps a
  // module name that starts with './' as written, and names any other
  // relative to the root file's folder.
  const files = {
    'a.json': "{ 'enum': 'Aa', 'data': [ 'x' ] }\n",
    'b.json': "{ 'enum': 'Bb', 'data': [ 'y' ] }\n",
    'sub/c.json': "{ 'include': 'd.json' }\n{ 'enum': 'Cc', 'data': [ 'z' ] }\n",
    'sub/d.json': "{ 'enum': 'Dd', 'data': [ 'w' ] }\n",
  };
  const cases: [string, string, string, string[]][] = [
    ['./a.json, from the root', 'main.json', "{ 'include': './a.json' }", ['module main.json', 'include ./a.json', 'module ./a.json']],
    ['./sub/../b.json, not normalised', 'main.json', "{ 'include': './sub/../b.json' }", ['module main.json', 'include ./sub/../b.json', 'module ./sub/../b.json']],
    ['a plain path, normalised as before', 'main.json', "{ 'include': 'sub/../b.json' }", ['module main.json', 'include b.json', 'module b.json']],
    [
      "a root named './main.json': every path starts with './'",
      './main.json',
      "{ 'include': 'a.json' }\n{ 'include': 'sub/c.json' }",
      ['module ./main.json', 'include ./a.json', 'include ./sub/c.json', 'module ./a.json', 'module ./sub/c.json', 'include ./sub/d.json', 'module ./sub/d.json'],
    ],
    [
      "one file by './a.json' and by 'a.json': two modules to QEMU, the second empty",
      'main.json',
      "{ 'include': './a.json' }\n{ 'include': 'a.json' }",
      ['module main.json', 'include ./a.json', 'include a.json', 'module ./a.json', 'module a.json'],
    ],
  ];

  it.each(cases)('%s', (_name, root, text, want) => {
    const inMemory = memoryReader({ ...files, [posix.normalize(root)]: text });
    const reader = (path: string): string => inMemory(posix.normalize(path));
    for (const release of ['7.2', '10.2'] as const) {
      const loaded = loadSchema(root, { qemuVersion: release, readFile: reader });
      const lines = dumpModel(loaded.model, release).split('\n').filter((l) => /^(module|include) /.test(l));
      expect(lines).toEqual(['module ./builtin', ...want]);
      // Module names as output files see them stay relative paths.
      expect(loaded.model.modules.map((m) => m.name).filter((n) => n.startsWith('./') && n !== './builtin')).toEqual([]);
    }
  });
});
