/**
 * Reads and checks query-qmp-schema's reply.  A capture is either the bare
 * array the command returns, or an object `{ "greeting": ..., "version":
 * ..., "schema": [...] }` as the reference captures hold it.  Every
 * malformed part is reported with its JSON path (`schema[12].members[3].type`),
 * all of them at once, as a SchemaError.
 */
import { SchemaError, type Diagnostic } from '../source/diagnostics.js';
import type { EnumValueInfo, InfoCommon, Introspection, JsonTypeName, MemberInfo, ObjectInfo, QemuVersion, SchemaInfo, VariantInfo } from './schema-info.js';

const JSON_TYPES: readonly JsonTypeName[] = ['string', 'number', 'int', 'boolean', 'null', 'value'];
const META_TYPES = ['builtin', 'enum', 'array', 'object', 'alternate', 'command', 'event'] as const;

type Json = unknown;
type Obj = Record<string, Json>;

const isObject = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: Json): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : JSON.stringify(v);

/** Collects every problem with a reply, each at its JSON path. */
class Reader {
  readonly problems: string[] = [];

  fail(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  string(obj: Obj, key: string, path: string): string | null {
    const v = obj[key];
    if (typeof v === 'string' && v !== '') return v;
    this.fail(`${path}.${key}`, v === undefined ? 'missing (a non-empty string)' : `expected a non-empty string, got ${describe(v)}`);
    return null;
  }

  list(obj: Obj, key: string, path: string, required = true): Json[] | null {
    const v = obj[key];
    if (v === undefined && !required) return null;
    if (Array.isArray(v)) return v;
    this.fail(`${path}.${key}`, v === undefined ? 'missing (an array)' : `expected an array, got ${describe(v)}`);
    return null;
  }

  features(obj: Obj, path: string): string[] {
    const list = this.list(obj, 'features', path, false) ?? [];
    return list.flatMap((f, i) => {
      if (typeof f === 'string' && f !== '') return [f];
      this.fail(`${path}.features[${i}]`, `expected a feature name, got ${describe(f)}`);
      return [];
    });
  }

  /** Rejects keys the meta-type does not have: a reply we misread is worse than one we refuse. */
  keys(obj: Obj, allowed: readonly string[], path: string): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.fail(`${path}.${key}`, `unexpected key (known here: ${allowed.join(', ')})`);
    }
  }

  entity(raw: Json, path: string): SchemaInfo | null {
    if (!isObject(raw)) {
      this.fail(path, `expected an object, got ${describe(raw)}`);
      return null;
    }
    const name = this.string(raw, 'name', path);
    const metaType = raw['meta-type'];
    if (typeof metaType !== 'string' || !(META_TYPES as readonly string[]).includes(metaType)) {
      this.fail(`${path}.meta-type`, `expected one of ${META_TYPES.join(', ')}, got ${describe(metaType)}`);
      return null;
    }
    if (name === null) return null;
    const common = { name, features: this.features(raw, path), path };
    const base = ['name', 'meta-type', 'features'];
    switch (metaType as (typeof META_TYPES)[number]) {
      case 'builtin': {
        this.keys(raw, [...base, 'json-type'], path);
        const jsonType = raw['json-type'];
        if (typeof jsonType !== 'string' || !(JSON_TYPES as readonly string[]).includes(jsonType)) {
          this.fail(`${path}.json-type`, `expected one of ${JSON_TYPES.join(', ')}, got ${describe(jsonType)}`);
          return null;
        }
        return { ...common, metaType: 'builtin', jsonType: jsonType as JsonTypeName };
      }
      case 'enum':
        this.keys(raw, [...base, 'members', 'values'], path);
        return { ...common, metaType: 'enum', values: this.enumValues(raw, path) };
      case 'array': {
        this.keys(raw, [...base, 'element-type'], path);
        const elementType = this.string(raw, 'element-type', path);
        return elementType === null ? null : { ...common, metaType: 'array', elementType };
      }
      case 'object':
        this.keys(raw, [...base, 'members', 'tag', 'variants'], path);
        return this.object(raw, common);
      case 'alternate': {
        this.keys(raw, [...base, 'members'], path);
        const members = (this.list(raw, 'members', path) ?? []).flatMap((m, i) => {
          const at = `${path}.members[${i}]`;
          if (!isObject(m)) {
            this.fail(at, `expected an object, got ${describe(m)}`);
            return [];
          }
          this.keys(m, ['type'], at);
          const type = this.string(m, 'type', at);
          return type === null ? [] : [type];
        });
        if (members.length === 0) this.fail(`${path}.members`, 'an alternate needs at least one branch');
        return { ...common, metaType: 'alternate', members };
      }
      case 'command': {
        this.keys(raw, [...base, 'arg-type', 'ret-type', 'allow-oob'], path);
        const argType = this.string(raw, 'arg-type', path);
        const retType = this.string(raw, 'ret-type', path);
        const oob = raw['allow-oob'];
        if (oob !== undefined && typeof oob !== 'boolean') this.fail(`${path}.allow-oob`, `expected true or false, got ${describe(oob)}`);
        if (argType === null || retType === null) return null;
        return { ...common, metaType: 'command', argType, retType, allowOob: oob === true };
      }
      case 'event': {
        this.keys(raw, [...base, 'arg-type'], path);
        const argType = this.string(raw, 'arg-type', path);
        return argType === null ? null : { ...common, metaType: 'event', argType };
      }
    }
  }

  /** 'members' (QEMU 6.2 and later, with features) or the older 'values'. */
  private enumValues(raw: Obj, path: string): EnumValueInfo[] {
    if (raw['members'] !== undefined) {
      return (this.list(raw, 'members', path) ?? []).flatMap((m, i) => {
        const at = `${path}.members[${i}]`;
        if (!isObject(m)) {
          this.fail(at, `expected an object, got ${describe(m)}`);
          return [];
        }
        this.keys(m, ['name', 'features'], at);
        const name = this.string(m, 'name', at);
        return name === null ? [] : [{ name, features: this.features(m, at) }];
      });
    }
    return (this.list(raw, 'values', path) ?? []).flatMap((v, i) => {
      if (typeof v === 'string' && v !== '') return [{ name: v, features: [] }];
      this.fail(`${path}.values[${i}]`, `expected a value name, got ${describe(v)}`);
      return [];
    });
  }

  private object(raw: Obj, common: InfoCommon): ObjectInfo {
    const path = common.path;
    const members = (this.list(raw, 'members', path) ?? []).flatMap((m, i): MemberInfo[] => {
      const at = `${path}.members[${i}]`;
      if (!isObject(m)) {
        this.fail(at, `expected an object, got ${describe(m)}`);
        return [];
      }
      this.keys(m, ['name', 'type', 'default', 'features'], at);
      const name = this.string(m, 'name', at);
      const type = this.string(m, 'type', at);
      // QEMU marks an optional member with 'default': null (no default is
      // ever specified); any 'default' makes it optional.
      const features = this.features(m, at);
      return name === null || type === null ? [] : [{ name, type, optional: Object.hasOwn(m, 'default'), features }];
    });
    const tagRaw = raw['tag'];
    const tag = tagRaw === undefined ? null : this.string(raw, 'tag', path);
    const variants = (this.list(raw, 'variants', path, false) ?? []).flatMap((v, i): VariantInfo[] => {
      const at = `${path}.variants[${i}]`;
      if (!isObject(v)) {
        this.fail(at, `expected an object, got ${describe(v)}`);
        return [];
      }
      this.keys(v, ['case', 'type'], at);
      const c = this.string(v, 'case', at);
      const type = this.string(v, 'type', at);
      return c === null || type === null ? [] : [{ case: c, type }];
    });
    if ((tagRaw === undefined) !== (raw['variants'] === undefined)) {
      this.fail(path, "'tag' and 'variants' come together: an object has both (a union) or neither");
    }
    return { ...common, metaType: 'object', members, tag, variants };
  }
}

function parseVersion(raw: Json, reader: Reader, path: string): QemuVersion | null {
  if (raw === undefined) return null;
  const qemu = isObject(raw) ? raw['qemu'] : undefined;
  const part = (key: string): number | null => {
    const v = isObject(qemu) ? qemu[key] : undefined;
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
  };
  const [major, minor, micro] = [part('major'), part('minor'), part('micro')];
  if (major === null || minor === null || micro === null) {
    reader.fail(path, "expected query-version's reply, { qemu: { major, minor, micro }, package }");
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
  const reader = new Reader();
  const v = parseVersion(version, reader, paths.version);
  if (!Array.isArray(schema)) {
    reader.fail(paths.schema || '$', `expected query-qmp-schema's reply (an array), got ${describe(schema)}`);
    throwProblems(source, reader.problems);
  }
  const entities = schema.flatMap((raw, i) => {
    const e = reader.entity(raw, `${paths.schema}[${i}]`);
    return e ? [e] : [];
  });
  if (reader.problems.length > 0) throwProblems(source, reader.problems);
  return { source, version: v, entities };
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
    raw = JSON.parse(text);
  } catch (e) {
    throwProblems(source, [`not valid JSON (${e instanceof Error ? e.message : String(e)})`]);
  }
  if (Array.isArray(raw)) return readReply(raw, undefined, source);
  if (!isObject(raw)) throwProblems(source, [`expected query-qmp-schema's reply or an object holding it as 'schema', got ${describe(raw)}`]);
  const reader = new Reader();
  reader.keys(raw, ['greeting', 'version', 'schema'], '$');
  if (raw['schema'] === undefined) reader.fail('$', "no 'schema': expected query-qmp-schema's reply under 'schema'");
  if (reader.problems.length > 0) throwProblems(source, reader.problems);
  // Without query-version's reply, the greeting carries the same version.
  if (raw['version'] !== undefined) return readReply(raw['schema'], raw['version'], source, { schema: 'schema', version: 'version' });
  const greeting = raw['greeting'];
  const fromGreeting = isObject(greeting) && isObject(greeting['QMP']) ? greeting['QMP']['version'] : undefined;
  return readReply(raw['schema'], fromGreeting, source, { schema: 'schema', version: 'greeting.QMP.version' });
}
