/**
 * The structure of doc text that emitters render: paragraphs, lists,
 * literal blocks and rST directives (notes, admonitions, QMP examples),
 * and the items of 'Errors:' sections; over QEMU 10.2's whole schema too.
 */
import { describe, expect, it } from 'vitest';
import { errorItems, readBlocks, type DocBlock } from '../../generator/doc/blocks.js';
import { loadSchema } from '../../generator/frontend.js';
import { requireShared } from '../helpers/shared.js';

const text = (lines: string[]): string => lines.join('\n');

const cases: [string, string, DocBlock[]][] = [
  [
    'paragraphs',
    text(['First line', 'second line.', '', 'Next paragraph.']),
    [
      { kind: 'paragraph', line: 0, text: 'First line\nsecond line.' },
      { kind: 'paragraph', line: 3, text: 'Next paragraph.' },
    ],
  ],
  [
    'a description continued under its tag (9.1 keeps the indentation)',
    text(['the size of', '    the balloon']),
    [{ kind: 'paragraph', line: 0, text: 'the size of\nthe balloon' }],
  ],
  [
    'a bullet list',
    text(['- If @device is not a valid block device,', '  DeviceNotFound', '- If @name is taken, GenericError']),
    [{ kind: 'list', line: 0, ordered: false, items: ['If @device is not a valid block device,\nDeviceNotFound', 'If @name is taken, GenericError'] }],
  ],
  [
    'a numbered list with blank lines between items',
    text(['1. One thing.', '', '2. Another.']),
    [{ kind: 'list', line: 0, ordered: true, items: ['One thing.', 'Another.'] }],
  ],
  [
    "a literal block after 'Text::'",
    text(['For example::', '', '    -> { "execute": "x" }']),
    [
      { kind: 'paragraph', line: 0, text: 'For example:' },
      { kind: 'literal', line: 2, text: '-> { "execute": "x" }' },
    ],
  ],
  [
    'a note',
    text(['.. note:: This event is rate-limited.', '   It is not guaranteed.']),
    [
      {
        kind: 'directive',
        line: 0,
        name: 'note',
        argument: 'This event is rate-limited.',
        options: {},
        content: 'It is not guaranteed.',
        blocks: [{ kind: 'paragraph', line: 1, text: 'It is not guaranteed.' }],
      },
    ],
  ],
  [
    'an admonition with its title',
    text(['.. admonition:: Notes', '', '    1. First.', '', '    2. Second.']),
    [
      {
        kind: 'directive',
        line: 0,
        name: 'admonition',
        argument: 'Notes',
        options: {},
        content: '1. First.\n\n2. Second.',
        blocks: [{ kind: 'list', line: 2, ordered: true, items: ['First.', 'Second.'] }],
      },
    ],
  ],
  [
    'a QMP example: literal content',
    text(['.. qmp-example::', '   :title: Add a node', '', '    -> { "execute": "blockdev-add" }', '    <- { "return": {} }']),
    [
      {
        kind: 'directive',
        line: 0,
        name: 'qmp-example',
        argument: '',
        options: { title: 'Add a node' },
        content: '-> { "execute": "blockdev-add" }\n<- { "return": {} }',
        blocks: [{ kind: 'literal', line: 3, text: '-> { "execute": "blockdev-add" }\n<- { "return": {} }' }],
      },
    ],
  ],
  [
    'an annotated QMP example: text, then literal blocks',
    text(['.. qmp-example::', '   :annotated:', '', '   Set it::', '', '     -> { "execute": "set" }']),
    [
      {
        kind: 'directive',
        line: 0,
        name: 'qmp-example',
        argument: '',
        options: { annotated: '' },
        content: 'Set it::\n\n  -> { "execute": "set" }',
        blocks: [
          { kind: 'paragraph', line: 3, text: 'Set it:' },
          { kind: 'literal', line: 5, text: '-> { "execute": "set" }' },
        ],
      },
    ],
  ],
  [
    'an overlined title, then text',
    text(['*************', 'Block devices', '*************', '', 'About them.']),
    [
      { kind: 'heading', line: 0, level: 2, text: 'Block devices' },
      { kind: 'paragraph', line: 4, text: 'About them.' },
    ],
  ],
  [
    'underlined titles of each level QEMU uses, and one of another character',
    text(['Three', '=====', '', 'Four', '____', '', 'Five', '^^^^', '', 'Six', '""""""', '', 'Other', '-----']),
    [
      { kind: 'heading', line: 0, level: 3, text: 'Three' },
      { kind: 'heading', line: 3, level: 4, text: 'Four' },
      { kind: 'heading', line: 6, level: 5, text: 'Five' },
      { kind: 'heading', line: 9, level: 6, text: 'Six' },
      { kind: 'heading', line: 12, level: 6, text: 'Other' },
    ],
  ],
  [
    "QAPI's '= Title' lines of before QEMU 10.1",
    text(['= Block devices', '', '== Snapshots']),
    [
      { kind: 'heading', line: 0, level: 2, text: 'Block devices' },
      { kind: 'heading', line: 2, level: 3, text: 'Snapshots' },
    ],
  ],
  [
    'an underline shorter than its title, or text right under it: no title',
    text(['A long title', '===', '', 'Title', '=====', 'more text']),
    [
      { kind: 'paragraph', line: 0, text: 'A long title\n===' },
      { kind: 'paragraph', line: 3, text: 'Title\n=====\nmore text' },
    ],
  ],
  [
    'a list item whose first line stands apart from what follows',
    text(['- a:', '', '  * x', '  * y']),
    [{ kind: 'list', line: 0, ordered: false, items: ['a:\n\n* x\n* y'] }],
  ],
];

describe.each(cases)('doc text: %s', (_name, given, want) => {
  it('reads as these blocks', () => {
    expect(readBlocks(given)).toEqual(want);
  });
});

describe('Errors sections', () => {
  it('give one item per list item, whitespace normalized', () => {
    expect(errorItems(text(['- If @device does not exist or', '  cannot be determined, DeviceNotFound', '- If @name is frozen, GenericError']))).toEqual([
      'If @device does not exist or cannot be determined, DeviceNotFound',
      'If @name is frozen, GenericError',
    ]);
  });

  it('give one item per paragraph when they are not a list', () => {
    expect(errorItems(text(['If @device does not exist, DeviceNotFound', '', 'Any other error, GenericError']))).toEqual([
      'If @device does not exist, DeviceNotFound',
      'Any other error, GenericError',
    ]);
  });
});

const schema = requireShared('qemu-10.2/qapi/qapi-schema.json', "QEMU 10.2's doc comments");

describe.skipIf(!schema.available)("QEMU 10.2's doc comments", () => {
  it('read as blocks: every qmp-example is a directive with literal text, every Errors section has items', () => {
    const { model } = loadSchema(schema.path, { qemuVersion: '10.2' });
    const directives = new Map<string, number>();
    const walk = (blocks: readonly DocBlock[]): void => {
      for (const b of blocks) {
        if (b.kind === 'directive') {
          directives.set(b.name, (directives.get(b.name) ?? 0) + 1);
          if (b.name === 'qmp-example') expect(b.blocks.some((inner) => inner.kind === 'literal')).toBe(true);
          walk(b.blocks);
        } else if (b.kind === 'quote') {
          walk(b.blocks);
        }
      }
    };
    let errorSections = 0;
    const titles: number[] = [];
    for (const doc of model.docs.filter((d) => d.comment.symbol === null)) {
      for (const b of readBlocks(doc.comment.body)) if (b.kind === 'heading') titles.push(b.level);
    }
    // Module titles are overlined (level 2); a few sections are underlined with '='.
    expect(titles.filter((l) => l === 2).length).toBe(40);
    expect(titles.filter((l) => l === 3).length).toBe(6);
    expect(titles.length).toBe(46);
    for (const doc of model.docs) {
      for (const t of [doc.comment.body, ...doc.args.map((a) => a.text), ...doc.sections.map((s) => s.text)]) walk(readBlocks(t));
      for (const s of doc.sections.filter((s) => s.kind === 'errors')) {
        errorSections++;
        expect(errorItems(s.text).length).toBeGreaterThan(0);
      }
    }
    expect(directives.get('qmp-example')).toBe(255);
    expect(directives.get('note')).toBeGreaterThan(50);
    expect(directives.get('admonition')).toBe(3);
    expect(errorSections).toBeGreaterThan(50);
  });
});
