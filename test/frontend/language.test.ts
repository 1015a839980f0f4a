/**
 * The language by QEMU release: every rule of the table holds exactly for
 * the releases it states (the 2012 dialect's rules only for QEMU 1.3), and
 * is checked at the releases around its bounds and at every release it
 * holds for; the versions users may name (a release newer than the table
 * is read in the newest language, with a warning); the flags that select
 * one; and the note naming the other releases whose language accepts a
 * schema the selected one rejects.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoadedSchema } from '../../generator/frontend.js';
import type { EnumType, QapiType } from '../../generator/model/types.js';
import {
  DEFAULT_QEMU_RELEASE,
  describeLanguageHint,
  LANGUAGE_RULES,
  LanguageLevel,
  LanguageSelectionError,
  parseQemuVersion,
  QEMU_RELEASES,
  releaseFlags,
  releaseOptions,
  ruleReleases,
  selectLanguage,
  VERSIONED_RELEASES,
  type LanguageRule,
  type QemuRelease,
} from '../../generator/source/language.js';
import { runInProcess } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { loadMemory } from '../helpers/memory-schema.js';
import { scratchFolders } from '../helpers/scratch.js';

const newerFolder = scratchFolders('qapi-ts-newer-');

/** What a schema amounts to at one release: 'ok', or its first error line. */
type View = (loaded: LoadedSchema) => string;

function outcome(text: string, release: QemuRelease, view?: View): string {
  const result = loadMemory({ 'main.json': text }, { ...releaseOptions(release), suggestLanguage: false });
  if (!result.ok) return result.errors[0]!.split('\n').find((l) => /^main\.json:\d+:\d+: /.test(l)) ?? result.errors[0]!;
  return view ? view(result.loaded) : 'ok';
}

const warnings: View = ({ warnings: found }) => found.map((w) => w.message).join(' | ');
const fooDoc = (loaded: LoadedSchema) => (loaded.model.lookupEntity('Foo') as QapiType).doc!;

// With 'deprecated' and 'unstable', 64 features.
const features = Array.from({ length: 62 }, (_, i) => `'f${i}'`).join(', ');
const doc = (lines: string[]): string => `##\n${lines.map((l) => (l === '' ? '#' : `# ${l}`)).join('\n')}\n##\n`;

/** For each rule: a schema, and how it comes out where the rule holds and
 *  where it does not. */
const RULE_CASES: Record<LanguageRule, { schema: string; view?: View; without: string; with: string }> = {
  typeKeyForStruct: {
    schema: "{ 'type': 'Old', 'data': { 'a': 'int' } }",
    without: 'main.json:1:1: a definition needs exactly one of the keys',
    with: 'ok',
  },
  simpleUnions: {
    schema: "{ 'struct': 'Aa', 'data': {} }\n{ 'union': 'Uu', 'data': { 'a': 'Aa' } }",
    without: "main.json:2:1: union needs the keys 'base', 'discriminator'",
    with: 'ok',
  },
  anonymousStructs: {
    schema: "{ 'command': 'go', 'data': { 'a': { 'b': 'int' } } }",
    without: "main.json:1:1: 'data' member 'a' needs the key 'type'",
    with: 'ok',
  },
  genNo: {
    schema: "{ 'command': 'go', 'gen': 'no' }",
    without: "main.json:1:1: 'gen' can only be set to false",
    with: 'ok',
  },
  starStarAndVisitorTypes: {
    schema: "{ 'command': 'go', 'data': { 'a': 'visitor', 'b': '**' } }",
    without: "main.json:1:1: parameter 'a' refers to the type 'visitor', which is not defined",
    with: 'ok',
  },
  anyReturnType: {
    schema: "{ 'command': 'go', 'returns': 'int' }",
    without: "main.json:1:1: a command may not return built-in type 'int'",
    with: 'ok',
  },
  underscoredNames: {
    schema: "{ 'command': 'go_now', 'data': { 'Some_Arg': 'int' } }\n{ 'enum': 'Ee', 'data': [ 'One_Value' ] }",
    without: 'main.json:1:1: the name of command must be in lower case',
    with: 'ok',
  },
  unknownDocMembersWarn: {
    schema: `${doc(['@Foo:', '', '@b: nope'])}{ 'enum': 'Foo', 'data': [ 'a' ] }`,
    view: warnings,
    without: "main.json:1:1: the comment describes member 'b' that 'Foo' does not have",
    with: "the comment describes member 'b' that 'Foo' does not have (accepted in QEMU 1.3's 2012 dialect)",
  },
  docSymbolWithoutColon: {
    schema: `${doc(['@Foo'])}{ 'enum': 'Foo', 'data': [] }`,
    without: "main.json:2:1: a definition's documentation starts with '@NAME:', and this line lacks the colon",
    with: 'ok',
  },
  optionalMarkers: {
    schema: `${doc(['@Foo:', '', '@a: #optional the a'])}{ 'struct': 'Foo', 'data': { '*a': 'int' } }`,
    view: (loaded) => JSON.stringify(fooDoc(loaded).args.map((a) => [a.text, a.markedOptional])),
    without: '[["#optional the a",false]]',
    with: '[["the a",true]]',
  },
  sinceWithoutColon: {
    schema: `${doc(['@Foo:', '', 'Since 1.3'])}{ 'enum': 'Foo', 'data': [] }`,
    view: (loaded) => JSON.stringify(fooDoc(loaded).sections.map((s) => [s.name, s.text])),
    without: '[]',
    with: '[["Since","1.3"]]',
  },
  unalignedDocText: {
    schema: `${doc(['@Foo:', '', '@a: one', 'two'])}{ 'enum': 'Foo', 'data': [ 'a' ] }`,
    without: 'main.json:5:1: this line is indented less than the text it continues',
    with: 'ok',
  },
  memberParagraphs: {
    schema: `${doc(['@Foo:', '', '@a: one', '', 'two'])}{ 'enum': 'Foo', 'data': [ 'a' ] }`,
    view: (loaded) => JSON.stringify([fooDoc(loaded).args[0]!.text, fooDoc(loaded).sections.map((s) => s.text)]),
    without: '["one",["two"]]',
    with: '["one\\n\\ntwo",[]]',
  },
  missingCommaSlip: {
    schema: "{ 'enum': 'Ee'\n  'data': [ 'a' ] }",
    view: warnings,
    without: "main.json:2:3: expected ',' or '}'",
    with: "missing ',' between object members (accepted in QEMU 1.3's 2012 dialect)",
  },
  trailingCommaSlip: {
    schema: "{ 'enum': 'Ee', 'data': [ 'a', ] }",
    view: warnings,
    without: "main.json:1:32: expected '{', '[', string or boolean, found ']'",
    with: "trailing comma before closing bracket (accepted in QEMU 1.3's 2012 dialect)",
  },
  unopenedDocSlip: {
    schema: "# @Foo\n##\n{ 'enum': 'Foo', 'data': [] }",
    view: warnings,
    without: 'main.json:3:1: this documentation comment is not closed',
    with: "documentation comment lacks its opening '##' (accepted in QEMU 1.3's 2012 dialect)",
  },
  looseDocIndentation: {
    schema: `${doc(['@Foo:', '', '@a: one', '  two'])}{ 'enum': 'Foo', 'data': [ 'a' ] }`,
    without: 'main.json:5:1: this line is indented less than the text it continues',
    with: 'ok',
  },
  boxedConditionalArguments: {
    schema: "{ 'struct': 'Args', 'data': { 'a': { 'type': 'int', 'if': 'CONFIG_A' } } }\n{ 'command': 'go', 'data': 'Args' }",
    without: 'ok',
    with: "main.json:2:1: conditional command arguments need 'boxed': true",
  },
  unionBranchesMayBeUnions: {
    schema:
      "{ 'enum': 'Kind', 'data': [ 'a' ] }\n{ 'struct': 'Stuff', 'data': {} }\n" +
      "{ 'union': 'Inner', 'base': { 'k': 'Kind' }, 'discriminator': 'k', 'data': { 'a': 'Stuff' } }\n" +
      "{ 'union': 'Outer', 'base': { 't': 'Kind' }, 'discriminator': 't', 'data': { 'a': 'Inner' } }",
    without: "main.json:4:1: branch 'a' has union type 'Inner', but union branches must be struct types",
    with: 'ok',
  },
  paragraphDocComments: {
    schema: `${doc(['@Foo:'])}{ 'enum': 'Foo', 'data': [ 'a' ] }`,
    without: 'ok',
    with: "main.json:4:1: the value 'a' is not documented",
  },
  commentAfterDocIsDoc: {
    schema: `${doc(['@Foo:'])}# a plain comment\n{ 'enum': 'Foo', 'data': [] }`,
    without: 'ok',
    with: "main.json:1:1: the comment documenting 'Foo' must be followed directly by that definition",
  },
  rstDirectives: {
    schema: `${doc(['@Foo:', '', 'Note: not this way'])}{ 'enum': 'Foo', 'data': [] }`,
    without: 'ok',
    with: "main.json:4:1: 'Note:' sections are no longer part of the language",
  },
  docKeepsIndentation: {
    schema: `${doc(['@Foo:', '', '@a: one', '    two', '    three'])}{ 'enum': 'Foo', 'data': [ 'a' ] }`,
    view: (loaded) => JSON.stringify(fooDoc(loaded).args[0]?.text),
    without: '"one\\ntwo\\nthree"',
    with: '"one\\n    two\\n    three"',
  },
  qtypeWithoutPrefix: {
    schema: "{ 'enum': 'Foo', 'data': [] }",
    view: ({ model }) => String((model.lookupType('QType') as EnumType).prefix),
    without: 'QTYPE',
    with: 'null',
  },
  featureLimit: {
    schema: `{ 'command': 'go', 'features': [ ${features} ] }\n{ 'command': 'went', 'features': [ 'one-more' ] }`,
    without: 'ok',
    with: "main.json:2:1: the schema uses more than 64 distinct features, the most QEMU allows; 'one-more' is one too many",
  },
  headingsAnywhere: {
    schema: `${doc(['@Foo:', '', '= Not a heading here'])}{ 'enum': 'Foo', 'data': [] }`,
    without: "main.json:4:1: headings ('=') belong in free-form documentation",
    with: 'ok',
  },
  docLineFormat: {
    schema: `${doc(['@Foo:', '', `${'word '.repeat(14)}end`])}{ 'enum': 'Foo', 'data': [] }`,
    without: 'ok',
    with: 'main.json:4:1: this documentation line is 75 columns long; wrap it at 70',
  },
};

const rules = Object.keys(LANGUAGE_RULES) as LanguageRule[];

describe.each(rules)('the rule %s', (name) => {
  const spec: { since: QemuRelease; until?: QemuRelease } = LANGUAGE_RULES[name];
  const c = RULE_CASES[name];
  const holds = ruleReleases(name);
  const start = QEMU_RELEASES.indexOf(spec.since);
  const end = spec.until === undefined ? QEMU_RELEASES.length : QEMU_RELEASES.indexOf(spec.until);
  // The releases just outside the rule's span, where it must not hold.
  const outside = [QEMU_RELEASES[start - 1], QEMU_RELEASES[end]].filter((r): r is QemuRelease => r !== undefined);

  it('holds exactly from its release (up to the one that dropped it)', () => {
    expect(holds).toEqual(QEMU_RELEASES.slice(start, end));
    expect(QEMU_RELEASES.filter((r) => LanguageLevel.of(r).has(name))).toEqual(holds);
  });

  it('has releases outside its span to be checked against', () => {
    expect(outside.length).toBeGreaterThan(0);
  });

  it.each(outside)('does not apply in %s', (release) => {
    expect(outcome(c.schema, release, c.view)).toContain(c.without);
  });

  it.each(holds)('applies in %s', (release) => {
    expect(outcome(c.schema, release, c.view)).toContain(c.with);
  });
});

describe('naming a release', () => {
  const accepted: [string, QemuRelease][] = [
    ['7.2', '7.2'],
    ['8.0', '8.0'],
    ['8.1', '8.1'],
    ['9.1', '9.1'],
    ['10.0', '10.0'],
    ['10.0.2', '10.0'],
    ['10.2', '10.2'],
  ];
  it.each(accepted)('reads %s as %s', (given, want) => {
    expect(parseQemuVersion(given)).toEqual({ release: want, warning: null });
  });

  it.each([
    ['1.3', "QEMU 1.3's 2012 dialect is selected with --legacy"],
    ['7.1', 'QEMU 7.1 is older than any release whose language qapi-ts knows: it knows 7.2 to 10.2'],
    ['6.2.0', 'QEMU 6.2 is older than any release'],
    ['8.3', "'8.3' is not a QEMU release whose language qapi-ts knows"],
    ['10', "'10' is not a QEMU release"],
    ['latest', "'latest' is not a QEMU release"],
    ['', "'' is not a QEMU release"],
  ])('refuses %j', (given, message) => {
    expect(() => parseQemuVersion(given)).toThrow(LanguageSelectionError);
    expect(() => parseQemuVersion(given)).toThrow(message);
  });

  it.each([
    ['11.0', '11.0'],
    ['11.1', '11.1'],
    ['11.1.3', '11.1'],
    ['10.3', '10.3'],
  ])('reads %s, newer than the table, in the newest language with a warning naming both', (given, named) => {
    const { release, warning } = parseQemuVersion(given);
    expect(release).toBe(DEFAULT_QEMU_RELEASE);
    expect(warning).toContain(`QEMU ${named} is newer than the newest release whose language qapi-ts knows (${DEFAULT_QEMU_RELEASE})`);
    expect(warning).toContain(`reading the schema in QEMU ${DEFAULT_QEMU_RELEASE}'s language`);
  });

  it('defaults to the newest release, and legacy means QEMU 1.3', () => {
    expect(selectLanguage({})).toEqual({ level: LanguageLevel.of(DEFAULT_QEMU_RELEASE), warning: null });
    expect(selectLanguage({ legacy: true }).level.release).toBe('1.3');
    expect(selectLanguage({ qemuVersion: '11.1' }).level.release).toBe(DEFAULT_QEMU_RELEASE);
    expect(() => selectLanguage({ legacy: true, qemuVersion: '8.2' })).toThrow(LanguageSelectionError);
  });
});

describe("a release's flags and options", () => {
  it.each(QEMU_RELEASES)('%s: the flags select it, and so do the options', (release) => {
    const flags = releaseFlags(release);
    const asOptions = flags[0] === '--legacy' ? { legacy: true } : { qemuVersion: flags[1] };
    expect(flags).toHaveLength(flags[0] === '--legacy' ? 1 : 2);
    expect(selectLanguage(asOptions).level.release).toBe(release);
    expect(selectLanguage(releaseOptions(release)).level.release).toBe(release);
    expect(LanguageLevel.of(release).flag()).toBe(flags.join(' '));
  });

  it('--qemu-version names every release but 1.3, which --legacy names', () => {
    expect(VERSIONED_RELEASES).toEqual(QEMU_RELEASES.filter((r) => r !== '1.3'));
    expect(releaseFlags('1.3')).toEqual(['--legacy']);
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

  it.each(verbs)('%s refuses a release older than 7.2 with a one-line usage error', async (_verb, args) => {
    const result = await runInProcess([...args, '--qemu-version', '6.2']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('QEMU 6.2 is older than any release whose language qapi-ts knows');
  });
});

describe('a release newer than the table', () => {
  const schema = "{ 'enum': 'Foo', 'data': [ 'a' ] }";

  it('is read in the newest language, and the warning comes with the schema', () => {
    const result = loadMemory({ 'main.json': schema }, { qemuVersion: '11.1' });
    expect(result.ok && result.loaded.level.release).toBe(DEFAULT_QEMU_RELEASE);
    expect(result.ok && result.loaded.warnings.map((w) => [w.severity, w.location, w.message])).toEqual([
      ['warning', undefined, expect.stringContaining('QEMU 11.1 is newer than the newest release')],
    ]);
  });

  it('keeps the warning when the schema fails', () => {
    const result = loadMemory({ 'main.json': "{ 'enum': 'foo', 'data': [] }" }, { qemuVersion: '11.1' });
    expect(!result.ok && result.error.warnings.map((w) => w.message)).toEqual([expect.stringContaining('QEMU 11.1 is newer')]);
  });

  it('check runs, warning on stderr and exit 0', async () => {
    const dir = newerFolder();
    const file = `${dir}/main.json`;
    (await import('node:fs')).writeFileSync(file, schema);
    const result = await runInProcess(['check', file, '--qemu-version', '11.1']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `warning: QEMU 11.1 is newer than the newest release whose language qapi-ts knows (${DEFAULT_QEMU_RELEASE}): reading the schema in QEMU ${DEFAULT_QEMU_RELEASE}'s language, which may miss what 11.1 changed\n`,
    );
  });
});

describe('when other releases accept the schema', () => {
  /** 9.1 and later refuse 'Example:', 9.0 wants 'a' documented. */
  const schema72 = `${doc(['@Foo:', '', 'Example: not any more'])}{ 'enum': 'Foo', 'data': [ 'a' ] }`;

  it('the errors end with a note naming the newest run of them as a range, and the flag of its newest', () => {
    const result = loadMemory({ 'main.json': schema72 });
    expect(result.ok ? '' : result.errors.at(-1)).toBe('accepted by the language of QEMU 7.2 to 8.2: pass --qemu-version 8.2');
    expect(result.ok ? null : result.error.languageHint).toEqual({ accepting: ['7.2', '8.0', '8.1', '8.2'], suggested: '8.2' });
  });

  it('names a single release without a range', () => {
    // A heading inside a definition's comment needs 10.1; the long line
    // fails 10.2.
    const text = `${doc(['@Foo:', '', '= Heading', '', `${'word '.repeat(14)}end`])}{ 'enum': 'Foo', 'data': [] }`;
    const result = loadMemory({ 'main.json': text }, { qemuVersion: '10.2' });
    expect(result.ok ? '' : result.errors.at(-1)).toBe('accepted by the language of QEMU 10.1: pass --qemu-version 10.1');
    expect(result.ok ? null : result.error.languageHint).toEqual({ accepting: ['10.1'], suggested: '10.1' });
  });

  it('names --legacy for the 2012 dialect', () => {
    const result = loadMemory({ 'main.json': "{ 'type': 'Old', 'data': { 'a': 'int' } }" }, { qemuVersion: '8.2' });
    expect(result.ok ? '' : result.errors.at(-1)).toBe("accepted by QEMU 1.3's 2012 dialect: pass --legacy");
    expect(result.ok ? null : result.error.languageHint).toEqual({ accepting: ['1.3'], suggested: '1.3' });
  });

  it('a run is cut by the release that failed', () => {
    // Accepted everywhere but in 9.0, which reads the comment as a doc comment.
    const text = `${doc(['@Foo:'])}# a plain comment\n{ 'enum': 'Foo', 'data': [] }`;
    const result = loadMemory({ 'main.json': text }, { qemuVersion: '9.0' });
    expect(result.ok ? null : result.error.languageHint).toEqual({ accepting: ['9.1', '9.2', '10.0', '10.1', '10.2'], suggested: '10.2' });
  });

  it('the flag is rendered by the caller where it differs', () => {
    expect(describeLanguageHint({ accepting: ['10.0', '10.1'], suggested: '10.1' }, (r) => `--old-qemu-version ${r}`)).toBe(
      'accepted by the language of QEMU 10.0 to 10.1: pass --old-qemu-version 10.1',
    );
  });

  it('says nothing when no release accepts it', () => {
    const result = loadMemory({ 'main.json': "{ 'struct': 'Foo', 'data': { 'a': 'Nope' } }" });
    expect(result.ok ? [] : result.errors).toHaveLength(1);
    expect(result.ok ? null : result.error.languageHint).toBeUndefined();
  });

  it('says nothing when asked not to', () => {
    const result = loadMemory({ 'main.json': schema72 }, { suggestLanguage: false });
    expect(result.ok ? [] : result.errors).toHaveLength(1);
  });
});

/** The rule table of docs/language.md, as the language table says it. */
function ruleTable(): string {
  const rows = rules.map((name) => {
    const spec: { since: QemuRelease; until?: QemuRelease; what: string } = LANGUAGE_RULES[name];
    const holds = ruleReleases(name);
    const when =
      spec.until === undefined ? `from ${spec.since}` : holds.length === 1 ? `${spec.since} only` : `${holds[0]} to ${holds.at(-1)}`;
    return `| ${when} | \`${name}\` | ${spec.what} |`;
  });
  return ['| releases | rule | what it says |', '| --- | --- | --- |', ...rows].join('\n');
}

describe('docs/language.md', () => {
  it("holds the language table's rules, each with its releases and text (on failure, paste the table printed here)", () => {
    const page = readFileSync(join(PROJECT_ROOT, 'docs', 'language.md'), 'utf8');
    const start = page.indexOf('| releases | rule | what it says |');
    expect(start).toBeGreaterThan(-1);
    const end = page.indexOf('\n\n', start);
    expect(page.slice(start, end)).toBe(ruleTable());
  });
});
