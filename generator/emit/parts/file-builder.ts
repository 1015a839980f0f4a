/**
 * One output file being built: it records the names the file takes from
 * other files and from the runtime (the printer imports the ones each
 * target uses), turns QAPI types into TypeScript type nodes through the
 * plan's names, and collects statements.  finish() refuses an export the
 * plan did not name.
 */
import { builtinType, tsKeywords } from 'qapi-ts-runtime/type-rules';
import type { LinkResolver } from './doc-markdown.js';
import type { QapiType } from '../../model/types.js';
import type { Plan } from '../naming/plan.js';
import type { RuntimeName } from '../naming/runtime-names.js';
import { declaredName, type FileSyntax, type ImportedName, type Statement } from '../syntax/statements.js';
import { ty, type TypeNode } from '../syntax/type-syntax.js';

export class FileBuilder {
  /** Where each name taken from elsewhere comes from. */
  private readonly imports = new Map<string, string>();
  private readonly body: Statement[] = [];

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
    return name;
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

  /** The TypeScript type of a QAPI type. */
  typeOf(t: QapiType): TypeNode {
    switch (t.kind) {
      case 'builtin':
        return ty.union(tsKeywords(builtinType(t.name), this.plan.settings.int64).map((k) => ty.keyword(k)));
      case 'array':
        return ty.array(this.typeOf(t.elementType));
      case 'object':
        if (t.role?.kind === 'empty-object') return ty.ref('Record', ty.keyword('string'), ty.keyword('never'));
        if (t.role?.kind === 'branch-wrapper') {
          // A legacy simple union's branch: `{ data: Branch }`.
          return ty.object(t.members.map((m) => ty.property(m.name, this.typeOf(m.type))));
        }
        return this.declared(t);
      default:
        return this.declared(t);
    }
  }

  private declared(t: QapiType): TypeNode {
    const id = this.plan.typeId(t);
    if (id === undefined) throw new Error(`type '${t.name}' has no declaration`);
    return ty.ref(this.importFrom(this.plan.fileOf(t.module), id));
  }

  finish(): FileSyntax {
    for (const s of this.body) {
      const name = declaredName(s);
      if (name !== null && !this.plan.mayExport(name)) throw new Error(`${this.stem}.ts would export '${name}', which the plan did not name`);
    }
    const imports: ImportedName[] = [...this.imports].map(([name, from]) => ({ name, from }));
    return { stem: this.stem, module: this.module, imports, statements: this.body };
  }
}
