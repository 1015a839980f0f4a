/**
 * Reads and checks query-qmp-schema's reply, with the runtime's reader of
 * SchemaInfo (the one the client's schema check uses).  A capture is either
 * the bare array the command returns, or an object `{ "greeting": ...,
 * "version": ..., "schema": [...] }` as the reference captures hold it.
 * Every malformed part is reported with its JSON path
 * (`schema[12].members[3].type`), all of them at once, as a SchemaError.
 */
import { readSchemaInfo } from 'qapi-ts-runtime';
import { SchemaError, type Diagnostic } from '../source/diagnostics.js';
import { JsonTextError, parseJsonText } from '../source/json-text.js';
import type { Introspection, QemuVersion } from './schema-info.js';

type Json = unknown;
type Obj = Record<string, Json>;

const isObject = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: Json): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : JSON.stringify(v);

function parseVersion(raw: Json, problems: string[], path: string): QemuVersion | null {
  if (raw === undefined) return null;
  const qemu = isObject(raw) ? raw['qemu'] : undefined;
  const part = (key: string): number | null => {
    const v = isObject(qemu) ? qemu[key] : undefined;
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
  };
  const [major, minor, micro] = [part('major'), part('minor'), part('micro')];
  if (major === null || minor === null || micro === null) {
    problems.push(`${path}: expected query-version's reply, { qemu: { major, minor, micro }, package }`);
    return null;
  }
  const pkg = isObject(raw) && typeof raw['package'] === 'string' ? raw['package'] : '';
  return { major, minor, micro, package: pkg };
}

/** Fails with every problem found in what `source` reported, each prefixed by it. */
export function throwProblems(source: string, problems: readonly string[]): never {
  const shown = problems.slice(0, 50);
  const more = problems.length - shown.length;
  const diagnostics: Diagnostic[] = shown.map((p) => ({ severity: 'error', message: `${source}: ${p}` }));
  if (more > 0) diagnostics.push({ severity: 'error', message: `${source}: ... and ${more} more problem(s)` });
  throw new SchemaError(diagnostics);
}

interface ReplyPaths {
  /** Where the schema array sits in the input ('' when it is the input). */
  readonly schema: string;
  /** Where the version sits, for messages. */
  readonly version: string;
}

/**
 * Checks a query-qmp-schema reply (and query-version's, when known).
 * Throws SchemaError listing every problem, each at its JSON path.
 */
export function readReply(
  schema: Json,
  version: Json,
  source: string,
  paths: ReplyPaths = { schema: '', version: 'query-version' },
): Introspection {
  const problems: string[] = [];
  const v = parseVersion(version, problems, paths.version);
  if (!Array.isArray(schema)) {
    problems.push(`${paths.schema || '$'}: expected query-qmp-schema's reply (an array), got ${describe(schema)}`);
    throwProblems(source, problems);
  }
  const reading = readSchemaInfo(schema, paths.schema);
  if (!reading.ok) problems.push(...reading.problems);
  if (problems.length > 0 || !reading.ok) throwProblems(source, problems);
  return { source, version: v, entities: reading.entities };
}

/** Whether a JSON value has the shape of a capture (as opposed to anything else). */
export function isCaptureShape(value: Json): boolean {
  const schema = isObject(value) ? value['schema'] : value;
  return Array.isArray(schema) && schema.every((e) => isObject(e) && typeof e['meta-type'] === 'string');
}

/** Reads a capture's text: the bare array, or `{ greeting, version, schema }`. */
export function parseCapture(text: string, source: string): Introspection {
  let raw: Json;
  try {
    raw = parseJsonText(text) as Json;
  } catch (e) {
    if (!(e instanceof JsonTextError)) throw e;
    throw new SchemaError([{ severity: 'error', message: e.reason, location: { file: source, line: e.line, column: e.column, includedFrom: [] } }]);
  }
  if (Array.isArray(raw)) return readReply(raw, undefined, source);
  if (!isObject(raw)) throwProblems(source, [`expected query-qmp-schema's reply or an object holding it as 'schema', got ${describe(raw)}`]);
  const known = ['greeting', 'version', 'schema'];
  const problems = Object.keys(raw)
    .filter((key) => !known.includes(key))
    .map((key) => `$.${key}: unexpected key (known here: ${known.join(', ')})`);
  if (raw['schema'] === undefined) problems.push("$: no 'schema': expected query-qmp-schema's reply under 'schema'");
  if (problems.length > 0) throwProblems(source, problems);
  // Without query-version's reply, the greeting carries the same version.
  if (raw['version'] !== undefined) return readReply(raw['schema'], raw['version'], source, { schema: 'schema', version: 'version' });
  const greeting = raw['greeting'];
  const fromGreeting = isObject(greeting) && isObject(greeting['QMP']) ? greeting['QMP']['version'] : undefined;
  return readReply(raw['schema'], fromGreeting, source, { schema: 'schema', version: 'greeting.QMP.version' });
}
