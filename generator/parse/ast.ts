/**
 * The syntax tree the grammar produces: values as written (with their
 * locations) and raw documentation blocks.  Nothing here is checked beyond
 * syntax; later stages give it meaning.
 */

import type { DocBlockNode } from '../source/doc-block.js';
import type { Loc } from '../source/location.js';

export type { DocBlockNode, DocLineNode } from '../source/doc-block.js';
export type { Loc } from '../source/location.js';

export type ValueNode = DictNode | ListNode | StringNode | BoolNode;

export interface DictNode {
  readonly kind: 'dict';
  readonly loc: Loc;
  readonly entries: readonly DictEntry[];
}

export interface DictEntry {
  readonly key: string;
  readonly keyLoc: Loc;
  readonly value: ValueNode;
}

export interface ListNode {
  readonly kind: 'list';
  readonly loc: Loc;
  readonly items: readonly ValueNode[];
}

export interface StringNode {
  readonly kind: 'string';
  readonly loc: Loc;
  readonly value: string;
}

export interface BoolNode {
  readonly kind: 'bool';
  readonly loc: Loc;
  readonly value: boolean;
}

export type TopItemNode = ValueNode | DocBlockNode;

/** What the text before a syntax error holds: the complete items, and the
 *  text after them that does not make one. */
export interface RecoveredItems {
  readonly items: TopItemNode[];
  readonly rest: string;
}

/** Looks up a key of a dict node (dicts never repeat keys). */
export function dictGet(dict: DictNode, key: string): ValueNode | undefined {
  // An indexed loop: the front end mostly runs in V8's interpreter, where
  // for-of costs an iterator call per element.
  const entries = dict.entries;
  for (let i = 0; i < entries.length; i++) {
    if (entries[i]!.key === key) return entries[i]!.value;
  }
  return undefined;
}
