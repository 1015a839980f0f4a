/**
 * Doc comments as QEMU read them up to 8.2 (and, with the 2012 dialect's
 * leniencies, QEMU 1.3's schema): a line-by-line reader that switches
 * between the body, member descriptions, feature descriptions and tagged
 * sections.  A block documents a definition when its first line is
 * '@NAME:'; a '=' heading after some text starts a new free-form comment.
 *
 * Two generations of rules, chosen by the language level:
 * - 7.2: a tag is the first word of a line; continuation lines must line
 *   up with the text after the tag; section text is stripped of all
 *   surrounding whitespace.
 * - 8.1 (looseDocIndentation): tags are recognized by pattern; a section's
 *   first continuation line sets its indentation; only blank lines are
 *   stripped around section text.
 * QEMU 1.3's 2012 dialect has rules of its own (docSymbolWithoutColon,
 * optionalMarkers, sinceWithoutColon, unalignedDocText, memberParagraphs).
 */
import { DocLineCursor, type DocBlockNode, type DocLineNode } from '../source/doc-block.js';
import type { LanguageLevel } from '../source/language.js';
import type { Loc } from '../source/location.js';
import { isPythonSpace, leadingSpace, matchedLength, PYTHON_SPACE_CLASS, pythonRstrip, pythonStrip, stripChars } from '../source/text.js';
import { checkOpening, closingLine, commentText, MEMBER_TAG, MEMBER_TAG_LIKE, problemAt } from './lines.js';
import { sectionKind, type DocArg, type DocComment, type DocSection } from './types.js';

const SECTION_WORDS = new Set(['Returns:', 'Since:', 'Note:', 'Notes:', 'Example:', 'Examples:', 'TODO:']);
const SECTION_TAG = /^(Returns|Since|Notes?|Examples?|TODO): */;
/** What a section tag can start with (a quick test before the patterns). */
const TAG_INITIALS = 'RSNET';
/** 7.2's split of a tag from its text; no match is QEMU 7.2 crashing.
 *  Sticky, for matchedLength. */
const MEMBER_WORD_TAG = new RegExp(`@[^${PYTHON_SPACE_CLASS}]*:[${PYTHON_SPACE_CLASS}]*`, 'y');
const SECTION_WORD_TAG = new RegExp(`[^${PYTHON_SPACE_CLASS}]*:[${PYTHON_SPACE_CLASS}]*`, 'y');

/** A tag found at the start of a line: its name and the text after it. */
interface Tag {
  readonly name: string;
  readonly rest: string;
  /** How far the text after the tag is indented (7.2's rule). */
  readonly indent: number;
}

/** A section being filled; its text is made, and trimmed, when it ends. */
interface OpenSection {
  readonly name: string | null;
  /** Indentation to strip; null until a continuation line decides it. */
  indent: number | null;
  readonly loc: Loc;
  /** Its lines so far, without their newlines; null before the first.
   *  Its text is each line followed by '\n', joined once when it ends: a
   *  text grown by adding each line and its newline made two joined
   *  strings a line, which lived until the text was first read (15,800
   *  lines in QEMU 7.2).  Most sections have one line: the list is made
   *  with it, to its size (an empty list grows by 16 at its first line). */
  lines: string[] | null;
  /** Its text, trimmed, once it has ended; null until then. */
  text: string | null;
  markedOptional: boolean;
}

function openSection(name: string | null, indent: number | null, loc: Loc): OpenSection {
  return { name, indent, loc, lines: null, text: null, markedOptional: false };
}

/** A section's text: trimmed once it has ended, its lines as they are
 *  before (a comment cut short by a syntax error). */
function textOf(section: OpenSection): string {
  const lines = section.lines;
  return section.text ?? (lines === null ? '' : lines.length === 1 ? `${lines[0]!}\n` : `${lines.join('\n')}\n`);
}

function addLine(section: OpenSection, line: string): void {
  if (section.lines === null) section.lines = [line];
  else section.lines.push(line);
}

/** Whether a section's text ends with a blank line ('\n\n'). */
function endsBlank(section: OpenSection): boolean {
  const lines = section.lines;
  return lines !== null && lines.length > 1 && lines[lines.length - 1] === '';
}

type Mode = 'body' | 'args' | 'features' | 'various';

/** 'Since 1.3' is the 2012 spelling of 'Since: 1.3'. */
function sinceWithColon(line: string): string {
  const since = /^Since (?=\S)/.exec(line);
  return since ? `Since: ${line.slice(since[0].length)}` : line;
}

function firstWord(line: string): string {
  const space = line.indexOf(' ');
  return space === -1 ? line : line.slice(0, space);
}

/** Builds one DocComment from lines fed one at a time. */
class ClassicBuilder {
  private symbol: string | null = null;
  private readonly body: OpenSection;
  private readonly args: OpenSection[] = [];
  private readonly features: OpenSection[] = [];
  private readonly sections: OpenSection[] = [];
  private current: OpenSection | null;
  private mode: Mode = 'body';
  /** The line being handled (the block's opening or closing line before
   *  and after the others), for error locations: asked only where one is
   *  needed, and only while that line is handled (a line is the reader's
   *  cursor, which moves on). */
  private at: { readonly loc: Loc };
  private readonly level: LanguageLevel;
  private readonly loose: boolean;
  // The rules consulted for every line, asked once per block.
  private readonly sinceWithoutColon: boolean;
  private readonly memberParagraphs: boolean;
  private readonly optionalMarkers: boolean;

  constructor(
    private readonly loc: Loc,
    level: LanguageLevel,
  ) {
    this.level = level;
    this.loose = level.has('looseDocIndentation');
    this.sinceWithoutColon = level.has('sinceWithoutColon');
    this.memberParagraphs = level.has('memberParagraphs');
    this.optionalMarkers = level.has('optionalMarkers');
    this.body = openSection(null, 0, loc);
    this.current = this.body;
    this.at = { loc };
  }

  get hasSymbol(): boolean {
    return this.symbol !== null;
  }

  get bodyText(): string {
    return textOf(this.body);
  }

  private fail(message: string): never {
    throw problemAt(this.at.loc, message);
  }

  /** Takes one comment line. */
  append(node: DocLineNode): void {
    this.at = node;
    let line = commentText(node, false);
    if (node.text === '#') {
      this.appendText('');
      return;
    }
    if (this.sinceWithoutColon) line = sinceWithColon(line);
    // A line that starts with a space is no tag, heading or 'Features:' in
    // any mode, nor the end of a member's paragraph: text of the section it
    // continues.  A quarter of QEMU 7.2's doc lines; the rest are tried in
    // turn below.
    if (line.charCodeAt(0) === 32) {
      this.appendText(line);
      return;
    }
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

  /** The member tag the line starts with, if any. */
  private memberTag(line: string): Tag | null {
    if (!line.startsWith('@')) return null;
    if (this.loose) {
      const m = MEMBER_TAG.exec(line);
      return m ? { name: m[1]!, rest: line.slice(m[0].length), indent: 0 } : null;
    }
    const word = firstWord(line);
    if (!(word.startsWith('@') && word.endsWith(':'))) return null;
    const length = matchedLength(MEMBER_WORD_TAG, line);
    if (length === -1) {
      this.fail(`'${word}' is not a member description: a member's name may not contain whitespace`);
    }
    const rest = line.slice(length);
    return { name: word.slice(1, -1), rest, indent: rest === '' ? 0 : length };
  }

  /** The section tag the line starts with, if any. */
  private sectionTag(line: string): Tag | null {
    if (!TAG_INITIALS.includes(line[0] ?? '')) return null;
    if (this.loose) {
      const m = SECTION_TAG.exec(line);
      return m ? { name: m[1]!, rest: line.slice(m[0].length), indent: 0 } : null;
    }
    const word = firstWord(line);
    if (!SECTION_WORDS.has(word)) return null;
    const length = matchedLength(SECTION_WORD_TAG, line);
    const rest = line.slice(length);
    return { name: word.slice(0, -1), rest, indent: rest === '' ? 0 : length };
  }

  private bodyLine(line: string): void {
    if (this.symbol === null && this.body.lines === null && line.startsWith('@')) {
      this.symbolLine(line);
    } else if (this.symbol !== null) {
      if (this.memberTag(line)) {
        this.mode = 'args';
        this.memberLine(line, this.args);
      } else if (line === 'Features:') {
        this.mode = 'features';
      } else if (this.sectionTag(line)) {
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
      if (!(this.level.has('docSymbolWithoutColon') && /^@\S+$/.test(line))) {
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
    const tag = this.memberTag(line);
    if (tag) {
      this.startMember(into, tag);
      this.appendTagText(tag);
      return;
    }
    if (this.sectionTag(line)) {
      this.mode = 'various';
      this.sectionLine(line);
      return;
    }
    if (!this.memberParagraphs && endsBlank(this.current!) && line !== '' && !isPythonSpace(line[0]!)) {
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
    const member = this.memberTag(line);
    if (member) {
      const after = this.sections[0]?.name;
      this.fail(
        `the description of '@${member.name}:' comes after ${after ? `the '${after}' section` : 'a section'}, but member descriptions must come before any section`,
      );
    }
    const tag = this.sectionTag(line);
    if (tag) {
      this.startSection(tag.name, tag.indent);
      this.appendTagText(tag);
      return;
    }
    this.appendText(line);
  }

  private startMember(into: OpenSection[], tag: Tag): void {
    if (tag.name === '') this.fail("'@:' names no member: write '@name:'");
    if (into.some((s) => s.name === tag.name)) this.fail(`'${tag.name}' is described twice`);
    this.endSection();
    const section = openSection(tag.name, this.initialIndent(tag), this.at.loc);
    into.push(section);
    this.current = section;
  }

  private startSection(name: string | null, indent: number): void {
    if ((name === 'Returns' || name === 'Since') && this.sections.some((s) => s.name === name)) {
      this.fail(`a second '${name}' section: a comment may have only one`);
    }
    this.endSection();
    const initial = name === null ? 0 : this.initialIndent({ name, rest: '', indent });
    const section = openSection(name, initial, this.at.loc);
    this.sections.push(section);
    this.current = section;
  }

  /** A tagged section's indentation: 7.2 fixes it at the tag; from 8.1 on
   *  the first continuation line decides. */
  private initialIndent(tag: Tag): number | null {
    return this.loose ? null : tag.indent;
  }

  private endSection(): void {
    const section = this.current;
    if (section === null) return;
    const text = textOf(section);
    section.text = this.loose ? stripChars(text, '\n') : pythonStrip(text);
    if (section.name !== null && section.text === '') {
      this.fail(`the '${section.name}' section is empty`);
    }
    this.current = null;
  }

  /** Appends text to the current section, checking free-form rules and
   *  indentation. */
  private appendText(line: string): void {
    const tag = line.startsWith('@') ? MEMBER_TAG_LIKE.exec(line) : null;
    if (tag) {
      this.fail(
        this.symbol === null
          ? `'${tag[1]}' describes a member, but this comment documents no definition`
          : `'${tag[1]}' looks like a member description, but is not one: write '@name: text'`,
      );
    }
    const section = this.current!;
    let text = this.loose ? pythonRstrip(line) : line;
    const marker = this.optionalMarkers && section !== this.body ? /(?<=^|\s)#optional\s*/.exec(text) : null;
    if (marker) {
      // '#optional' is not description text: blank it out, and when it
      // opens the description, align continuation lines with what follows.
      section.markedOptional = true;
      text = text.slice(0, marker.index) + ' '.repeat(marker[0].length) + text.slice(marker.index + marker[0].length);
      if (section.lines === null) section.indent = leadingSpace(text);
    }
    if (text !== '') {
      const indent = leadingSpace(text);
      if (section.indent === null) {
        // From 8.1 on, the first line after a section's first line decides.
        if (section.lines !== null) section.indent = indent;
      }
      if (section.indent !== null && indent < section.indent) {
        if (!this.level.has('unalignedDocText')) {
          this.fail(`this line is indented less than the text it continues (it needs at least ${section.indent} spaces)`);
        }
        text = text.slice(indent);
      } else if (section.indent !== null) {
        text = text.slice(section.indent);
      }
    }
    addLine(section, pythonRstrip(text));
  }

  /**
   * Appends the text after a tag, as the first line of the section the tag
   * starts: set off by the tag's width, as QEMU reads it.  Where that
   * width is the section's indentation (7.2's rule), appendText would take
   * it off again, and the text is the line as it is.
   */
  private appendTagText(tag: Tag): void {
    if (tag.rest === '') return this.appendText('');
    const section = this.current!;
    // The rest starts with no whitespace (the tag's pattern took it), and
    // is no member tag to appendText once set off; '#optional' (the 2012
    // dialect) is looked for in the text as set off.
    if (!this.optionalMarkers && tag.indent !== 0 && section.indent === tag.indent) {
      addLine(section, pythonRstrip(tag.rest));
      return;
    }
    this.appendText(' '.repeat(tag.indent) + tag.rest);
  }

  /** Ends the comment at its closing line; `strict` is false where a syntax
   *  error cut the block short (QEMU never gets to check its end). */
  finish(closeLoc: Loc, strict = true): DocComment {
    this.at = { loc: closeLoc };
    if (strict) this.endSection();
    const toArg = (s: OpenSection): DocArg => ({
      name: s.name!,
      text: textOf(s),
      loc: s.loc,
      markedOptional: s.markedOptional,
    });
    const toSection = (s: OpenSection): DocSection => ({
      kind: s.name === null ? 'plain' : sectionKind(s.name),
      name: s.name,
      text: textOf(s),
      loc: s.loc,
    });
    return {
      loc: this.loc,
      symbol: this.symbol,
      body: textOf(this.body),
      args: this.args.map(toArg),
      features: this.features.map(toArg),
      sections: this.sections.map(toSection),
    };
  }
}

/**
 * Parses a documentation block the way QEMU up to 8.2 did.  A block may
 * yield several comments: each '=' heading after some text starts a new
 * free-form comment.
 */
export function parseClassicDocBlock(block: DocBlockNode, level: LanguageLevel): DocComment[] {
  checkOpening(block);
  const docs: DocComment[] = [];
  let builder = new ClassicBuilder(block.loc, level);
  // One cursor for the block's lines: the builder asks a line's place only
  // while it handles that line.
  const line = new DocLineCursor(block);
  while (line.next()) {
    if (line.text.startsWith('# =')) {
      if (builder.hasSymbol) {
        throw problemAt(line.loc, "headings ('=') belong in free-form documentation, not in a definition's comment");
      }
      if (builder.bodyText !== '') {
        docs.push(builder.finish(line.loc));
        builder = new ClassicBuilder(block.loc, level);
      }
    }
    builder.append(line);
  }
  const close = closingLine(block);
  docs.push(builder.finish(close ?? block.loc, close !== null));
  return docs;
}
