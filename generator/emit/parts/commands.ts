/**
 * Commands as code: one exported function per command, in its module's
 * file, which validates and sends it (`blockCommit(qmp, args)`), and what
 * the command class's method for it (client.ts) shares with it: argument
 * and return types, and the doc comment.
 */
import type { Command } from '../../model/types.js';
import { ex, type DocNode, type Parameter, type Statement } from '../syntax/statements.js';
import { ty, type TypeNode } from '../syntax/type-syntax.js';
import { codeSpan, renderText } from './doc-markdown.js';
import { DocBuilder } from './docs.js';
import { documentedErrors } from './error-docs.js';
import type { FileBuilder } from './file-builder.js';

/** A command's argument type, and whether the arguments may be left out. */
export function argumentsOf(f: FileBuilder, c: Command): { type: TypeNode; optional: boolean } | null {
  if (!c.argType) return null;
  const members = c.argType.members.filter((m) => f.plan.filter.keeps(m));
  const optional = c.argType.variants === null && members.every((m) => m.optional);
  return { type: f.typeOf(c.argType), optional };
}

/** What a command's promise resolves with. */
export function returnOf(f: FileBuilder, c: Command): TypeNode {
  return c.retType && c.successResponse ? f.typeOf(c.retType) : ty.keyword('void');
}

/** `args` (when the command takes arguments) and `options`. */
export function commandParameters(f: FileBuilder, c: Command): Parameter[] {
  const args = argumentsOf(f, c);
  return [
    ...(args ? [{ name: 'args', type: args.type, optional: args.optional }] : []),
    { name: 'options', type: f.runtimeType(c.allowOob ? 'OobCallOptions' : 'CallOptions'), optional: true },
  ];
}

/** The doc comment of a command's function and method. */
export function commandDocs(f: FileBuilder, c: Command, errorClasses: ReadonlySet<string>): DocNode[] {
  const doc = new DocBuilder(f.docLinks).note(`Runs ${codeSpan(c.name)}.`);
  doc.entity(c.doc, c.ifcond, c.features);
  // The arguments are documented member by member on their type, where
  // editors show each as it is typed (a \`@param\` cannot name a member
  // like \`job-id\`); a boxed command's type is documented on its own.
  const argId = c.argType ? f.plan.typeId(c.argType) : undefined;
  if (argId !== undefined) doc.tag('param', `args - The arguments, each documented on {@link ${argId}}.`);
  if (!c.successResponse) doc.note('QEMU sends no reply; the promise resolves once the command is sent.');
  if (c.allowOob) doc.note('May run out of band: pass `{ oob: true }` (needs the `oob` capability).');
  for (const e of documentedErrors(c.doc, errorClasses)) {
    const named = e.documented === null ? '' : e.errorClass === e.documented ? '' : ` (documented as ${codeSpan(e.documented)})`;
    doc.tag('throws', `QmpError ${codeSpan(e.errorClass)}${named}: ${renderText(e.condition, f.docLinks)}`);
  }
  return doc.build();
}

/** `export function blockCommit(qmp, args, options?): Promise<R>`. */
export function emitCommandFunction(f: FileBuilder, c: Command, errorClasses: ReadonlySet<string>): void {
  const params = commandParameters(f, c);
  const promise = ty.ref('Promise', returnOf(f, c));
  const run = ex.call(
    f.importRuntime('runCommand'),
    ex.id('qmp'),
    ex.id(f.plan.descriptorOf(c)),
    ex.id(params.length > 1 ? 'args' : 'undefined'),
    ex.id('options'),
    // How these bindings hold 64-bit integers (--int64).
    ex.literal(f.plan.settings.int64),
  );
  const statement: Statement = {
    kind: 'function',
    name: f.plan.functionOf(c),
    docs: commandDocs(f, c, errorClasses),
    parameters: [{ name: 'qmp', type: f.runtimeType('QmpTransport'), optional: false }, ...params],
    returnType: promise,
    body: [{ kind: 'return', value: ex.as(run, promise) }],
  };
  f.add(statement);
}
