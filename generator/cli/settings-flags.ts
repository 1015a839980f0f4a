/**
 * The settings table (settings/table.ts) as command-line flags: each
 * setting's flag added to a verb, and the settings this run's flags give.
 * Nothing here names a setting: a new entry in the table is a new flag.
 */
import { Option, type Command } from 'commander';
import type { BackendInfo } from '../backends/built-in.js';
import { SettingValueError } from '../settings/kinds.js';
import { SETTINGS, type Setting, type Settings, type SettingsOf, type SettingsTable } from '../settings/table.js';
import { CliExit, EXIT } from './io.js';

/** `--if A --if B,C`: one flag takes one value (so it never swallows the
 *  schema argument), repeatable, each a comma-separated list. */
function listCollector(flag: string, what: string): (value: string, previous: string[] | undefined) => string[] {
  return (value, previous) => {
    const items = value.split(',').map((s) => s.trim());
    if (items.some((s) => s === '')) throw new CliExit(EXIT.usage, `qapi-ts: ${flag} '${value}': give ${what} separated by commas`);
    return [...(previous ?? []), ...items];
  };
}

function optionOf(s: Setting<unknown>): Option {
  const f = s.kind.flag;
  switch (f.form) {
    case 'switch':
      return new Option(s.flag, s.help);
    case 'value':
      return new Option(`${s.flag} ${f.placeholder}`, f.choices ? `${s.help}: ${f.choices.join(', ')} (default ${String(s.default)})` : s.help);
    case 'list':
      return new Option(`${s.flag} ${f.placeholder}`, s.help).argParser(listCollector(s.flag, f.what));
  }
}

/** Adds the flag of every setting of `table` to a verb. */
export function addSettingFlags(command: Command, table: SettingsTable = SETTINGS): Command {
  for (const s of Object.values(table)) command.addOption(optionOf(s));
  return command;
}

/**
 * Refuses a flag of a backend's group (say `--int64`, the TypeScript
 * backend's) given on the command line with a backend that does not read
 * it.  The config file may hold them: one file serves every backend.
 */
export function refuseUnreadFlags(command: Command, backend: BackendInfo): void {
  for (const s of Object.values(SETTINGS) as Setting<unknown>[]) {
    if (s.group === 'selection' || s.group === 'writer' || backend.reads.includes(s.group)) continue;
    if (command.getOptionValueSource(optionOf(s).attributeName()) !== 'cli') continue;
    throw new CliExit(EXIT.usage, `qapi-ts: ${s.flag} is a setting of the ${s.group} backend; --backend ${backend.name} does not read it`);
  }
}

/** The settings this run's flags give (only those given on the command line). */
export function flagSettings(command: Command): Partial<Settings> {
  return flagSettingsOf(SETTINGS, command);
}

/** The settings of `table` this run's flags give. */
export function flagSettingsOf<Table extends SettingsTable>(table: Table, command: Command): Partial<SettingsOf<Table>> {
  const given: Record<string, unknown> = {};
  const values = command.opts<Record<string, unknown>>();
  for (const [name, s] of Object.entries(table)) {
    const attribute = optionOf(s).attributeName();
    if (command.getOptionValueSource(attribute) !== 'cli') continue;
    const value = values[attribute];
    const f = s.kind.flag;
    switch (f.form) {
      case 'switch':
        given[name] = f.value;
        break;
      case 'list':
        given[name] = value;
        break;
      case 'value':
        try {
          given[name] = f.parse(String(value));
        } catch (e) {
          if (e instanceof SettingValueError) throw new CliExit(EXIT.usage, `qapi-ts: ${s.flag} '${String(value)}': ${e.message}`);
          throw e;
        }
    }
  }
  return given as Partial<SettingsOf<Table>>;
}
