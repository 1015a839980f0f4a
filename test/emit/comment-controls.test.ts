/**
 * Doc comments hold no control characters (issue 19 item 9): NUL, ESC,
 * DEL, VT, FF and the other C0 and C1 controls, lone surrogates, U+2028
 * and U+2029, and the bidirectional formatting controls are written
 * `U+XXXX`, in `.ts`, `.js` and `.d.ts` alike: the bindings are exactly
 * those of the same schema with `U+XXXX` written in the doc text, and
 * every comment is TSDoc without a message.  Other characters (TAB,
 * non-ASCII letters, emoji) stay as written.
 */
import tsdoc from '@microsoft/tsdoc';
import { describe, expect, it } from 'vitest';
import { commentText } from '../../generator/emit/output/comment-text.js';
import { generateFromModel } from '../../generator/emit/pipeline.js';
import { renderHeader } from '../../generator/emit/templates.js';
import { loadSchema } from '../../generator/frontend.js';
import { memoryReader } from '../helpers/memory-schema.js';

/** Every character a comment must not hold as it is. */
const HIDDEN = /[\0-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A schema whose doc text holds `c` in prose, a member's description, a
 *  code span and a literal block. */
const schema = (c: string): string => `##
# @Paint:
#
# Mixes colours ${c}here, and \`\`code${c}span\`\`.
#
# @colour: the ${c} colour
#
# Example::
#
#     -> { "execute": "mix${c}" }
##
{ 'struct': 'Paint', 'data': { 'colour': 'str' } }

##
# @mix:
#
# Runs the mixer${c}.
##
{ 'command': 'mix', 'data': 'Paint' }
`;

function bindings(text: string, target: 'ts' | 'js+dts'): Map<string, string> {
  const { model } = loadSchema('paint.json', { qemuVersion: '10.2', readFile: memoryReader({ 'paint.json': text }) });
  return new Map(generateFromModel(model, 'paint.json', { target }).map((f) => [f.path, f.content]));
}

const hex = (c: string): string => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

const parser = (() => {
  const configuration = new tsdoc.TSDocConfiguration();
  configuration.addTagDefinition(new tsdoc.TSDocTagDefinition({ tagName: '@since', syntaxKind: tsdoc.TSDocTagSyntaxKind.BlockTag }));
  return new tsdoc.TSDocParser(configuration);
})();

describe.each([
  ['NUL', '\0'],
  ['SOH', '\x01'],
  ['BS', '\b'],
  ['VT', '\v'],
  ['FF', '\f'],
  ['ESC', '\x1b'],
  ['an escape sequence', '\x1b[31m'],
  ['US', '\x1f'],
  ['DEL', '\x7f'],
  ['PAD (C1)', '\x80'],
  ['NEL (C1)', '\x85'],
  ['CSI (C1)', '\x9b'],
  ['APC (C1)', '\x9f'],
  ['LINE SEPARATOR', '\u2028'],
  ['PARAGRAPH SEPARATOR', '\u2029'],
  ['RIGHT-TO-LEFT OVERRIDE', '\u202e'],
  ['LEFT-TO-RIGHT ISOLATE', '\u2066'],
  ['POP DIRECTIONAL ISOLATE', '\u2069'],
  ['a lone high surrogate', '\ud800'],
  ['a lone low surrogate', '\udfff'],
])('%s in doc text', (_name, c) => {
  const spelled = [...c].map((ch) => (HIDDEN.test(ch) ? hex(ch) : ch)).join('');

  it.each(['ts', 'js+dts'] as const)('is written U+XXXX in every file of the %s target, the bindings otherwise unchanged', (target) => {
    const files = bindings(schema(c), target);
    const expected = bindings(schema(spelled), target);
    expect([...files.keys()]).toEqual([...expected.keys()]);
    for (const [path, text] of files) {
      expect(HIDDEN.test(text), `${path} holds no control`).toBe(false);
      expect(text, path).toBe(expected.get(path));
    }
    // It did reach the comments.
    expect([...files.values()].join('').split(hex(c[0]!)).length - 1).toBeGreaterThanOrEqual(target === 'ts' ? 4 : 3);
  });

  it('leaves every comment TSDoc without a message', () => {
    const messages: string[] = [];
    for (const [path, text] of bindings(schema(c), 'ts')) {
      for (const m of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) for (const msg of parser.parseString(m[0]).log.messages) messages.push(`${path}: ${msg.text}`);
    }
    expect(messages).toEqual([]);
  });
});

describe('what comments keep', () => {
  it.each([
    ['TAB', 'a\tb'],
    ['non-ASCII letters', 'déjà vu, Ελληνικά, 日本語'],
    ['astral characters (surrogate pairs)', 'emoji 😀 and 𝔸'],
    ['right-to-left text without override', 'עברית and العربية'],
  ])('%s, as written', (_name, text) => {
    expect(commentText(text)).toBe(text);
  });

  it('a file name in the header: on its line, without controls', () => {
    const header = renderHeader('// from {{schema}}{{module}}.\n', 'dir/a\x1b[2Jb\u2028c\nd.json', 'sub\x00.json');
    expect(header).toBe('// from aU+001B[2JbU+2028c d.json (module subU+0000.json).\n');
  });
});
