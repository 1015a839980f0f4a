/**
 * One output file being built: it records the names the file takes from
 * other files and from the runtime (the printer imports the ones each
 * target uses), turns QAPI types into TypeScript type nodes through the
 * plan's names, and collects statements.  finish() refuses an export the
 * plan did not name, and a local (a parameter, a type parameter) that is
 * not one of LOCAL_NAMES or that would hide a name of the file.
 */
import { builtinType, tsKeywords } from 'qapi-ts-runtime/type-rules';
import type { LinkResolver } from './doc-markdown.js';
import type { QapiType } from '../../model/types.js';
import type { Plan } from '../naming/plan.js';
import { LOCAL_NAMES, LOCALS } from '../naming/local-names.js';
import type { RuntimeName } from '../naming/runtime-names.js';
import { declaredName, localNames, type FileSyntax, type ImportedName, type Statement } from '../syntax/statements.js';
import { ty, type TypeNode, type TypeParameter } from '../syntax/type-syntax.js';
import { SPAN_FILE, SPAN_NAMES } from '../naming/fixed-names.js';
import { hasRelease, type ReleaseSet } from '../../span/releases.js';

/** The name of the release parameter of span declarations. */
export const RELEASE_PARAMETER = LOCAL_NAMES.release;

/** A reference to the release parameter. */
export const RELEASE: TypeNode = ty.ref(RELEASE_PARAMETER);

/** What one part of a file added: its statements, and the names it took
 *  from other files and the runtime (for a caller that adds the same part
 *  again in a later run: emit/kept.ts). */
export interface FilePart {
  readonly statements: readonly Statement[];
  /** Each name taken, and where from. */
  readonly taken: readonly (readonly [string, string])[];
}

/** Something made for a file (a member of a statement), and the names
 *  it took. */
export interface MadePart<T> {
  readonly value: T;
  readonly taken: readonly (readonly [string, string])[];
}

export class FileBuilder {
  /** Where each name taken from elsewhere comes from. */
  private readonly imports = new Map<string, string>();
  private readonly body: Statement[] = [];
  /** The names the part being made takes (part()). */
  private taking: [string, string][] | null = null;

  constructor(
    readonly plan: Plan,
    /** This file's stem (`block-core`). */
    readonly stem: string,
    /** The QAPI module it holds, if any. */
    readonly module: string | null = null,
  ) {}

  add(...statements: Statement[]): void {
    this.body.push(...statements);
  }

  private take(name: string, from: string): string {
    const known = this.imports.get(name);
    if (known !== undefined && known !== from) throw new Error(`${this.stem}: '${name}' would come from both ${known} and ${from}`);
    this.imports.set(name, from);
    this.taking?.push([name, from]);
    return name;
  }

  /** Runs `make`; returns what it made, and the names it took. */
  made<T>(make: () => T): MadePart<T> {
    if (this.taking !== null) throw new Error(`${this.stem}: a part within a part`);
    const taken: [string, string][] = [];
    this.taking = taken;
    try {
      return { value: make(), taken };
    } finally {
      this.taking = null;
    }
  }

  /** What made() made before (for a file of the same plan's names), its
   *  names taken again. */
  again<T>(part: MadePart<T>): T {
    for (const [name, from] of part.taken) this.take(name, from);
    return part.value;
  }

  /** Runs `emit`, which adds to the file; returns what it added. */
  part(emit: () => void): FilePart {
    const start = this.body.length;
    const { taken } = this.made(emit);
    return { statements: this.body.slice(start), taken };
  }

  /** Adds a part made before (by part(), for a file of the same plan's
   *  names) again. */
  addPart(part: FilePart): void {
    this.add(...this.again({ value: part.statements, taken: part.taken }));
  }

  /** A name declared in file `stem` (imported when that is another file). */
  importFrom(stem: string, id: string): string {
    return stem === this.stem ? id : this.take(id, `./${stem}.js`);
  }

  /** A name the runtime exports. */
  importRuntime(name: RuntimeName): string {
    return this.take(name, this.plan.settings.runtime);
  }

  /** A reference to a runtime type, imported. */
  runtimeType(name: RuntimeName, ...args: TypeNode[]): TypeNode {
    return ty.ref(this.importRuntime(name), ...args);
  }

  /** What a doc comment in this file may link to: the types declared in
   *  it.  Others are named in code spans rather than imported for a link. */
  readonly docLinks: LinkResolver = (qapiName) => {
    const t = this.plan.model.lookupType(qapiName);
    const id = t && this.plan.typeId(t);
    return id !== undefined && this.plan.fileOf(t!.module) === this.stem ? id : undefined;
  };

  /** The TypeScript type of a QAPI type; `release` is the release
   *  parameter (`R`) passed to a type of a span that takes one, in a
   *  declaration that has it (elsewhere: the default, every release). */
  typeOf(t: QapiType, release?: TypeNode): TypeNode {
    switch (t.kind) {
      case 'builtin':
        return ty.union(tsKeywords(builtinType(t.name), this.plan.settings.int64).map((k) => ty.keyword(k)));
      case 'array':
        return ty.array(this.typeOf(t.elementType, release));
      case 'object':
        if (t.role?.kind === 'empty-object') return ty.ref('Record', ty.keyword('string'), ty.keyword('never'));
        if (t.role?.kind === 'branch-wrapper') {
          // A legacy simple union's branch: `{ data: Branch }`.
          return ty.object(t.members.map((m) => ty.property(m.name, this.typeOf(m.type, release))));
        }
        return this.declared(t, release);
      default:
        return this.declared(t, release);
    }
  }

  private declared(t: QapiType, release: TypeNode | undefined): TypeNode {
    const id = this.plan.typeId(t);
    if (id === undefined) throw new Error(`type '${t.name}' has no declaration`);
    const name = this.importFrom(this.plan.fileOf(t.module), id);
    return release !== undefined && this.plan.span?.isGeneric(t) ? ty.ref(name, release) : ty.ref(name);
  }

  /** The span's `Release` union (imported from span.ts). */
  releaseUnion(): TypeNode {
    return ty.ref(this.importFrom(SPAN_FILE, SPAN_NAMES.release));
  }

  /** `R extends Release = Release`: the release parameter of a declaration
   *  (without the default for a method's own). */
  releaseParameter(name: string = RELEASE_PARAMETER, withDefault = true): TypeParameter {
    return withDefault ? { name, constraint: this.releaseUnion(), default: this.releaseUnion() } : { name, constraint: this.releaseUnion() };
  }

  /** Some of the span's releases as a type: `'8.2' | '10.2'`, or `Release`
   *  for all of them. */
  releaseSet(set: ReleaseSet): TypeNode {
    const span = this.plan.span?.span;
    if (span === undefined) throw new Error('releases of bindings that span none');
    if ((set & span.all) === span.all) return this.releaseUnion();
    return ty.union(span.releases.filter((_, i) => hasRelease(set, i)).map((r) => ty.literal(r.name)));
  }

  /** `InRelease<R, '8.2' | '10.2', T>`: T where the releases have it. */
  inRelease(set: ReleaseSet, type: TypeNode): TypeNode {
    return this.runtimeType('InRelease', RELEASE, this.releaseSet(set), type);
  }

  finish(): FileSyntax {
    const fileScope = new Set(this.imports.keys());
    for (const s of this.body) {
      const name = declaredName(s);
      if (name !== null && !this.plan.mayExport(name)) throw new Error(`${this.stem}.ts would export '${name}', which the plan did not name`);
      if (name !== null) fileScope.add(name);
    }
    for (const s of this.body) {
      for (const local of localNames(s)) {
        if (!LOCALS.has(local)) throw new Error(`${this.stem}.ts binds the local '${local}', which is not one of LOCAL_NAMES (naming/local-names.ts)`);
        if (fileScope.has(local)) throw new Error(`${this.stem}.ts: the local '${local}' would hide the file's '${local}'`);
      }
    }
    const imports: ImportedName[] = [...this.imports].map(([name, from]) => ({ name, from }));
    return { stem: this.stem, module: this.module, imports, statements: this.body };
  }
}
