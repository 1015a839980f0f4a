/**
 * QAPI doc text (reStructuredText) as TSDoc's markdown, as editors show it
 * in hovers: ``literal`` and `@member` become code spans, cross-references
 * to definitions become `{@link}`s where the target is declared beside the
 * comment, lists stay lists, literal blocks and QMP examples become code
 * fences, headings become markdown headings.
 *
 * Doc text is schema-controlled, so whatever could end the comment or
 * change its meaning is escaped.  Prose is escaped the markdown way (a
 * backslash, which hovers do not show) wherever TSDoc or TypeScript would
 * read markup: `{ } @ < > \``, and line starts markdown would take for a
 * list, heading or quote.  Code (spans and fences) is shown as written,
 * so there only what must change changes, visibly: a `@` that TypeScript
 * would take for a tag (after a space or a `{`) gets a backslash.  `*\/`,
 * which would end the comment, is broken everywhere, in DocBuilder.build.
 */
import { readBlocks, type DocBlock, type DocDirective } from '../../doc/blocks.js';

/** The symbol a `{@link}` may name for a QAPI definition, when there is one
 *  in scope where the comment stands. */
export type LinkResolver = (qapiName: string) => string | undefined;

export const NO_LINKS: LinkResolver = () => undefined;

/** Where the parts of rendered text go: most stays in place; notes and QMP
 *  examples of a definition's doc go to its remarks and `@example` tags. */
export interface RenderedDoc {
  readonly main: string[];
  readonly remarks: string[];
  readonly examples: string[];
}

/** Directives that are admonitions, with the label they are shown under. */
const ADMONITIONS: Readonly<Record<string, string>> = {
  note: 'Note',
  caution: 'Caution',
  warning: 'Warning',
  important: 'Important',
  tip: 'Tip',
  hint: 'Hint',
  attention: 'Attention',
  danger: 'Danger',
  error: 'Error',
  seealso: 'See also',
};

/** `@` where TypeScript would start a tag or an inline tag: first on its
 *  line, or after a space or `{` and before a non-space. */
const TAG_LIKE_AT = /^([ \t]*)@|([\s{])@(?=\S)/gm;
/** The same in a code span, where a closing backtick may follow. */
const TAG_LIKE_AT_IN_SPAN = /^([ \t]*)@|([\s{])@/gm;

/** Text shown as code keeps its characters, but none may start a tag. */
function inertCode(text: string, pattern = TAG_LIKE_AT): string {
  return text.replace(pattern, (_m, indent: string | undefined, before: string | undefined) => `${indent ?? before ?? ''}\\@`);
}

/** A markdown code span of `text` (on one line). */
export function codeSpan(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${inertCode(flat, TAG_LIKE_AT_IN_SPAN)}${pad}${ticks}`;
}

/** A fenced code block of `text`, lines as written. */
export function codeFence(text: string, language = 'text'): string {
  const longest = Math.max(2, ...(text.match(/^\s*`+/gm) ?? []).map((run) => run.trim().length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language.replace(/[^A-Za-z0-9_+-]/g, '')}\n${inertCode(text)}\n${fence}`;
}

/** Characters markdown, TSDoc or TypeScript give a meaning to in prose. */
const PROSE_SPECIAL = /[{}@<>`\\]/g;

/** Plain text made safe as prose. */
function escapeProse(text: string): string {
  return text.replace(PROSE_SPECIAL, (c) => `\\${c}`);
}

/** Line starts markdown would read as block markup inside a paragraph. */
function guardLineStarts(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const body = line.trimStart();
      if (/^(?:[-+*](?:\s|$)|#|=+$|-+$|~~~)/.test(body)) return `\\${body}`;
      const numbered = /^(\d+)([.)])(\s|$)/.exec(body);
      return numbered ? `${numbered[1]}\\${body.slice(numbered[1]!.length)}` : body;
    })
    .join('\n');
}

const ROLE = /^:([A-Za-z][\w:+.-]*):`/;
const MEMBER = /^@([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)/;
const AUTOLINK = /^<((?:https?|ftp|mailto):[^\s<>]+)>/;
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

/** A reference to a definition: a link when its target is in scope. */
function reference(name: string, links: LinkResolver): string {
  const target = links(name);
  if (target === undefined) return codeSpan(name);
  return target === name ? `{@link ${target}}` : `{@link ${target} | ${escapeProse(name)}}`;
}

/** `Title <target>` as interpreted text writes it: the title and target. */
function titled(text: string): { title: string; target: string | null } {
  const m = /^(.*?)\s*<([^<>]+)>$/s.exec(text);
  return m && m[1] !== '' ? { title: m[1]!, target: m[2]! } : { title: text, target: null };
}

function role(name: string, text: string, links: LinkResolver): string {
  const { title, target } = titled(text);
  // QAPI's own roles name definitions; so does the default role.
  if (name === 'qapi' || name.startsWith('qapi:')) return target === null ? reference(title, links) : escapeProse(title);
  if (['literal', 'code', 'kbd', 'command', 'file', 'option', 'envvar', 'samp'].includes(name)) return codeSpan(title);
  // Links into the rest of QEMU's manual: what they are called.
  return target === null ? codeSpan(title) : escapeProse(title);
}

/**
 * Inline rST as markdown: ``literal``, `reference`, :role:`text`,
 * `link <url>`_, @member, <url>, rST escapes; everything else escaped.
 */
export function renderInline(text: string, links: LinkResolver = NO_LINKS): string {
  let out = '';
  let plain = '';
  const flush = (): void => {
    out += escapeProse(plain);
    plain = '';
  };
  const emit = (markdown: string): void => {
    flush();
    out += markdown;
  };
  const wordBefore = (i: number): boolean => i > 0 && /[\w]/.test(text[i - 1]!);
  // Only these characters can start markup; a run of others is plain text
  // as it stands (taken whole: doc text is most of the output).
  const markup = /[\\`:@<]/g;
  let i = 0;
  while (i < text.length) {
    markup.lastIndex = i;
    const next = markup.exec(text)?.index ?? text.length;
    if (next > i) {
      plain += text.slice(i, next);
      i = next;
      continue;
    }
    const rest = text.slice(i);
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      // rST: a backslash makes the next character plain; an escaped
      // space or newline disappears.
      const next = text[i + 1]!;
      if (ASCII_PUNCTUATION.test(next)) {
        flush();
        out += `\\${next}`;
      } else if (!/\s/.test(next)) plain += next;
      i += 2;
      continue;
    }
    if (rest.startsWith('``')) {
      const end = text.indexOf('``', i + 2);
      if (end > i + 2) {
        emit(codeSpan(text.slice(i + 2, end)));
        i = end + 2;
        continue;
      }
    }
    const roleMatch = wordBefore(i) ? null : ROLE.exec(rest);
    if (roleMatch) {
      const start = i + roleMatch[0].length;
      const end = text.indexOf('`', start);
      if (end > start) {
        emit(role(roleMatch[1]!, text.slice(start, end), links));
        i = end + 1;
        continue;
      }
    }
    if (c === '`' && !wordBefore(i)) {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1) {
        const inner = text.slice(i + 1, end);
        const underscores = /^_{1,2}/.exec(text.slice(end + 1))?.[0] ?? '';
        if (underscores !== '') {
          // A hyperlink reference: `text <url>`_ or `text`_.
          const { title, target } = titled(inner);
          emit(target !== null && /^[a-z]+:/.test(target) ? `{@link ${target} | ${escapeProse(title)}}` : escapeProse(title));
        } else {
          emit(reference(titled(inner).title, links));
        }
        i = end + 1 + underscores.length;
        continue;
      }
    }
    const member = c === '@' && !wordBefore(i) ? MEMBER.exec(rest) : null;
    if (member) {
      emit(reference(member[1]!, links));
      i += member[0].length;
      continue;
    }
    const url = c === '<' ? AUTOLINK.exec(rest) : null;
    if (url) {
      emit(`{@link ${url[1]!.replace(/[{}|]/g, encodeURIComponent)}}`);
      i += url[0].length;
      continue;
    }
    plain += c;
    i++;
  }
  flush();
  return guardLineStarts(out);
}

/** Continuation lines of a list item or labelled paragraph, indented. */
function indentAfterFirst(text: string, by: number): string {
  const pad = ' '.repeat(by);
  return text
    .split('\n')
    .map((line, k) => (k === 0 || line === '' ? line : pad + line))
    .join('\n');
}

/** `**Label:** text`, the label on the text's first line when it is prose. */
function labelled(label: string, body: string): string {
  const strong = `**${escapeProse(label)}:**`;
  if (body === '') return strong;
  return /^(?:`{3}|[-*] |\d+\. |#)/.test(body) ? `${strong}\n\n${body}` : `${strong} ${body}`;
}

/** A note's content: its text may start on the directive's own line, and
 *  then runs on into the lines under it. */
function withLeadLine(d: DocDirective): readonly DocBlock[] {
  const lead = d.argument.trim();
  if (lead === '') return d.blocks;
  const [first, ...rest] = d.blocks;
  if (first?.kind === 'paragraph' && first.line === d.line + 1) return [{ ...first, line: d.line, text: `${lead}\n${first.text}` }, ...rest];
  return [{ kind: 'paragraph', line: d.line, text: lead }, ...d.blocks];
}

function directive(d: DocDirective, links: LinkResolver, into: RenderedDoc | null): string | null {
  const body = renderBlocks(d.blocks, links, null);
  if (d.name === 'qmp-example') {
    if (into) {
      // The title on a line of its own: TypeScript keeps the indentation
      // of the lines of a tag's text only when they start on the next line.
      into.examples.push(`\n${d.options['title'] ? `**${escapeProse(d.options['title'].trim())}**\n\n` : ''}${body}`);
      return null;
    }
    return labelled(d.options['title']?.trim() || 'Example', body);
  }
  if (d.name === 'code-block' || d.name === 'code' || d.name === 'sourcecode') return codeFence(d.content, d.argument || 'text');
  if (d.name === 'table') {
    // A simple table reads well as it is written.
    const fence = codeFence(d.content);
    return d.argument ? `${renderInline(d.argument, links)}\n\n${fence}` : fence;
  }
  const label = d.name === 'admonition' ? d.argument.trim() || 'Note' : (ADMONITIONS[d.name] ?? d.name);
  const text = labelled(label, d.name === 'admonition' ? body : renderBlocks(withLeadLine(d), links, null));
  if (into && (d.name === 'admonition' || Object.hasOwn(ADMONITIONS, d.name))) {
    into.remarks.push(text);
    return null;
  }
  return text;
}

function block(b: DocBlock, links: LinkResolver, into: RenderedDoc | null): string | null {
  switch (b.kind) {
    case 'paragraph':
      return renderInline(b.text, links);
    case 'heading':
      return `${'#'.repeat(b.level)} ${renderInline(b.text, links)}`;
    case 'list':
      return b.items
        .map((item, k) => {
          const marker = b.ordered ? `${k + 1}. ` : '- ';
          return marker + indentAfterFirst(renderText(item, links), marker.length);
        })
        .join('\n');
    case 'literal':
      return codeFence(b.text);
    case 'directive':
      return directive(b, links, into);
    case 'quote':
      return renderBlocks(b.blocks, links, into) || null;
  }
}

/**
 * Blocks as markdown, separated by blank lines.  With `into`, notes go to
 * its remarks and QMP examples to its examples; without, they stay in
 * place, labelled.
 */
function renderBlocks(blocks: readonly DocBlock[], links: LinkResolver, into: RenderedDoc | null = null): string {
  return blocks
    .map((b) => block(b, links, into))
    .filter((x): x is string => x !== null && x !== '')
    .join('\n\n');
}

/**
 * What rendering a text gave, and every cross-reference it looked up with
 * what the resolver said: rendering is a function of the text and those
 * answers alone, so the same text rendered where the resolver says the
 * same gives the same.  Doc text is most of the emitter's work, and a
 * schema changed in one place (generate --watch) renders the same texts
 * again; so does one text used twice.  Bounded: past MEMO_LIMIT texts the
 * memo starts afresh.
 */
interface Rendering {
  readonly lookups: readonly (readonly [string, string | undefined])[];
  readonly main: string;
  readonly remarks: readonly string[];
  readonly examples: readonly string[];
}

const MEMO_LIMIT = 50_000;
const renderings = new Map<string, Rendering>();

function memoized(key: string, links: LinkResolver, render: (links: LinkResolver, into: RenderedDoc) => string): Rendering {
  const kept = renderings.get(key);
  if (kept !== undefined && kept.lookups.every(([name, target]) => links(name) === target)) return kept;
  const lookups: [string, string | undefined][] = [];
  const recording: LinkResolver = (name) => {
    const target = links(name);
    lookups.push([name, target]);
    return target;
  };
  const into: RenderedDoc = { main: [], remarks: [], examples: [] };
  const main = render(recording, into);
  const rendering: Rendering = { lookups, main, remarks: into.remarks, examples: into.examples };
  if (renderings.size >= MEMO_LIMIT) renderings.clear();
  renderings.set(key, rendering);
  return rendering;
}

/** Doc text as markdown, everything in place. */
export function renderText(text: string, links: LinkResolver = NO_LINKS): string {
  return memoized(`text\0${text}`, links, (recording) => renderBlocks(readBlocks(text), recording)).main;
}

/** Doc text as markdown; its notes and QMP examples go to `into`. */
export function renderInto(text: string, links: LinkResolver, into: RenderedDoc): void {
  const { main, remarks, examples } = memoized(`into\0${text}`, links, (recording, parts) => renderBlocks(readBlocks(text), recording, parts));
  if (main !== '') into.main.push(main);
  into.remarks.push(...remarks);
  into.examples.push(...examples);
}
