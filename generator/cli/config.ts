/**
 * The project config file, `qapi-ts.config.json`, so that a consumer's
 * build script is just `qapi-ts generate`.  Every key is checked: an unknown
 * key or a value of the wrong type is a usage error naming the file and key.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { checkInputFile, readInputFile } from '../input/input-file.js';
import { InputError } from '../input/source.js';
import { SchemaFileError } from '../source/files.js';
import { JsonTextError, parseJsonText } from '../source/json-text.js';
import { DEFAULT_QEMU_RELEASE, LanguageSelectionError, parseQemuVersion, VERSIONED_RELEASES } from '../source/language.js';
import { EMBEDDED_SCHEMA_LEGACY, embeddedSchemaPath } from '../embedded-schema.js';
import { SETTINGS, type Settings, type SettingsOf, type SettingsTable } from '../settings/table.js';
import { CliExit, EXIT } from './io.js';
import { checkLanguageFlags, type LanguageFlags } from './language.js';

const CONFIG_FILE = 'qapi-ts.config.json';

/** What a config file may set; command-line flags override each. */
export interface GenerateConfig<S = Settings> {
  /** Root schema file(s), relative to the config file; absent: the embedded default schema. */
  readonly schema?: readonly string[];
  /** Output directory, relative to the config file. */
  readonly output?: string;
  readonly legacy?: boolean;
  /** The QEMU release whose schema language to read, 'X.Y'. */
  readonly qemuVersion?: string;
  /** Bindings that span releases: each release ('X.Y') and its schema or
   *  captured reply, relative to the config file. */
  readonly releases?: Readonly<Record<string, string>>;
  /** The settings (settings/table.ts) the file sets, by the setting's name. */
  readonly settings: Partial<S>;
}

type Check = (value: unknown) => string | null;

const isString: Check = (v) => (typeof v === 'string' && v !== '' ? null : 'a non-empty string');
const isBoolean: Check = (v) => (typeof v === 'boolean' ? null : 'true or false');
const isStringList: Check = (v) =>
  Array.isArray(v) && v.every((x) => typeof x === 'string' && x !== '') ? null : 'an array of non-empty strings';
const isSchema: Check = (v) => (isString(v) === null || isStringList(v) === null ? null : 'a file name or an array of them');
const isQemuVersion: Check = (v) => {
  try {
    if (typeof v === 'string') parseQemuVersion(v);
    return typeof v === 'string' ? null : 'a QEMU release, "X.Y"';
  } catch (e) {
    if (!(e instanceof LanguageSelectionError)) throw e;
    return `a QEMU release whose language qapi-ts knows, "${VERSIONED_RELEASES[0]}" to "${DEFAULT_QEMU_RELEASE}" (or newer)`;
  }
};

const isReleases: Check = (v) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0 && Object.values(v).every((f) => typeof f === 'string' && f !== '')
    ? null
    : 'an object of releases and their files ({ "7.2": "qemu-7.2/qapi/qapi-schema.json" })';

/** The keys that say what to read and where to write; every other key is a setting's. */
const INPUT_KEYS: Record<'schema' | 'output' | 'legacy' | 'qemuVersion' | 'releases', Check> = {
  schema: isSchema,
  output: isString,
  legacy: isBoolean,
  qemuVersion: isQemuVersion,
  releases: isReleases,
};

/** Parses and checks a config file's text; paths become absolute. */
export function parseConfig(text: string, path: string): GenerateConfig {
  return parseConfigOf(SETTINGS, text, path);
}

/** parseConfig for the settings of `table`. */
export function parseConfigOf<Table extends SettingsTable>(table: Table, text: string, path: string): GenerateConfig<SettingsOf<Table>> {
  const fail = (what: string): never => {
    throw new CliExit(EXIT.usage, `qapi-ts: ${path}: ${what}`);
  };
  let raw: unknown;
  try {
    raw = parseJsonText(text);
  } catch (e) {
    if (!(e instanceof JsonTextError)) throw e;
    // Located as compilers locate, FILE:LINE:COL, for editors to jump to.
    throw new CliExit(EXIT.usage, `qapi-ts: ${path}:${e.line}:${e.column}: ${e.reason}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('must hold a JSON object');
  const bySetting = new Map(Object.entries(table).map(([name, s]) => [s.config, { name, form: s.kind.config }]));
  const known = [...Object.keys(INPUT_KEYS), ...bySetting.keys()];
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const wrong = (problem: string | null): void => {
      if (problem !== null) fail(`'${key}' must be ${problem}, not ${JSON.stringify(value)}`);
    };
    if (Object.hasOwn(INPUT_KEYS, key)) {
      wrong(INPUT_KEYS[key as keyof typeof INPUT_KEYS](value));
      continue;
    }
    const setting = bySetting.get(key);
    if (setting === undefined) return fail(`unknown key '${key}'; valid keys are ${known.map((k) => `'${k}'`).join(', ')}`);
    wrong(setting.form.accepts(value) ? null : setting.form.expected);
    settings[setting.name] = setting.form.read(value);
  }
  const config = raw as Record<string, unknown>;
  if (config.legacy === true && config.qemuVersion !== undefined) {
    fail("'legacy' and 'qemuVersion' both choose the schema's language; keep one");
  }
  if (config.releases !== undefined && (config.schema !== undefined || config.legacy !== undefined || config.qemuVersion !== undefined)) {
    fail("'releases' reads each release in its own language: it goes without 'schema', 'legacy' and 'qemuVersion'");
  }
  const base = dirname(path);
  const absolute = (p: string): string => (isAbsolute(p) ? p : join(base, p));
  const schema = config.schema === undefined ? undefined : ([] as string[]).concat(config.schema as string | string[]);
  return {
    ...(schema ? { schema: schema.map(absolute) } : {}),
    ...(typeof config.output === 'string' ? { output: absolute(config.output) } : {}),
    ...(typeof config.legacy === 'boolean' ? { legacy: config.legacy } : {}),
    ...(typeof config.qemuVersion === 'string' ? { qemuVersion: config.qemuVersion } : {}),
    ...(config.releases !== undefined
      ? { releases: Object.fromEntries(Object.entries(config.releases as Record<string, string>).map(([release, file]) => [release, absolute(file)])) }
      : {}),
    settings: settings as Partial<SettingsOf<Table>>,
  };
}

/** Loads `--config PATH`, or qapi-ts.config.json from the working
 *  directory when present; an explicitly named file must exist. */
export function loadConfig(explicitPath: string | undefined, cwd = process.cwd()): GenerateConfig {
  const path = explicitPath === undefined ? join(cwd, CONFIG_FILE) : resolve(cwd, explicitPath);
  if (!existsSync(path)) {
    if (explicitPath !== undefined) throw new CliExit(EXIT.usage, `qapi-ts: config file '${explicitPath}' does not exist`);
    return { settings: {} };
  }
  let text: string;
  try {
    text = readInputFile(path, 'config file');
  } catch (e) {
    if (e instanceof InputError) throw new CliExit(EXIT.usage, `qapi-ts: ${e.message}`);
    if (e instanceof SchemaFileError && e.at) throw new CliExit(EXIT.usage, `qapi-ts: ${path}:${e.at.line}:${e.at.column}: ${e.message}`);
    throw e;
  }
  return parseConfig(text, path);
}

/** One root schema to read, in its dialect. */
export interface SchemaChoice {
  readonly schema: string;
  readonly legacy: boolean;
  /** The release whose language the schema is read in; undefined: the newest. */
  readonly qemuVersion: string | undefined;
  /** It is the embedded default schema (nothing named one). */
  readonly embedded: boolean;
}

/**
 * The schema(s) a verb reads and their language, as `generate` and `qmp`
 * both choose them: the argument, else the config file's `schema`, else the
 * embedded default schema.  A language flag (`--legacy` or
 * `--qemu-version`) overrides both config keys; the embedded schema is read
 * in its own dialect unless a flag or key names one.
 */
export function chooseSchemas(schemaArg: string | undefined, flags: LanguageFlags, config: GenerateConfig): SchemaChoice[] {
  const fromFlags = flags.legacy !== undefined || flags.qemuVersion !== undefined;
  const chosen: LanguageFlags = fromFlags ? flags : { ...(config.legacy !== undefined ? { legacy: config.legacy } : {}), ...(config.qemuVersion !== undefined ? { qemuVersion: config.qemuVersion } : {}) };
  const language = checkLanguageFlags(chosen);
  const named = chosen.legacy !== undefined || chosen.qemuVersion !== undefined;
  const schemas = schemaArg !== undefined ? [schemaArg] : (config.schema ?? []);
  if (schemas.length === 0) {
    const embedded = named ? language : { legacy: EMBEDDED_SCHEMA_LEGACY, qemuVersion: undefined };
    return [{ schema: embeddedSchemaPath(), ...embedded, embedded: true }];
  }
  // Every one checked before any is read: a run stops before writing anything.
  for (const s of schemas) {
    try {
      checkInputFile(s, 'schema file');
    } catch (e) {
      if (e instanceof InputError) throw new CliExit(EXIT.usage, `qapi-ts: ${e.message}`);
      throw e;
    }
  }
  return schemas.map((schema) => ({ schema, ...language, embedded: false }));
}
