/**
 * JSON Schema (draft 2020-12) for a schema model: every command's arguments
 * and return value and every event's data, with the types they use.
 *
 * Layout, all under `$defs`:
 *   `command.NAME.arguments`, `command.NAME.returns`, `event.NAME.data`
 *   one entry per named type (and per implicit object used as a member)
 *   `TYPE.open` for objects that serve as a union's variant or are unions:
 *     their members without closing the object, so that a union can add a
 *     variant's members to its own (`unevaluatedProperties: false` closes it)
 * The root validates a command message, `{ "execute": NAME, "arguments": ... }`.
 * Only what the selection keeps (`--if`, `--only`, `--no-unstable`, as for
 * the bindings) is described: its commands and events, and of each type
 * the members, values and branches it keeps.
 *
 * Integers carry their exact bounds (64-bit ones too): the document is
 * written with lossless-json, since JSON.stringify cannot print 2^63 − 1.
 * Keys of `$defs` cannot clash: type names have no '.' outside a
 * downstream prefix, and commands and events are not spelled like types.
 */
import { stringify } from 'lossless-json';
import type { Command, Event, Feature, Member, ObjectType, QapiType, SchemaModel } from '../model/types.js';
import { Filter } from '../select/filter.js';
import { builtinType } from 'qapi-ts-runtime/type-rules';

const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

type Schema = { [key: string]: unknown } | boolean;

export interface JsonSchemaOptions {
  /** A title for the document (the schema's file name, say). */
  readonly title?: string;
  /** Integer types are folded into 'int' (introspection): allow the range
   *  of every integer type, signed and unsigned 64-bit alike. */
  readonly foldedIntegers?: boolean;
  /** What to describe; without one, everything. */
  readonly selection?: Filter | undefined;
}

const ref = (key: string): Schema => ({ $ref: `#/$defs/${key.replace(/~/g, '~0').replace(/\//g, '~1')}` });
const deprecated = (features: readonly Feature[]): boolean => features.some((f) => f.name === 'deprecated');
const NO_MEMBERS: Schema = { type: 'object', additionalProperties: false };

function firstParagraph(text: string | undefined): string | undefined {
  const p = text?.trim().split(/\n\s*\n/)[0]?.replace(/\s+/g, ' ');
  return p === '' ? undefined : p;
}

class Builder {
  readonly defs: Record<string, Schema> = {};
  /** Objects whose members another object adds to its own (union variants, unions). */
  private readonly open = new Set<ObjectType>();

  constructor(
    model: SchemaModel,
    private readonly options: JsonSchemaOptions,
    readonly selection: Filter,
  ) {
    for (const e of model.entities) {
      if (e.kind !== 'object' || !e.variants) continue;
      this.open.add(e);
      for (const v of e.variants.variants) if (selection.keeps(v)) this.open.add(v.type as ObjectType);
    }
  }

  /** A reference to a type, defining it on first use. */
  use(t: QapiType): Schema {
    switch (t.kind) {
      case 'builtin':
        return this.builtin(t);
      case 'array':
        return { type: 'array', items: this.use(t.elementType) };
      default:
        if (t.kind === 'object' && t.role?.kind === 'empty-object') return NO_MEMBERS;
        if (!Object.hasOwn(this.defs, t.name)) this.define(t);
        return ref(t.name);
    }
  }

  private builtin(t: Extract<QapiType, { kind: 'builtin' }>): Schema {
    switch (t.jsonType) {
      case 'string':
        return { type: 'string' };
      case 'number':
        return { type: 'number' };
      case 'boolean':
        return { type: 'boolean' };
      case 'null':
        return { type: 'null' };
      case 'value':
        return true;
      case 'int':
      case 'size': {
        const range = builtinType(t.name).range;
        if (range === undefined) throw new Error(`no range for the integer type '${t.name}'`);
        const [min, max] = this.options.foldedIntegers ? [-(2n ** 63n), 2n ** 64n - 1n] : range;
        return { type: 'integer', minimum: min, maximum: max };
      }
    }
  }

  private define(t: Exclude<QapiType, { kind: 'builtin' | 'array' }>): void {
    // Registered before it is filled: recursive types refer to themselves.
    this.defs[t.name] = {};
    const doc = firstParagraph(t.doc?.comment.body);
    const described = (s: Record<string, unknown>): Schema => (doc ? { description: doc, ...s } : s);
    switch (t.kind) {
      case 'enum':
        this.defs[t.name] = described({ enum: t.members.filter((m) => this.selection.keeps(m)).map((m) => m.name) });
        return;
      case 'alternate':
        this.defs[t.name] = described({ anyOf: t.variants.variants.filter((v) => this.selection.keeps(v)).map((v) => this.use(v.type)) });
        return;
      case 'object':
        if (this.open.has(t)) {
          this.defs[`${t.name}.open`] = this.members(t, false);
          this.defs[t.name] = described({ type: 'object', ...(ref(`${t.name}.open`) as object), unevaluatedProperties: false });
        } else {
          this.defs[t.name] = described(this.members(t, true) as Record<string, unknown>);
        }
        return;
    }
  }

  /** An object's members (and its variants' members, by tag), closed or not. */
  members(t: ObjectType, closed: boolean): Schema {
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const m of t.members) {
      if (!this.selection.keeps(m)) continue;
      properties[m.name] = this.member(m);
      if (!m.optional) required.push(m.name);
    }
    const s: Record<string, unknown> = { type: 'object', properties };
    if (required.length > 0) s['required'] = required;
    if (closed) s['additionalProperties'] = false;
    if (t.variants) {
      const tag = t.variants.tagMember.name;
      const branches = t.variants.variants.filter((v) => this.selection.keeps(v) && v.type.kind === 'object' && v.type.role?.kind !== 'empty-object');
      if (branches.length > 0) {
        s['allOf'] = branches.map((v) => {
          this.use(v.type);
          return { if: { type: 'object', properties: { [tag]: { const: v.name } }, required: [tag] }, then: ref(`${v.type.name}.open`) };
        });
      }
    }
    return s;
  }

  private member(m: Member): Schema {
    const s = this.use(m.type);
    if (!deprecated(m.features)) return s;
    return typeof s === 'boolean' ? { deprecated: true } : { ...s, deprecated: true };
  }

  /** A command's arguments or an event's data: an implicit type is written in place. */
  argument(t: ObjectType | null): Schema {
    if (t === null) return NO_MEMBERS;
    const inline = t.role?.kind === 'command-arguments' || t.role?.kind === 'event-data';
    if (inline && !this.open.has(t)) return this.members(t, true);
    return this.use(t);
  }
}

export function jsonSchemaOf(model: SchemaModel, options: JsonSchemaOptions = {}): Record<string, unknown> {
  const selection = options.selection ?? new Filter(model, {});
  const b = new Builder(model, options, selection);
  const roots: Record<string, Schema> = {};
  const commands: Command[] = [];
  const annotate = (s: Schema, e: Command | Event, role: string): Schema => {
    const doc = firstParagraph(e.doc?.comment.body);
    const notes = { description: `${role} of ${e.kind} ${e.name}${doc ? `: ${doc}` : ''}`, ...(deprecated(e.features) ? { deprecated: true } : {}) };
    return typeof s === 'boolean' ? s : { ...notes, ...s };
  };
  for (const e of model.entities) {
    if ((e.kind === 'command' || e.kind === 'event') && !selection.keepsEntity(e)) continue;
    if (e.kind === 'command') {
      commands.push(e);
      roots[`command.${e.name}.arguments`] = annotate(b.argument(e.argType), e, 'The arguments');
      roots[`command.${e.name}.returns`] = annotate(e.retType ? b.use(e.retType) : NO_MEMBERS, e, 'The return value');
    } else if (e.kind === 'event') {
      roots[`event.${e.name}.data`] = annotate(b.argument(e.argType), e, 'The data');
    }
  }
  const needsArguments = (c: Command): boolean => (c.argType?.members ?? []).some((m) => !m.optional && selection.keeps(m)) || c.argType?.variants != null;
  return {
    $schema: JSON_SCHEMA_DIALECT,
    ...(options.title ? { title: options.title } : {}),
    description: 'A QMP command message; $defs hold every command\'s arguments and return value and every event\'s data.',
    type: 'object',
    properties: { execute: { enum: commands.map((c) => c.name) }, arguments: { type: 'object' }, id: true },
    required: ['execute'],
    additionalProperties: false,
    allOf: commands.map((c) => ({
      if: { type: 'object', properties: { execute: { const: c.name } } },
      then: { type: 'object', properties: { arguments: ref(`command.${c.name}.arguments`) }, ...(needsArguments(c) ? { required: ['arguments'] } : {}) },
    })),
    $defs: { ...roots, ...b.defs },
  };
}

/** The document as text, integers exact. */
export function renderJsonSchema(doc: Record<string, unknown>): string {
  return `${stringify(doc, null, 2)}\n`;
}
