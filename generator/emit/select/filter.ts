/**
 * Which entities, members, values and branches the output keeps: `--if`
 * evaluates conditions against the given symbols (without it everything is
 * kept and the condition only documented); `--no-unstable` drops whatever
 * carries the `unstable` feature.  A type that something kept still refers
 * to is kept as well, so the output always type-checks.
 */
import type { Entity, Feature, IfCondition, QapiType, SchemaModel } from '../../model/types.js';

export interface FilterOptions {
  /** Defined configuration symbols; undefined keeps every conditional. */
  readonly ifSymbols?: readonly string[] | undefined;
  readonly noUnstable?: boolean | undefined;
}

export function evaluateCondition(cond: IfCondition, defined: ReadonlySet<string>): boolean {
  switch (cond.kind) {
    case 'name':
      return defined.has(cond.name);
    case 'all':
      return cond.operands.every((c) => evaluateCondition(c, defined));
    case 'any':
      return cond.operands.some((c) => evaluateCondition(c, defined));
    case 'not':
      return !evaluateCondition(cond.operand, defined);
  }
}

export class Filter {
  private readonly defined: ReadonlySet<string> | null;
  private readonly noUnstable: boolean;
  private readonly keptEntities = new Set<Entity>();

  constructor(
    readonly model: SchemaModel,
    options: FilterOptions,
  ) {
    this.defined = options.ifSymbols ? new Set(options.ifSymbols) : null;
    this.noUnstable = options.noUnstable ?? false;
    this.computeKept();
  }

  /** Whether a part with this condition and these features stays. */
  keeps(part: { readonly ifcond: IfCondition | null; readonly features?: readonly Feature[] }): boolean {
    if (part.ifcond && this.defined && !evaluateCondition(part.ifcond, this.defined)) return false;
    if (this.noUnstable && part.features?.some((f) => f.name === 'unstable' && this.keeps({ ifcond: f.ifcond }))) {
      return false;
    }
    return true;
  }

  /** Whether an entity is emitted (it passes, or a kept part refers to it). */
  keepsEntity(ent: Entity): boolean {
    return this.keptEntities.has(ent);
  }

  private computeKept(): void {
    const pending: QapiType[] = [];
    const reach = (t: QapiType | null | undefined): void => {
      if (t && !this.keptEntities.has(t)) {
        this.keptEntities.add(t);
        pending.push(t);
      }
    };
    for (const ent of this.model.entities) {
      if (ent.kind === 'include' || ent.kind === 'builtin' || ent.kind === 'array') continue;
      if (ent.kind === 'object' && ent.implicit) continue;
      if (!this.keeps(ent)) continue;
      if (ent.kind === 'command') {
        this.keptEntities.add(ent);
        reach(ent.argType);
        reach(ent.retType);
      } else if (ent.kind === 'event') {
        this.keptEntities.add(ent);
        reach(ent.argType);
      } else {
        reach(ent);
      }
    }
    for (let t = pending.pop(); t; t = pending.pop()) {
      for (const ref of this.references(t)) reach(ref);
    }
  }

  /** The types a type's kept parts refer to. */
  references(t: QapiType): QapiType[] {
    switch (t.kind) {
      case 'array':
        return [t.elementType];
      case 'object': {
        const refs: QapiType[] = [];
        if (t.base) refs.push(t.base);
        for (const m of t.localMembers) if (this.keeps(m)) refs.push(m.type);
        if (t.variants) {
          refs.push(t.variants.tagMember.type);
          for (const v of t.variants.variants) if (this.keeps(v)) refs.push(v.type);
        }
        return refs;
      }
      case 'alternate':
        return t.variants.variants.filter((v) => this.keeps(v)).map((v) => v.type);
      default:
        return [];
    }
  }
}
