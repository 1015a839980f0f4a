/**
 * One output file being built: it owns the file's imports (collected as
 * declarations refer to other files and to the runtime), turns QAPI types
 * into TypeScript type nodes through the plan's names, and collects
 * statements.  finish() refuses an export the plan did not name.
 */
import { builtinType, tsKeywords } from 'qapi-ts-runtime/type-rules';
import type { LinkResolver } from './doc-markdown.js';
import type { QapiType } from '../../model/types.js';
import type { Plan } from '../naming/plan.js';
import { RUNTIME_BINDINGS, type RuntimeName } from '../naming/runtime-names.js';
import { declaredName, type FileSyntax, type Statement } from '../syntax/statements.js';
import { ty, type TypeNode } from '../syntax/type-syntax.js';

export class FileBuilder {
  private readonly typeImports = new Map<string, Set<string>>();
  private readonly valueImports = new Map<string, Set<string>>();
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

  /** Notes that this file uses a type declared in file `stem`. */
  importType(stem: string, id: string): string {
    if (stem !== this.stem) addTo(this.typeImports, `./${stem}.js`, id);
    return id;
  }

  importValue(stem: string, id: string): string {
    if (stem !== this.stem) addTo(this.valueImports, `./${stem}.js`, id);
    return id;
  }

  /** Imports a name from the runtime, as a value if it is bound as one. */
  importRuntime(name: RuntimeName): string {
    addTo(RUNTIME_BINDINGS[name].value ? this.valueImports : this.typeImports, this.plan.runtime, name);
    return name;
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
        return ty.union(tsKeywords(builtinType(t.name), this.plan.int64).map((k) => ty.keyword(k)));
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
    return ty.ref(this.importType(this.plan.fileOf(t.module), id));
  }

  finish(): FileSyntax {
    for (const s of this.body) {
      const name = declaredName(s);
      if (name !== null && !this.plan.mayExport(name)) throw new Error(`${this.stem}.ts would export '${name}', which the plan did not name`);
    }
    const imports: Statement[] = [];
    // Packages first, then sibling files; each sorted, so output is stable.
    const order = (s: string): string => `${s.startsWith('./') ? 1 : 0}${s}`;
    const specifiers = [...new Set([...this.valueImports.keys(), ...this.typeImports.keys()])].sort((a, b) =>
      order(a) < order(b) ? -1 : 1,
    );
    for (const from of specifiers) {
      const values = [...(this.valueImports.get(from) ?? [])].sort();
      const types = [...(this.typeImports.get(from) ?? [])].filter((t) => !values.includes(t)).sort();
      if (values.length > 0) imports.push({ kind: 'import', from, names: values, typeOnly: false });
      if (types.length > 0) imports.push({ kind: 'import', from, names: types, typeOnly: true });
    }
    return { path: `${this.stem}.ts`, module: this.module, statements: [...imports, ...this.body] };
  }
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}
