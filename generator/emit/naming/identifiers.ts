/**
 * Identifiers: how QAPI names become TypeScript identifiers.
 *
 * Wire names (member keys, command and event names, enum values) are never
 * changed (printing quotes them where needed); only the identifiers that
 * name types, values and methods are derived.  A NameAllocator hands out
 * identifiers for one namespace so that two QAPI names mangling to the same
 * identifier (downstream `__com.x_Foo` next to `__com_x_Foo`, `query-foo`
 * next to `query_foo`) cannot collide: the later definition gets a numbered
 * suffix.  Allocation follows definition order, so it is deterministic.
 */

/** Words that cannot name a type or a value in a module. */
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally ' +
    'for function if import in instanceof new null return super switch this throw true try typeof var void ' +
    'while with implements interface let package private protected public static yield await as async from ' +
    'get set of type declare module namespace abstract readonly keyof infer is asserts unique satisfies ' +
    // Names strict code cannot bind (command functions are bindings).
    'eval arguments ' +
    // A module exporting `then` is a thenable: `await import()` of it
    // would call it.
    'then ' +
    // Type names TypeScript predefines, and globals the output refers to.
    'any unknown never object string number boolean bigint symbol undefined ' +
    'Object Array Record Promise Map Set String Number Boolean BigInt Symbol Error TypeError JSON Math ' +
    'NaN Infinity globalThis Partial Readonly ReadonlyArray Exclude Extract Pick Omit'
  ).split(' '),
);

/** Replaces what an identifier cannot hold ('.', '-', '+') with '_'. */
export function sanitize(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_$]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

function words(name: string): { lead: string; parts: string[] } {
  // Keep a downstream prefix's leading underscores: they tell '__com.x_foo'
  // apart from a plain 'com-x-foo'.
  const lead = /^_*/.exec(name)?.[0] ?? '';
  const parts = name
    .slice(lead.length)
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p !== '');
  return { lead, parts };
}

const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

/** `block-commit` → `BlockCommit`, `BLOCK_JOB_COMPLETED` → `BlockJobCompleted`. */
export function pascalCase(name: string): string {
  const { lead, parts } = words(name);
  // An all-caps event name is lowered first; a mixed-case one keeps its humps.
  const lower = name === name.toUpperCase();
  const body = parts.map((p) => cap(lower ? p.toLowerCase() : p)).join('');
  return sanitize(lead + body);
}

/** `block-commit` → `blockCommit`. */
export function camelCase(name: string): string {
  const pascal = pascalCase(name);
  const lead = /^_*/.exec(pascal)?.[0] ?? '';
  const rest = pascal.slice(lead.length);
  return lead + rest.charAt(0).toLowerCase() + rest.slice(1);
}

/** Hands out unique identifiers within one namespace. */
export class NameAllocator {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = RESERVED) {
    for (const r of reserved) this.taken.add(r);
  }

  /** Marks names as used (the fixed names a file declares itself). */
  reserve(...names: string[]): void {
    for (const n of names) this.taken.add(n);
  }

  /** The identifier for `wanted`, or `wanted_2`, `wanted_3`... if taken. */
  allocate(wanted: string): string {
    let candidate = wanted;
    for (let i = 2; this.taken.has(candidate); i++) candidate = `${wanted}_${i}`;
    this.taken.add(candidate);
    return candidate;
  }
}
