/**
 * The project config file, `qapi-ts.config.json`, so that a consumer's
 * build script is just `qapi-ts generate`.  Every key is checked: an unknown
 * key or a value of the wrong type is a usage error naming the file and key.
 */
import { existsSync } from 'node:fs';
import { describeReadError, readSchemaFile } from '../source/files.js';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { DEFAULT_QEMU_RELEASE, LanguageSelectionError, parseQemuVersion, VERSIONED_RELEASES } from '../source/language.js';
import { EMBEDDED_SCHEMA_LEGACY, embeddedSchemaPath } from '../embedded-schema.js';
import { OUTPUT_TARGETS, type OutputTarget } from '../emit/output/render.js';
import { INT64_MODES, isInt64Mode, type Int64Mode } from 'qapi-ts-runtime/type-rules';
import { CliExit, EXIT } from './io.js';
import { checkLanguageFlags, type LanguageFlags } from './language.js';

export const CONFIG_FILE = 'qapi-ts.config.json';

/** What a config file may set; command-line flags override each. */
export interface GenerateConfig {
  /** Root schema file(s), relative to the config file; absent: the embedded default schema. */
  readonly schema?: readonly string[];
  /** Output directory, relative to the config file. */
  readonly output?: string;
  readonly legacy?: boolean;
  /** The QEMU release whose schema language to read, 'X.Y'. */
  readonly qemuVersion?: string;
  /** Configuration symbols for 'if' conditions; absent: keep everything. */
  readonly if?: readonly string[];
  /** Keep what has the 'unstable' feature (default true). */
  readonly unstable?: boolean;
  /** The module generated code imports the QMP runtime from. */
  readonly runtimeImport?: string;
  /** What to write: 'ts', or 'js+dts' (the default). */
  readonly target?: OutputTarget;
  /** Names of the commands and events to keep (with what they reach). */
  readonly only?: readonly string[];
  /** Run the user's prettier over the output. */
  readonly format?: boolean;
  /** Keep the output directory a symbolic link, replaced in one step. */
  readonly symlink?: boolean;
  /** How the bindings type and read the 64-bit integer types. */
  readonly int64?: Int64Mode;
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

const isTarget: Check = (v) => (OUTPUT_TARGETS.includes(v as OutputTarget) ? null : OUTPUT_TARGETS.map((t) => `"${t}"`).join(' or '));
const isInt64: Check = (v) => (isInt64Mode(v) ? null : `one of ${INT64_MODES.map((m) => JSON.stringify(m)).join(', ')}`);

const KEYS: Record<keyof GenerateConfig, Check> = {
  schema: isSchema,
  output: isString,
  legacy: isBoolean,
  qemuVersion: isQemuVersion,
  if: isStringList,
  unstable: isBoolean,
  runtimeImport: isString,
  target: isTarget,
  only: isStringList,
  format: isBoolean,
  symlink: isBoolean,
  int64: isInt64,
};

/** Parses and checks a config file's text; paths become absolute. */
export function parseConfig(text: string, path: string): GenerateConfig {
  const fail = (what: string): never => {
    throw new CliExit(EXIT.usage, `qapi-ts: ${path}: ${what}`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail(`not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('must hold a JSON object');
  const entries = Object.entries(raw as Record<string, unknown>);
  const known = Object.keys(KEYS);
  for (const [key, value] of entries) {
    if (!Object.hasOwn(KEYS, key)) {
      fail(`unknown key '${key}'; valid keys are ${known.map((k) => `'${k}'`).join(', ')}`);
    }
    const problem = KEYS[key as keyof GenerateConfig](value);
    if (problem !== null) fail(`'${key}' must be ${problem}, not ${JSON.stringify(value)}`);
  }
  const config = raw as Record<string, unknown>;
  if (config.legacy === true && config.qemuVersion !== undefined) {
    fail("'legacy' and 'qemuVersion' both choose the schema's language; keep one");
  }
  const base = dirname(path);
  const absolute = (p: string): string => (isAbsolute(p) ? p : join(base, p));
  const schema = config.schema === undefined ? undefined : ([] as string[]).concat(config.schema as string | string[]);
  return {
    ...(config as GenerateConfig),
    ...(schema ? { schema: schema.map(absolute) } : {}),
    ...(typeof config.output === 'string' ? { output: absolute(config.output) } : {}),
  };
}

/** Loads `--config PATH`, or qapi-ts.config.json from the working
 *  directory when present; an explicitly named file must exist. */
export function loadConfig(explicitPath: string | undefined, cwd = process.cwd()): GenerateConfig {
  const path = explicitPath === undefined ? join(cwd, CONFIG_FILE) : resolve(cwd, explicitPath);
  if (!existsSync(path)) {
    if (explicitPath !== undefined) throw new CliExit(EXIT.usage, `qapi-ts: config file '${explicitPath}' does not exist`);
    return {};
  }
  let text: string;
  try {
    text = readSchemaFile(path);
  } catch (e) {
    throw new CliExit(EXIT.usage, `qapi-ts: cannot read the config file '${path}': ${describeReadError(e)}`);
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
  for (const s of schemas) {
    if (!existsSync(s)) throw new CliExit(EXIT.usage, `qapi-ts: schema file '${s}' does not exist`);
  }
  return schemas.map((schema) => ({ schema, ...language, embedded: false }));
}
