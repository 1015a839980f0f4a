/**
 * Which entities, members, values and branches the output keeps: `--if`
 * evaluates conditions against the given symbols (without it everything is
 * kept and the condition only documented); `--no-unstable` drops whatever
 * carries the `unstable` feature; `--only` keeps the named commands and
 * events alone (and the schema's error class enum, which the client's
 * error type is).  A type that something kept still refers to is kept as well, so the
 * output always type-checks.
 */
import { nearMisses } from 'qapi-ts-runtime';
import type { Entity, Feature, IfCondition, QapiType, SchemaModel } from '../model/types.js';
import { errorClassEnum } from './error-class.js';

export interface FilterOptions {
  /** Defined configuration symbols; undefined keeps every conditional. */
  readonly ifSymbols?: readonly string[] | undefined;
  readonly noUnstable?: boolean | undefined;
  /** Names of the commands and events to keep; undefined keeps all. */
  readonly only?: readonly string[] | undefined;
}

/** An `--only` name that names no command or event the output can keep. */
export class SelectionError extends Error {
  override readonly name = 'SelectionError';
}

function evaluateCondition(cond: IfCondition, defined: ReadonlySet<string>): boolean {
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
  private readonly only: ReadonlySet<string> | null;
  private readonly keptEntities = new Set<Entity>();

  constructor(
    readonly model: SchemaModel,
    options: FilterOptions,
  ) {
    this.defined = options.ifSymbols ? new Set(options.ifSymbols) : null;
    this.noUnstable = options.noUnstable ?? false;
    this.only = options.only ? new Set(options.only) : null;
    if (this.only) this.checkOnly(this.only);
    this.computeKept();
  }

  /** Every `--only` name must be a command or event that stays. */
  private checkOnly(names: ReadonlySet<string>): void {
    const roots = this.model.entities.filter((e) => e.kind === 'command' || e.kind === 'event');
    const problems: string[] = [];
    for (const name of names) {
      const found = roots.find((e) => e.name === name);
      if (found === undefined) {
        const near = nearMisses(name, roots.map((e) => e.name));
        problems.push(`--only ${name}: no command or event has this name${near.length > 0 ? `; did you mean ${near.join(', ')}?` : ''}`);
      } else if (!this.keeps(found)) {
        problems.push(`--only ${name}: the ${found.kind} is left out by ${this.defined ? '--if' : '--no-unstable'}`);
      }
    }
    if (problems.length > 0) throw new SelectionError(problems.join('\n'));
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
    if (this.only) {
      // The client's error type is the schema's error class enum.
      const errorClass = errorClassEnum(this.model);
      if (errorClass && this.keeps(errorClass)) reach(errorClass);
    }
    for (const ent of this.model.entities) {
      if (ent.kind === 'include' || ent.kind === 'builtin' || ent.kind === 'array') continue;
      if (ent.kind === 'object' && ent.implicit) continue;
      if (!this.keeps(ent)) continue;
      if (this.only && !((ent.kind === 'command' || ent.kind === 'event') && this.only.has(ent.name))) continue;
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
