/**
 * The order of a merged model: its entities and its modules, each as the
 * releases list them, the newest release's order first.
 */
import type { ArrayType, BuiltinType, Command, Entity, Event, Module, QapiType } from '../model/types.js';
import { BUILTIN_MODULE } from '../model/types.js';
import { orderedNames, type Correspondence, type Identity, type ReleaseModel } from './correspond.js';
import { isSource } from './naming.js';

/** What the merge made, as the order needs it. */
export interface MergedParts {
  readonly correspondence: Correspondence;
  readonly builtins: ReadonlyMap<string, BuiltinType>;
  /** Each merged type's array type, where one is used. */
  readonly arrays: ReadonlyMap<QapiType, ArrayType>;
  readonly entityOf: ReadonlyMap<Identity, QapiType>;
  readonly commands: ReadonlyMap<string, Command>;
  readonly events: ReadonlyMap<string, Event>;
}

/** Every entity in one order: built-ins and their arrays first, then the
 *  newest release's order, older releases' entities after their
 *  predecessor there; arrays after their elements. */
export function orderEntities(inputs: readonly ReleaseModel[], parts: MergedParts): Entity[] {
  const { correspondence: c, builtins, arrays, entityOf, commands, events } = parts;
  const keyOf = new Map<string, Entity>();
  const lists: string[][] = inputs.map(({ model }) => {
    const keys: string[] = [];
    for (const e of model.entities) {
      if (e.kind === 'command' || e.kind === 'event') {
        const merged = (e.kind === 'command' ? commands : events).get(e.name)!;
        keys.push(`${e.kind} ${e.name}`);
        keyOf.set(`${e.kind} ${e.name}`, merged);
      } else if (e.kind === 'enum' || e.kind === 'object' || e.kind === 'alternate') {
        for (const id of c.identitiesOf(e)) {
          keys.push(`type ${id.serial}`);
          keyOf.set(`type ${id.serial}`, entityOf.get(id)!);
        }
      }
    }
    return keys;
  });
  const out: Entity[] = [];
  for (const b of builtins.values()) {
    out.push(b);
    const list = arrays.get(b);
    if (list) out.push(list);
  }
  const placed = new Set<Entity>(out);
  const emptyEntity = entityOf.get(c.empty)!;
  out.push(emptyEntity);
  placed.add(emptyEntity);
  const push = (e: Entity): void => {
    if (placed.has(e)) return;
    placed.add(e);
    out.push(e);
    const list = e.kind === 'enum' || e.kind === 'object' || e.kind === 'alternate' ? arrays.get(e) : undefined;
    if (list) push(list);
  };
  for (const key of orderedNames(lists)) push(keyOf.get(key)!);
  // Types no release lists as its own (none, but for safety) and arrays
  // of arrays.
  for (const t of entityOf.values()) push(t);
  for (const a of [...arrays.values()]) push(a);
  return out;
}

/** The merged model's modules, source schemas' order first, each with the
 *  entities it holds and what the newest release having it says of it. */
export function orderModules(inputs: readonly ReleaseModel[], entities: readonly Entity[]): Module[] {
  const names = orderedNames(inputs.filter(isSource).map((i) => i.model.modules.map((m) => m.name)));
  for (const i of inputs) for (const m of i.model.modules) if (!names.includes(m.name)) names.push(m.name);
  const builtinFirst = [BUILTIN_MODULE, ...names.filter((n) => n !== BUILTIN_MODULE)];
  return builtinFirst
    .map((name): Module => {
      let newest: Module | undefined;
      for (let r = inputs.length - 1; r >= 0 && newest === undefined; r--) newest = inputs[r]!.model.modules.find((x) => x.name === name);
      return { name, qemuName: newest?.qemuName ?? name, entities: entities.filter((e) => e.module === name), overview: newest?.overview ?? [] };
    })
    .filter((m) => m.entities.length > 0 || m.overview.length > 0);
}
