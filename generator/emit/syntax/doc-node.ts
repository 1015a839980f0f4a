/**
 * A doc comment as data, shared by statements and the members of types
 * (type-syntax.ts), which statements contain.
 */

/** A doc comment: text, then block tags in order. */
export interface DocNode {
  readonly description: string;
  readonly tags?: readonly { readonly tagName: string; readonly text?: string }[];
}
