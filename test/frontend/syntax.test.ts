/**
 * The grammar: values, locations, documentation blocks, and every kind of
 * syntax error, located where QEMU locates it.
 */
import { describe, expect, it } from 'vitest';
import { parseText } from '../../generator/parse/syntax.js';
import { DocLineCursor } from '../../generator/source/doc-block.js';
import { LanguageLevel } from '../../generator/source/language.js';
import { locOf, type DictNode, type DocBlockNode } from '../../generator/parse/ast.js';
import { firstError } from '../helpers/memory-schema.js';

describe('values', () => {
  it('parses dicts, lists, strings and booleans with locations', () => {
    const { items, error } = parseText("{ 'a': [ 'x', true ],\n  'b': { 'c': false } }\n", 'f.json', LanguageLevel.of('10.2'));
    expect(error).toBeNull();
    const dict = items[0] as DictNode;
    expect(locOf(dict)).toEqual({ file: 'f.json', line: 1, column: 1, offset: 0 });
    expect(dict.entries.map((e) => [e.key, locOf(e).line, locOf(e).column])).toEqual([
      ['a', 1, 3],
      ['b', 2, 3],
    ]);
    const list = dict.entries[0]!.value;
    expect(list.kind).toBe('list');
    expect(locOf(list)).toMatchObject({ line: 1, column: 8 });
    expect(dict.entries[1]!.value.kind).toBe('dict');
    expect(locOf(dict.entries[1]!.value)).toMatchObject({ line: 2, column: 8 });
  });

  it('accepts values nested as deep as the bound allows', () => {
    const { error } = parseText(`{ 'a': ${'['.repeat(999)}${']'.repeat(999)} }\n`, 'f.json', LanguageLevel.of('10.2'));
    expect(error).toBeNull();
  });

  it('keeps the only escape, a backslash', () => {
    const { items } = parseText("{ 'a': 'x\\\\y' }\n", 'f.json', LanguageLevel.of('10.2'));
    expect((items[0] as DictNode).entries[0]!.value).toMatchObject({ kind: 'string', value: 'x\\y' });
  });

  it('skips plain comments but keeps documentation blocks with their lines', () => {
    const text = "# plain\n##\n# @x:\n#   text\n##\n{ 'a': 'b' } # trailing\n";
    const { items } = parseText(text, 'f.json', LanguageLevel.of('10.2'));
    expect(items.map((i) => i.kind)).toEqual(['doc', 'dict']);
    const doc = items[0] as DocBlockNode;
    const lines: [string, number][] = [];
    for (const line = new DocLineCursor(doc); line.next(); ) lines.push([line.text, line.loc.line]);
    expect(lines).toEqual([
      ['# @x:', 3],
      ['#   text', 4],
    ]);
    expect(doc.end).toMatchObject({ kind: 'closed', line: { text: '##', loc: { line: 5 } } });
  });

  it("counts columns with QEMU's TAB rule, (col + 7) % 8 + 1", () => {
    const { error } = parseText("{\t'a' 'b' }\n", 'f.json', LanguageLevel.of('10.2'));
    expect(error?.loc).toMatchObject({ line: 1, column: 6 });
    const { error: later } = parseText("{ 'a':\t\t'b' 'c' }\n", 'f.json', LanguageLevel.of('10.2'));
    expect(later?.loc).toMatchObject({ line: 1, column: 11 });
  });
});

const cases: [string, string, string][] = [
  ['missing colon', "{ 'a' 'b' }", "main.json:1:7: expected ':'"],
  ['missing comma', "{ 'a': 'b'\n  'c': 'd' }", "main.json:2:3: expected ',' or '}'"],
  ['trailing comma in object', "{ 'a': 'b', }", "main.json:1:13: expected string"],
  ['trailing comma in list', "{ 'a': [ 'b', ] }", "main.json:1:15: expected '{', '[', string or boolean"],
  ['unclosed object', "{ 'a': 'b'\n", "main.json:1:11: expected ',' or '}', found the end of the file"],
  ['stray word', "{ 'a': nope }", "main.json:1:8: expected '{', '[', string or boolean, found stray 'nope'"],
  ['number', "{ 'a': 12 }", "found stray '12'"],
  ['double quotes', '{ "a": 1 }', "found '\"' (strings take single quotes)"],
  ['binary data', '\u0000\u0001', 'main.json:1:1: this looks like a binary file, not a QAPI schema: found the character U+0000'],
  ['values nested too deeply', `{ 'a': ${'['.repeat(1001)}${']'.repeat(1001)} }`, 'main.json:1:1007: values nest more than 1000 levels deep here'],
  ['unknown escape', "{ 'a': 'x\\n' }", "main.json:1:8: '\\n' is not an escape"],
  ['control character', "{ 'a': 'x\ty' }", 'main.json:1:8: character U+0009 is not allowed in a string'],
  ['non-ASCII character', "{ 'a': 'caf\u00e9' }", 'main.json:1:8: character U+00e9 is not allowed in a string'],
  ['unterminated string', "{ 'a': 'x }\n", 'main.json:1:8: this string is not closed on its line'],
  ['duplicate key', "{ 'a': 'x',\n  'a': 'y' }", "main.json:2:8: the key 'a' appears twice"],
  ['doc comment inside a value', "{ 'a':\n## no\n 'b' }", "main.json:2:1: expected '{', '[', string or boolean, found a documentation comment"],
  ['junk after opening ##', '## junk\n##\n', "main.json:1:1: the opening '##' of a documentation comment must stand alone"],
  ['junk after closing ##', '##\n# text\n## junk\n', "main.json:3:1: the closing '##' of a documentation comment must stand alone"],
  ['unterminated doc block', "##\n# text\n{ 'enum': 'E', 'data': [] }\n", "main.json:3:1: this documentation comment is not closed"],
  ['doc block at end of file', '##\n# text\n', "main.json:2:7: this documentation comment is not closed"],
];

describe.each(cases)('syntax error: %s', (_name, given, want) => {
  it('is reported where QEMU reports it', () => {
    expect(firstError({ 'main.json': given })).toContain(want);
  });
});

describe("the 2012 dialect's slips", () => {
  it('are errors from 7.2 on', () => {
    expect(firstError({ 'main.json': "{ 'enum': 'E'\n  'data': [] }" })).toContain("main.json:2:3: expected ',' or '}'");
  });

  it('are tolerated in 1.3, and reported', () => {
    const { items, error, slips } = parseText("{ 'enum': 'E'\n  'data': [ 'a', ] }\n", 'f.json', LanguageLevel.of('1.3'));
    expect(error).toBeNull();
    expect(items).toHaveLength(1);
    expect(slips.map((s) => [s.loc.line, s.message])).toEqual([
      [1, "missing ',' between object members"],
      [2, 'trailing comma before closing bracket'],
    ]);
  });
});
