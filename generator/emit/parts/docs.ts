/**
 * TSDoc from QAPI documentation: which part of a definition's doc goes
 * where in its comment.  The text, then generated notes; `@remarks` for
 * notes and admonitions; `@param`, `@returns`, `@throws`; an `@example`
 * per QMP example; `@deprecated`/`@experimental` from features; `@since`.
 * TODO sections are for QEMU's developers and left out, as QEMU's manual
 * does.  The text itself is rendered by doc-markdown.ts.
 */
import type { DocComment, DocSection } from '../../doc/types.js';
import { leadingSpace } from '../../source/text.js';
import type { EntityDoc, Feature, IfCondition } from '../../model/types.js';
import type { DocNode } from '../syntax/statements.js';
import { codeFence, codeSpan, NO_LINKS, renderInto, renderText, type LinkResolver, type RenderedDoc } from './doc-markdown.js';

type Tag = NonNullable<DocNode['tags']>[number];

import { conditionText } from '../../common/conditions.js';

export { conditionText };

const TAG_ORDER = ['remarks', 'param', 'returns', 'throws', 'example', 'deprecated', 'experimental', 'since', 'packageDocumentation'];

/** Breaks every star-slash, so that no text ends the comment. */
function sealed(text: string): string {
  return text.replace(/\*\//g, '*\\/');
}

/** Text that opens with a list, a fence or a heading, or has paragraphs,
 *  starts on the line after its tag. */
function onNextLine(text: string): string {
  return /^(?:[-*] |\d+\. |```|#)/.test(text) || /\n\n/.test(text.trim()) ? `\n${text.replace(/^\n/, '')}` : text;
}

/**
 * A pre-9.1 example section's lines.  Its first line lost its indentation
 * when the section was read (as in QEMU): when it is a `->`/`<-` line and
 * so are some of the least indented lines under it, it had theirs.
 */
function classicExample(text: string): string {
  const [first = '', ...rest] = text.replace(/^(?:[ \t]*\n)+|\s+$/g, '').split('\n');
  const indents = rest.filter((l) => l.trim() !== '').map(leadingSpace);
  const least = indents.length === 0 ? 0 : Math.min(...indents);
  const isMessage = (line: string): boolean => /^(?:->|<-)/.test(line.trim());
  const lined = least > 0 && isMessage(first) && rest.some((l) => leadingSpace(l) === least && isMessage(l));
  return [first, ...rest.map((l) => (lined ? l.slice(Math.min(least, leadingSpace(l))) : l))].join('\n');
}

/** When a feature holds, in words ("in QEMU 7.2 and later"); null: always. */
export type FeatureWhen = (f: Feature) => string | null;

/** Collects the parts of one doc comment; `build` returns it, or undefined
 *  when there is nothing to say. */
export class DocBuilder {
  private readonly rendered: RenderedDoc = { main: [], remarks: [], examples: [] };
  private readonly notes: string[] = [];
  private readonly tags: Tag[] = [];

  /** `links` names the symbols cross-references may link to. */
  constructor(private readonly links: LinkResolver = NO_LINKS) {}

  /** Doc text from the schema (rST), rendered. */
  text(text: string | undefined | null): this {
    if (text && text.trim() !== '') renderInto(text, this.links, this.rendered);
    return this;
  }

  /** Markdown the generator writes itself (already safe). */
  note(text: string): this {
    this.notes.push(text);
    return this;
  }

  tag(tagName: string, text?: string): this {
    this.tags.push(text === undefined ? { tagName } : { tagName, text });
    return this;
  }

  /** Body, sections, features and condition of a definition's doc;
   *  `when` says when a feature holds, where not always (bindings that
   *  span releases). */
  entity(doc: EntityDoc | null, ifcond: IfCondition | null, features: readonly Feature[], when?: FeatureWhen): this {
    if (doc) {
      this.text(doc.comment.body);
      for (const s of doc.sections) this.section(s);
    }
    return this.condition(ifcond).features(features, doc, when);
  }

  condition(ifcond: IfCondition | null | undefined): this {
    if (ifcond) this.note(`Only available when ${codeSpan(conditionText(ifcond))}.`);
    return this;
  }

  features(features: readonly Feature[], doc: EntityDoc | null, when?: FeatureWhen): this {
    for (const f of features) {
      const text = doc?.features.find((d) => d.name === f.name)?.text ?? '';
      const said = text.trim() === '' ? undefined : renderText(text, this.links);
      const since = when?.(f) ?? null;
      if (since !== null) {
        // Bindings that span releases: the feature holds in some only.
        const what = f.name === 'deprecated' ? 'Deprecated' : f.name === 'unstable' ? 'Unstable' : `Feature ${codeSpan(f.name)}`;
        const line = `${what} ${since}${said ? `: ${said}` : '.'}`;
        if (f.name === 'deprecated') this.tag('deprecated', line);
        else if (f.name === 'unstable') this.tag('experimental', line);
        else this.note(line);
      } else if (f.name === 'deprecated') this.tag('deprecated', said ?? 'Deprecated in the schema.');
      else if (f.name === 'unstable') this.tag('experimental', said);
      else this.note(`Feature ${codeSpan(f.name)}${said ? `: ${said}` : '.'}`);
    }
    return this;
  }

  private section(s: DocSection): void {
    if (s.text.trim() === '') return;
    switch (s.kind) {
      case 'plain':
        this.text(s.text);
        break;
      case 'returns':
        this.tag('returns', renderText(s.text, this.links));
        break;
      case 'since':
        this.tag('since', renderText(s.text, this.links));
        break;
      case 'note':
        this.rendered.remarks.push(`**${s.name === 'Notes' ? 'Notes' : 'Note'}:** ${renderText(s.text, this.links)}`);
        break;
      case 'example':
        // Before QEMU 9.1 an example section is literal text.
        this.rendered.examples.push(`\n${codeFence(classicExample(s.text))}`);
        break;
      case 'errors':
        // The command's @throws tags say these (error-docs.ts).
        break;
      case 'todo':
        break;
    }
  }

  build(): DocNode[] {
    const description = sealed([...this.rendered.main, ...this.notes].join('\n\n'));
    const tags: Tag[] = [...this.tags];
    if (this.rendered.remarks.length > 0) tags.push({ tagName: 'remarks', text: `\n${this.rendered.remarks.join('\n\n')}` });
    for (const e of this.rendered.examples) tags.push({ tagName: 'example', text: e });
    if (description === '' && tags.length === 0) return [];
    // Tags in the order readers expect, whatever order the sections had.
    const rank = (t: Tag): number => {
      const i = TAG_ORDER.indexOf(t.tagName);
      return i < 0 ? TAG_ORDER.length : i;
    };
    const sorted = tags
      .map((t, i) => ({ t, i }))
      .sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i)
      .map(({ t }) => (t.text === undefined ? t : { tagName: t.tagName, text: sealed(onNextLine(t.text)) }));
    return [sorted.length === 0 ? { description } : { description, tags: sorted }];
  }
}

/** A module's free-form docs as its file's `@packageDocumentation`. */
export function moduleOverview(docs: readonly DocComment[], links: LinkResolver): DocNode | undefined {
  const doc = new DocBuilder(links);
  for (const d of docs) doc.text(d.body);
  const [node] = doc.build();
  return node && node.description !== '' ? { description: node.description, tags: [...(node.tags ?? []), { tagName: 'packageDocumentation' }] } : undefined;
}
