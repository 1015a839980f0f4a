/**
 * `span.ts`, in bindings that span releases: the union of their releases,
 * which every type that varies between them takes as its parameter, and
 * the same releases at run time, which the registry and every command
 * function hand the runtime to check calls against the connected QEMU's.
 */
import { SPAN_FILE, SPAN_NAMES } from '../naming/fixed-names.js';
import type { Plan } from '../naming/plan.js';
import { FileBuilder } from '../parts/file-builder.js';
import { docLine, ex, typeAlias, type FileSyntax } from '../syntax/statements.js';
import { ty } from '../syntax/type-syntax.js';
import { fixedText } from '../templates.js';

export function emitSpanFile(plan: Plan): FileSyntax {
  const span = plan.span?.span;
  if (span === undefined) throw new Error('span.ts for bindings of one schema');
  const f = new FileBuilder(plan, SPAN_FILE);
  const names = span.releases.map((r) => r.name);
  const sources = span.releases.map((r) => `${r.name} (${r.origin === 'schema' ? 'schema' : 'introspection'})`).join(', ');
  f.add(
    typeAlias(
      SPAN_NAMES.release,
      ty.union(names.map((n) => ty.literal(n))),
      docLine(fixedText('span', SPAN_NAMES.release, { releases: sources })),
    ),
    {
      kind: 'const',
      name: SPAN_NAMES.span,
      docs: docLine(fixedText('span', SPAN_NAMES.span)),
      type: f.runtimeType('SpanInfo', ty.ref(SPAN_NAMES.release)),
      value: ex.object([{ key: 'releases', value: ex.array(names.map((n) => ex.literal(n))) }]),
    },
  );
  return f.finish();
}
