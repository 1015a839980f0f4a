/**
 * What a syntax error says.  It stands where QEMU's does (the conformance
 * suites hold it there); its words name the cause when what the grammar
 * found is only a symptom: a string that lost its closing quote, a doc
 * comment cut by a line without '#', a file that is no schema at all.  And
 * it never quotes more than a short excerpt of the file: one that was
 * included by mistake may hold secrets, or a word of 100 KB.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/cli.js';
import { loadMemory } from '../helpers/memory-schema.js';
import { scratchFolders } from '../helpers/scratch.js';

const binaryFolder = scratchFolders('qapi-ts-binary-');
const envFolder = scratchFolders('qapi-ts-env-');

/** The error's lines (error and notes) for `main.json`, or 'no error'. */
function report(text: string, qemuVersion = '10.2'): string[] {
  const result = loadMemory({ 'main.json': text }, { qemuVersion, suggestLanguage: false });
  return result.ok ? ['no error'] : result.errors[0]!.split('\n');
}

const runaway = (where: string, text: string, found: string, expected: string): string =>
  `${where}: the string ${text} seems to lack its closing quote: it ran on to the quote that should open the next string, leaving ${found} where ${expected} was expected`;

describe('a string that lost its closing quote', () => {
  const cases: [string, string, string[]][] = [
    [
      'a key',
      "{ 'struct': 'Foo', 'data': { 'a: 'int' } }",
      [runaway('main.json:1:35', "'a: '", "stray 'int'", "':'"), 'main.json:1:30: note: the string starts here'],
    ],
    [
      'a value',
      "{ 'struct': 'Foo', 'data': { 'a': 'int, 'b': 'str' } }",
      [runaway('main.json:1:42', "'int, '", "stray 'b'", "',' or '}'"), 'main.json:1:35: note: the string starts here'],
    ],
    [
      'a list element',
      "{ 'enum': 'Foo', 'data': [ 'a, 'b' ] }",
      [runaway('main.json:1:33', "'a, '", "stray 'b'", "',' or ']'"), 'main.json:1:28: note: the string starts here'],
    ],
    [
      'a definition name, the next line',
      "{ 'enum': 'Foo', 'data': [ 'a' ] }\n{ 'struct': 'Bar',\n  'data': { 'x': 'int',\n  'y: 'str' } }",
      [runaway('main.json:4:8', "'y: '", "stray 'str'", "':'"), 'main.json:4:3: note: the string starts here'],
    ],
    [
      'a long string, quoted short',
      `{ 'enum': 'Foo', 'data': [ '${'a'.repeat(100)}, 'b' ] }`,
      [runaway('main.json:1:132', `'${'a'.repeat(32)}…'`, "stray 'b'", "',' or ']'"), 'main.json:1:28: note: the string starts here'],
    ],
  ];

  it.each(cases)('%s: says so, and where the string starts', (_name, text, want) => {
    expect(report(text)).toEqual(want);
  });

  it.each([
    ['a missing colon', "{ 'a' 'b' }", "main.json:1:7: expected ':', found '''"],
    ['a missing comma', "{ 'enum': 'Foo'\n  'data': [] }", "main.json:2:3: expected ',' or '}', found '''"],
    ['a stray word', "{ 'enum': 'Foo', data: [] }", "main.json:1:18: expected string, found stray 'data'"],
  ])('%s: is not mistaken for one', (_name, text, want) => {
    expect(report(text)).toEqual([want]);
  });

  it('that runs to the end of its line: the error stands at its start', () => {
    expect(report("{ 'enum': 'Foo', 'data': [ 'a ] }")).toEqual([`main.json:1:28: this string is not closed on its line: add the closing "'"`]);
  });
});

describe('a doc comment cut by a line without #', () => {
  const cases: [string, string, string][] = [
    ['a word', "##\n# @Foo:\n#\n# A\nthing.\n##\n{ 'enum': 'Foo', 'data': [] }", "main.json:5:1: a line without '#' interrupts the documentation comment (found stray 'thing.')"],
    ['a bracket', "##\n# @Foo:\n# text\n}\n", "main.json:4:1: a line without '#' interrupts the documentation comment (found '}')"],
    ['after blank lines', "{ 'enum': 'Bar', 'data': [] }\n##\n# = Heading\n\n\n:\n", "main.json:6:1: a line without '#' interrupts the documentation comment (found ':')"],
  ];

  it.each(cases)('%s: says so, and where the comment starts', (_name, text, want) => {
    for (const release of ['7.2', '10.2']) {
      const lines = report(text, release);
      expect(lines[0]).toBe(`${want}: begin the line with '#', or close the comment with a '##' line before it`);
      expect(lines.slice(1)).toEqual([`main.json:${text.startsWith('##') ? 1 : 2}:1: note: the documentation comment starts here`]);
    }
  });

  it('a definition after an unclosed comment is the comment not closed', () => {
    expect(report("##\n# @Foo:\n# text\n{ 'enum': 'Foo', 'data': [] }\n")).toEqual([
      "main.json:4:1: this documentation comment is not closed: end it with a '##' line",
    ]);
  });
});

describe('a file that is not a schema', () => {
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const cases: [string, string, string][] = [
    ['an environment file', `# keys\nAWS_SECRET_ACCESS_KEY=${secret}\n`, "main.json:2:1: this looks like a shell environment file (KEY=VALUE lines), not a QAPI schema: found stray 'AWS_SECRET_ACCESS_KEY=…'"],
    ['an exported variable', `export TOKEN=${secret}\n`, "main.json:1:1: this looks like a shell environment file (KEY=VALUE lines), not a QAPI schema: found stray 'export'"],
    ['a script', '#!/bin/sh\nset -e\n', "main.json:2:1: this looks like a script, not a QAPI schema: found stray 'set'"],
    ['YAML', 'name: qapi\nversion: 1\n', "main.json:1:1: this looks like YAML, not a QAPI schema: found stray 'name'"],
    ['an INI file', '[section]\nkey = value\n', "main.json:1:2: this looks like an INI file, not a QAPI schema: found stray 'section'"],
    ['XML', '<?xml version="1.0"?>\n<a/>\n', "main.json:1:1: this looks like XML or HTML, not a QAPI schema: found stray '<?xml'"],
    ['binary data', 'ELF\0\0\0\x01', "main.json:1:1: this looks like a binary file, not a QAPI schema: found stray 'ELF'"],
    ['binary data from its first byte', '\0\x01', 'main.json:1:1: this looks like a binary file, not a QAPI schema: found the character U+0000, which has no place in a schema'],
  ];

  it.each(cases)('%s: says what it looks like, and quotes no secret', (_name, text, want) => {
    const [line] = report(text);
    expect(line).toContain(want);
    expect(line).not.toContain(secret.slice(0, 5));
  });

  it('a schema gone wrong on its first line is not called another kind of file', () => {
    expect(report("{ 'enum': 'Foo', data: [] }")[0]).not.toContain('looks like');
    expect(report("enum: 'Foo'")[0]).toContain('looks like YAML');
  });

  it('one word of 100 KB is quoted as its first 32 characters', () => {
    const [line] = report(`${'x'.repeat(100_000)}\n`);
    expect(line).toBe(`main.json:1:1: expected documentation comment, '{', '[', string, boolean or end of input, found stray '${'x'.repeat(32)}…'`);
  });

  it('a binary file that is not UTF-8 is called binary, located at its first bad byte', async () => {
    const dir = binaryFolder();
    writeFileSync(join(dir, 'tool'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0xff, 0xfe]));
    writeFileSync(join(dir, 'main.json'), "{ 'include': 'tool' }\n");
    const result = await runInProcess(['check', join(dir, 'main.json')]);
    expect(result.stderr.split(`${dir}/`).join('')).toBe(
      'In file included from main.json:1:\ntool:1:10: this looks like a binary file, not a QAPI schema (byte 0xff is not UTF-8)\n',
    );
  });

  it('a repeated key of 100 characters is quoted as its first 32', () => {
    const key = 'k'.repeat(100);
    expect(report(`{ '${key}': 'a', '${key}': 'b' }`)[0]).toBe(`main.json:1:216: the key '${'k'.repeat(32)}…' appears twice in this object`);
  });

  it("an environment file included by mistake: the CLI's whole report", async () => {
    const dir = envFolder();
    writeFileSync(join(dir, 'fake.env'), `AWS_ACCESS_KEY_ID=AKIAEXAMPLE\nAWS_SECRET_ACCESS_KEY=${secret}\n`);
    writeFileSync(join(dir, 'main.json'), "{ 'include': 'fake.env' }\n");
    const result = await runInProcess(['check', join(dir, 'main.json')]);
    expect(result.code).toBe(1);
    expect(result.stderr.split(`${dir}/`).join('')).toBe(
      'In file included from main.json:1:\n' +
        "fake.env:1:1: this looks like a shell environment file (KEY=VALUE lines), not a QAPI schema: found stray 'AWS_ACCESS_KEY_ID=…'\n",
    );
    expect(result.stderr).not.toContain('AKIA');
  });
});
