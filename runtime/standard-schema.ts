/**
 * Standard Schema (standardschema.dev), version 1: the interface Zod,
 * Valibot and ArkType validators share, which form libraries, RPC routers
 * and web frameworks accept in place of any one of them.  A value has it
 * when its `~standard` member gives `version: 1`, a `vendor`, and
 * `validate(value)`, which answers `{ value }` for a valid value or
 * `{ issues }`, each issue a message and the path to what is wrong.
 *
 * The generated bindings give each command that takes arguments such a
 * validator (`blockCommitArguments`, an ArgumentsSchema), built by the
 * runtime from the command's descriptor and the bindings' --int64 mode, so
 * it checks exactly what the command's function checks before sending.
 * The generated constant is marked pure: a program that does not use it
 * bundles none of this.  The interface is declared here, in qapi-ts's own
 * words, so the runtime needs no package for it; the tests hold it to
 * `@standard-schema/spec`'s declarations.
 */
import { pathSteps, type PathStep } from './paths.js';
import type { CommandInfo } from './tables.js';
import type { Int64Mode } from './type-rules.js';
import { argumentProblems } from './validation.js';

/** A Standard Schema validator of values of type `Output`. */
export interface StandardSchema<Input = unknown, Output = Input> {
  readonly '~standard': StandardSchemaProps<Input, Output>;
}

/** What `~standard` holds. */
export interface StandardSchemaProps<Input = unknown, Output = Input> {
  /** The version of the interface: 1. */
  readonly version: 1;
  /** Who made the validator: `qapi-ts` for these. */
  readonly vendor: string;
  readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
  /** The types validated, for type inference only: never set. */
  readonly types?: { readonly input: Input; readonly output: Output } | undefined;
}

/** What `validate` answers: the value, or what is wrong with it. */
export type StandardResult<Output> = { readonly value: Output; readonly issues?: undefined } | { readonly issues: readonly StandardIssue[] };

/** One thing wrong with a value. */
export interface StandardIssue {
  readonly message: string;
  /** Where in the value, outermost first; absent for the value itself. */
  readonly path?: readonly PathStep[];
}

/** What qapi-ts's validators hold in `~standard`: `validate` answers at once. */
export interface ArgumentsSchemaProps<A> extends StandardSchemaProps<A, A> {
  readonly vendor: 'qapi-ts';
  readonly validate: (value: unknown) => StandardResult<A>;
}

/**
 * A command's arguments as a Standard Schema validator: `validate` accepts
 * exactly what the command's function accepts (the same descriptor, the
 * same --int64 mode) and gives the value back unchanged, or one issue per
 * problem, each with the path from the arguments to the member at fault
 * (`['files', 2, 'name']`) and the validator's message
 * (`expected an integer, got "fast"`).
 */
export class ArgumentsSchema<A> implements StandardSchema<A> {
  private props: ArgumentsSchemaProps<A> | undefined;

  constructor(
    /** The command whose arguments these are. */
    readonly command: CommandInfo,
    /** How the bindings hold 64-bit integers. */
    readonly int64: Int64Mode,
  ) {}

  /** Made when first asked for: bindings hold one per command. */
  get '~standard'(): ArgumentsSchemaProps<A> {
    this.props ??= { version: 1, vendor: 'qapi-ts', validate: (value) => this.validate(value) };
    return this.props;
  }

  private validate(value: unknown): StandardResult<A> {
    const problems = argumentProblems(this.command, value, this.int64);
    if (problems.length === 0) return { value: value as A };
    return {
      issues: problems.map((p) => {
        const path = pathSteps(p.path, 'arguments');
        return path.length === 0 ? { message: p.message } : { message: p.message, path };
      }),
    };
  }
}
