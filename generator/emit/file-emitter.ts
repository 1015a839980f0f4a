/**
 * One output file being emitted: it owns the file's imports (collected as
 * declarations refer to other files), resolves QAPI types to TypeScript
 * type text through the plan's names, and collects statements.
 */
import { builtinType } from '../../runtime/type-rules.js';
import type { QapiType } from '../model/types.js';
import { propertyKey } from './names.js';
import type { Plan } from './plan.js';
import type { FileStructure, Statement } from './structures.js';

export class FileEmitter {
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

  /** Imports from a package (the runtime). */
  importFrom(specifier: string, id: string, typeOnly: boolean): string {
    addTo(typeOnly ? this.typeImports : this.valueImports, specifier, id);
    return id;
  }

  /** The TypeScript type text for a QAPI type. */
  typeText(t: QapiType): string {
    switch (t.kind) {
      case 'builtin':
        return builtinType(t.name).ts.join(' | ');
      case 'array': {
        const element = this.typeText(t.elementType);
        return /^[A-Za-z0-9_$]+$/.test(element) ? `${element}[]` : `(${element})[]`;
      }
      case 'object':
        if (t.role?.kind === 'empty-object') return 'Record<string, never>';
        if (t.role?.kind === 'branch-wrapper') {
          // A legacy simple union's branch: `{ data: Branch }`.
          const data = t.members[0];
          return data ? `{ ${propertyKey(data.name)}: ${this.typeText(data.type)} }` : 'Record<string, never>';
        }
        return this.declared(t);
      default:
        return this.declared(t);
    }
  }

  private declared(t: QapiType): string {
    const id = this.plan.typeId(t);
    if (id === undefined) throw new Error(`type '${t.name}' has no declaration`);
    return this.importType(this.plan.fileOf(t.module), id);
  }

  finish(): FileStructure {
    const imports: Statement[] = [];
    // Packages first, then sibling files; each sorted, so output is stable.
    const order = (s: string): string => `${s.startsWith('./') ? 1 : 0}${s}`;
    const specifiers = [...new Set([...this.valueImports.keys(), ...this.typeImports.keys()])].sort((a, b) =>
      order(a) < order(b) ? -1 : 1,
    );
    for (const moduleSpecifier of specifiers) {
      const values = [...(this.valueImports.get(moduleSpecifier) ?? [])].sort();
      const types = [...(this.typeImports.get(moduleSpecifier) ?? [])].filter((t) => !values.includes(t)).sort();
      if (values.length > 0) imports.push({ tag: 'import', structure: { moduleSpecifier, namedImports: values } });
      if (types.length > 0) {
        imports.push({ tag: 'import', structure: { moduleSpecifier, namedImports: types, isTypeOnly: true } });
      }
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
