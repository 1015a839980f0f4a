/**
 * The names a command's method may not take on the generated command class,
 * found on the classes themselves rather than kept as a list: every member
 * of its base class (CommandRunner, instance fields included) and of the
 * classes above it up to Object.prototype, plus the names JavaScript looks
 * up on any object.  When the runtime gives CommandRunner a new member, no
 * command can shadow it.
 */
import { CommandRunner, TypeRegistry } from 'qapi-ts-runtime';

/**
 * Names that change how JavaScript treats an object that has them:
 * `then` makes it a thenable (`await x`, or returning it from an async
 * function, would call it and never settle), `toJSON` replaces it in
 * JSON.stringify.  The coercion methods (`valueOf`, `toString`,
 * `toLocaleString`), `constructor` and `__proto__` are Object.prototype's
 * own names and found there.  Symbol keys (Symbol.iterator,
 * Symbol.toPrimitive, ...) cannot arise: method names are identifiers.
 */
export const PROTOCOL_NAMES = ['then', 'toJSON'] as const;

type AnyClass = abstract new (...args: never[]) => object;

/** Every property name on the prototype chain of `cls`, Object.prototype
 *  included, and on `instance` (its own fields). */
export function memberNames(cls: AnyClass, instance: object): string[] {
  const names = new Set<string>(Object.getOwnPropertyNames(instance));
  for (let proto: object | null = cls.prototype as object; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) names.add(name);
  }
  return [...names];
}

/** A CommandRunner as generated classes make one, to read its fields from. */
function sampleRunner(): object {
  const transport = { execute: (): Promise<unknown> => Promise.reject(new Error('not connected')) };
  return new CommandRunner(transport, new TypeRegistry([], []));
}

/** What the generated command class's methods must not be called. */
export function reservedMethodNames(base: AnyClass = CommandRunner, instance: object = sampleRunner()): string[] {
  return [...new Set([...memberNames(base, instance), ...PROTOCOL_NAMES])];
}
