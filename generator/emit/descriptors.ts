/**
 * The run-time tables the validators read: for every emitted type its
 * descriptor (keyed by QAPI name, so implicit and array types are covered
 * too), and for every command what the wrappers need (argument type, oob,
 * no-reply) plus its documented errors.  They are data, printed as one
 * literal each; support.ts interprets them.
 */
import type { Command, QapiType } from '../model/types.js';
import { documentedErrors } from './error-docs.js';
import type { FileEmitter } from './file-emitter.js';
import { quote } from './names.js';

/** A value printed into the table: JSON-like data or an identifier. */
type Data = string | number | boolean | null | Ident | readonly Data[] | { readonly [key: string]: Data };

class Ident {
  constructor(readonly id: string) {}
}

/** Prints data as a one-line literal (prettier lays it out). */
export function dataText(d: Data): string {
  if (d instanceof Ident) return d.id;
  if (typeof d === 'string') return quote(d);
  if (d === null || typeof d !== 'object') return String(d);
  if (Array.isArray(d)) return `[${d.map(dataText).join(', ')}]`;
  const entries = Object.entries(d as Record<string, Data>);
  return `{ ${entries.map(([k, v]) => `${k}: ${dataText(v)}`).join(', ')} }`;
}

const BUILTIN_KIND: Readonly<Record<string, string>> = {
  str: 'str',
  bool: 'bool',
  number: 'number',
  null: 'null',
  any: 'any',
  int: 'int64',
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  uint8: 'uint8',
  uint16: 'uint16',
  uint32: 'uint32',
  uint64: 'uint64',
  size: 'uint64',
};

function descriptor(f: FileEmitter, t: QapiType): Data | null {
  const keeps = f.plan.filter;
  switch (t.kind) {
    case 'builtin':
      return { kind: 'builtin', type: BUILTIN_KIND[t.name] ?? 'any' };
    case 'enum': {
      const id = f.plan.typeId(t);
      return { kind: 'enum', values: id ? new Ident(id) : t.members.filter((m) => keeps.keeps(m)).map((m) => m.name) };
    }
    case 'array':
      return { kind: 'array', element: t.elementType.name };
    case 'alternate':
      return { kind: 'alternate', branches: t.variants.variants.filter((v) => keeps.keeps(v)).map((v) => v.type.name) };
    case 'object': {
      const members = t.members
        .filter((m) => keeps.keeps(m))
        .map((m): Data => (m.optional ? [m.name, m.type.name, true] : [m.name, m.type.name]));
      if (!t.variants) return { kind: 'object', members };
      const cases = t.variants.variants.filter((v) => keeps.keeps(v)).map((v): Data => [v.name, v.type.name]);
      return { kind: 'object', members, tag: t.variants.tagMember.name, cases };
    }
  }
}

/** `export const <file>Types: TypeTable = [[name, descriptor], ...]`. */
export function emitTypeTable(f: FileEmitter, types: readonly QapiType[], id: string): void {
  const rows: Data[] = [];
  for (const t of types) {
    const d = descriptor(f, t);
    if (d !== null) rows.push([t.name, d]);
  }
  if (rows.length === 0) return;
  f.importFrom('./support.js', 'TypeTable', true);
  f.add({
    tag: 'variable',
    structure: {
      isExported: true,
      docs: [{ description: 'Run-time descriptors of the types above, keyed by QAPI name, for the validators.' }],
      declarations: [{ name: id, type: 'TypeTable', initializer: dataText(rows) }],
    },
  });
}

/** `export const <file>Commands: CommandTable = [[name, info], ...]`. */
export function emitCommandTable(f: FileEmitter, commands: readonly Command[], id: string, errorClasses: ReadonlySet<string>): void {
  if (commands.length === 0) return;
  const rows: Data[] = commands.map((c): Data => {
    const errors = documentedErrors(c.doc, errorClasses).map(
      (e): Data => ({ condition: e.condition, documented: e.documented, errorClass: e.errorClass }),
    );
    return [
      c.name,
      {
        args: c.argType ? c.argType.name : null,
        returns: c.retType ? c.retType.name : null,
        oob: c.allowOob,
        noReply: !c.successResponse,
        errors,
      },
    ];
  });
  f.importFrom('./support.js', 'CommandTable', true);
  f.add({
    tag: 'variable',
    structure: {
      isExported: true,
      docs: [{ description: 'What the command wrappers need to know, and the errors each command documents.' }],
      declarations: [{ name: id, type: 'CommandTable', initializer: dataText(rows) }],
    },
  });
}
