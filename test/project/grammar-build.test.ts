/**
 * The grammar is built by peggy as it is, with one plugin of ours
 * (grammar/text-runs.mjs): a repeated character class whose characters
 * nothing sees is matched as one run, and a grammar where something would
 * see them does not build; a regular rule whose value nothing sees is
 * matched by one regular expression where failures are silenced.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import peggy from 'peggy';
import { describe, expect, it } from 'vitest';
import { parseText, type ParsedText, type SchemaParser } from '../../generator/parse/syntax.js';
import { LanguageLevel, LEGACY_RELEASE } from '../../generator/source/language.js';
import { universalNewlines } from '../../generator/source/text.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';

const plugin = (await import(join(PROJECT_ROOT, 'grammar', 'text-runs.mjs'))) as peggy.Plugin;
const build = (grammar: string): string =>
  peggy.generate(grammar, { output: 'source', format: 'es', plugins: [plugin] }) as unknown as string;

/** What a parser gives for an input: its value, or where its syntax error
 *  is, what it says and what it expected there. */
function outcome(parser: peggy.Parser, input: string): unknown {
  try {
    return parser.parse(input);
  } catch (e) {
    const { message, location, expected } = e as peggy.parser.SyntaxError;
    return { message, offset: location.start.offset, expected };
  }
}

describe('the text-runs plugin', () => {
  it("matches every repeated class of qapi.peggy as a run, with no character loop left", () => {
    const source = build(readFileSync(join(PROJECT_ROOT, 'grammar', 'qapi.peggy'), 'utf8'));
    const plain = peggy.generate(readFileSync(join(PROJECT_ROOT, 'grammar', 'qapi.peggy'), 'utf8'), { output: 'source', format: 'es' }) as unknown as string;
    // A character loop tests one character and then loops on the same test.
    const loops = (code: string): number => (code.match(/while \(s\d+ !== peg\$FAILED\) \{\n(\s+s\d+\.push\(s\d+\);\n)?\s+s\d+ = input\.charAt/g) ?? []).length;
    expect(loops(plain)).toBeGreaterThan(5);
    expect(loops(source)).toBe(0);
    expect(source).toContain('peg$textRun0.test(input)');
  });

  it('keeps the arrays where the characters are seen, and parses the same', () => {
    const grammar = "Start = a:$[a-z]* ',' b:[a-z]* { return [a, b]; }";
    expect(() => build(grammar)).toThrow(/repeats a character class whose characters would be seen/);
    const ok = build("Start = a:$[a-z]* ',' [a-z]* { return a; }");
    expect(ok).toContain('peg$parseStart');
  });

  it('leaves what a parser returns, and where and what it reports as expected, unchanged', () => {
    const grammar = "Start = w:$[a-z]+ ' '* n:$[0-9]* '.' { return { w, n }; }";
    const withPlugin = peggy.generate(grammar, { plugins: [plugin] });
    const without = peggy.generate(grammar);
    for (const input of ['abc 123.', 'x.', 'word    9.', 'word  9', '9', '', 'ab  ', 'ab 12x']) {
      expect(outcome(withPlugin, input), input).toEqual(outcome(without, input));
    }
  });
});

describe('regular rules, matched by one regular expression where failures are silenced', () => {
  // Each grammar's rule R is regular (literals, classes, choices,
  // repetitions, lookaheads) and its value is never seen; a regular
  // expression that backtracks would accept what the PEG refuses, since a
  // PEG gives back nothing a repetition or a choice took.
  const cases: [string, string, string[]][] = [
    ['a repetition never gives back', "R = [a-z]* 'a'", ['aa', 'ba', 'a', 'abc', '']],
    ['a choice keeps its first match', "R = ('a' / 'ab') 'c'", ['abc', 'ac', 'ab', 'c']],
    ['lookaheads and any character', "R = (!'##' '#' [^\\n]*)+ .?", ['# x', '##', '#a#b\n', 'x']],
    ['a rule inlined, optional parts', "R = S? 'x' S\nS = ' '+ / 't'", ['  x ', 'xt', 'tx', 'x', ' x']],
  ];
  describe.each(cases)('%s', (_what, rules, inputs) => {
    // R is reached silenced (under a named rule, and under a lookahead) and
    // unsilenced (directly), so both the regular expression and the
    // original code are used.
    const grammar = `Start = Named ';' / &R $R ';' / $R ';' { return 'loud'; }\nNamed "named" = $R '!' { return 'named'; }\n${rules}`;
    const withPlugin = peggy.generate(grammar, { plugins: [plugin] });
    const without = peggy.generate(grammar);
    it('is compiled to a regular expression', () => {
      expect(build(grammar)).toMatch(/const peg\$regularRule0 = \/.*\/y;/);
    });
    it.each(inputs.flatMap((i) => [`${i}!;`, `${i};`, i]))('parses %j as the plain grammar does, expectations included', (input) => {
      expect(outcome(withPlugin, input)).toEqual(outcome(without, input));
    });
  });

  it('leaves a rule whose value is seen, or that runs code, to peggy', () => {
    expect(build("Start = a:R { return a; }\nR = 'a'+")).not.toContain('peg$regularRule');
    expect(build("Start = $R\nR = 'a' &{ return true; }")).not.toContain('peg$regularRule');
  });
});

describe('the plugin on the real grammar, over real schemas', () => {
  // Compiled in-process twice, as grammar/build.mjs compiles it (its start
  // rules, with and without the plugin), then each input is read through the
  // front end's own parsing step with each parser: items, syntax error
  // (location and message) and the items recovered before it must agree.
  const grammar = readFileSync(join(PROJECT_ROOT, 'grammar', 'qapi.peggy'), 'utf8');
  const compile = (plugins: peggy.Plugin[]): SchemaParser =>
    peggy.generate(grammar, { allowedStartRules: ['Schema', 'SchemaPrefix'], plugins }) as unknown as SchemaParser;
  const withPlugin = compile([plugin]);
  const without = compile([]);
  // The same parser, with the grammar's option that turns one-step members
  // off: the grammar matches a member of two plain strings in one step
  // (qapi.peggy's matchPlainMember); turned off, every member goes through
  // the general rules.  Items, syntax errors (where, what was expected) and
  // what is recovered before them must agree, as must duplicate keys.
  const general: SchemaParser = {
    parse: ((input: string, options?: object) => withPlugin.parse(input, { ...options, plainMembers: false } as never)) as SchemaParser['parse'],
    SyntaxError: withPlugin.SyntaxError,
  };

  it.each([
    ["QEMU 7.2's schema", 'qemu-7.2/qapi', 30],
    ["QEMU 10.2's schema", 'qemu-10.2/qapi', 40],
    ["QEMU 10.2's front-end test suite", 'qemu-10.2/tests/qapi-schema', 200],
    ["QEMU 1.3's schema (the 2012 dialect's slips)", 'qemu-1.3', 1],
  ])('%s: every file parses alike with and without it, and with members matched in one step or by the general rules', (_what, folder, atLeast) => {
    const shared = requireShared(folder, 'the grammar plugin test');
    if (!shared.available) return;
    const files = readdirSync(shared.path).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(atLeast);
    let failed = 0;
    for (const name of files) {
      const text = universalNewlines(readFileSync(join(shared.path, name), 'utf8'));
      const level = LanguageLevel.of(folder === 'qemu-1.3' ? LEGACY_RELEASE : '10.2');
      const parse = (parser: SchemaParser): ParsedText => parseText(text, name, level, parser);
      const expected = parse(without);
      expect(parse(withPlugin), name).toEqual(expected);
      expect(parse(general), name).toEqual(expected);
      if (expected.error !== null) failed++;
    }
    // The suite's syntax errors exercise the error path; the schemas parse.
    if (folder.includes('tests')) expect(failed).toBeGreaterThan(10);
    else expect(failed).toBe(0);
  });

  it.each([
    ['two plain members', "{ 'a': 'b', 'c': 'd' }"],
    ['spaces and newlines between', "{ 'a'  :\n  'b' }"],
    ['a duplicate key', "{ 'a': 'b', 'a': 'c' }"],
    ['a duplicate key, the second a dict', "{ 'a': 'b', 'a': {} }"],
    ['a comment between', "{ 'a': # c\n 'b' }"],
    ['a TAB between', "{ 'a':\t'b' }"],
    ['an escape', "{ 'a\\\\': 'b' }"],
    ['a value not closed', "{ 'a': 'b }"],
    ['no colon', "{ 'a' 'b' }"],
    ['a missing comma', "{ 'a': 'b' 'c': 'd' }"],
    ['a value that is a bool', "{ 'a': true }"],
    ['a character not allowed', "{ 'a': 'b\u00e9' }"],
    ['a list of plain strings', "{ 'a': [ 'b', 'c' ] }"],
    ['a dict after a plain key', "{ 'a': { 'b': 'c' } }"],
    ['a duplicate key before a dict', "{ 'a': 'b', 'a': { 'b': 'c' } }"],
    ['a comment before the colon', "{ 'a' # c\n : 'b' }"],
    ['a list not closed', "{ 'a': [ 'b', 'c' }"],
    ['a string not closed in a list', "[ 'a', 'b ]"],
    ['a plain string at the top', "'a'"],
    ['an empty key and value', "{ '': '' }"],
  ])('%s parses alike both ways', (_what, text) => {
    for (const level of [LanguageLevel.of('10.2'), LanguageLevel.of(LEGACY_RELEASE)]) {
      const input = `${text}\n`;
      expect(parseText(input, 'x.json', level, withPlugin)).toEqual(parseText(input, 'x.json', level, general));
    }
  });

  it('a peggy whose parser differs fails the build in one line naming the version it was written for', () => {
    // Stands in for a changed peggy: a pass that runs just before the
    // plugin's check renames the parser's count of silenced failures, which
    // the runs' code refers to.
    const changedPeggy: peggy.Plugin = {
      use(config) {
        config.passes.generate.push((ast) => {
          ast.code = ast.code!.toString().replaceAll('peg$silentFails', 'peg$quietFailures') as never;
        });
      },
    };
    let message = '';
    try {
      peggy.generate(grammar, { allowedStartRules: ['Schema', 'SchemaPrefix'], output: 'source', plugins: [changedPeggy, plugin] });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(
      /^grammar\/text-runs\.mjs was written for peggy 5\.1\.x \(installed: \d+\.\d+\.\d+\): the generated parser does not define peg\$silentFails as the runs expect; keep peggy at '~5\.1\.0' in package\.json, or adapt this plugin/,
    );
    expect(message).not.toContain('\n');
  });
});
