/**
 * Compares two schema models as a client sees them: which commands and
 * events exist, and for each, the arguments it may send and the values it
 * reads back, walked type by type from the commands and events (type names
 * do not matter to a client, the wire does).  Either model may come from a
 * schema file or from introspection.
 *
 * The walk pairs the two sides' types at the same place (a member with the
 * member of that name, a variant with the same case, an alternate's branch
 * with the branch that arrives as the same JSON) and compares each pair
 * once, however many places share it.  What it finds is raw: drift and diff
 * each judge it in their own terms.
 */
import { builtinType, jsonKindOfType } from 'qapi-ts-runtime/type-rules';
import { EMPTY_OBJECT } from '../model/builder.js';
import type { Command, EnumMember, Event, Feature, IfCondition, Member, ObjectType, QapiType, SchemaModel, Variant } from '../model/types.js';

/** Whether the client writes a value (a command's arguments) or reads it
 *  (a return value, an event's data). */
export type Polarity = 'input' | 'output';

/** What has a difference: an element and what it carries. */
export interface Element {
  readonly ifcond: IfCondition | null;
  readonly features: readonly Feature[];
}

export type ElementKind = 'command' | 'event' | 'member' | 'value' | 'branch' | 'feature';

export type Difference =
  /** Present on one side only: 'removed' from the first, 'added' in the second. */
  | {
      readonly kind: 'presence';
      readonly element: ElementKind;
      readonly name: string;
      readonly change: 'removed' | 'added';
      /** The side that has it. */
      readonly on: Element;
      /** For a member: whether it is optional there; for a feature: what carries it. */
      readonly optional?: boolean;
      readonly carrier?: string;
    }
  /** A member became optional ('optional') or required ('required'). */
  | { readonly kind: 'optional'; readonly name: string; readonly change: 'optional' | 'required' }
  /** The type at a place changed: 'widened' when the new type takes every
   *  value the old one did (and more), 'narrowed' for the reverse. */
  | {
      readonly kind: 'type';
      /** The place, in words: "member 'speed'", "the elements", "the return value". */
      readonly place: string;
      readonly from: string;
      readonly to: string;
      readonly variance: 'widened' | 'narrowed' | 'changed';
    }
  /** A command flag the client depends on. */
  | { readonly kind: 'flag'; readonly flag: 'allow-oob' | 'success-response'; readonly from: boolean; readonly to: boolean };

export interface CompareOptions {
  /** Compare integer types by their exact range: only meaningful when
   *  neither side is introspection (which folds them all into 'int'). */
  readonly exactIntegers: boolean;
}

/** A command or event, or a pair of types: differences of its own, and
 *  the pairs below it. */
export interface Node {
  readonly differences: Difference[];
  readonly children: { readonly label: string; readonly node: Node }[];
  /** The pair's types; null for a command or event. */
  readonly types: readonly [QapiType | null, QapiType | null] | null;
}

export interface Root extends Node {
  readonly kind: 'command' | 'event';
  readonly name: string;
  /** The entity on each side (null where it is missing). */
  readonly entities: readonly [Command | Event | null, Command | Event | null];
}

export interface Comparison {
  readonly roots: readonly Root[];
  /** The conditions of the first side's elements that the second has too:
   *  evidence of what the second was built with. */
  readonly present: readonly IfCondition[];
}

/** A difference as plain data, for --json (what carries it left out). */
export function differenceJson(d: Difference): Record<string, unknown> {
  if (d.kind !== 'presence') return { ...d };
  const { on: _on, ...rest } = d;
  return rest;
}

/** A short description of a type, as reports print it. */
export function describeType(t: QapiType | null): string {
  if (t === null) return 'nothing';
  switch (t.kind) {
    case 'builtin':
      return t.name;
    case 'array':
      return `[${describeType(t.elementType)}]`;
    default:
      return t.kind === 'object' && t.role ? (t.role.kind === 'empty-object' ? '{}' : 'an object') : t.name;
  }
}

/** How a builtin travels in JSON, without integer widths. */
function wireType(t: QapiType): string {
  if (t.kind !== 'builtin') return t.kind;
  return t.jsonType === 'size' ? 'int' : t.jsonType;
}

function featureDifferences(a: readonly Feature[], b: readonly Feature[], carrier: string): Difference[] {
  const out: Difference[] = [];
  for (const f of a) if (!b.some((x) => x.name === f.name)) out.push({ kind: 'presence', element: 'feature', name: f.name, change: 'removed', on: { ifcond: f.ifcond, features: [] }, carrier });
  for (const f of b) if (!a.some((x) => x.name === f.name)) out.push({ kind: 'presence', element: 'feature', name: f.name, change: 'added', on: { ifcond: f.ifcond, features: [] }, carrier });
  return out;
}

/** Matches two lists by key; calls back for each side-only and common item. */
function match<T>(a: readonly T[], b: readonly T[], key: (x: T) => string | null, only: (x: T, change: 'removed' | 'added') => void, both: (x: T, y: T) => void): void {
  const bs = new Map<string, T>();
  for (const y of b) {
    const k = key(y);
    if (k !== null) bs.set(k, y);
  }
  const matched = new Set<T>();
  for (const x of a) {
    const k = key(x);
    const y = k === null ? undefined : bs.get(k);
    if (y === undefined) only(x, 'removed');
    else {
      matched.add(y);
      both(x, y);
    }
  }
  for (const y of b) if (!matched.has(y)) only(y, 'added');
}

class Comparer {
  private readonly pairs = new Map<QapiType, Map<QapiType, Node>>();
  readonly present: IfCondition[] = [];

  private both(x: { readonly ifcond: IfCondition | null }): void {
    if (x.ifcond) this.present.push(x.ifcond);
  }

  private features(a: readonly Feature[], b: readonly Feature[], carrier: string): Difference[] {
    for (const f of a) if (b.some((x) => x.name === f.name)) this.both(f);
    return featureDifferences(a, b, carrier);
  }

  constructor(
    private readonly options: CompareOptions,
    /** Each side's object without members: what "no arguments" and "no
     *  return value" are on the wire. */
    private readonly empty: readonly [QapiType, QapiType],
  ) {}

  /** The node of a pair of types of the same kind, compared once. */
  private pair(a: QapiType, b: QapiType): Node {
    let row = this.pairs.get(a);
    if (!row) this.pairs.set(a, (row = new Map()));
    let node = row.get(b);
    if (node) return node;
    node = { differences: [], children: [], types: [a, b] };
    // Registered first: a recursive type meets itself, compared already.
    row.set(b, node);
    this.fill(node, a, b);
    return node;
  }

  /**
   * Compares the types at one place of `parent` (a member, the elements,
   * a branch, the arguments...): the same kind of type is a pair below it;
   * a different one is a difference of the parent's, at that place, so
   * that every place reports its own change.
   */
  place(parent: Node, label: string, place: string, a: QapiType | null, b: QapiType | null): void {
    // No arguments and an empty object are the same thing on the wire.
    const ao = a ?? this.empty[0];
    const bo = b ?? this.empty[1];
    if (ao.kind !== bo.kind || (ao.kind === 'builtin' && wireType(ao) !== wireType(bo))) {
      parent.differences.push(this.typeChange(ao, bo, parent, label, place));
      return;
    }
    if (ao.kind === 'builtin' && bo.kind === 'builtin') {
      if (this.options.exactIntegers && ao.name !== bo.name) {
        const [ra, rb] = [builtinType(ao.name).range, builtinType(bo.name).range];
        if (ra && rb) {
          const variance = rb[0] <= ra[0] && ra[1] <= rb[1] ? 'widened' : ra[0] <= rb[0] && rb[1] <= ra[1] ? 'narrowed' : 'changed';
          parent.differences.push({ kind: 'type', place, from: ao.name, to: bo.name, variance });
        }
      }
      return;
    }
    parent.children.push({ label, node: this.pair(ao, bo) });
  }

  /** Fills the node of two types of the same kind (not built-ins). */
  private fill(node: Node, ao: QapiType, bo: QapiType): void {
    const { differences: diffs } = node;
    if (ao.kind === 'enum' && bo.kind === 'enum') {
      diffs.push(...this.features(ao.features, bo.features, 'the type'));
      match<EnumMember>(
        ao.members,
        bo.members,
        (m) => m.name,
        (m, change) => diffs.push({ kind: 'presence', element: 'value', name: m.name, change, on: m }),
        (x, y) => {
          this.both(x);
          diffs.push(...this.features(x.features, y.features, `value '${x.name}'`));
        },
      );
      return;
    }
    if (ao.kind === 'array' && bo.kind === 'array') {
      this.place(node, '[]', 'the elements', ao.elementType, bo.elementType);
      return;
    }
    if (ao.kind === 'alternate' && bo.kind === 'alternate') {
      diffs.push(...this.features(ao.features, bo.features, 'the type'));
      match<Variant>(
        ao.variants.variants,
        bo.variants.variants,
        (v) => jsonKindOfType(v.type),
        (v, change) => diffs.push({ kind: 'presence', element: 'branch', name: describeType(v.type), change, on: { ifcond: v.ifcond, features: [] } }),
        (x, y) => {
          this.both(x);
          this.place(node, `<${x.name}>`, `branch '${x.name}'`, x.type, y.type);
        },
      );
      return;
    }
    if (ao.kind === 'object' && bo.kind === 'object') this.objects(node, ao, bo);
  }

  private objects(node: Node, a: ObjectType, b: ObjectType): void {
    const { differences: diffs } = node;
    diffs.push(...this.features(a.features, b.features, 'the type'));
    match<Member>(
      a.members,
      b.members,
      (m) => m.name,
      (m, change) => diffs.push({ kind: 'presence', element: 'member', name: m.name, change, on: m, optional: m.optional }),
      (x, y) => {
        this.both(x);
        if (x.optional !== y.optional) diffs.push({ kind: 'optional', name: x.name, change: y.optional ? 'optional' : 'required' });
        diffs.push(...this.features(x.features, y.features, `member '${x.name}'`));
        this.place(node, `.${x.name}`, `member '${x.name}'`, x.type, y.type);
      },
    );
    const [va, vb] = [a.variants, b.variants];
    if (!va || !vb) {
      // A struct that became a union (or back) keeps its common members;
      // what each variant adds is compared against nothing.
      for (const v of va?.variants ?? []) this.place(node, `(${va!.tagMember.name}=${v.name})`, `variant '${v.name}'`, v.type, this.empty[1]);
      for (const v of vb?.variants ?? []) this.place(node, `(${vb!.tagMember.name}=${v.name})`, `variant '${v.name}'`, this.empty[0], v.type);
      return;
    }
    const [ta, tb] = [va.tagMember.name, vb.tagMember.name];
    if (ta !== tb) {
      diffs.push({ kind: 'type', place: 'the tag', from: `a union on '${ta}'`, to: `a union on '${tb}'`, variance: 'changed' });
      return;
    }
    // Every value of the tag has its variant, so a variant comes and goes
    // with its value, which the tag's own pair reports.
    match<Variant>(
      va.variants,
      vb.variants,
      (v) => v.name,
      () => undefined,
      (x, y) => {
        this.both(x);
        this.place(node, `(${ta}=${x.name})`, `variant '${x.name}'`, x.type, y.type);
      },
    );
  }

  /** A change of kind at a place; against an alternate, the branch of the
   *  same JSON kind decides whether it widened or narrowed (and is
   *  compared further). */
  private typeChange(a: QapiType, b: QapiType, parent: Node, label: string, place: string): Difference {
    const from = describeType(a);
    const to = describeType(b);
    const change = (variance: 'widened' | 'narrowed' | 'changed'): Difference => ({ kind: 'type', place, from, to, variance });
    // Every value of an enum is a string.
    if (a.kind === 'enum' && b.kind === 'builtin' && b.jsonType === 'string') return change('widened');
    if (b.kind === 'enum' && a.kind === 'builtin' && a.jsonType === 'string') return change('narrowed');
    const branchLike = (alt: QapiType, t: QapiType): QapiType | undefined =>
      alt.kind === 'alternate' ? alt.variants.variants.find((v) => jsonKindOfType(v.type) === jsonKindOfType(t) && jsonKindOfType(t) !== null)?.type : undefined;
    const widened = branchLike(b, a);
    if (widened && a.kind !== 'alternate') {
      this.place(parent, `${label}<${to}>`, place, a, widened);
      return change('widened');
    }
    const narrowed = branchLike(a, b);
    if (narrowed && b.kind !== 'alternate') {
      this.place(parent, `${label}<${from}>`, place, narrowed, b);
      return change('narrowed');
    }
    return change('changed');
  }

  root(kind: 'command' | 'event', name: string, a: Command | Event | null, b: Command | Event | null): Root {
    const root: Root = { kind, name, entities: [a, b], differences: [], children: [], types: null };
    if (!a || !b) {
      const on = (a ?? b)!;
      root.differences.push({ kind: 'presence', element: kind, name, change: a ? 'removed' : 'added', on });
      return root;
    }
    this.both(a);
    root.differences.push(...this.features(a.features, b.features, kind === 'command' ? 'the command' : 'the event'));
    if (kind === 'command') this.place(root, 'arguments', 'the arguments', a.argType, b.argType);
    else this.place(root, 'data', 'the data', a.argType, b.argType);
    if (a.kind === 'command' && b.kind === 'command') {
      this.place(root, 'returns', 'the return value', a.retType, b.retType);
      if (a.allowOob !== b.allowOob) root.differences.push({ kind: 'flag', flag: 'allow-oob', from: a.allowOob, to: b.allowOob });
      if (a.successResponse !== b.successResponse) {
        root.differences.push({ kind: 'flag', flag: 'success-response', from: a.successResponse, to: b.successResponse });
      }
    }
    return root;
  }
}


function rootsOf(model: SchemaModel): Map<string, Command | Event> {
  const out = new Map<string, Command | Event>();
  for (const e of model.entities) if (e.kind === 'command' || e.kind === 'event') out.set(`${e.kind} ${e.name}`, e);
  return out;
}

/** Compares `b` against `a`: what `a` has and `b` lacks is 'removed'. */
export function compareModels(a: SchemaModel, b: SchemaModel, options: CompareOptions): Comparison {
  const empty = (m: SchemaModel): QapiType => {
    const t = m.lookupType(EMPTY_OBJECT);
    if (!t) throw new Error('a model without its empty object type');
    return t;
  };
  const comparer = new Comparer(options, [empty(a), empty(b)]);
  const [ra, rb] = [rootsOf(a), rootsOf(b)];
  const roots: Root[] = [];
  for (const [key, x] of ra) roots.push(comparer.root(x.kind, x.name, x, rb.get(key) ?? null));
  for (const [key, y] of rb) if (!ra.has(key)) roots.push(comparer.root(y.kind, y.name, null, y));
  return { roots, present: comparer.present };
}
