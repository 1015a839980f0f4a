/**
 * Doc text as TSDoc: rST inline markup and blocks as markdown, what must
 * be escaped and nothing more, and which part of a doc goes to which tag.
 * What an editor then shows is hovers.test.ts's.
 */
import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { codeFence, codeSpan, renderInline, renderText, type LinkResolver } from '../../generator/emit/parts/doc-markdown.js';
import { conditionText, DocBuilder } from '../../generator/emit/parts/docs.js';
import { sectionKind, type DocSectionKind } from '../../generator/doc/types.js';
import type { EntityDoc } from '../../generator/model/types.js';

/** Links only to `GadgetInfo` (declared as `GadgetInfo`) and `q_obj_x` (as `X`). */
const links: LinkResolver = (name) => ({ GadgetInfo: 'GadgetInfo', q_obj_x: 'X' })[name];

const text = (lines: string[]): string => lines.join('\n');

describe('inline markup', () => {
  it.each([
    ['plain words', 'plain words'],
    ['``literal`` text', '`literal` text'],
    ['``a `b` c``', '``a `b` c``'],
    ['see @device.', 'see `device`.'],
    ['@param x', '`param` x'],
    ['mail jcody@redhat.com', 'mail jcody\\@redhat.com'],
    ['a `GadgetInfo`, linked', 'a {@link GadgetInfo}, linked'],
    ['a `q_obj_x`, linked by its own name', 'a {@link X | q_obj_x}, linked by its own name'],
    ['`gadget-start` (no symbol here)', '`gadget-start` (no symbol here)'],
    ['the :qapi:event:`MIGRATION` event', 'the `MIGRATION` event'],
    ['see :qapi:type:`GadgetInfo`', 'see {@link GadgetInfo}'],
    [':doc:`QEMU Machine Protocol Specification </interop/qmp-spec>`', 'QEMU Machine Protocol Specification'],
    ['see :ref:`cpu-topology-s390x`', 'see `cpu-topology-s390x`'],
    ['`QEMU <https://www.qemu.org/>`_ site', '{@link https://www.qemu.org/ | QEMU} site'],
    ['a `named reference`_ only', 'a named reference only'],
    ['see <http://zlib.net/>', 'see {@link http://zlib.net/}'],
    ["'child<subtype>'", "'child\\<subtype\\>'"],
    ['r/o -> r/w', 'r/o -\\> r/w'],
    ['${x} and {@link y}', '$\\{x\\} and \\{`link` y\\}'],
    ['**strong** and *emphasis*', '**strong** and *emphasis*'],
    ['an escaped \\*star\\*', 'an escaped \\*star\\*'],
    ['rST drops a backslash before a letter: \\n', 'rST drops a backslash before a letter: n'],
    ['a stray ` backtick', 'a stray \\` backtick'],
    ['``code with @tag inside``', '`code with \\@tag inside`'],
    ['first line\n- not a list', 'first line\n\\- not a list'],
    ['first line\n1. not a list', 'first line\n1\\. not a list'],
    ['first line\n# not a heading', 'first line\n\\# not a heading'],
    ['first line\n====', 'first line\n\\===='],
  ])('%j → %j', (given, want) => {
    expect(renderInline(given, links)).toBe(want);
  });
});

describe('blocks', () => {
  it.each([
    ['paragraphs', text(['One', 'two.', '', 'Three.']), 'One\ntwo.\n\nThree.'],
    ['a bullet list', text(['- a', '- b,', '  continued']), '- a\n- b,\n  continued'],
    ['a numbered list', text(['1. a', '', '2. b']), '1. a\n2. b'],
    ['a nested list', text(['- a:', '', '  * x', '  * y', '- b']), '- a:\n\n  - x\n  - y\n- b'],
    ['a literal block', text(['Like this::', '', '    $ echo {x}', '      @two']), 'Like this:\n\n```text\n$ echo {x}\n  \\@two\n```'],
    ['an rST heading', text(['Block devices', '=============']), '### Block devices'],
    ['an overlined heading', text(['*****', 'Title', '*****']), '## Title'],
    ['a QAPI heading of old', text(['== Subsection']), '### Subsection'],
    ['a note, in place', text(['.. note:: It runs', '   on and on.']), '**Note:** It runs\non and on.'],
    ['an admonition, in place', text(['.. admonition:: Why', '', '   Because.']), '**Why:** Because.'],
    ['a QMP example, in place', text(['.. qmp-example::', '', '    -> { "execute": "x" }']), '**Example:**\n\n```text\n-> { "execute": "x" }\n```'],
    ['a code block', text(['.. code-block:: json', '', '   { "a": 1 }']), '```json\n{ "a": 1 }\n```'],
    ['a table', text(['.. table:: Sizes', '   :widths: auto', '', '   ==  ==', '   a   b', '   ==  ==']), 'Sizes\n\n```text\n==  ==\na   b\n==  ==\n```'],
  ])('%s', (_what, given, want) => {
    expect(renderText(given, links)).toBe(want);
  });

  it('fences code holding backticks with a longer fence', () => {
    expect(codeFence('```\nx\n```')).toBe('````text\n```\nx\n```\n````');
    expect(codeSpan('`a`')).toBe('`` `a` ``');
  });
});

function docWith(body: string, sections: [name: string | null, text: string][], features: [string, string][] = []): EntityDoc {
  const loc = { file: 'x.json', line: 1, column: 1, offset: 0 };
  const full = sections.map(([name, t]) => ({ name, text: t, kind: (name === null ? 'plain' : sectionKind(name)) as DocSectionKind, loc }));
  const feats = features.map(([name, t]) => ({ name, text: t, loc, markedOptional: false }));
  const comment = { loc, symbol: 'x', body, args: [], features: feats, sections: full };
  return { comment, args: [], features: feats, sections: full };
}

describe('which part goes where', () => {
  it('maps sections and features to TSDoc tags in reading order', () => {
    const docs = new DocBuilder()
      .text('Summary.')
      .tag('since', '1.0')
      .tag('param', 'args - y')
      .features([{ name: 'deprecated', ifcond: null }], null)
      .condition({ kind: 'name', name: 'CONFIG_X' })
      .build();
    expect(docs).toEqual([
      {
        description: 'Summary.\n\nOnly available when `CONFIG_X`.',
        tags: [
          { tagName: 'param', text: 'args - y' },
          { tagName: 'deprecated', text: 'Deprecated in the schema.' },
          { tagName: 'since', text: '1.0' },
        ],
      },
    ]);
  });

  it('puts notes in @remarks and QMP examples in @example tags, and leaves TODOs out (QEMU 9.1 and later)', () => {
    const doc = docWith('Does things.\n\n.. note:: Carefully.', [
      [null, '.. qmp-example::\n   :title: Do it\n\n    -> { "execute": "x",\n         "arguments": {} }\n    <- { "return": {} }'],
      ['Returns', 'the `GadgetInfo`'],
      ['TODO', 'make it faster'],
      ['Since', '9.1'],
      [null, '.. admonition:: Later\n\n   More text.'],
    ]);
    expect(new DocBuilder(links).entity(doc, null, []).build()).toEqual([
      {
        description: 'Does things.',
        tags: [
          { tagName: 'remarks', text: '\n**Note:** Carefully.\n\n**Later:** More text.' },
          { tagName: 'returns', text: 'the {@link GadgetInfo}' },
          { tagName: 'example', text: '\n**Do it**\n\n```text\n-> { "execute": "x",\n     "arguments": {} }\n<- { "return": {} }\n```' },
          { tagName: 'since', text: '9.1' },
        ],
      },
    ]);
  });

  it('reads the sections of QEMU 9.0 and before: Note, Example (literal, its first line lined up again)', () => {
    const doc = docWith('Does things.', [
      ['Note', 'Carefully.'],
      ['Example', '-> { "execute": "x",\n         "arguments": {} }\n    <- { "return": {} }'],
      ['Returns', '- nothing\n- If @x is bad, GenericError'],
    ]);
    expect(new DocBuilder().entity(doc, null, []).build()).toEqual([
      {
        description: 'Does things.',
        tags: [
          { tagName: 'remarks', text: '\n**Note:** Carefully.' },
          { tagName: 'returns', text: '\n- nothing\n- If `x` is bad, GenericError' },
          { tagName: 'example', text: '\n```text\n-> { "execute": "x",\n     "arguments": {} }\n<- { "return": {} }\n```' },
        ],
      },
    ]);
  });

  it('describes features: deprecated and unstable as tags, others as notes', () => {
    const doc = docWith('', [], [
      ['deprecated', 'Use ``y``.'],
      ['unstable', 'May change.'],
      ['fast-path', 'Skips @z.'],
    ]);
    const features = ['deprecated', 'unstable', 'fast-path'].map((name) => ({ name, ifcond: null }));
    expect(new DocBuilder().entity(doc, null, features).build()).toEqual([
      {
        description: 'Feature `fast-path`: Skips `z`.',
        tags: [
          { tagName: 'deprecated', text: 'Use `y`.' },
          { tagName: 'experimental', text: 'May change.' },
        ],
      },
    ]);
  });

  it('renders conditions as expressions', () => {
    expect(
      conditionText({ kind: 'all', operands: [{ kind: 'name', name: 'A' }, { kind: 'not', operand: { kind: 'any', operands: [{ kind: 'name', name: 'B' }, { kind: 'name', name: 'C' }] } }] }),
    ).toBe('A && !(B || C)');
  });
});

/** The JSDoc TypeScript reads from a comment built of `docs`. */
function parsedJsDoc(description: string, tags: readonly { tagName: string; text?: string }[] = []): ts.JSDoc {
  const body = [description, ...tags.map((t) => `@${t.tagName}${t.text === undefined ? '' : t.text.startsWith('\n') ? t.text : ` ${t.text}`}`)]
    .join('\n')
    .split('\n')
    .map((l) => ` * ${l}`)
    .join('\n');
  const source = ts.createSourceFile('x.ts', `/**\n${body}\n */\nexport type X = 1;\n`, ts.ScriptTarget.ES2022, true);
  const statement = source.statements[0]!;
  if (source.statements.length !== 1) throw new Error('the comment ended early');
  return ts.getJSDocCommentsAndTags(statement).filter(ts.isJSDoc)[0]!;
}

describe('hostile doc text', () => {
  const alphabet = ['*/', '/*', '@', '@x', ' @y', '{@link z}', '{', '}', '<b>', '>', '`', '``', '\\', '\n', '\n\n', '- ', '1. ', '#', '::', '.. note:: ', 'a', ' ', 'word'];
  const hostile = fc.array(fc.constantFrom(...alphabet), { maxLength: 30 }).map((parts) => parts.join(''));

  it('never ends the comment, starts a tag or a link, whatever the text', () => {
    fc.assert(
      fc.property(hostile, hostile, (body, returns) => {
        const doc = docWith(body, [['Returns', returns], [null, `.. qmp-example::\n\n    ${returns.replace(/\n/g, '\n    ')}`]]);
        const [node] = new DocBuilder().entity(doc, null, []).build();
        if (!node) return;
        const jsDoc = parsedJsDoc(node.description, node.tags);
        expect(jsDoc.tags?.map((t) => t.tagName.text) ?? []).toEqual(node.tags?.map((t) => t.tagName) ?? []);
        expect(typeof jsDoc.comment === 'string' || jsDoc.comment === undefined).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('the text that once got out stays in', () => {
    const [node] = new DocBuilder().text('*/ export const pwned = 1; /* @deprecated `${process.exit()}` */').build();
    expect(node!.description).not.toContain('*/');
    expect(parsedJsDoc(node!.description).tags).toBeUndefined();
  });
});
