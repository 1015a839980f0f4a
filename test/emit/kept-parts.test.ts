/**
 * What --watch keeps of a module's file while edits go elsewhere
 * (emit/kept.ts): after edits to one module, then another, then the first
 * again, each edit makes afresh only the parts it reaches (the edited
 * definition's, and those of what refers to it), as many as the same edit
 * made the first time: a module file reused whole in between keeps its
 * parts.  Each run's files are those of a cold generation.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { typescriptBackend } from '../../generator/backends/typescript.js';
import type { KeptBindings } from '../../generator/emit/kept.js';
import { FrontEndCache } from '../../generator/frontend-cache.js';
import { generateFrom } from '../../generator/generate.js';
import { resolveInput } from '../../generator/input/resolve.js';
import { completeSettings } from '../../generator/settings/table.js';
import { KeptTexts } from '../../generator/source/files.js';

const ROOT = "{ 'include': 'a.json' }\n{ 'include': 'b.json' }\n";

/** A module of a struct, an enum it uses and a command that returns it. */
const moduleText = (prefix: string, word: string): string => `##
# = Module ${prefix}
##

##
# @${prefix}Shape:
#
# A shape.
#
# @round: ${word}
#
# Since: 1.0
##
{ 'enum': '${prefix}Shape', 'data': [ 'round' ] }

##
# @${prefix}Thing:
#
# A thing.
#
# @shape: its shape
#
# @size: its size
#
# Since: 1.0
##
{ 'struct': '${prefix}Thing', 'data': { 'shape': '${prefix}Shape', 'size': 'int' } }

##
# @${prefix.toLowerCase()}-get:
#
# Gets the thing.
#
# Since: 1.0
##
{ 'command': '${prefix.toLowerCase()}-get', 'returns': '${prefix}Thing' }

##
# @${prefix}Other:
#
# Refers to nothing that changes.
#
# @name: a name
#
# Since: 1.0
##
{ 'struct': '${prefix}Other', 'data': { 'name': 'str' } }
`;

/**
 * Each edit rewords the enum's member doc, which reaches the enum, the
 * struct using it, and the command returning the struct: the parts of the
 * module's file (the enum's, the struct's, the command's) and of
 * client.ts (the command's property and method: its return type's
 * definition changed).
 */
const STEPS = [
  { what: "a's enum, first edit", file: 'a.json', text: moduleText('A', 'round, once'), made: 3 },
  { what: "b's enum, first edit", file: 'b.json', text: moduleText('B', 'round, once'), made: 3 },
  { what: "a's enum again, b's file kept whole meanwhile", file: 'a.json', text: moduleText('A', 'round, twice'), made: 3 },
  { what: "b's enum again, a's file kept whole meanwhile", file: 'b.json', text: moduleText('B', 'round, twice'), made: 3 },
  { what: "a's enum a third time", file: 'a.json', text: moduleText('A', 'round, thrice'), made: 3 },
];

describe('a module file reused whole keeps its parts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qapi-ts-kept-parts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'root.json'), ROOT);
  writeFileSync(join(dir, 'a.json'), moduleText('A', 'round'));
  writeFileSync(join(dir, 'b.json'), moduleText('B', 'round'));
  const source = { kind: 'schema', path: join(dir, 'root.json'), language: { qemuVersion: '10.2' } } as const;
  const settings = completeSettings({});
  const cache = new FrontEndCache();
  const texts = new KeptTexts();
  const keep = new Map<string, unknown>();
  const kept = async () => generateFrom(await resolveInput(source, { cache, texts }), typescriptBackend, settings, keep).files;
  const cold = async () => generateFrom(await resolveInput(source), typescriptBackend, settings).files;
  const counts = () => (keep.get('typescript:kept') as KeptBindings).lastRun;

  it('the first run makes every part', async () => {
    expect(await kept()).toEqual(await cold());
    // At least, per module, the enum's, the two structs' and the
    // command's parts, and in client.ts each command's property and method
    // (the include directives have parts too, which emit nothing).
    expect(counts().madeParts).toBeGreaterThanOrEqual(2 * 4 + 2 * 2);
  });

  it.each(STEPS)('$what: $made parts made, as a cold generation', async ({ file, text, made }) => {
    writeFileSync(join(dir, file), text);
    expect(await kept()).toEqual(await cold());
    expect(counts().emitted).toContain(`module ${file}`);
    expect(counts().madeParts).toBe(made);
  });
});
