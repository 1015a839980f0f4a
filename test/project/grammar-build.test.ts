/**
 * The grammar is built by peggy as it is, with one plugin of ours
 * (grammar/text-loops.mjs): character loops whose characters nothing sees
 * keep no array, and a grammar where something would see them does not
 * build.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import peggy from 'peggy';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/shared.js';

const plugin = (await import(join(PROJECT_ROOT, 'grammar', 'text-loops.mjs'))) as peggy.Plugin;
const build = (grammar: string): string =>
  peggy.generate(grammar, { output: 'source', format: 'es', plugins: [plugin] }) as unknown as string;

describe('the text-loops plugin', () => {
  it("spares the arrays of qapi.peggy's character loops", () => {
    const source = build(readFileSync(join(PROJECT_ROOT, 'grammar', 'qapi.peggy'), 'utf8'));
    const plain = peggy.generate(readFileSync(join(PROJECT_ROOT, 'grammar', 'qapi.peggy'), 'utf8'), { output: 'source', format: 'es' }) as unknown as string;
    const pushes = (code: string): number => (code.match(/\.push\(/g) ?? []).length;
    expect(pushes(source)).toBeLessThan(pushes(plain));
  });

  it('keeps the arrays where the characters are seen, and parses the same', () => {
    const grammar = "Start = a:$[a-z]* ',' b:[a-z]* { return [a, b]; }";
    expect(() => build(grammar)).toThrow(/repeats a character class whose characters would be seen/);
    const ok = build("Start = a:$[a-z]* ',' [a-z]* { return a; }");
    expect(ok).toContain('peg$parseStart');
  });

  it('leaves what a parser returns unchanged', () => {
    const grammar = "Start = w:$[a-z]+ ' '* n:$[0-9]* { return { w, n }; }";
    const withPlugin = peggy.generate(grammar, { plugins: [plugin] });
    const without = peggy.generate(grammar);
    for (const input of ['abc 123', 'x', 'word    9']) expect(withPlugin.parse(input)).toEqual(without.parse(input));
  });
});
