/**
 * The documentation parser: symbols, member and feature descriptions,
 * tagged sections, indentation, headings, and the 2012 dialect.
 */
import { describe, expect, it } from 'vitest';
import { parseDocBlock } from '../../generator/doc/parser.js';
import type { DocBlockNode } from '../../generator/parse/ast.js';
import { parseText } from '../../generator/parse/syntax.js';
import { LocatedProblem } from '../../generator/source/diagnostics.js';
import { LanguageLevel } from '../../generator/source/language.js';

function block(lines: string[]): DocBlockNode {
  const { items, error } = parseText(`##\n${lines.map((l) => `${l}\n`).join('')}##\n`, 'doc.json', false);
  expect(error).toBeNull();
  return items[0] as DocBlockNode;
}

function parse(lines: string[], legacy = false) {
  return parseDocBlock(block(lines), LanguageLevel.of(legacy ? '1.3' : '7.2'));
}

function failure(lines: string[], legacy = false): string {
  try {
    parse(lines, legacy);
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
  ['member after section', ['# @x:', '# Note: n', '# @a: late'], "4: '@a:' comes after the 'Note' section"],
  ['duplicated Since', ['# @x:', '# Since: 1', '# Since: 2'], "4: a second 'Since' section"],
  ['empty section', ['# @x:', '# Note:'], "4: the 'Note' section is empty"],
  ['member in free-form text', ['# text', '# @a: b'], "3: '@a:' describes a member, but this comment documents no definition"],
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
