/**
 * The syntax tree the grammar produces: values as written (with their
 * locations) and raw documentation blocks.  Nothing here is checked beyond
 * syntax; later stages give it meaning.
 */

/** A position in a file, as the grammar records it. */
export interface Loc {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

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

/** One comment line of a documentation block; `text` starts at its '#'. */
export interface DocLineNode {
  readonly loc: Loc;
  readonly text: string;
}

/** A '##' block, as written. */
export interface DocBlockNode {
  readonly kind: 'doc';
  readonly loc: Loc;
  /** The opening comment, from its '##' to the end of the line. */
  readonly openText: string;
  readonly lines: readonly DocLineNode[];
  /** The closing '##' comment, or null when the block never closes. */
  readonly close: DocLineNode | null;
  /** Where the first non-comment token after an unclosed block stands. */
  readonly unterminatedAt: Loc | null;
}

export type TopItemNode = ValueNode | DocBlockNode;

/** Looks up a key of a dict node (dicts never repeat keys). */
export function dictGet(dict: DictNode, key: string): ValueNode | undefined {
  for (const entry of dict.entries) {
    if (entry.key === key) return entry.value;
  }
  return undefined;
}
