/**
 * The documentation parsers: symbols, member and feature descriptions,
 * tagged sections, indentation, headings, and the 2012 dialect, as QEMU up
 * to 8.2 read them (the classic reader) and as QEMU 9.0 and later read them
 * (paragraphs, 'Errors:', rST directives, QEMU 10.2's line format).
 */
import { describe, expect, it } from 'vitest';
import { parseDocBlock } from '../../generator/doc/parser.js';
import type { DocBlockNode } from '../../generator/parse/ast.js';
import { parseText } from '../../generator/parse/syntax.js';
import { LocatedProblem } from '../../generator/source/diagnostics.js';
import { LanguageLevel, type QemuRelease } from '../../generator/source/language.js';

function block(lines: string[]): DocBlockNode {
  const { items, error } = parseText(`##\n${lines.map((l) => `${l}\n`).join('')}##\n`, 'doc.json', LanguageLevel.of('10.2'));
  expect(error).toBeNull();
  return items[0] as DocBlockNode;
}

function parse(lines: string[], legacy = false, version: QemuRelease = '7.2') {
  return parseDocBlock(block(lines), LanguageLevel.of(legacy ? '1.3' : version));
}

function failure(lines: string[], legacy = false, version: QemuRelease = '7.2'): string {
  try {
    parse(lines, legacy, version);
  } catch (e) {
    if (e instanceof LocatedProblem) return `${e.loc.line}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('definition documentation', () => {
  it('separates body, members, features and sections', () => {
    const [doc] = parse([
      '# @cmd:',
      '#',
      '# Does a thing.',
      '#',
      '# @arg: first line',
      '#       second line',
      '# @other:',
      '# starts on the next line',
      '#',
      '# Features:',
      '# @deprecated: do not use',
      '#',
      '# Returns: something',
      '# Since: 7.2',
    ]);
    expect(doc).toMatchObject({
      symbol: 'cmd',
      body: 'Does a thing.',
      args: [
        { name: 'arg', text: 'first line\nsecond line' },
        { name: 'other', text: 'starts on the next line' },
      ],
      features: [{ name: 'deprecated', text: 'do not use' }],
      sections: [
        { name: 'Returns', text: 'something' },
        { name: 'Since', text: '7.2' },
      ],
    });
  });

  it('starts an untagged section after a blank line in member descriptions', () => {
    const [doc] = parse(['# @T:', '# @a: member', '#', '# More about T.']);
    expect(doc!.sections).toEqual([expect.objectContaining({ name: null, text: 'More about T.' })]);
  });

  it('splits free-form documentation at headings', () => {
    const docs = parse(['# = Title', '#', '# Text.', '# == Subtitle']);
    expect(docs.map((d) => [d.symbol, d.body])).toEqual([
      [null, '= Title\n\nText.'],
      [null, '== Subtitle'],
    ]);
  });
});

const errors: [string, string[], string][] = [
  ['missing space after #', ['# @x:', '#oops'], "3: put a space after the '#'"],
  ['symbol without colon', ['# @x'], "2: a definition's documentation starts with '@NAME:', and this line lacks the colon"],
  ['empty symbol', ['# @:'], "2: '@:' names nothing"],
  ['empty member name', ['# @x:', '# @: text'], "3: '@:' names no member"],
  ['duplicated member', ['# @x:', '# @a: one', '# @a: two'], "4: 'a' is described twice"],
  ['de-indent', ['# @x:', '# @a: one', '# two'], '4: this line is indented less than the text it continues (it needs at least 4 spaces)'],
  ['member after section', ['# @x:', '# Note: n', '# @a: late'], "4: the description of '@a:' comes after the 'Note' section"],
  ['duplicated Since', ['# @x:', '# Since: 1', '# Since: 2'], "4: a second 'Since' section"],
  ['empty section', ['# @x:', '# Note:'], "4: the 'Note' section is empty"],
  ['member in free-form text', ['# text', '# @a: b'], "3: '@a:' describes a member, but this comment documents no definition"],
  ['member-like text in a body', ['# @x:', '# @a:b is no description'], "3: '@a:' looks like a member description, but is not one"],
  ['heading in definition docs', ['# @x:', '# = Heading'], "3: headings ('=') belong in free-form documentation"],
];

describe.each(errors)('doc error: %s', (_name, lines, want) => {
  it('is located at the offending line', () => {
    expect(failure(lines)).toContain(want);
  });
});

describe('the 2012 dialect', () => {
  it('accepts @NAME without colon, #optional, loose sections and Since without colon', () => {
    const [doc] = parse(
      [
        '# @block-commit',
        '#',
        '# Commits.',
        '#',
        '# @base: #optional The base',
        '#                  image.',
        '#',
        '# Returns: Nothing on success',
        '# If @device does not exist, DeviceNotFound',
        '#',
        '# Since 1.3',
      ],
      true,
    );
    expect(doc).toMatchObject({
      symbol: 'block-commit',
      args: [{ name: 'base', text: 'The base\nimage.', markedOptional: true }],
      sections: [
        { name: 'Returns', text: 'Nothing on success\nIf @device does not exist, DeviceNotFound' },
        { name: 'Since', text: '1.3' },
      ],
    });
  });

  it('is rejected without --legacy', () => {
    expect(failure(['# @block-commit'])).toContain('this line lacks the colon');
    expect(failure(['# @x:', '# Returns: Nothing', '# If bad, GenericError'])).toContain('indented less than the text it continues');
  });
});

describe("QEMU 8.1's looser indentation", () => {
  it('takes a section\'s indentation from its first continuation line', () => {
    const [doc] = parse(['# @x:', '# @a: first', '#   second', '#   third', '# Since:', '#  9.0'], false, '8.1');
    expect(doc!.args[0]!.text).toBe('first\nsecond\nthird');
    expect(doc!.sections).toEqual([expect.objectContaining({ kind: 'since', name: 'Since', text: '9.0' })]);
  });

  it('still refuses a line indented less than the first continuation line', () => {
    expect(failure(['# @x:', '# @a: first', '#   second', '#  third'], false, '8.1')).toContain('5: this line is indented less than the text it continues (it needs at least 2 spaces)');
  });
});

/** The paragraph reader of QEMU 9.0 and later, by release. */
describe.each(['9.0', '9.1', '10.2'] as const)('the doc comments of QEMU %s', (version) => {
  const parse9 = (lines: string[]) => parse(lines, false, version);
  const failure9 = (lines: string[]) => failure(lines, false, version);

  it('reads descriptions, features and tagged sections, Errors included', () => {
    const [doc] = parse9([
      '@cmd:',
      '',
      'Does a thing.',
      '',
      '@arg: first line',
      '    second line',
      '@other:',
      '    on the next line',
      '',
      'Plain text after the descriptions.',
      '',
      'Features:',
      '',
      '@deprecated: do not use',
      '',
      'Returns: something',
      '',
      'Errors:',
      '    - If @arg is bad, GenericError',
      '',
      'Since: 9.0',
    ].map((l) => (l === '' ? '#' : `# ${l}`)));
    const keep = version !== '9.0';
    expect(doc).toMatchObject({
      symbol: 'cmd',
      body: 'Does a thing.',
      args: [
        { name: 'arg', text: keep ? 'first line\n    second line' : 'first line\nsecond line' },
        { name: 'other', text: keep ? '    on the next line' : 'on the next line' },
      ],
      features: [{ name: 'deprecated', text: 'do not use' }],
    });
    expect(doc!.sections.map((s) => [s.kind, s.name, s.text])).toEqual([
      ['plain', null, 'Plain text after the descriptions.'],
      ['returns', 'Returns', 'something'],
      ['errors', 'Errors', keep ? '    - If @arg is bad, GenericError' : '- If @arg is bad, GenericError'],
      ['since', 'Since', '9.0'],
    ]);
    expect(doc!.sections.map((s) => s.loc.line)).toEqual([11, 17, 19, 22]);
  });

  it('recognizes tags only at the start of a paragraph', () => {
    const [doc] = parse9(['# @x:', '#', '# Text that goes on', '# Since: not a tag here']);
    expect(doc!.body).toBe('Text that goes on\nSince: not a tag here');
    expect(doc!.sections).toEqual([]);
  });

  it('takes a blank line and a less indented line as the end of a description', () => {
    const [doc] = parse9(['# @x:', '# @a: one', '#     two', '#', '# Back to plain text.']);
    expect(doc!.args[0]!.text).toBe(version === '9.0' ? 'one\ntwo' : 'one\n    two');
    expect(doc!.sections).toEqual([expect.objectContaining({ kind: 'plain', text: 'Back to plain text.' })]);
  });

  const refused: [string, string[], string][] = [
    ['a second Features: line', ['# @x:', '# Features:', '# @f: one', '#', '# Features:', '# @g: two'], "6: a second 'Features:' line"],
    ['Features: without features', ['# @x:', '# Features:', '#', '# Since: 1.0'], "5: 'Features:' must be followed by feature descriptions"],
    ['an empty section', ['# @x:', '# Errors:', '#', '# Since: 1.0'], "3: 'Errors:' needs text after it"],
    ['a second Errors: section', ['# @x:', '# Errors: one', '#', '# Errors: two'], "5: a second 'Errors' section"],
    ['a description after a section', ['# @x:', '# Since: 1.0', '#', '# @a: late'], "5: the description of '@a:' comes after a section"],
    ['a de-indent right after the first continuation line', ['# @x:', '# @a: one', '#     two', '#   three'], '5: this line is indented less than the text it continues (it needs at least 4 spaces)'],
    ['a heading in a free-form comment after its first line', ['# Text', '# = Late heading'], version === '10.2' ? 'no error' : "3: a heading ('=') must be the first line of its comment"],
  ];
  it.each(refused)('%s', (_name, lines, want) => {
    expect(failure9(lines)).toContain(want);
  });

  it(version === '9.0' ? "still reads 'Note:' and 'Example:' sections" : "refuses 'Note:' and 'Example:' sections in favour of rST directives", () => {
    const note = failure9(['# @x:', '#', '# Note: careful']);
    const example = failure9(['# @x:', '#', '# Example: this']);
    if (version === '9.0') {
      expect([note, example]).toEqual(['no error', 'no error']);
    } else {
      expect(note).toContain("4: 'Note:' sections are no longer part of the language: use rST's '.. note::'");
      expect(example).toContain("4: 'Example:' sections are no longer part of the language: use the '.. qmp-example::' directive");
    }
  });

  it('never splits a block at a heading', () => {
    const docs = parse9(['# = Title', '#', '# Text.']);
    expect(docs).toHaveLength(1);
    expect(docs[0]!.body).toBe('= Title\n\nText.');
  });
});

describe("QEMU 10.2's line format", () => {
  const failure102 = (lines: string[]) => failure(lines, false, '10.2');
  const long = `# ${'word '.repeat(14)}end`;

  it.each([
    ['a line over 70 columns', ['# @x:', '#', long], '4: this documentation line is 75 columns long'],
    ['one space between sentences', ['# @x:', '#', '# One sentence. Another one.'], "4: put two spaces after the '.' that ends a sentence"],
    ['a question ending a sentence', ['# @x:', '#', '# Why? Because.'], "4: put two spaces after the '?'"],
  ])('refuses %s', (_name, lines, want) => {
    expect(failure102(lines)).toContain(want);
  });

  it.each([
    ['two spaces between sentences', ['# @x:', '#', '# One sentence.  Another one.']],
    ['e.g. and list numbers', ['# @x:', '#', '# Use e.g. Foo, then:', '#', '# 1. First']],
    ['a long URL alone on its line', ['# @x:', '#', `#   https://example.org/${'x'.repeat(80)}`]],
    ['long lines inside a literal block', ['# @x:', '#', '# ::', '#', `#   ${'literal '.repeat(12)}`, '#   Two. Sentences.']],
    ['long lines inside a qmp-example', ['# @x:', '#', '# .. qmp-example::', '#', `#     -> { "execute": "${'x'.repeat(70)}" }`]],
  ])('accepts %s', (_name, lines) => {
    expect(failure102(lines)).toBe('no error');
  });

  it('reports the column just after the sentence end, counting from the line start as QEMU does', () => {
    const { items } = parseText("##\n# @x:\n#\n# One sentence. Another.\n##\n", 'doc.json', LanguageLevel.of('10.2'));
    try {
      parseDocBlock(items[0] as DocBlockNode, LanguageLevel.of('10.2'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LocatedProblem);
      expect((e as LocatedProblem).loc).toMatchObject({ line: 4, column: 16 });
    }
  });

  it('does not apply before 10.2', () => {
    expect(failure(['# @x:', '#', long], false, '10.1')).toBe('no error');
  });
});
