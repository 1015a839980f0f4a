/**
 * How each kind of setting value is given: as a value in
 * qapi-ts.config.json (checked, with what it must be in words for the
 * error naming the key) and as a command-line flag (a switch, a value, or a
 * repeatable list).  The settings table (table.ts) builds each setting from
 * one of these; the CLI turns the flag forms into options.
 */

/** A flag's or a config value's text that is not a valid value; the
 *  message says what to give ("give one of ...", for the flag). */
export class SettingValueError extends Error {
  override readonly name = 'SettingValueError';
}

/** How a setting is given on the command line. */
export type FlagForm<T> =
  /** `--format`: present or not; present gives `value`. */
  | { readonly form: 'switch'; readonly value: T }
  /** `--int64 <mode>`: one value, read by `parse` (which throws SettingValueError);
   *  `choices`, when the value is one of a list (the help lists them). */
  | { readonly form: 'value'; readonly placeholder: string; readonly choices?: readonly string[]; parse(text: string): T }
  /** `--if <symbol>`: one value a flag, repeatable, each a comma-separated
   *  list of `what` (so a flag never takes the positional argument after it). */
  | { readonly form: 'list'; readonly placeholder: string; readonly what: string };

/** How a setting is given in the config file. */
export interface ConfigForm<T> {
  /** What a valid value is, in words: `'int64' must be ${expected}`. */
  readonly expected: string;
  /** Whether a config value is a valid one. */
  accepts(value: unknown): boolean;
  /** The setting's value for a valid config value. */
  read(value: unknown): T;
}

export interface ValueKind<T> {
  readonly flag: FlagForm<T>;
  readonly config: ConfigForm<T>;
}

const quoted = (values: readonly string[]): string => values.map((v) => JSON.stringify(v)).join(values.length === 2 ? ' or ' : ', ');

/** A boolean: a switch on the command line (`--format`), true or false in the file. */
export function switchKind(): ValueKind<boolean> {
  return {
    flag: { form: 'switch', value: true },
    config: { expected: 'true or false', accepts: (v) => typeof v === 'boolean', read: (v) => v as boolean },
  };
}

/** A boolean whose flag and config key say the opposite of the setting:
 *  `--no-unstable` and `"unstable": false` both mean `noUnstable`. */
export function negatedSwitchKind(): ValueKind<boolean> {
  return {
    flag: { form: 'switch', value: true },
    config: { expected: 'true or false', accepts: (v) => typeof v === 'boolean', read: (v) => !(v as boolean) },
  };
}

/** One of a fixed list of strings. */
export function choiceKind<T extends string>(placeholder: string, choices: readonly T[]): ValueKind<T> {
  const isChoice = (v: unknown): v is T => typeof v === 'string' && (choices as readonly string[]).includes(v);
  return {
    flag: {
      form: 'value',
      placeholder,
      choices,
      parse: (text) => {
        if (isChoice(text)) return text;
        throw new SettingValueError(`give one of ${choices.join(', ')}`);
      },
    },
    config: { expected: choices.length === 2 ? quoted(choices) : `one of ${quoted(choices)}`, accepts: isChoice, read: (v) => v as T },
  };
}

/** Any non-empty string. */
export function stringKind(placeholder: string): ValueKind<string> {
  return {
    flag: {
      form: 'value',
      placeholder,
      parse: (text) => {
        if (text !== '') return text;
        throw new SettingValueError('give a non-empty string');
      },
    },
    config: { expected: 'a non-empty string', accepts: (v) => typeof v === 'string' && v !== '', read: (v) => v as string },
  };
}

/** A list of names; absent (undefined) is its own value ("no list given"). */
export function listKind(placeholder: string, what: string): ValueKind<readonly string[] | undefined> {
  return {
    flag: { form: 'list', placeholder, what },
    config: {
      expected: 'an array of non-empty strings',
      accepts: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string' && x !== ''),
      read: (v) => v as readonly string[],
    },
  };
}
