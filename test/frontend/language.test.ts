/**
 * The language by QEMU release: every rule of the table applies from the
 * release that introduced it (and no longer from the one that dropped it),
 * for every release in between too; the versions users may name; the
 * flags that select one; and the note naming another release's language
 * when that one accepts a schema the selected one rejects.
 */
import { describe, expect, it } from 'vitest';
import { dumpModel } from '../../generator/dump/dump.js';
import type { LoadedSchema } from '../../generator/frontend.js';
import type { EnumType } from '../../generator/model/types.js';
import {
  LANGUAGE_RULES,
  LanguageLevel,
  LanguageSelectionError,
  parseQemuVersion,
  QEMU_VERSIONS,
  selectLanguage,
  type LanguageRule,
  type QemuVersion,
} from '../../generator/source/language.js';
import { runInProcess } from '../helpers/cli.js';
import { loadMemory } from '../helpers/memory-schema.js';

/** What a schema amounts to at one release: 'ok', or its first error line. */
type View = (loaded: LoadedSchema) => string;

function outcome(text: string, version: QemuVersion, view?: View): string {
  const options = version === '1.3' ? { legacy: true } : { qemuVersion: version };
  const result = loadMemory({ 'main.json': text }, { ...options, suggestLanguage: false });
  if (!result.ok) return result.errors[0]!.split('\n').find((l) => /^main\.json:\d+:\d+: /.test(l)) ?? result.errors[0]!;
  return view ? view(result.loaded) : 'ok';
}

const dump = ({ model, level }: LoadedSchema): string => dumpModel(model, level);

// With 'deprecated' and 'unstable', 64 features.
const features = Array.from({ length: 62 }, (_, i) => `'f${i}'`).join(', ');
const doc = (lines: string[]): string => `##\n${lines.map((l) => (l === '' ? '#' : `# ${l}`)).join('\n')}\n##\n`;

/** For each rule: a schema, and how it comes out before and with the rule. */
const RULE_CASES: Record<LanguageRule, { schema: string; view?: View; before: string; with: string }> = {
  modernDialect: {
    schema: "{ 'type': 'Old', 'data': { 'a': 'int' } }",
    before: 'ok',
    with: 'main.json:1:1: a definition needs exactly one of the keys',
  },
  looseDocIndentation: {
    schema: `${doc(['@Foo:', '', '@a: one', '  two'])}{ 'enum': 'Foo', 'data': [ 'a' ] }`,
    before: 'main.json:5:1: this line is indented less than the text it continues',
    with: 'ok',
  },
  boxedConditionalArguments: {
    schema: "{ 'struct': 'Args', 'data': { 'a': { 'type': 'int', 'if': 'CONFIG_A' } } }\n{ 'command': 'go', 'data': 'Args' }",
    before: 'ok',
    with: "main.json:2:1: conditional command arguments need 'boxed': true",
  },
  unionBranchesMayBeUnions: {
    schema:
      "{ 'enum': 'Kind', 'data': [ 'a' ] }\n{ 'struct': 'Stuff', 'data': {} }\n" +
      "{ 'union': 'Inner', 'base': { 'k': 'Kind' }, 'discriminator': 'k', 'data': { 'a': 'Stuff' } }\n" +
      "{ 'union': 'Outer', 'base': { 't': 'Kind' }, 'discriminator': 't', 'data': { 'a': 'Inner' } }",
    before: "main.json:4:1: branch 'a' has union type 'Inner', but union branches must be struct types",
    with: 'ok',
  },
  paragraphDocComments: {
    schema: `${doc(['@Foo:'])}{ 'enum': 'Foo', 'data': [ 'a' ] }`,
    before: 'ok',
    with: "main.json:4:1: the value 'a' is not documented",
  },
  commentAfterDocIsDoc: {
    schema: `${doc(['@Foo:'])}# a plain comment\n{ 'enum': 'Foo', 'data': [] }`,
    before: 'ok',
    with: "main.json:1:1: the comment documenting 'Foo' must be followed directly by that definition",
  },
  rstDirectives: {
    schema: `${doc(['@Foo:', '', 'Note: not this way'])}{ 'enum': 'Foo', 'data': [] }`,
    before: 'ok',
    with: "main.json:4:1: 'Note:' sections are no longer part of the language",
  },
  docKeepsIndentation: {
    schema: `${doc(['@Foo:', '', '@a: one', '    two', '    three'])}{ 'enum': 'Foo', 'data': [ 'a' ] }`,
    view: ({ model }) => JSON.stringify(model.lookupEntity('Foo')?.doc?.args[0]?.text),
    before: '"one\\ntwo\\nthree"',
    with: '"one\\n    two\\n    three"',
  },
  qtypeWithoutPrefix: {
    schema: "{ 'enum': 'Foo', 'data': [] }",
    view: ({ model }) => String((model.lookupType('QType') as EnumType).prefix),
    before: 'QTYPE',
    with: 'null',
  },
  dumpSectionKinds: {
    schema: `${doc(['@Foo:', '', '@a: one', '', 'More text.', '', 'Since: 1.0'])}{ 'enum': 'Foo', 'data': [ 'a' ] }`,
    view: (loaded) => dump(loaded).split('\n').filter((l) => l.startsWith('    section=')).join(' '),
    before: '    section=None     section=Since',
    with: '    section=Plain     section=Since',
  },
  featureLimit: {
    schema: `{ 'command': 'go', 'features': [ ${features} ] }\n{ 'command': 'went', 'features': [ 'one-more' ] }`,
    before: 'ok',
    with: "main.json:2:1: the schema uses more than 64 distinct features, the most QEMU allows; 'one-more' is one too many",
  },
  headingsAnywhere: {
    schema: `${doc(['@Foo:', '', '= Not a heading here'])}{ 'enum': 'Foo', 'data': [] }`,
    before: "main.json:4:1: headings ('=') belong in free-form documentation",
    with: 'ok',
  },
  docLineFormat: {
    schema: `${doc(['@Foo:', '', `${'word '.repeat(14)}end`])}{ 'enum': 'Foo', 'data': [] }`,
    before: 'ok',
    with: 'main.json:4:1: this documentation line is 75 columns long; wrap it at 70',
  },
};

const previous = (v: QemuVersion): QemuVersion => QEMU_VERSIONS[QEMU_VERSIONS.indexOf(v) - 1]!;
const rules = Object.entries(LANGUAGE_RULES) as [LanguageRule, (typeof LANGUAGE_RULES)[LanguageRule]][];

describe.each(rules)('the rule %s', (name, rule) => {
  const c = RULE_CASES[name];
  const until = 'until' in rule ? rule.until : undefined;
  const inForce = QEMU_VERSIONS.filter((v) => LanguageLevel.of(v).has(name));

  it('is in force exactly from its release (up to the one that dropped it)', () => {
    const start = QEMU_VERSIONS.indexOf(rule.since);
    const end = until === undefined ? QEMU_VERSIONS.length : QEMU_VERSIONS.indexOf(until);
    expect(inForce).toEqual(QEMU_VERSIONS.slice(start, end));
  });

  it(`does not apply in ${previous(rule.since)}, the release before ${rule.since}`, () => {
    expect(outcome(c.schema, previous(rule.since), c.view)).toContain(c.before);
  });

  it.each(inForce)('applies in %s', (version) => {
    expect(outcome(c.schema, version, c.view)).toContain(c.with);
  });

});

const dropped = rules.flatMap(([name, rule]) => ('until' in rule ? [[name, rule.until] as const] : []));

describe.each(dropped)('the rule %s', (name, until) => {
  it(`no longer applies in ${until}`, () => {
    expect(outcome(RULE_CASES[name].schema, until, RULE_CASES[name].view)).toContain(RULE_CASES[name].before);
  });
});

describe('naming a release', () => {
  const accepted: [string, QemuVersion][] = [
    ['7.2', '7.2'],
    ['8.0', '8.0'],
    ['8.1', '8.1'],
    ['9.1', '9.1'],
    ['10.0', '10.0'],
    ['10.0.2', '10.0'],
    ['10.2', '10.2'],
  ];
  it.each(accepted)('reads %s as %s', (given, want) => {
    expect(parseQemuVersion(given)).toBe(want);
  });

  it.each(['1.3', '7.1', '8.3', '11.0', '10', 'latest', ''])('refuses %j', (given) => {
    expect(() => parseQemuVersion(given)).toThrow(LanguageSelectionError);
  });

  it('defaults to the newest release, and legacy means QEMU 1.3', () => {
    expect(selectLanguage({}).version).toBe('10.2');
    expect(selectLanguage({ legacy: true }).legacy).toBe(true);
    expect(() => selectLanguage({ legacy: true, qemuVersion: '8.2' })).toThrow(LanguageSelectionError);
  });
});

describe('the --qemu-version flag', () => {
  const verbs: [string, string[]][] = [
    ['check', ['check', 'main.json']],
    ['dump', ['dump', 'main.json']],
    ['generate', ['generate', 'main.json', '-o', 'out']],
    ['qmp', ['qmp', '--socket', 'none.sock', '--schema', 'main.json', 'ping']],
  ];
  it.each(verbs)('%s refuses an unknown release with a one-line usage error', async (_verb, args) => {
    const result = await runInProcess([...args, '--qemu-version', '8.3']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain("'8.3' is not a QEMU release whose language qapi-ts knows");
  });

  it.each(verbs)('%s refuses --legacy together with --qemu-version', async (_verb, args) => {
    const result = await runInProcess([...args, '--qemu-version', '8.2', '--legacy']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('choose one');
  });
});

describe('when another release accepts the schema', () => {
  const schema72 = `${doc(['@Foo:', '', 'Example: not any more'])}{ 'enum': 'Foo', 'data': [ 'a' ] }`;

  it('the errors end with a note naming the newest such release and its flag', () => {
    const result = loadMemory({ 'main.json': schema72 });
    expect(result.ok).toBe(false);
    // 9.1 and later refuse 'Example:', 9.0 wants 'a' documented.
    if (!result.ok) expect(result.errors[result.errors.length - 1]).toBe("accepted as QEMU 8.2's language: pass --qemu-version 8.2");
  });

  it('names --legacy for the 2012 dialect', () => {
    const result = loadMemory({ 'main.json': "{ 'type': 'Old', 'data': { 'a': 'int' } }" }, { qemuVersion: '8.2' });
    expect(result.ok ? '' : result.errors.at(-1)).toBe("accepted as QEMU 1.3's 2012 dialect: pass --legacy");
  });

  it('says nothing when no release accepts it', () => {
    const result = loadMemory({ 'main.json': "{ 'struct': 'Foo', 'data': { 'a': 'Nope' } }" });
    expect(result.ok ? [] : result.errors).toHaveLength(1);
  });

  it('says nothing when asked not to', () => {
    const result = loadMemory({ 'main.json': schema72 }, { suggestLanguage: false });
    expect(result.ok ? [] : result.errors).toHaveLength(1);
  });
});
