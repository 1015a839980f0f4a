/**
 * The structure of doc text, for emitters that render it: QEMU's doc
 * comments are reStructuredText since 9.1 (and mostly were before).  This
 * reads the subset QAPI docs use: paragraphs, section headings (rST's
 * underlined titles, and the '= Title' lines of free-form docs before QEMU
 * 10.1), bullet and numbered lists, literal blocks ('::'), and directives ('.. note::', '.. admonition::
 * Title', '.. qmp-example::' with its ':title:' and ':annotated:' options),
 * whose content is read the same way.  Inline markup stays in the text.
 *
 * It is a reading aid, not a checker: any text gives blocks, and text that
 * is not rST comes out as paragraphs.
 */
import { leadingSpace } from '../source/text.js';

export type DocBlock = DocParagraph | DocHeading | DocList | DocLiteral | DocDirective | DocQuote;

interface BlockCommon {
  /** The block's first line, counted from 0 within the text it came from. */
  readonly line: number;
}

export interface DocParagraph extends BlockCommon {
  readonly kind: 'paragraph';
  /** Its lines joined with '\n', indentation removed. */
  readonly text: string;
}

/** A section title of free-form documentation. */
export interface DocHeading extends BlockCommon {
  readonly kind: 'heading';
  /** 2 for the highest a schema may use (1 is the page's own title), down to 6. */
  readonly level: number;
  readonly text: string;
}

export interface DocList extends BlockCommon {
  readonly kind: 'list';
  readonly ordered: boolean;
  /** Each item's text, its lines joined with '\n' and dedented. */
  readonly items: readonly string[];
}

/** Text shown as it is (after '::'): the '->'/'<-' lines of an example. */
export interface DocLiteral extends BlockCommon {
  readonly kind: 'literal';
  readonly text: string;
}

export interface DocDirective extends BlockCommon {
  readonly kind: 'directive';
  /** 'note', 'admonition', 'qmp-example', 'caution', ... */
  readonly name: string;
  /** The text after '::' on the directive's line (an admonition's title). */
  readonly argument: string;
  /** ':name: value' option lines; a flag option has the value ''. */
  readonly options: Readonly<Record<string, string>>;
  /** The directive's content, dedented, as written. */
  readonly content: string;
  /** The content read as blocks.  A 'qmp-example' without ':annotated:'
   *  is literal text: its content is one literal block. */
  readonly blocks: readonly DocBlock[];
}

/** An indented block that no '::' or directive introduces. */
export interface DocQuote extends BlockCommon {
  readonly kind: 'quote';
  readonly blocks: readonly DocBlock[];
}

const DIRECTIVE = /^\.\.\s+([A-Za-z0-9_-]+)::(?:\s+(.*))?$/;
const OPTION = /^:([A-Za-z0-9_-]+):(?:\s+(.*))?$/;
const BULLET = /^[-*+]\s+/;
const NUMBERED = /^(?:\d+|#)[.)]\s+/;
/** A line of one punctuation character repeated: a title's adornment. */
const ADORNMENT = /^([=*_^"~+#-])\1+$/;
/** The '= Title' line QAPI docs used before rST headings (QEMU 10.1). */
const EQUALS_TITLE = /^(=+)\s+(\S.*)$/;
/** The level each adornment marks, as QEMU's documentation orders them:
 *  '*' (overlined) is the highest a schema uses, then '=', '_', '^', '"'.
 *  Other characters rank lowest. */
const ADORNMENT_LEVELS: Readonly<Record<string, number>> = { '*': 2, '=': 3, _: 4, '^': 5, '"': 6 };

function dedent(lines: readonly string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => leadingSpace(l));
  const cut = indents.length === 0 ? 0 : Math.min(...indents);
  return lines.map((l) => l.slice(Math.min(cut, leadingSpace(l))));
}

/** The lines without blank ones around them, and how many led. */
function trimBlank(lines: readonly string[]): { lines: string[]; skipped: number } {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === '') start++;
  while (end > start && lines[end - 1]!.trim() === '') end--;
  return { lines: lines.slice(start, end), skipped: start };
}

class BlockReader {
  private i = 0;

  constructor(
    private readonly lines: readonly string[],
    private readonly offset: number,
  ) {}

  read(): DocBlock[] {
    const blocks: DocBlock[] = [];
    for (;;) {
      while (this.i < this.lines.length && this.lines[this.i]!.trim() === '') this.i++;
      if (this.i >= this.lines.length) return blocks;
      const line = this.lines[this.i]!;
      const heading = leadingSpace(line) > 0 ? null : this.heading();
      if (heading) {
        blocks.push(heading);
      } else if (leadingSpace(line) > 0) {
        const start = this.i;
        blocks.push({ kind: 'quote', line: this.offset + start, blocks: this.nested(this.indented().lines, start) });
      } else if (DIRECTIVE.test(line)) {
        blocks.push(this.directive());
      } else if (BULLET.test(line) || NUMBERED.test(line)) {
        // A list goes on while its items start alike ('-' and '*' make two).
        const bullet = BULLET.exec(line)?.[0][0];
        blocks.push(this.list(bullet === undefined ? NUMBERED : new RegExp(`^\\${bullet}\\s+`)));
      } else {
        blocks.push(...this.paragraph());
      }
    }
  }

  /** The heading that starts here, if one does, read. */
  private heading(): DocHeading | null {
    const at = (k: number): string => this.lines[this.i + k]?.trimEnd() ?? '';
    const line = this.offset + this.i;
    const titled = (text: string, adornment: string, lines: number): DocHeading | null => {
      const title = text.trim();
      if (title === '' || ADORNMENT.test(title) || adornment.length < title.length) return null;
      this.i += lines;
      return { kind: 'heading', line, level: ADORNMENT_LEVELS[adornment[0]!] ?? 6, text: title };
    };
    const equals = EQUALS_TITLE.exec(at(0));
    if (equals && at(1).trim() === '') {
      this.i += 1;
      return { kind: 'heading', line, level: Math.min(equals[1]!.length + 1, 6), text: equals[2]!.trim() };
    }
    if (ADORNMENT.test(at(0)) && at(2) === at(0)) return titled(at(1), at(0), 3);
    if (ADORNMENT.test(at(1)) && at(2).trim() === '') return titled(at(0), at(1), 2);
    return null;
  }

  /** The indented lines from here (blank lines inside included),
   *  dedented, and the index of the first of them. */
  private indented(): { lines: string[]; start: number } {
    const first = this.i;
    const taken: string[] = [];
    while (this.i < this.lines.length) {
      const line = this.lines[this.i]!;
      if (line.trim() !== '' && leadingSpace(line) === 0) break;
      taken.push(line);
      this.i++;
    }
    const { lines, skipped } = trimBlank(taken);
    return { lines: dedent(lines), start: first + skipped };
  }

  private nested(lines: readonly string[], start: number): DocBlock[] {
    return new BlockReader(lines, this.offset + start).read();
  }

  private paragraph(): DocBlock[] {
    const start = this.i;
    const text: string[] = [];
    while (this.i < this.lines.length) {
      const line = this.lines[this.i]!;
      if (line.trim() === '' || leadingSpace(line) > 0) break;
      if (text.length > 0 && DIRECTIVE.test(line)) break;
      text.push(line);
      this.i++;
    }
    const last = text[text.length - 1]!;
    if (!last.endsWith('::')) return [{ kind: 'paragraph', line: this.offset + start, text: text.join('\n') }];
    // 'Text::' is 'Text:' followed by a literal block; a lone '::' only
    // introduces one.
    const blocks: DocBlock[] = [];
    const lead = last.trim() === '::' ? text.slice(0, -1) : [...text.slice(0, -1), last.slice(0, -1)];
    if (lead.length > 0) blocks.push({ kind: 'paragraph', line: this.offset + start, text: lead.join('\n') });
    const literal = this.indented();
    if (literal.lines.length > 0) blocks.push({ kind: 'literal', line: this.offset + literal.start, text: literal.lines.join('\n') });
    return blocks;
  }

  private list(marker: RegExp): DocList {
    const start = this.i;
    const items: string[] = [];
    while (this.i < this.lines.length) {
      const line = this.lines[this.i]!;
      const m = marker.exec(line);
      if (m === null) break;
      this.i++;
      const from = this.i;
      const rest = this.indented();
      // A blank line after the item's first line keeps what follows apart.
      const gap = rest.lines.length > 0 && rest.start > from ? [''] : [];
      items.push([line.slice(m[0].length), ...gap, ...rest.lines].join('\n').trimEnd());
      // Blank lines between items keep the list going.
      let next = this.i;
      while (next < this.lines.length && this.lines[next]!.trim() === '') next++;
      if (next < this.lines.length && marker.test(this.lines[next]!)) this.i = next;
      else break;
    }
    return { kind: 'list', line: this.offset + start, ordered: marker === NUMBERED, items };
  }

  private directive(): DocDirective {
    const start = this.i;
    const m = DIRECTIVE.exec(this.lines[this.i]!)!;
    this.i++;
    const body = this.indented();
    const options: Record<string, string> = {};
    let k = 0;
    for (; k < body.lines.length; k++) {
      const option = OPTION.exec(body.lines[k]!);
      if (option === null) break;
      options[option[1]!] = option[2] ?? '';
    }
    const trimmed = trimBlank(body.lines.slice(k));
    const content = dedent(trimmed.lines);
    const name = m[1]!;
    const literal = name === 'qmp-example' && !Object.hasOwn(options, 'annotated');
    const contentStart = body.start + k + trimmed.skipped;
    const blocks: DocBlock[] = literal
      ? content.length > 0
        ? [{ kind: 'literal', line: this.offset + contentStart, text: content.join('\n') }]
        : []
      : this.nested(content, contentStart);
    return { kind: 'directive', line: this.offset + start, name, argument: m[2] ?? '', options, content: content.join('\n'), blocks };
  }
}

/** Reads doc text (a section's, a description's) into blocks.  Text that
 *  starts right after its tag and continues indented under it (as QEMU 9.1
 *  and later keep it) is read as if it all lined up. */
export function readBlocks(text: string): DocBlock[] {
  const lines = text.split('\n');
  const [first = '', ...rest] = lines;
  const opensBlock = DIRECTIVE.test(first) || first.endsWith('::') || BULLET.test(first) || NUMBERED.test(first);
  const hanging = first.trim() !== '' && leadingSpace(first) === 0 && !opensBlock && rest.some((l) => l.trim() !== '');
  return new BlockReader(hanging ? [first, ...dedent(rest)] : dedent(lines), 0).read();
}

/** The items of an 'Errors:' section: one per list item (or, for text
 *  that is not a list, per paragraph), whitespace-normalized. */
export function errorItems(text: string): string[] {
  const items: string[] = [];
  for (const block of readBlocks(text)) {
    if (block.kind === 'list') items.push(...block.items);
    else if (block.kind === 'paragraph') items.push(block.text);
    else if (block.kind === 'quote') {
      for (const inner of block.blocks) if (inner.kind === 'list') items.push(...inner.items);
    }
  }
  return items.map((item) => item.replace(/\s+/g, ' ').trim());
}
