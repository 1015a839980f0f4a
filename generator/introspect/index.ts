/**
 * Introspection into the model: a capture file's (or a live QEMU's)
 * query-qmp-schema reply is checked, its types are named, and it becomes
 * Definitions for the same model builder the schema front end uses.
 */
import { buildModel } from '../model/index.js';
import type { SchemaModel } from '../model/types.js';
import { SchemaError, type Diagnostic } from '../source/diagnostics.js';
import { describeReadError, readSchemaFile } from '../source/files.js';
import { toDefinitions } from './definitions.js';
import { buildGraph } from './graph.js';
import { nameTypes } from './naming.js';
import { pairWithSource } from './pairing.js';
import { parseCapture } from './reply.js';
import type { Introspection } from './schema-info.js';

export type { Introspection, QemuVersion } from './schema-info.js';
export { parseCapture, readReply, isCaptureShape } from './reply.js';
export { versionText } from './schema-info.js';

export interface IntrospectionOptions {
  /** A source schema to borrow type names (and integer widths, bases,
   *  alternate branch names) from; `file` names it in the docs. */
  readonly namesFrom?: { readonly model: SchemaModel; readonly file: string };
}

export interface IntrospectedSchema {
  readonly model: SchemaModel;
  readonly introspection: Introspection;
}

/** Reads a capture file (see parseCapture). */
export function readCapture(path: string, readFile: (path: string) => string = readSchemaFile): Introspection {
  let text: string;
  try {
    text = readFile(path);
  } catch (e) {
    throw new SchemaError([{ severity: 'error', message: `${path}: cannot read it (${describeReadError(e)})` }]);
  }
  return parseCapture(text, path);
}

export function modelFromIntrospection(introspection: Introspection, options: IntrospectionOptions = {}): IntrospectedSchema {
  const graph = buildGraph(introspection);
  const source = options.namesFrom ?? null;
  const paired = source ? pairWithSource(graph, source.model) : new Map();
  const naming = nameTypes(graph, paired);
  const { definitions, pragma } = toDefinitions({ graph, naming, paired, source });
  try {
    const { model } = buildModel({ definitions, rootFile: introspection.source, pragma, introspected: true });
    return { model, introspection };
  } catch (e) {
    if (!(e instanceof SchemaError)) throw e;
    // The model's errors point at a file position the reply does not have:
    // say which reported entity is at fault instead.
    const paths = new Map<string, string>();
    for (const [node, name] of naming.names) if (node.kind !== 'builtin' && node.kind !== 'array') paths.set(name, node.info.path);
    for (const c of graph.commands) paths.set(c.info.name, c.info.path);
    for (const ev of graph.events) paths.set(ev.info.name, ev.info.path);
    const relocate = (d: Diagnostic): Diagnostic => {
      const at = d.definition ? `${paths.get(d.definition.name) ?? '?'} (${d.definition.meta} '${d.definition.name}'): ` : '';
      return { severity: d.severity, message: `${introspection.source}: ${at}${d.message}` };
    };
    throw new SchemaError(e.diagnostics.map(relocate));
  }
}
