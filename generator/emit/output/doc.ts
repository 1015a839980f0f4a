/**
 * A layout engine in the manner of Wadler's "prettier printer", with the
 * semantics of prettier's own document printer: a document is text plus
 * places where a line may break, grouped; a group is printed on one line
 * when it fits in what is left of the line (counting what follows it up to
 * the next possible break), else its lines break.  The layouts in
 * layout-*.ts build the same documents prettier builds for the constructs
 * generated code uses, so the text printed here is what prettier would
 * print (test/emit/prettier-shape.compiler.test.ts holds it to that).
 *
 * Breaks propagate when a group is made: a group containing a hard line
 * (or a group that must break) must break itself, as prettier's
 * propagateBreaks decides before printing.
 *
 * Only what generated code needs is here: no fill, no line suffixes, no
 * conditional groups; text is ASCII (string literals escape the rest), so
 * its width is its length.
 */

const GROUP = 0;
const INDENT = 1;
const ALIGN = 2;
const LINE = 3;
const IF_BREAK = 4;
const INDENT_IF_BREAK = 5;
const BREAK_PARENT = 6;

interface Group {
  readonly t: typeof GROUP;
  readonly contents: Doc;
  readonly break: boolean;
  readonly id: number;
}
interface Indent {
  readonly t: typeof INDENT;
  readonly contents: Doc;
}
interface Align {
  readonly t: typeof ALIGN;
  readonly n: number;
  readonly contents: Doc;
}
interface Line {
  readonly t: typeof LINE;
  readonly soft: boolean;
  readonly hard: boolean;
}
interface IfBreak {
  readonly t: typeof IF_BREAK;
  readonly breakContents: Doc;
  readonly flatContents: Doc;
  readonly groupId: number;
}
interface IndentIfBreak {
  readonly t: typeof INDENT_IF_BREAK;
  readonly contents: Doc;
  readonly groupId: number;
}
interface BreakParent {
  readonly t: typeof BREAK_PARENT;
}

export type Doc = string | readonly Doc[] | Group | Indent | Align | Line | IfBreak | IndentIfBreak | BreakParent;

/** A group's id, for an ifBreak or indentIfBreak that follows its mode. */
export type GroupId = number;

let nextGroupId = 1;

/** A fresh id for a group that an ifBreak or indentIfBreak refers to. */
export function groupId(): GroupId {
  return nextGroupId++;
}

/** Whether a break inside `doc` forces the group around it to break:
 *  a hard line, or a group that breaks (groups inside were made first). */
function forcesBreak(doc: Doc): boolean {
  if (typeof doc === 'string') return false;
  if (Array.isArray(doc)) {
    for (const d of doc as readonly Doc[]) if (forcesBreak(d)) return true;
    return false;
  }
  const node = doc as Exclude<Doc, string | readonly Doc[]>;
  switch (node.t) {
    case GROUP:
      return node.break;
    case INDENT:
    case ALIGN:
    case INDENT_IF_BREAK:
      return forcesBreak(node.contents);
    case IF_BREAK:
      return forcesBreak(node.breakContents) || forcesBreak(node.flatContents);
    case BREAK_PARENT:
      return true;
    case LINE:
      return false;
  }
}

export function group(contents: Doc, options: { shouldBreak?: boolean; id?: GroupId } = {}): Doc {
  return { t: GROUP, contents, break: options.shouldBreak === true || forcesBreak(contents), id: options.id ?? 0 };
}

export const indent = (contents: Doc): Doc => ({ t: INDENT, contents });
export const align = (n: number, contents: Doc): Doc => ({ t: ALIGN, n, contents });
export const line: Doc = { t: LINE, soft: false, hard: false };
export const softline: Doc = { t: LINE, soft: true, hard: false };
const breakParent: Doc = { t: BREAK_PARENT };
export const hardline: Doc = [{ t: LINE, soft: false, hard: true }, breakParent];

export function ifBreak(breakContents: Doc, flatContents: Doc = '', options: { groupId?: GroupId } = {}): Doc {
  return { t: IF_BREAK, breakContents, flatContents, groupId: options.groupId ?? 0 };
}

export function indentIfBreak(contents: Doc, groupId: GroupId): Doc {
  return { t: INDENT_IF_BREAK, contents, groupId };
}

/** Whether `doc` has a place where a line could break. */
export function canBreak(doc: Doc): boolean {
  if (typeof doc === 'string') return false;
  if (Array.isArray(doc)) return (doc as readonly Doc[]).some(canBreak);
  const node = doc as Exclude<Doc, string | readonly Doc[]>;
  switch (node.t) {
    case LINE:
      return true;
    case GROUP:
    case INDENT:
    case ALIGN:
    case INDENT_IF_BREAK:
      return canBreak(node.contents);
    case IF_BREAK:
      return canBreak(node.breakContents) || canBreak(node.flatContents);
    case BREAK_PARENT:
      return false;
  }
}

export function join(separator: Doc, docs: readonly Doc[]): Doc[] {
  const out: Doc[] = [];
  docs.forEach((d, i) => {
    if (i > 0) out.push(separator);
    out.push(d);
  });
  return out;
}

const FLAT = 0;
const BREAK = 1;
type Mode = typeof FLAT | typeof BREAK;

interface Command {
  readonly indent: number;
  readonly mode: Mode;
  readonly doc: Doc;
}

/**
 * Whether `next` fits in `width` columns: its text, in its mode, then the
 * text of the commands after it (each in its own mode) up to the first
 * line that breaks.  A space from a line counts only once text follows it.
 */
function fits(next: Command, rest: readonly Command[], width: number, modes: ReadonlyMap<GroupId, Mode>): boolean {
  if (width === Number.POSITIVE_INFINITY) return true;
  let restIndex = rest.length;
  let pendingSpace = false;
  const stack: { mode: Mode; doc: Doc }[] = [next];
  while (width >= 0) {
    const item = stack.pop();
    if (item === undefined) {
      if (restIndex === 0) return true;
      stack.push(rest[--restIndex] as Command);
      continue;
    }
    const { mode, doc } = item;
    if (typeof doc === 'string') {
      if (doc !== '') {
        if (pendingSpace) {
          width -= 1;
          pendingSpace = false;
        }
        width -= doc.length;
      }
      continue;
    }
    if (Array.isArray(doc)) {
      const parts = doc as readonly Doc[];
      for (let i = parts.length - 1; i >= 0; i--) stack.push({ mode, doc: parts[i] as Doc });
      continue;
    }
    const node = doc as Exclude<Doc, string | readonly Doc[]>;
    switch (node.t) {
      case INDENT:
      case ALIGN:
      case INDENT_IF_BREAK:
        stack.push({ mode, doc: node.contents });
        break;
      case GROUP:
        stack.push({ mode: node.break ? BREAK : mode, doc: node.contents });
        break;
      case IF_BREAK: {
        const groupMode = node.groupId !== 0 ? (modes.get(node.groupId) ?? FLAT) : mode;
        const contents = groupMode === BREAK ? node.breakContents : node.flatContents;
        if (contents !== '') stack.push({ mode, doc: contents });
        break;
      }
      case LINE:
        if (mode === BREAK || node.hard) return true;
        if (!node.soft) pendingSpace = true;
        break;
      case BREAK_PARENT:
        break;
    }
  }
  return false;
}

/** Removes spaces and tabs at the end of the output (before a newline). */
function trimEnd(out: string[]): void {
  while (out.length > 0) {
    const last = out[out.length - 1] as string;
    const end = last.charCodeAt(last.length - 1);
    if (end !== 32 && end !== 9) return;
    const trimmed = last.replace(/[ \t]+$/, '');
    if (trimmed !== '') {
      out[out.length - 1] = trimmed;
      return;
    }
    out.pop();
  }
}

const spaces: string[] = [''];
function indentation(n: number): string {
  while (spaces.length <= n) spaces.push(' '.repeat(spaces.length));
  return spaces[n] as string;
}

/** Prints a document in `width` columns (Infinity: every group that may
 *  stay on one line does), indenting by two spaces; `at`: the indentation
 *  it stands at, its first line starting there (what a document printed
 *  as part of another, after a hard line at that indentation, prints). */
export function printDoc(doc: Doc, width: number, at = 0): string {
  const modes = new Map<GroupId, Mode>();
  const out: string[] = [];
  let position = at;
  let remeasure = false;
  const commands: Command[] = [{ indent: at, mode: BREAK, doc }];
  while (commands.length > 0) {
    const { indent: ind, mode, doc: current } = commands.pop() as Command;
    if (typeof current === 'string') {
      out.push(current);
      position += current.length;
      continue;
    }
    if (Array.isArray(current)) {
      const parts = current as readonly Doc[];
      for (let i = parts.length - 1; i >= 0; i--) commands.push({ indent: ind, mode, doc: parts[i] as Doc });
      continue;
    }
    const node = current as Exclude<Doc, string | readonly Doc[]>;
    switch (node.t) {
      case INDENT:
        commands.push({ indent: ind + 2, mode, doc: node.contents });
        break;
      case ALIGN:
        commands.push({ indent: ind + node.n, mode, doc: node.contents });
        break;
      case GROUP: {
        let chosen: Command;
        if (mode === FLAT && !remeasure) {
          chosen = { indent: ind, mode: node.break ? BREAK : FLAT, doc: node.contents };
        } else {
          remeasure = false;
          const flat: Command = { indent: ind, mode: FLAT, doc: node.contents };
          chosen = !node.break && fits(flat, commands, width - position, modes) ? flat : { indent: ind, mode: BREAK, doc: node.contents };
        }
        commands.push(chosen);
        if (node.id !== 0) modes.set(node.id, chosen.mode);
        break;
      }
      case IF_BREAK:
      case INDENT_IF_BREAK: {
        const groupMode = node.groupId !== 0 ? modes.get(node.groupId) : mode;
        if (groupMode === BREAK) {
          const contents = node.t === IF_BREAK ? node.breakContents : indent(node.contents);
          if (contents !== '') commands.push({ indent: ind, mode, doc: contents });
        } else if (groupMode === FLAT) {
          const contents = node.t === IF_BREAK ? node.flatContents : node.contents;
          if (contents !== '') commands.push({ indent: ind, mode, doc: contents });
        }
        break;
      }
      case LINE:
        if (mode === FLAT && !node.hard) {
          if (!node.soft) {
            out.push(' ');
            position += 1;
          }
          break;
        }
        // A hard line in a flat group: the groups after it must measure again.
        if (mode === FLAT) remeasure = true;
        trimEnd(out);
        out.push(`\n${indentation(ind)}`);
        position = ind;
        break;
      case BREAK_PARENT:
        break;
    }
  }
  return out.join('');
}
