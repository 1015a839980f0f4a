/**
 * What an editor shows for the generated doc comments, through
 * TypeScript's language service and VS Code's way of rendering its answer
 * (test/helpers/hover.ts), on the golden outputs: QMP examples shown line
 * for line with no escape characters, arguments documented where a call
 * writes them (hyphenated names and boxed commands included), notes as
 * remarks, links resolved.  These are the complaints about hovers over
 * QEMU 7.2's bindings, and QEMU 10.2's doc constructs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HoverService, visibleText } from '../helpers/hover.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

const fixtures = join(PROJECT_ROOT, 'test', 'fixtures');
const docs = join(fixtures, 'golden-docs', 'expected-ts');
const seven = join(fixtures, 'golden', 'expected-ts');

// A call as a user writes it, to hover its argument names.
const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-hover-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const usage = join(work, 'usage.ts');
writeFileSync(
  usage,
  [
    `import { QmpCommands } from '../fixtures/golden-docs/expected-ts/index.js';`,
    `declare const qmp: QmpCommands;`,
    `await qmp.gadgetStart({ 'job-id': 'g0', drive: 'd0' });`,
    `await qmp.gadgetConfigure({ 'job-id': 'g0', mode: 'busy' });`,
    '',
  ].join('\n'),
);

const files = ['client.ts', 'schema.ts', 'storage.ts', 'index.ts'].map((f) => join(docs, f));
const hovers = new HoverService([...files, usage, join(seven, 'client.ts')]);

/** The lines of a schema's QMP example, as written there. */
function schemaExample(schema: string, firstLine: string): string[] {
  const lines = readFileSync(schema, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.includes(firstLine));
  const out: string[] = [];
  for (const l of lines.slice(start)) {
    if (!/^#\s{4}/.test(l)) break;
    out.push(l.slice(6));
  }
  return out;
}

describe('hovers over the QEMU 10.2 doc golden', () => {
  const start = hovers.at(join(docs, 'client.ts'), 'gadgetStart(args');

  it('show each QMP example as a code block, line for line, with nothing escaped', () => {
    const examples = start.tags.filter((t) => t.name === 'example').map((t) => t.text);
    expect(examples).toHaveLength(3);
    const schema = join(PROJECT_ROOT, 'test', 'fixtures', 'golden-docs', 'schema.json');
    expect(examples[0]).toBe(['```text', ...schemaExample(schema, '#     -> { "execute": "gadget-start",'), '```'].join('\n'));
    // A titled example: the title, then the lines.
    expect(examples[1]).toMatch(/^\*\*Start a busy gadget\*\*\n\n```text\n-> \{ "execute": "gadget-start",\n {5}"arguments": \{ "job-id": "g1", "drive": "d0",\n {20}"mode": "busy" \} \}\n/);
    // An annotated one: its text, then the lines, then more text.
    expect(examples[2]).toContain('First start it, then read its state with `query-gadget`:\n\n```text\n-> { "execute": "gadget-start",\n     "arguments"');
    for (const e of examples) expect(e).not.toContain('\\');
    // VS Code keeps a fenced example as it is.
    expect(start.markdown).toContain(`*@example*  \n${examples[0]}`);
  });

  it('document the arguments once, pointing at their type, where each is described', () => {
    expect(start.tags.filter((t) => t.name === 'param')).toEqual([
      { name: 'param', text: 'args - The arguments, each documented on GadgetStartArguments.' },
    ]);
    expect(start.markdown).toContain('*@param* `args` \u2014 The arguments, each documented on GadgetStartArguments.');
    // Hovering a hyphenated argument where the call writes it.
    expect(hovers.at(usage, "'job-id': 'g0', drive", 1).documentation).toBe('identifier for the new job');
    expect(hovers.at(usage, "drive: 'd0'").documentation).toBe('the drive to work on');
  });

  it('document a boxed command by its type', () => {
    const configure = hovers.at(join(docs, 'client.ts'), 'gadgetConfigure(args');
    expect(configure.tags.find((t) => t.name === 'param')?.text).toBe('args - The arguments, each documented on GadgetInfo.');
    expect(configure.tags.find((t) => t.name === 'experimental')?.text).toBe('This command is experimental.');
    expect(hovers.at(usage, "'job-id': 'g0', mode", 1).documentation).toMatch(/^identifier of the gadget's job; a hyphenated name/);
  });

  it('show notes and admonitions as remarks, errors as throws, Since as since', () => {
    expect(start.tags.map((t) => t.name)).toEqual(['remarks', 'param', 'returns', 'throws', 'throws', 'throws', 'throws', 'example', 'example', 'example', 'since']);
    expect(start.tags[0]!.text).toBe('**Note:** Only one gadget runs per drive.\n\n**Why gadgets:** Gadgets are made up; this one stands for a block job.\n\n**Caution:** Starting twice is an error.');
    expect(start.tags.filter((t) => t.name === 'throws').map((t) => t.text)).toEqual([
      'QmpError `DeviceNotFound`: If `drive` does not exist',
      'QmpError `GenericError` (documented as `DeviceInUse`): If a gadget with `job-id` exists',
      'QmpError `GenericError`: If `mode` is not allowed now',
      'QmpError `GenericError`: Any other error returns a GenericError',
    ]);
    expect(start.tags.at(-1)).toEqual({ name: 'since', text: '3.0' });
  });

  it('shows text that tries to escape as the text it is, and links as their names', () => {
    const info = hovers.at(join(docs, 'schema.ts'), 'export interface GadgetInfo', 'export interface '.length);
    expect(visibleText(info.documentation)).toBe(
      "What a gadget is and does.  Text that tries to get out of its\ncomment stays in: */ `param` {`link` Nope} <b>bold</b> ${x}.\n\nFeature `fast-path`: It may skip a step (a feature of our own).",
    );
    const mode = hovers.at(join(docs, 'schema.ts'), 'mode: GadgetMode');
    expect(mode.documentation).toBe('the current GadgetMode');
    const overview = readFileSync(join(docs, 'storage.ts'), 'utf8');
    expect(overview).toContain(' * ### Drives\n *\n * Free-form text under a heading: see {@link Drive} and\n * {@link https://www.qemu.org/}.');
  });

  it('leaves no markdown escape visible anywhere in the golden', () => {
    for (const [file, needle] of [
      [files[0]!, 'gadgetStop('],
      [files[0]!, 'GADGET_STOPPED:'],
      [files[1]!, 'export type GadgetMode'],
      [files[1]!, 'speed?:'],
      [files[1]!, 'layout?:'],
      [files[2]!, 'export type DriveRef'],
    ] as const) {
      const info = hovers.at(file, needle, needle.startsWith('export') ? needle.lastIndexOf(' ') + 1 : 0);
      expect(visibleText(info.markdown), needle).not.toContain('\\');
    }
  });
});

describe('hovers over the QEMU 7.2 golden', () => {
  it('show the example without escapes, and a boxed command by its type, not as undocumented arguments', () => {
    const make = hovers.at(join(seven, 'client.ts'), 'makeWidget(args');
    expect(make.tags.find((t) => t.name === 'example')?.text).toBe(
      '```text\n-> { "execute": "make-widget", "arguments": { "widget": { "id": "a", "name": "b" } } }\n<- { "return": 7 }\n```',
    );
    const draw = hovers.at(join(seven, 'client.ts'), 'draw(args');
    expect(draw.markdown).not.toContain('undocumented');
    expect(draw.tags).toEqual([{ name: 'param', text: 'args - The arguments, each documented on Figure.' }]);
  });
});
