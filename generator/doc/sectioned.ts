/**
 * Doc comments as QEMU reads them since 9.0, where the doc-comment parser
 * was rewritten: a block is read paragraph by paragraph.  A definition's
 * block starts with '@NAME:'; then each paragraph is member descriptions,
 * feature descriptions (after 'Features:'), a tagged section ('Returns:',
 * 'Errors:', 'Since:', 'TODO:') or plain text.  Tags are recognized only
 * at the start of a paragraph, and a description or tagged section
 * continues on lines indented under it.
 *
 * Rules that came later, by the language level:
 * - 9.1 (rstDirectives): 'Note:' and 'Example:' sections are refused in
 *   favour of rST directives, and a tag followed by '::' is rST text;
 *   (docKeepsIndentation) continuation lines keep their indentation.
 * - 10.1 (headingsAnywhere): '=' lines may stand anywhere.
 * - 10.2 (docLineFormat): every line is checked by LineFormat.
 */
import { DocLineCursor, type DocBlockNode } from '../source/doc-block.js';
import type { LanguageLevel } from '../source/language.js';
import type { Loc } from '../source/location.js';
import { leadingSpace, stripChars } from '../source/text.js';
import { checkOpening, closingLine, commentText, LineFormat, MEMBER_TAG, problemAt } from './lines.js';
import { sectionKind, type DocArg, type DocComment, type DocSection, type DocSectionKind } from './types.js';

const SECTION_TAG = /^(Returns|Errors|Since|Notes?|Examples?|TODO): */;
/** From 9.1 on, 'Note::' and the like are rST, not tags. */
const SECTION_TAG_NOT_RST = /^(Returns|Errors|Since|Notes?|Examples?|TODO)(?!::): */;

/** A part of the comment as it is read, in textual order: a section, or a
 *  member or feature description. */
interface Section {
  readonly kind: DocSectionKind | 'description';
  /** The tag as written ('Returns', '@name'), null for plain text. */
  readonly tag: string | null;
  loc: Loc;
  text: string;
}

interface Description extends Section {
  readonly kind: 'description';
  readonly name: string;
}

interface TaggedSection extends Section {
  readonly kind: DocSectionKind;
}

/** Reads the lines of one block in order, the way QEMU's get_doc_line does. */
class Lines {
  private readonly cursor: DocLineCursor;
  private readonly format: LineFormat;
  /** The line just read (the block's opening or closing line before and
   *  after the others), located only when asked: the builder asks while
   *  the line is the one just read (the cursor moves on). */
  private at: { readonly loc: Loc };

  constructor(
    private readonly block: DocBlockNode,
    private readonly level: LanguageLevel,
  ) {
    this.cursor = new DocLineCursor(block);
    this.format = LineFormat.for(level);
    this.at = block;
  }

  /** Where the line just read stands, for errors and section starts. */
  get loc(): Loc {
    return this.at.loc;
  }

  /** QEMU never checks the block's end: a syntax error cut the block
   *  short, or the token after it cannot be read (QEMU reads it first). */
  get cut(): boolean {
    if (this.block.end.kind === 'cut') return true;
    // QEMU 9.0 read a comment right after the block as the next token.
    const commentIsToken = this.block.commentAfter !== null && this.level.has('commentAfterDocIsDoc');
    return this.block.nextTokenInvalid === true && !commentIsToken;
  }

  /** The next line's text ('' when blank), or null at the block's end. */
  next(): string | null {
    const node = this.cursor;
    if (!node.next()) {
      this.atEnd();
      return null;
    }
    this.at = node;
    if (node.text === '#') return '';
    const text = commentText(node, true);
    this.format.check(text, node);
    return text;
  }

  private atEnd(): void {
    const close = closingLine(this.block);
    if (close !== null) {
      this.at = { loc: close };
      this.format.end();
    }
  }
}

class SectionedBuilder {
  private readonly body: TaggedSection;
  private readonly all: Section[];
  private readonly args: Description[] = [];
  private readonly features: Description[] = [];
  private readonly sections: TaggedSection[] = [];
  private readonly seenTags = new Set<string>();

  constructor(
    private readonly lines: Lines,
    private readonly level: LanguageLevel,
    private readonly loc: Loc,
  ) {
    this.body = { kind: 'plain', tag: null, loc, text: '' };
    this.all = [this.body];
  }

  private fail(message: string): never {
    throw problemAt(this.lines.loc, message);
  }

  private append(line: string): void {
    this.all[this.all.length - 1]!.text += `${line}\n`;
  }

  /** A plain paragraph extends the plain section before it, or starts one. */
  private ensurePlain(): void {
    const last = this.all[this.all.length - 1]!;
    if (last.kind === 'plain') {
      // An empty plain section (the body) starts where its text does.
      if (last.text === '') last.loc = this.lines.loc;
      last.text += '\n';
      return;
    }
    const section: TaggedSection = { kind: 'plain', tag: null, loc: this.lines.loc, text: '' };
    this.sections.push(section);
    this.all.push(section);
  }

  private describe(into: Description[], name: string): void {
    if (name === '') this.fail("'@:' names no member: write '@name:'");
    if (into.some((d) => d.name === name)) this.fail(`'${name}' is described twice`);
    const description: Description = { kind: 'description', tag: `@${name}`, name, loc: this.lines.loc, text: '' };
    into.push(description);
    this.all.push(description);
  }

  private tagged(tag: string): void {
    const kind = sectionKind(tag);
    if ((kind === 'returns' || kind === 'errors' || kind === 'since') && this.seenTags.has(kind)) {
      this.fail(`a second '${tag}' section: a comment may have only one`);
    }
    this.seenTags.add(kind);
    const section: TaggedSection = { kind, tag, loc: this.lines.loc, text: '' };
    this.sections.push(section);
    this.all.push(section);
  }

  /** Lines indented under a description or tagged section; returns the
   *  first line that is not part of it. */
  private indented(): string | null {
    let line = this.lines.next();
    while (line === '') {
      this.append(line);
      line = this.lines.next();
    }
    if (line === null) return null;
    const indent = leadingSpace(line);
    if (indent === 0) return line;
    const keep = this.level.has('docKeepsIndentation');
    this.append(keep ? line : line.slice(indent));
    let afterFirst = false;
    for (;;) {
      line = this.lines.next();
      if (line === null || MEMBER_TAG.test(line)) return line;
      if (line !== '' && leadingSpace(line) < indent) {
        // QEMU ends the section only where a line follows one after the
        // first; right after the first it is an error.
        if (afterFirst) return line;
        this.fail(`this line is indented less than the text it continues (it needs at least ${indent} spaces)`);
      }
      this.append(keep ? line : line.slice(indent));
      afterFirst = true;
    }
  }

  /** Plain text up to a blank line; returns that line (or null). */
  private paragraph(): string | null {
    for (;;) {
      const line = this.lines.next();
      if (line === null || line === '') return line;
      this.append(line);
    }
  }

  /** Member or feature descriptions, one after another. */
  private descriptions(first: string | null, into: Description[]): string | null {
    let line = first;
    let m: RegExpExecArray | null;
    while (line !== null && (m = MEMBER_TAG.exec(line)) !== null) {
      this.describe(into, m[1]!);
      const text = line.slice(m[0].length);
      if (text !== '') this.append(text);
      line = this.indented();
    }
    return line;
  }

  definition(first: string): DocComment {
    if (!first.endsWith(':')) this.fail("a definition's documentation starts with '@NAME:', and this line lacks the colon");
    const symbol = first.slice(1, -1);
    if (symbol === '') this.fail("'@:' names nothing: write the definition's name after the '@'");
    let line = this.lines.next();
    let descriptionsDone = false;
    const sectionTag = this.level.has('rstDirectives') ? SECTION_TAG_NOT_RST : SECTION_TAG;
    while (line !== null) {
      while (line === '') line = this.lines.next();
      if (line === null) break;
      let m: RegExpExecArray | null;
      if (line === 'Features:') {
        if (this.features.length > 0) this.fail("a second 'Features:' line: describe every feature under the first");
        line = this.lines.next();
        while (line === '') line = this.lines.next();
        line = this.descriptions(line, this.features);
        if (this.features.length === 0) this.fail("'Features:' must be followed by feature descriptions ('@name: text')");
        descriptionsDone = true;
      } else if ((m = MEMBER_TAG.exec(line)) !== null) {
        if (descriptionsDone) {
          this.fail(`the description of '@${m[1]}:' comes after a section, but member descriptions must come first`);
        }
        line = this.descriptions(line, this.args);
        descriptionsDone = true;
      } else if ((m = sectionTag.exec(line)) !== null) {
        const tag = m[1]!;
        if (this.level.has('rstDirectives') && tag.startsWith('Note')) {
          this.fail(`'${tag}:' sections are no longer part of the language: use rST's '.. note::' or '.. admonition:: Notes' directive`);
        }
        if (this.level.has('rstDirectives') && tag.startsWith('Example')) {
          this.fail(`'${tag}:' sections are no longer part of the language: use the '.. qmp-example::' directive`);
        }
        this.tagged(tag);
        const text = line.slice(m[0].length);
        if (text !== '') this.append(text);
        line = this.indented();
        descriptionsDone = true;
      } else if (line.startsWith('=') && !this.level.has('headingsAnywhere')) {
        this.fail("headings ('=') belong in free-form documentation, not in a definition's comment");
      } else {
        this.ensurePlain();
        this.append(line);
        line = this.paragraph();
      }
    }
    return this.finish(symbol);
  }

  freeform(first: string | null): DocComment {
    this.ensurePlain();
    let line = first;
    let isFirst = true;
    while (line !== null) {
      const m = MEMBER_TAG.exec(line);
      if (m) this.fail(`'@${m[1]}:' describes a member, but this comment documents no definition`);
      if (line.startsWith('=') && !isFirst && !this.level.has('headingsAnywhere')) {
        this.fail("a heading ('=') must be the first line of its comment: start a new '##' block for it");
      }
      this.append(line);
      line = this.lines.next();
      isFirst = false;
    }
    return this.finish(null);
  }

  private finish(symbol: string | null): DocComment {
    for (const section of this.all) {
      section.text = stripChars(section.text, '\n');
      if (section.tag !== null && section.text === '' && !this.lines.cut) {
        // A tagged section, description or feature without text.
        throw problemAt(section.loc, `'${section.tag}:' needs text after it`);
      }
    }
    const toArg = (d: Description): DocArg => ({ name: d.name, text: d.text, loc: d.loc, markedOptional: false });
    const toSection = (s: TaggedSection): DocSection => ({ kind: s.kind, name: s.tag, text: s.text, loc: s.loc });
    return {
      loc: this.loc,
      symbol,
      body: this.body.text,
      args: this.args.map(toArg),
      features: this.features.map(toArg),
      sections: this.sections.map(toSection),
    };
  }
}

/** Parses a documentation block the way QEMU 9.0 and later do: one block,
 *  one comment. */
export function parseSectionedDocBlock(block: DocBlockNode, level: LanguageLevel): DocComment[] {
  checkOpening(block);
  const lines = new Lines(block, level);
  const builder = new SectionedBuilder(lines, level, block.loc);
  const first = lines.next();
  const doc = first !== null && first.startsWith('@') ? builder.definition(first) : builder.freeform(first);
  return [doc];
}
