/**
 * Settings are declared once (generator/settings/table.ts): a setting's
 * entry gives its flag, its config key, its check and its default; flags
 * override the config file, which overrides the default, resolved in one
 * place.  A setting added to a table here gets all of that with no other
 * code; the real verbs declare no setting flag of their own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseConfigOf } from '../../generator/cli/config.js';
import { CliExit } from '../../generator/cli/io.js';
import { addSettingFlags, flagSettingsOf } from '../../generator/cli/settings-flags.js';
import { runCli } from '../../generator/cli/program.js';
import { choiceKind, switchKind } from '../../generator/settings/kinds.js';
import { defineSetting, resolveSettingsOf, SETTINGS } from '../../generator/settings/table.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

/** The real table, and one more setting as a change would add it: one entry. */
const TABLE = {
  ...SETTINGS,
  banner: defineSetting<'none' | 'short' | 'long'>({
    default: 'short',
    flag: '--banner',
    config: 'banner',
    kind: choiceKind('<size>', ['none', 'short', 'long']),
    help: 'how long a banner to write',
    group: 'typescript',
  }),
  loud: defineSetting({ default: false, flag: '--loud', config: 'loud', kind: switchKind(), help: 'shout', group: 'writer' }),
};

/** The settings a command line gives, through a verb built from the table. */
function flagsOf(args: readonly string[]) {
  const command = addSettingFlags(new Command('verb').exitOverride(), TABLE);
  command.parse([...args], { from: 'user' });
  return flagSettingsOf(TABLE, command);
}

const configOf = (text: string) => parseConfigOf(TABLE, text, '/p/qapi-ts.config.json').settings;

describe.each([
  { given: 'neither', args: [], config: '{}', want: { banner: 'short', loud: false } },
  { given: 'the config file', args: [], config: '{ "banner": "long", "loud": true }', want: { banner: 'long', loud: true } },
  { given: 'a flag', args: ['--banner', 'none', '--loud'], config: '{}', want: { banner: 'none', loud: true } },
  { given: 'both (the flag wins)', args: ['--banner', 'none'], config: '{ "banner": "long" }', want: { banner: 'none', loud: false } },
])('a setting added to the table, given by $given', ({ args, config, want }) => {
  it('resolves flags over config over its default', () => {
    const settings = resolveSettingsOf(TABLE, flagsOf(args), configOf(config));
    expect({ banner: settings.banner, loud: settings.loud }).toEqual(want);
    // The table's other settings keep their defaults.
    expect(settings.int64).toBe('bigint');
    expect(settings.target).toBe('js+dts');
  });
});

describe('a setting added to the table, given wrongly', () => {
  it('as a flag: a usage error naming the flag and the choices', () => {
    expect(() => flagsOf(['--banner', 'huge'])).toThrow(new CliExit(2, "qapi-ts: --banner 'huge': give one of none, short, long"));
  });

  it('in the config file: a usage error naming the file and the key', () => {
    expect(() => configOf('{ "banner": 3 }')).toThrow(`qapi-ts: /p/qapi-ts.config.json: 'banner' must be one of "none", "short", "long", not 3`);
  });

  it('appears in --help with its choices and default', () => {
    const command = addSettingFlags(new Command('verb'), TABLE);
    expect(command.helpInformation().replace(/\s+/g, ' ')).toContain('--banner <size> how long a banner to write: none, short, long (default short)');
  });
});

/** The long flags `qapi-ts VERB --help` lists. */
async function helpFlags(verb: string): Promise<string[]> {
  let out = '';
  const code = await runCli([verb, '--help'], { stdout: (t) => (out += t), stderr: (t) => (out += t) });
  expect(code).toBe(0);
  return [...out.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]!);
}

describe('the verbs', () => {
  const settingFlags = Object.values(SETTINGS).map((s) => s.flag);

  it("generate takes every setting's flag, and declares no other flag but its input's and its run's", async () => {
    const flags = await helpFlags('generate');
    expect(flags.filter((f) => settingFlags.includes(f)).sort()).toEqual([...settingFlags].sort());
    expect(flags.filter((f) => !settingFlags.includes(f)).sort()).toEqual(
      ['--backend', '--check', '--config', '--help', '--introspection', '--legacy', '--names-from', '--output', '--qemu', '--qemu-version', '--release', '--watch'].sort(),
    );
  });

  it("jsonschema takes the selection's flags", async () => {
    const flags = await helpFlags('jsonschema');
    const selection = Object.values(SETTINGS).filter((s) => s.group === 'selection').map((s) => s.flag);
    expect(selection.filter((f) => !flags.includes(f))).toEqual([]);
  });

  it("docs/cli.md lists every setting's flag and config key", () => {
    const page = readFileSync(join(PROJECT_ROOT, 'docs', 'cli.md'), 'utf8');
    for (const s of Object.values(SETTINGS)) {
      expect(page, s.flag).toMatch(new RegExp(`^\\| \`${s.flag}[ \`]`, 'm'));
      expect(page, s.config).toContain(`\`${s.config}\``);
    }
  });
});
