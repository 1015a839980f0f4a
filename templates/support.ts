// The fixed part of the bindings: the validator that interprets the
// generated type tables, and the base class of the command wrappers.
import { QmpError } from 'qapi-ts/runtime';
import type { ExecuteOptions, QmpTransport } from 'qapi-ts/runtime';

/** A member of an object type: wire name, QAPI type name, optional. */
export type MemberDescriptor = readonly [name: string, type: string, optional?: boolean];

/** How one QAPI type is checked at run time. */
export type TypeDescriptor =
  | { readonly kind: 'builtin'; readonly type: BuiltinKind }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'array'; readonly element: string }
  | { readonly kind: 'alternate'; readonly branches: readonly string[] }
  | {
      readonly kind: 'object';
      readonly members: readonly MemberDescriptor[];
      /** For unions: the tag member, and the branch type of each tag value. */
      readonly tag?: string;
      readonly cases?: readonly (readonly [value: string, type: string])[];
    };

export type BuiltinKind =
  | 'str'
  | 'bool'
  | 'number'
  | 'null'
  | 'any'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64';

/** An error a command's documentation lists. */
export interface DocumentedError {
  /** The condition, as the documentation states it. */
  readonly condition: string;
  /** The error class the documentation names. */
  readonly documented: string;
  /** The class QEMU actually sends: names outside ErrorClass arrive as GenericError. */
  readonly errorClass: string;
}

export interface CommandInfo {
  /** QAPI name of the argument type, or null when the command takes none. */
  readonly args: string | null;
  readonly returns: string | null;
  /** Allowed out of band ('allow-oob'). */
  readonly oob: boolean;
  /** QEMU sends no reply ('success-response': false). */
  readonly noReply: boolean;
  readonly errors: readonly DocumentedError[];
}

export type TypeTable = readonly (readonly [name: string, descriptor: TypeDescriptor])[];
export type CommandTable = readonly (readonly [name: string, info: CommandInfo])[];

/** Thrown (as a rejection) before anything is sent when arguments are invalid. */
export class QapiValidationError extends Error {
  override readonly name = 'QapiValidationError';

  constructor(
    readonly command: string,
    /** Every problem found, each `PATH: what is wrong`. */
    readonly problems: readonly string[],
  ) {
    super(problems.map((p) => `${command}: ${p}`).join('\n'));
  }
}

type IntegerKind = 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64';

const INTEGER_RANGES: Readonly<Record<IntegerKind, readonly [bigint, bigint]>> = {
  int8: [BigInt(-128), BigInt(127)],
  int16: [BigInt(-32768), BigInt(32767)],
  int32: [BigInt(-2147483648), BigInt(2147483647)],
  int64: [BigInt('-9223372036854775808'), BigInt('9223372036854775807')],
  uint8: [BigInt(0), BigInt(255)],
  uint16: [BigInt(0), BigInt(65535)],
  uint32: [BigInt(0), BigInt(4294967295)],
  uint64: [BigInt(0), BigInt('18446744073709551615')],
};

/** JSON kinds, as QEMU chooses an alternate's branch by them. */
type JsonKind = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

const BUILTIN_JSON: Readonly<Record<BuiltinKind, JsonKind | null>> = {
  str: 'string',
  bool: 'boolean',
  number: 'number',
  null: 'null',
  any: null,
  int8: 'number',
  int16: 'number',
  int32: 'number',
  int64: 'number',
  uint8: 'number',
  uint16: 'number',
  uint32: 'number',
  uint64: 'number',
};

const ARTICLE: Readonly<Record<JsonKind, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  null: 'null',
  object: 'an object',
  array: 'an array',
};

function jsonKind(value: unknown): JsonKind | null {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'object';
    default:
      return null;
  }
}

/** How a value is shown in a problem: short, and never the whole value. */
function show(value: unknown): string {
  const kind = jsonKind(value);
  if (kind === 'string') {
    const text = JSON.stringify(value);
    return text.length > 40 ? `${text.slice(0, 37)}..."` : text;
  }
  if (kind === 'number' || kind === 'boolean' || kind === 'null') return String(value);
  if (kind === 'object' || kind === 'array') return ARTICLE[kind];
  return value === undefined ? 'undefined' : `a ${typeof value}`;
}

function child(path: string, name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

type Plain = Readonly<Record<string, unknown>>;

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The schema's types and commands at run time.  Lookups go through Maps and
 * user objects are read only through their own keys, so member names like
 * `constructor` or `__proto__` are ordinary names here.
 */
export class TypeRegistry<T = Record<string, unknown>, C = Record<string, unknown>> {
  private readonly types = new Map<string, TypeDescriptor>();
  private readonly commands = new Map<string, CommandInfo>();

  constructor(types: readonly TypeTable[], commands: readonly CommandTable[]) {
    for (const table of types) for (const [name, d] of table) this.types.set(name, d);
    for (const table of commands) for (const [name, info] of table) this.commands.set(name, info);
  }

  /** Every problem with `value` as a `name`, each prefixed by its path. */
  check(name: (keyof T & string) | string, value: unknown, path = 'value'): string[] {
    const problems: string[] = [];
    this.visit(name, value, path, problems);
    return problems;
  }

  /** Type guard: whether `value` is a valid `name`. */
  validate<K extends keyof T & string>(name: K, value: unknown): value is T[K] {
    return this.check(name, value).length === 0;
  }

  /** Throws a QapiValidationError listing every problem. */
  assertValid<K extends keyof T & string>(name: K, value: unknown): asserts value is T[K] {
    const problems = this.check(name, value);
    if (problems.length > 0) throw new QapiValidationError(name, problems);
  }

  /** What the command knows about itself, including its documented errors. */
  command(name: (keyof C & string) | string): CommandInfo | undefined {
    return this.commands.get(name);
  }

  /** Every problem with a command's arguments, paths starting at `arguments`. */
  checkArguments(command: (keyof C & string) | string, args: unknown): string[] {
    const info = this.commands.get(command);
    if (!info) return [`unknown command '${command}'`];
    if (info.args === null) {
      return args === undefined || (isPlainObject(args) && Object.keys(args).length === 0)
        ? []
        : ['arguments: the command takes no arguments'];
    }
    // A command whose members are all optional may be called without any.
    return this.check(info.args, args === undefined ? {} : args, 'arguments');
  }

  private visit(name: string, value: unknown, path: string, out: string[]): void {
    const d = this.types.get(name);
    if (!d) {
      out.push(`${path}: unknown type '${name}'`);
      return;
    }
    switch (d.kind) {
      case 'builtin':
        return builtin(d.type, value, path, out);
      case 'enum':
        if (typeof value !== 'string' || !d.values.includes(value)) {
          const some = d.values.slice(0, 8).map((v) => JSON.stringify(v));
          const list = d.values.length > 8 ? `${some.join(', ')}, ...` : some.join(', ');
          out.push(`${path}: expected one of ${list}, got ${show(value)}`);
        }
        return;
      case 'array':
        if (!Array.isArray(value)) {
          out.push(`${path}: expected an array, got ${show(value)}`);
          return;
        }
        value.forEach((element, i) => this.visit(d.element, element, `${path}[${i}]`, out));
        return;
      case 'alternate':
        return this.alternate(d.branches, value, path, out);
      case 'object': {
        if (!isPlainObject(value)) {
          out.push(`${path}: expected an object, got ${show(value)}`);
          return;
        }
        const known = new Set<string>();
        this.members(d, value, path, out, known);
        for (const key of Object.keys(value)) if (!known.has(key)) out.push(`${child(path, key)}: unknown member`);
        return;
      }
    }
  }

  /** Checks an object's members (and its union branch's), noting the names. */
  private members(d: TypeDescriptor & { kind: 'object' }, value: Plain, path: string, out: string[], known: Set<string>): void {
    for (const [name, type, optional] of d.members) {
      known.add(name);
      const present = Object.hasOwn(value, name) && value[name] !== undefined;
      if (present) this.visit(type, value[name], child(path, name), out);
      else if (!optional) out.push(`${child(path, name)}: missing required member`);
    }
    if (d.tag === undefined || !d.cases) return;
    const tag = Object.hasOwn(value, d.tag) ? value[d.tag] : undefined;
    const branch = d.cases.find(([v]) => v === tag);
    const branchType = branch && this.types.get(branch[1]);
    if (branchType?.kind === 'object') this.members(branchType, value, path, out, known);
  }

  /** QEMU picks an alternate's branch by the JSON type of the value. */
  private alternate(branches: readonly string[], value: unknown, path: string, out: string[]): void {
    const kind = jsonKind(value);
    const kinds: JsonKind[] = [];
    for (const b of branches) {
      const k = this.jsonKindOf(b);
      if (k === kind || k === null) {
        this.visit(b, value, path, out);
        return;
      }
      if (k !== undefined && !kinds.includes(k)) kinds.push(k);
    }
    out.push(`${path}: expected ${kinds.map((k) => ARTICLE[k]).join(' or ')}, got ${show(value)}`);
  }

  private jsonKindOf(name: string): JsonKind | null | undefined {
    const d = this.types.get(name);
    switch (d?.kind) {
      case 'builtin':
        return BUILTIN_JSON[d.type];
      case 'enum':
        return 'string';
      case 'array':
        return 'array';
      case 'object':
        return 'object';
      default:
        return undefined;
    }
  }
}

function builtin(type: BuiltinKind, value: unknown, path: string, out: string[]): void {
  switch (type) {
    case 'any':
      if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
        out.push(`${path}: expected a JSON value, got ${show(value)}`);
      }
      return;
    case 'number':
      if (!(typeof value === 'bigint' || (typeof value === 'number' && Number.isFinite(value)))) {
        out.push(`${path}: expected a number, got ${show(value)}`);
      }
      return;
    case 'str':
    case 'bool':
    case 'null': {
      const want = BUILTIN_JSON[type];
      if (want && jsonKind(value) !== want) out.push(`${path}: expected ${ARTICLE[want]}, got ${show(value)}`);
      return;
    }
    default:
      return integer(type, value, path, out);
  }
}

function integer(type: IntegerKind, value: unknown, path: string, out: string[]): void {
  if (typeof value !== 'bigint' && !(typeof value === 'number' && Number.isInteger(value))) {
    out.push(`${path}: expected an integer, got ${show(value)}`);
    return;
  }
  // number and bigint compare exactly, so 2 ** 64 is out of uint64's range.
  const [min, max] = INTEGER_RANGES[type];
  if (value < min || value > max) out.push(`${path}: expected an integer in ${type} range ${min}..${max}, got ${show(value)}`);
}

export interface CallOptions {
  /** Milliseconds to wait for the reply; 0 disables. */
  readonly timeout?: number;
  readonly signal?: AbortSignal;
  /** Skip argument validation (for arguments the schema does not know yet). */
  readonly unchecked?: boolean;
}

/** Options of commands that allow out-of-band execution. */
export interface OobCallOptions extends CallOptions {
  /** Send as `exec-oob` (the `oob` capability must be negotiated). */
  readonly oob?: boolean;
}

interface CommandShape {
  readonly args: unknown;
  readonly returns: unknown;
  readonly oob: boolean;
}

/** The arguments of `execute(name, ...)`: none, optional or required. */
export type ExecuteArguments<C extends { [K in keyof C]: CommandShape }, K extends keyof C> = [
  C[K]['args'],
] extends [undefined]
  ? [args?: undefined, options?: OptionsFor<C[K]>]
  : undefined extends C[K]['args']
    ? [args?: C[K]['args'], options?: OptionsFor<C[K]>]
    : [args: C[K]['args'], options?: OptionsFor<C[K]>];

type OptionsFor<S extends CommandShape> = S['oob'] extends true ? OobCallOptions : CallOptions;

/** Base of the generated command class: validates, then sends. */
export class CommandRunner<C extends { [K in keyof C]: CommandShape }> {
  constructor(
    readonly transport: QmpTransport,
    protected readonly registry: TypeRegistry<unknown, C>,
  ) {}

  /** Runs any command by name, typed like its method. */
  execute<K extends keyof C & string>(name: K, ...rest: ExecuteArguments<C, K>): Promise<C[K]['returns']> {
    const [args, options] = rest;
    return this.call(name, args, options) as Promise<C[K]['returns']>;
  }

  protected async call(name: string, args: unknown, options: OobCallOptions = {}): Promise<unknown> {
    const info = this.registry.command(name);
    if (!info) throw new QapiValidationError(name, ['not a command of this schema']);
    const problems = options.unchecked ? [] : this.registry.checkArguments(name, args);
    if (options.oob && !info.oob) problems.push('options.oob: the command does not allow out-of-band execution');
    if (problems.length > 0) throw new QapiValidationError(name, problems);
    const execute: ExecuteOptions = { noReply: info.noReply };
    if (options.oob) execute.oob = true;
    if (options.timeout !== undefined) execute.timeout = options.timeout;
    if (options.signal !== undefined) execute.signal = options.signal;
    const result = await this.transport.execute(name, args as Record<string, unknown> | undefined, execute);
    // Commands without 'returns' answer {}; their methods promise nothing.
    return info.noReply || info.returns === null ? undefined : result;
  }
}

/** Whether `error` is an error reply, optionally of a given command.  Also
 *  recognizes replies thrown by another copy of the runtime package. */
export function isQmpError<E extends string = string>(error: unknown, command?: string): error is QmpError<E> {
  const reply =
    error instanceof QmpError ||
    (error instanceof Error && error.name === 'QmpError' && typeof (error as { errorClass?: unknown }).errorClass === 'string');
  return reply && (command === undefined || (error as { command?: unknown }).command === command);
}
