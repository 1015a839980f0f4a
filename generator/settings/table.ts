/**
 * Every setting of an output run, declared once: its default, its key in
 * qapi-ts.config.json, its command-line flag, and who reads it.  Flags
 * override the config file, which overrides the defaults; that is resolved
 * here (resolveSettings), once, and every backend receives complete
 * Settings.  Adding a setting is one entry below plus the code that reads
 * it: the CLI makes its flag from the entry, the config file accepts and
 * checks its key, and docs/cli.md's tables are checked against it.
 */
import { INT64_MODES, type Int64Mode } from 'qapi-ts-runtime/type-rules';
import { choiceKind, listKind, negatedSwitchKind, stringKind, switchKind, type ValueKind } from './kinds.js';

/** Who reads a setting: the selection every backend shares, one backend,
 *  or the CLI's writer. */
export type SettingGroup = 'selection' | 'typescript' | 'writer';

/** The groups that belong to one backend (Backend.reads names them). */
export type BackendSettingGroup = Exclude<SettingGroup, 'selection' | 'writer'>;

export interface Setting<T> {
  readonly default: T;
  /** The flag, e.g. `--int64`. */
  readonly flag: string;
  /** The key in qapi-ts.config.json. */
  readonly config: string;
  readonly kind: ValueKind<T>;
  /** One line for `--help` (the choices and the default are added to it for a choice). */
  readonly help: string;
  readonly group: SettingGroup;
}

/** Declares a setting (the identity; it lets TypeScript infer T). */
export function defineSetting<T>(s: Setting<T>): Setting<T> {
  return s;
}

/** What the TypeScript backend writes. */
const OUTPUT_TARGETS = ['ts', 'js+dts'] as const;
export type OutputTarget = (typeof OUTPUT_TARGETS)[number];

export const SETTINGS = {
  ifSymbols: defineSetting({
    default: undefined,
    flag: '--if',
    config: 'if',
    kind: listKind('<symbol>', 'configuration symbols'),
    help: 'keep only what this configuration symbol enables; repeat the flag or list symbols with commas (default: keep everything)',
    group: 'selection',
  }),
  only: defineSetting({
    default: undefined,
    flag: '--only',
    config: 'only',
    kind: listKind('<name>', 'command and event names'),
    help: 'emit only this command or event and the types it reaches; repeat the flag or list names with commas (default: everything)',
    group: 'selection',
  }),
  noUnstable: defineSetting({
    default: false,
    flag: '--no-unstable',
    config: 'unstable',
    kind: negatedSwitchKind(),
    help: "drop what has the 'unstable' feature",
    group: 'selection',
  }),
  target: defineSetting<OutputTarget>({
    // JavaScript and its declarations: see docs/using.md, "Targets".
    default: 'js+dts',
    flag: '--target',
    config: 'target',
    kind: choiceKind('<target>', OUTPUT_TARGETS),
    help: 'what to write',
    group: 'typescript',
  }),
  runtime: defineSetting({
    default: 'qapi-ts-runtime',
    flag: '--runtime',
    config: 'runtimeImport',
    kind: stringKind('<specifier>'),
    help: "module the bindings import the QMP runtime from (default 'qapi-ts-runtime')",
    group: 'typescript',
  }),
  int64: defineSetting<Int64Mode>({
    // Exact for every value QEMU sends, and one type for each such member,
    // so the compiler, not a run-time failure, points at every place that
    // mixes it with a number (docs/bindings.md: 64-bit integers).
    default: 'bigint',
    flag: '--int64',
    config: 'int64',
    kind: choiceKind('<mode>', INT64_MODES),
    help: 'how 64-bit integers are typed and read',
    group: 'typescript',
  }),
  format: defineSetting({
    default: false,
    flag: '--format',
    config: 'format',
    kind: switchKind(),
    help: 'run prettier over the output with your own prettier configuration (prettier must be installed)',
    group: 'writer',
  }),
  symlink: defineSetting({
    default: false,
    flag: '--symlink',
    config: 'symlink',
    kind: switchKind(),
    help: 'keep the output directory a symbolic link to the current set of files, replaced in one step (readers never find it missing)',
    group: 'writer',
  }),
};

/** A table of settings: SETTINGS, or (in a test) one with more entries. */
export type SettingsTable = Readonly<Record<string, Setting<unknown>>>;

/** The value of each setting of a table. */
export type SettingsOf<Table extends SettingsTable> = { readonly [K in keyof Table]: Table[K] extends Setting<infer T> ? T : never };

/** Every setting, each with its value: what backends receive. */
export type Settings = SettingsOf<typeof SETTINGS>;

/**
 * Complete settings of a table: each from the flags when given, else from
 * the config file, else its default.  Undefined means "not given" in both.
 */
export function resolveSettingsOf<Table extends SettingsTable>(
  table: Table,
  flags: Partial<SettingsOf<Table>>,
  config: Partial<SettingsOf<Table>>,
): SettingsOf<Table> {
  const out: Record<string, unknown> = {};
  const given = (from: Partial<Record<string, unknown>>, name: string): unknown => from[name];
  for (const [name, s] of Object.entries(table)) out[name] = given(flags, name) ?? given(config, name) ?? s.default;
  return out as SettingsOf<Table>;
}

/** Complete settings: flags over the config file over the defaults. */
export function resolveSettings(flags: Partial<Settings>, config: Partial<Settings>): Settings {
  return resolveSettingsOf(SETTINGS, flags, config);
}

/** Settings as the library takes them: any left out get their defaults. */
export function completeSettings(given: Partial<Settings> = {}): Settings {
  return resolveSettings(given, {});
}
