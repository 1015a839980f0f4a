/**
 * A command's arguments as a Standard Schema validator (runtime
 * standard-schema.ts): `export const blockCommitArguments:
 * ArgumentsSchema<BlockCommitArguments> = new ArgumentsSchema(blockCommit$,
 * 'bigint')`, after the command's descriptor, which it reads.  The
 * constant is marked pure, so a bundler drops it, and the runtime's class,
 * from programs that do not use it.
 */
import type { Command } from '../../model/types.js';
import { codeSpan } from './doc-markdown.js';
import { argumentsOf } from './commands.js';
import { ex } from '../syntax/statements.js';
import type { FileBuilder } from './file-builder.js';

export function emitArgumentsSchema(f: FileBuilder, c: Command): void {
  const name = f.plan.argumentsSchemaOf(c);
  const args = argumentsOf(f, c);
  if (name === undefined || args === null) return;
  const schema = f.importRuntime('ArgumentsSchema');
  f.add({
    kind: 'const',
    name,
    docs: [
      {
        description:
          `The arguments of ${codeSpan(c.name)} as a Standard Schema validator, for libraries that accept one ` +
          `(form, RPC and router libraries): ${codeSpan("['~standard'].validate(value)")} checks what ` +
          `{@link ${f.plan.functionOf(c)}} checks before sending, and gives the value back or its issues, each with its path.`,
      },
    ],
    type: f.runtimeType('ArgumentsSchema', args.type),
    // How these bindings hold 64-bit integers (--int64), as the function.
    value: ex.newPure(schema, [], ex.id(f.plan.descriptorOf(c)), ex.literal(f.plan.settings.int64)),
  });
}
