/**
 * query-qmp-schema's reply made from the bindings: the SchemaInfo records
 * QEMU would report for their commands and events.  As QEMU does, types
 * other than the built-ins go by numbers (in order of first use), every
 * integer type is `int`, the arrays are `[N]`, and a command without
 * arguments or return value, or an event without data, refers to an empty
 * object.  Features are not known to the bindings' tables, so none are
 * reported.  Of bindings that span releases, one release's records: its
 * commands, events, members (required as it requires them, typed as it
 * types them), enum values and cases.
 */
import { inRelease, memberTypeIn, resolveType, returnsIn, valueReleases, type ReleaseSet, type TypeRef } from '../tables.js';
import { builtinType, type BuiltinKind } from '../type-rules.js';
import type { TypeRegistry } from '../validation.js';

type Json = Record<string, unknown>;

/** The SchemaInfo built-in a built-in type is reported as. */
const REPORTED_BUILTIN = { string: 'str', number: 'number', int: 'int', size: 'int', boolean: 'bool', null: 'null', value: 'any' } as const;
const JSON_TYPE = { str: 'string', number: 'number', int: 'int', bool: 'boolean', null: 'null', any: 'value' } as const;

class Records {
  readonly out: Json[] = [];
  /** The release's position in the span (-1: bindings of one schema). */
  constructor(private readonly release: number) {}

  /** Whether the release has what carries these releases. */
  has(releases: ReleaseSet | undefined): boolean {
    return releases === undefined || this.release < 0 || inRelease(releases, this.release);
  }

  private readonly names = new Map<unknown, string>();
  private readonly builtins = new Set<string>();
  private readonly arrays = new Set<string>();
  private next = 0;
  private empty: string | undefined;

  /** The empty object, the type of "nothing". */
  emptyObject(): string {
    if (this.empty === undefined) {
      this.empty = String(this.next++);
      this.out.push({ name: this.empty, 'meta-type': 'object', members: [] });
    }
    return this.empty;
  }

  /** The name of a type, reporting it (and what it uses) on first use. */
  name(ref: TypeRef): string {
    const d = resolveType(ref);
    if (typeof d === 'string') return this.builtin(d);
    const known = this.names.get(d);
    if (known !== undefined) return known;
    if (d.kind === 'array') {
      const name = `[${this.name(d.element)}]`;
      this.names.set(d, name);
      // Arrays of one element type are one type (QEMU folds integer widths too).
      if (!this.arrays.has(name)) {
        this.arrays.add(name);
        this.out.push({ name, 'meta-type': 'array', 'element-type': name.slice(1, -1) });
      }
      return name;
    }
    const name = String(this.next++);
    this.names.set(d, name);
    // Reported before what it uses, as QEMU's reply lists a type before its members' types.
    const record: Json = { name };
    this.out.push(record);
    switch (d.kind) {
      case 'enum':
        const values = d.values.filter((v) => this.has(valueReleases(d, v)));
        Object.assign(record, { 'meta-type': 'enum', members: values.map((v) => ({ name: v })), values });
        break;
      case 'alternate':
        Object.assign(record, { 'meta-type': 'alternate', members: d.branches.map((b) => ({ type: this.name(b) })) });
        break;
      case 'object': {
        const members = d.members
          .filter((m) => this.has(m[3]?.in))
          .map((m) => {
            const [member, , optional, releases] = m;
            const required = releases?.requiredIn === undefined || this.release < 0 ? !optional : inRelease(releases.requiredIn, this.release);
            const type = this.name(memberTypeIn(m, this.release));
            return required ? { name: member, type } : { name: member, default: null, type };
          });
        Object.assign(record, { 'meta-type': 'object', members });
        if (d.tag !== undefined) {
          record.tag = d.tag;
          record.variants = (d.cases ?? []).filter(([, , releases]) => this.has(releases)).map(([value, type]) => ({ case: value, type: this.name(type) }));
        }
        break;
      }
    }
    return name;
  }

  private builtin(kind: BuiltinKind): string {
    const name = REPORTED_BUILTIN[builtinType(kind).json];
    if (!this.builtins.has(name)) {
      this.builtins.add(name);
      this.out.push({ name, 'meta-type': 'builtin', 'json-type': JSON_TYPE[name] });
    }
    return name;
  }
}

/** The SchemaInfo records of every command and event the registry has
 *  (of bindings that span releases, in the release at `release`). */
export function schemaRecords(registry: TypeRegistry<unknown, unknown, unknown>, release = -1): Json[] {
  const r = new Records(release);
  for (const name of registry.commandNames()) {
    const info = registry.command(name)!;
    if (!r.has(info.releases)) continue;
    const record: Json = { name, 'meta-type': 'command' };
    r.out.push(record);
    const returns = returnsIn(info, release);
    record['arg-type'] = info.args === null ? r.emptyObject() : r.name(info.args);
    record['ret-type'] = returns === null ? r.emptyObject() : r.name(returns);
    if (info.oob) record['allow-oob'] = true;
  }
  for (const name of registry.eventNames()) {
    if (!r.has(registry.eventReleases(name))) continue;
    const data = registry.event(name);
    const record: Json = { name, 'meta-type': 'event' };
    r.out.push(record);
    record['arg-type'] = data === null || data === undefined ? r.emptyObject() : r.name(data);
  }
  return r.out;
}
