/**
 * The syntax tree the grammar produces: values as written (with where
 * they stand) and raw documentation blocks.  Nothing here is checked beyond
 * syntax; later stages give it meaning.
 *
 * A value holds its offset in its file's text, and that file; its line and
 * column are worked out when asked (locOf), as TypeScript's own nodes hold
 * positions.  Most values' places are never asked for (QEMU 7.2 has 9,600
 * strings; a valid schema's check asks for a member's, a branch's, an enum
 * value's or a feature's), and a location made for each one was an object
 * more per value for the whole front end to carry.
 */

import type { DocBlockNode } from '../source/doc-block.js';
import type { LineSource } from '../source/line-map.js';
import type { Loc } from '../source/location.js';

export type { DocBlockNode, DocLineNode } from '../source/doc-block.js';
export type { Loc } from '../source/location.js';

export type ValueNode = DictNode | ListNode | StringNode | BoolNode;

/** Where a node stands: the offset of its first character ('{', '[', the
 *  opening quote) in the text of its file. */
export interface Placed {
  readonly offset: number;
  readonly source: LineSource;
}

export interface DictNode extends Placed {
  readonly kind: 'dict';
  readonly entries: readonly DictEntry[];
}

/** A member of a dict, placed where its key stands (its key's node is not
 *  kept: the entry holds what of it is needed). */
export interface DictEntry extends Placed {
  readonly key: string;
  readonly value: ValueNode;
}

export interface ListNode extends Placed {
  readonly kind: 'list';
  readonly items: readonly ValueNode[];
}

export interface StringNode extends Placed {
  readonly kind: 'string';
  readonly value: string;
}

export interface BoolNode extends Placed {
  readonly kind: 'bool';
  readonly value: boolean;
}

/** The location of what stands at `at`. */
export function locOf(at: Placed): Loc {
  return at.source.lineMap.locate(at.source.file, at.offset);
}

/** `value` written in place of the dict `{ KEY: value }` (a member's bare
 *  type, an enum's bare value name), placed where `value` stands. */
export function dictOfOne(key: string, value: ValueNode): DictNode {
  return { kind: 'dict', offset: value.offset, source: value.source, entries: [{ key, offset: value.offset, source: value.source, value }] };
}

export type TopItemNode = ValueNode | DocBlockNode;

/** The location of a top-level item (a doc block's is its opening line's). */
export function itemLoc(item: TopItemNode): Loc {
  return item.kind === 'doc' ? item.loc : locOf(item);
}

/** Where a top-level item starts in its file's text. */
export function itemOffset(item: TopItemNode): number {
  return item.kind === 'doc' ? item.loc.offset : item.offset;
}

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
