/**
 * The upgrade diff: what changes for a client moving from one QEMU (or
 * schema) to another, command by command and event by event, judged by
 * where each change sits.  What a client sends (a command's arguments) and
 * what it reads (return values, event data) break in opposite ways:
 *
 * | change                          | in arguments | in what is read |
 * | ------------------------------- | ------------ | --------------- |
 * | command or event removed        | breaking     | breaking        |
 * | member removed                  | breaking     | breaking (required), caution (optional) |
 * | member added                    | breaking if required, else compatible | compatible |
 * | member became required          | breaking     | compatible      |
 * | member became optional          | compatible   | breaking        |
 * | enum value or branch removed    | breaking     | compatible      |
 * | enum value or branch added      | compatible   | caution         |
 * | type widened (e.g. str → StrOrNull) | compatible | breaking      |
 * | type narrowed                   | breaking     | compatible      |
 * | type changed                    | breaking     | breaking        |
 * | allow-oob dropped, success-response changed | breaking |         |
 *
 * "Caution": no call fails and nothing already written stops working, but
 * code that handles every value it knows (an exhaustive switch) meets one
 * it does not, or a member it may have relied on is gone.  Deprecation and
 * `unstable` changes are listed apart; other feature changes are
 * compatible.
 */
import type { Feature, SchemaModel } from '../model/types.js';
import { compareModels, type Difference, type Polarity, type Root } from './compare.js';
import { placesOf } from './places.js';

export type Severity = 'breaking' | 'caution' | 'compatible';

export interface DiffChange {
  /** The command or event. */
  readonly root: { readonly kind: 'command' | 'event'; readonly name: string };
  /** Where inside it: `arguments.top`, `returns[].device`, `arguments(driver=file).filename`. */
  readonly path: string;
  readonly severity: Severity;
  /** 'deprecation' and 'unstable' changes are listed apart. */
  readonly section: Severity | 'deprecation' | 'unstable';
  readonly message: string;
  readonly difference: Difference;
}

export interface DiffReport {
  readonly changes: readonly DiffChange[];
  readonly counts: Readonly<Record<DiffChange['section'], number>>;
  readonly breaking: boolean;
}


/** The severity of a difference at a place read or written as `polarity`. */
function judge(d: Difference, polarity: Polarity): Severity {
  const input = polarity === 'input';
  switch (d.kind) {
    case 'presence':
      switch (d.element) {
        case 'command':
        case 'event':
          return d.change === 'removed' ? 'breaking' : 'compatible';
        case 'member':
          if (d.change === 'removed') return input || !d.optional ? 'breaking' : 'caution';
          return input && !d.optional ? 'breaking' : 'compatible';
        case 'value':
        case 'branch':
          if (d.change === 'removed') return input ? 'breaking' : 'compatible';
          return input ? 'compatible' : 'caution';
        case 'feature':
          return 'compatible';
      }
      break;
    case 'optional':
      return (d.change === 'required') === input ? 'breaking' : 'compatible';
    case 'type':
      if (d.variance === 'changed') return 'breaking';
      return (d.variance === 'widened') === input ? 'compatible' : 'breaking';
    case 'flag':
      return d.flag === 'allow-oob' && d.to ? 'compatible' : 'breaking';
  }
}

const deprecated = (features: readonly Feature[]): boolean => features.some((f) => f.name === 'deprecated');

function words(d: Difference, wasDeprecated: boolean): string {
  switch (d.kind) {
    case 'presence': {
      if (d.element === 'command' || d.element === 'event') return `the ${d.element} was ${d.change}${wasDeprecated ? ' (it was deprecated)' : ''}`;
      if (d.element === 'feature') {
        const carrier = d.carrier ?? 'it';
        if (d.name === 'deprecated') return d.change === 'added' ? `${carrier} is now deprecated` : `${carrier} is no longer deprecated`;
        if (d.name === 'unstable') return d.change === 'added' ? `${carrier} is now unstable` : `${carrier} is no longer unstable`;
        return `${carrier}: feature '${d.name}' ${d.change}`;
      }
      const optional = d.element === 'member' ? (d.optional ? ' (optional)' : ' (required)') : '';
      return `${d.element} '${d.name}' ${d.change}${optional}${d.change === 'removed' && wasDeprecated ? ' (it was deprecated)' : ''}`;
    }
    case 'optional':
      return `member '${d.name}' became ${d.change}`;
    case 'type':
      return `${d.place}: type ${d.variance}: ${d.from} → ${d.to}`;
    case 'flag':
      return `'${d.flag}' changed: ${d.from} → ${d.to}`;
  }
}

function section(d: Difference, severity: Severity): DiffChange['section'] {
  if (d.kind === 'presence' && d.element === 'feature' && (d.name === 'deprecated' || d.name === 'unstable')) {
    return d.name === 'deprecated' ? 'deprecation' : 'unstable';
  }
  return severity;
}

export function diffModels(old: SchemaModel, next: SchemaModel, options: { readonly exactIntegers: boolean }): DiffReport {
  const comparison = compareModels(old, next, options);
  const changes: DiffChange[] = [];
  for (const root of comparison.roots) changes.push(...rootChanges(root));
  const counts = { breaking: 0, caution: 0, compatible: 0, deprecation: 0, unstable: 0 };
  for (const c of changes) counts[c.section]++;
  return { changes, counts, breaking: counts.breaking > 0 };
}

function rootChanges(root: Root): DiffChange[] {
  const out: DiffChange[] = [];
  const ref = { kind: root.kind, name: root.name };
  for (const { node, path, paths } of placesOf(root)) {
    for (const d of node.differences) {
      const wasDeprecated = d.kind === 'presence' && d.change === 'removed' && deprecated(d.on.features);
      const message = words(d, wasDeprecated);
      const add = (at: string, severity: Severity): void => {
        out.push({ root: ref, path: at, severity, section: section(d, severity), message, difference: d });
      };
      // Sent and read alike, a change may weigh differently each way: then
      // it is listed for each, where first met that way.
      const judged = [...paths].map(([polarity, at]) => [at, judge(d, polarity)] as const);
      if (judged.length === 0) add(path, judge(d, 'output'));
      else if (judged.every(([, s]) => s === judged[0]![1])) add(path, judged[0]![1]);
      else for (const [at, severity] of judged) add(at, severity);
    }
  }
  return out;
}
