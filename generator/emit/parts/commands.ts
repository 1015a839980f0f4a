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
import { RELEASE, type FileBuilder } from './file-builder.js';
import { featureWhen, memberNotes, presenceNote, typesNote } from './availability.js';
import { SPAN_FILE, SPAN_NAMES } from '../naming/fixed-names.js';
import { hasRelease } from '../../span/releases.js';

/** A command's argument type, and whether the arguments may be left out;
 *  `release` is the release parameter to pass on (bindings that span
 *  releases). */
export function argumentsOf(f: FileBuilder, c: Command, release?: TypeNode): { type: TypeNode; optional: boolean } | null {
  if (!c.argType) return null;
  const members = c.argType.members.filter((m) => f.plan.filter.keeps(m));
  const optional = c.argType.variants === null && members.every((m) => m.optional);
  return { type: f.typeOf(c.argType, release), optional };
}

/** What a command's promise resolves with; in a span, by release where
 *  releases return different types (`void` where one returns nothing). */
export function returnOf(f: FileBuilder, c: Command, release?: TypeNode): TypeNode {
  if (!c.successResponse) return ty.keyword('void');
  const shapes = f.plan.span;
  const types = shapes?.distinctTypes(shapes.span.returns(c)) ?? [];
  if (types.length > 1) {
    return ty.union(types.map((x) => f.inRelease(x.in, x.type === null ? ty.keyword('void') : f.typeOf(x.type, RELEASE))));
  }
  return c.retType ? f.typeOf(c.retType, release) : ty.keyword('void');
}

/** Whether a command's function and method take the release parameter:
 *  their argument or return types do. */
export function takesRelease(f: FileBuilder, c: Command): boolean {
  const shapes = f.plan.span;
  if (!shapes) return false;
  if (c.argType !== null && shapes.isGeneric(c.argType)) return true;
  if (!c.successResponse) return false;
  const returns = shapes.distinctTypes(shapes.span.returns(c));
  return returns.length > 1 || returns.some((x) => x.type !== null && shapes.isGeneric(x.type));
}

/** `args` (when the command takes arguments) and `options`. */
export function commandParameters(f: FileBuilder, c: Command, release?: TypeNode): Parameter[] {
  const args = argumentsOf(f, c, release);
  return [
    ...(args ? [{ name: 'args', type: args.type, optional: args.optional }] : []),
    { name: 'options', type: f.runtimeType(c.allowOob ? 'OobCallOptions' : 'CallOptions'), optional: true },
  ];
}

/** The doc comment of a command's function and method. */
export function commandDocs(f: FileBuilder, c: Command, errorClasses: ReadonlySet<string>): DocNode[] {
  const doc = new DocBuilder(f.docLinks).note(`Runs ${codeSpan(c.name)}.`);
  const shapes = f.plan.span;
  const within = shapes?.releasesOf(c) ?? 0;
  doc.entity(c.doc, c.ifcond, c.features, shapes ? (x) => featureWhen(shapes.span, x, within) : undefined);
  if (shapes) {
    const presence = presenceNote(shapes.span, within, shapes.span.all);
    if (presence) doc.note(presence);
    const history = releaseHistory(f, c);
    if (history) doc.note(history);
  }
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

/**
 * What changes between the releases of a span in a command's arguments
 * and return value, one line each (empty when nothing does): the command's
 * history, read where the command is.
 */
function releaseHistory(f: FileBuilder, c: Command): string | null {
  const shapes = f.plan.span!;
  const span = shapes.span;
  const within = shapes.releasesOf(c);
  const lines: string[] = [];
  for (const m of c.argType?.members ?? []) {
    if (!f.plan.filter.keeps(m)) continue;
    const said = memberNotes(span, m, within);
    for (const feature of m.features) {
      const when = featureWhen(span, feature, span.member(m).in & within);
      if (when !== null) said.push(`${feature.name === 'deprecated' ? 'Deprecated' : `Feature ${codeSpan(feature.name)}`} ${when}.`);
    }
    if (said.length > 0) lines.push(`- ${codeSpan(m.name)}: ${said.join(' ')}`);
  }
  const returns = typesNote(span, span.returns(c), within, 'Returns');
  if (returns) lines.push(`- return value: ${returns}`);
  if (lines.length === 0) return null;
  const names = span.releases.filter((_, i) => hasRelease(within, i)).map((r) => r.name);
  return `Across QEMU ${names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0]}:\n\n${lines.join('\n')}`;
}

/** `export function blockCommit(qmp, args, options?): Promise<R>`; in a
 *  span, `blockCommit<R extends Release = Release>(...)` where its types
 *  take the release. */
export function emitCommandFunction(f: FileBuilder, c: Command, errorClasses: ReadonlySet<string>): void {
  const generic = takesRelease(f, c);
  const r = generic ? RELEASE : undefined;
  const params = commandParameters(f, c, r);
  const promise = ty.ref('Promise', returnOf(f, c, r));
  const run = ex.call(
    f.importRuntime('runCommand'),
    ex.id('qmp'),
    ex.id(f.plan.descriptorOf(c)),
    ex.id(params.length > 1 ? 'args' : 'undefined'),
    ex.id('options'),
    // How these bindings hold 64-bit integers (--int64).
    ex.literal(f.plan.settings.int64),
    // The releases the call is checked against the connected QEMU's in.
    ...(f.plan.span ? [ex.id(f.importFrom(SPAN_FILE, SPAN_NAMES.span))] : []),
  );
  const statement: Statement = {
    kind: 'function',
    name: f.plan.functionOf(c),
    docs: commandDocs(f, c, errorClasses),
    ...(generic ? { typeParameters: [f.releaseParameter()] } : {}),
    parameters: [{ name: 'qmp', type: f.runtimeType('QmpTransport'), optional: false }, ...params],
    returnType: promise,
    body: [{ kind: 'return', value: ex.as(run, promise) }],
  };
  f.add(statement);
}
