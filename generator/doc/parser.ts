/**
 * Parses the lines of a '##' documentation block into DocComments.
 *
 * The rules are QEMU 7.2's: a block documents a definition when its first
 * line is '@NAME:', member descriptions start with '@name:', 'Features:'
 * opens the feature descriptions, and tagged sections start with one of the
 * section tags.  Continuation lines must line up with the text after the
 * tag.  A '=' heading starts a new free-form comment.
 *
 * The legacy (2012) dialect also accepts '@NAME' without a colon, '#optional'
 * markers, 'Since X' without a colon and continuation lines that do not line
 * up.
 */
import type { DocBlockNode, Loc } from '../parse/ast.js';
import type { DocArg, DocComment, DocSection } from './types.js';

export class DocSyntaxError extends Error {
  readonly loc: Loc;

  constructor(loc: Loc, message: string) {
    super(message);
    this.name = 'DocSyntaxError';
    this.loc = loc;
  }
}

const SECTION_TAGS = new Set(['Returns:', 'Since:', 'Note:', 'Notes:', 'Example:', 'Examples:', 'TODO:']);

/** A section being filled; its text is trimmed when it ends. */
interface OpenSection {
  readonly name: string | null;
  indent: number;
  readonly loc: Loc;
  text: string;
  markedOptional: boolean;
}

type Mode = 'body' | 'args' | 'features' | 'various';

function firstWord(line: string): string {
  const space = line.indexOf(' ');
  return space === -1 ? line : line.slice(0, space);
}

function isMemberTag(word: string): boolean {
  return word.startsWith('@') && word.endsWith(':');
}

/** Builds one DocComment from lines fed one at a time. */
class DocBuilder {
  private symbol: string | null = null;
  private readonly body: OpenSection;
  private readonly args: OpenSection[] = [];
  private readonly features: OpenSection[] = [];
  private readonly sections: OpenSection[] = [];
  private current: OpenSection | null;
  private mode: Mode = 'body';
  /** The line being handled, for error locations. */
  private lineLoc: Loc;

  constructor(
    private readonly loc: Loc,
    private readonly legacy: boolean,
  ) {
    this.body = { name: null, indent: 0, loc, text: '', markedOptional: false };
    this.current = this.body;
    this.lineLoc = loc;
  }

  get hasSymbol(): boolean {
    return this.symbol !== null;
  }

  get bodyText(): string {
    return this.body.text;
  }

  private fail(message: string): never {
    throw new DocSyntaxError(this.lineLoc, message);
  }

  /** Takes one comment line, starting at its '#'. */
  append(text: string, loc: Loc): void {
    this.lineLoc = loc;
    let line = text.slice(1);
    if (line === '') {
      this.appendText('');
      return;
    }
    if (line[0] !== ' ') this.fail("put a space after the '#' of a documentation line");
    line = line.slice(1);
    if (this.legacy) line = this.legacyNormalize(line);
    switch (this.mode) {
      case 'body':
        return this.bodyLine(line);
      case 'args':
        return this.memberLine(line, this.args);
      case 'features':
        return this.memberLine(line, this.features);
      case 'various':
        return this.sectionLine(line);
    }
  }

  /** 'Since 1.3' is the 2012 spelling of 'Since: 1.3'. */
  private legacyNormalize(line: string): string {
    const since = /^Since (?=\S)/.exec(line);
    return since ? `Since: ${line.slice(since[0].length)}` : line;
  }

  private bodyLine(line: string): void {
    const word = firstWord(line);
    if (this.symbol === null && this.body.text === '' && line.startsWith('@')) {
      this.symbolLine(line);
    } else if (this.symbol !== null) {
      if (isMemberTag(word)) {
        this.mode = 'args';
        this.memberLine(line, this.args);
      } else if (line === 'Features:') {
        this.mode = 'features';
      } else if (SECTION_TAGS.has(word)) {
        this.mode = 'various';
        this.sectionLine(line);
      } else {
        this.appendText(line);
      }
    } else {
      this.appendText(line);
    }
  }

  private symbolLine(line: string): void {
    if (!line.endsWith(':')) {
      if (!(this.legacy && /^@\S+$/.test(line))) {
        this.fail("a definition's documentation starts with '@NAME:', and this line lacks the colon");
      }
      this.symbol = line.slice(1);
      return;
    }
    this.symbol = line.slice(1, -1);
    if (this.symbol === '') this.fail("'@:' names nothing: write the definition's name after the '@'");
  }

  /** A line among member or feature descriptions. */
  private memberLine(line: string, into: OpenSection[]): void {
    const word = firstWord(line);
    if (isMemberTag(word)) {
      const tag = /^@\S*:\s*/.exec(line)![0];
      const rest = line.slice(tag.length);
      const indent = rest === '' ? 0 : tag.length;
      this.startMember(into, word.slice(1, -1), indent);
      this.appendText(rest === '' ? '' : ' '.repeat(indent) + rest);
      return;
    }
    if (SECTION_TAGS.has(word)) {
      this.mode = 'various';
      this.sectionLine(line);
      return;
    }
    // In 2012 a paragraph after a blank line still belonged to the member.
    if (!this.legacy && this.current!.text.endsWith('\n\n') && line !== '' && !/^\s/.test(line)) {
      if (into === this.args && line === 'Features:') {
        this.mode = 'features';
      } else {
        this.startSection(null, 0);
        this.mode = 'various';
        this.sectionLine(line);
      }
      return;
    }
    this.appendText(line);
  }

  /** A line inside the tagged sections. */
  private sectionLine(line: string): void {
    const word = firstWord(line);
    if (isMemberTag(word)) {
      this.fail(`'${word}' comes after the '${this.sections[0]?.name}' section, but member descriptions must come before tagged sections`);
    }
    if (SECTION_TAGS.has(word)) {
      const tag = /^\S*:\s*/.exec(line)![0];
      const rest = line.slice(tag.length);
      const indent = rest === '' ? 0 : tag.length;
      this.startSection(word.slice(0, -1), indent);
      this.appendText(rest === '' ? '' : ' '.repeat(indent) + rest);
      return;
    }
    this.appendText(line);
  }

  private startMember(into: OpenSection[], name: string, indent: number): void {
    if (name === '') this.fail("'@:' names no member: write '@name:'");
    if (into.some((s) => s.name === name)) this.fail(`'${name}' is described twice`);
    this.endSection();
    const section: OpenSection = { name, indent, loc: this.lineLoc, text: '', markedOptional: false };
    into.push(section);
    this.current = section;
  }

  private startSection(name: string | null, indent: number): void {
    if ((name === 'Returns' || name === 'Since') && this.sections.some((s) => s.name === name)) {
      this.fail(`a second '${name}' section: a comment may have only one`);
    }
    this.endSection();
    const section: OpenSection = { name, indent, loc: this.lineLoc, text: '', markedOptional: false };
    this.sections.push(section);
    this.current = section;
  }

  private endSection(): void {
    const section = this.current;
    if (section === null) return;
    section.text = section.text.trim();
    if (section.name !== null && section.text === '') {
      this.fail(`the '${section.name}' section is empty`);
    }
    this.current = null;
  }

  /** Appends text to the current section, checking free-form rules and
   *  indentation. */
  private appendText(line: string): void {
    const tag = /^@\S+:/.exec(line);
    if (tag) this.fail(`'${tag[0]}' describes a member, but this comment documents no definition`);
    const section = this.current!;
    let text = line.trimEnd();
    const marker = this.legacy && section !== this.body ? /(?<=^|\s)#optional\s*/.exec(text) : null;
    if (marker) {
      // '#optional' is not description text: blank it out, and when it
      // opens the description, align continuation lines with what follows.
      section.markedOptional = true;
      text = text.slice(0, marker.index) + ' '.repeat(marker[0].length) + text.slice(marker.index + marker[0].length);
      if (section.text === '') section.indent = /^\s*/.exec(text)![0].length;
    }
    if (text !== '') {
      const indent = /^\s*/.exec(text)![0].length;
      if (indent < section.indent) {
        if (!this.legacy) {
          this.fail(`this line is indented less than the text it continues (it needs at least ${section.indent} spaces)`);
        }
        text = text.slice(indent);
      } else {
        text = text.slice(section.indent);
      }
    }
    section.text += text.trimEnd() + '\n';
  }

  /** Ends the comment at its closing line. */
  finish(closeLoc: Loc): DocComment {
    this.lineLoc = closeLoc;
    this.endSection();
    const toArg = (s: OpenSection): DocArg => ({
      name: s.name!,
      text: s.text,
      loc: s.loc,
      markedOptional: s.markedOptional,
    });
    const toSection = (s: OpenSection): DocSection => ({ name: s.name, text: s.text, loc: s.loc });
    return {
      loc: this.loc,
      symbol: this.symbol,
      body: this.body.text,
      args: this.args.map(toArg),
      features: this.features.map(toArg),
      sections: this.sections.map(toSection),
    };
  }
}

/**
 * Parses a documentation block.  A block may yield several comments: each
 * '=' heading after some text starts a new free-form comment.
 */
export function parseDocBlock(block: DocBlockNode, legacy: boolean): DocComment[] {
  if (block.openText !== '##') {
    throw new DocSyntaxError(block.loc, "the opening '##' of a documentation comment must stand alone on its line");
  }
  const docs: DocComment[] = [];
  let builder = new DocBuilder(block.loc, legacy);
  for (const line of block.lines) {
    if (line.text.startsWith('# =')) {
      if (builder.hasSymbol) {
        throw new DocSyntaxError(line.loc, "headings ('=') belong in free-form documentation, not in a definition's comment");
      }
      if (builder.bodyText !== '') {
        docs.push(builder.finish(line.loc));
        builder = new DocBuilder(block.loc, legacy);
      }
    }
    builder.append(line.text, line.loc);
  }
  if (block.close === null) {
    throw new DocSyntaxError(block.unterminatedAt ?? block.loc, "this documentation comment is not closed: end it with a '##' line");
  }
  if (block.close.text !== '##') {
    throw new DocSyntaxError(block.close.loc, "the closing '##' of a documentation comment must stand alone on its line");
  }
  docs.push(builder.finish(block.close.loc));
  return docs;
}
