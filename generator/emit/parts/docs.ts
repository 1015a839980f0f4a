/**
 * TSDoc from QAPI documentation.
 *
 * Doc text is schema-controlled, so everything that could end the comment
 * or change its meaning is escaped: `*\/`, tags (`@`), inline tags and
 * template-looking text (`{`, `}`), and backticks, which would otherwise
 * open code spans or close our example fences.  QAPI's `@member`
 * references become code spans, which is what they mean.
 */
import type { EntityDoc, Feature, IfCondition } from '../../model/types.js';
import type { DocNode } from '../syntax/statements.js';

type Tag = NonNullable<DocNode['tags']>[number];

const REFERENCE = /(^|[^A-Za-z0-9_\\])\\@([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)/gm;

/** Makes schema text safe inside a doc comment. */
export function escapeDocText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\\/g, '\\\\')
    .replace(/[`{}]/g, (c) => `\\${c}`)
    .replace(/\*\//g, '*\\/')
    .replace(/\/\*/g, '/\\*')
    .replace(/@/g, '\\@')
    // Escaped references turn into code spans; other '@'s stay escaped.
    .replace(REFERENCE, (_m, before: string, name: string) => `${before}\`${name}\``)
    .replace(/[ \t]+$/gm, '');
}

/** A condition as a readable expression, e.g. `CONFIG_A && !CONFIG_B`. */
export function conditionText(cond: IfCondition): string {
  switch (cond.kind) {
    case 'name':
      return cond.name;
    case 'not':
      return `!${cond.operand.kind === 'name' ? conditionText(cond.operand) : `(${conditionText(cond.operand)})`}`;
    default: {
      const op = cond.kind === 'all' ? ' && ' : ' || ';
      return cond.operands.map((c) => (c.kind === 'name' || c.kind === 'not' ? conditionText(c) : `(${conditionText(c)})`)).join(op);
    }
  }
}

const TAG_ORDER = ['param', 'returns', 'throws', 'example', 'deprecated', 'experimental', 'since'];

/** Collects the parts of one doc comment; `build` returns it, or undefined
 *  when there is nothing to say. */
export class DocBuilder {
  private readonly paragraphs: string[] = [];
  private readonly remarks: string[] = [];
  private readonly tags: Tag[] = [];

  /** Raw schema text, escaped. */
  text(text: string | undefined | null): this {
    if (text && text.trim() !== '') this.paragraphs.push(escapeDocText(text.trim()));
    return this;
  }

  /** Text the generator writes itself (already safe). */
  note(text: string): this {
    this.remarks.push(text);
    return this;
  }

  tag(tagName: string, text?: string): this {
    this.tags.push(text === undefined ? { tagName } : { tagName, text });
    return this;
  }

  /** Sections, features and condition of an entity's doc. */
  entity(doc: EntityDoc | null, ifcond: IfCondition | null, features: readonly Feature[]): this {
    if (doc) {
      this.text(doc.comment.body);
      for (const s of doc.sections) this.section(s.name, s.text);
    }
    return this.condition(ifcond).features(features, doc);
  }

  condition(ifcond: IfCondition | null | undefined): this {
    if (ifcond) this.note(`Only available when \`${conditionText(ifcond)}\`.`);
    return this;
  }

  features(features: readonly Feature[], doc: EntityDoc | null): this {
    for (const f of features) {
      const text = doc?.features.find((d) => d.name === f.name)?.text ?? '';
      const said = text.trim() === '' ? undefined : escapeDocText(text.trim());
      if (f.name === 'deprecated') this.tag('deprecated', said ?? 'Deprecated in the schema.');
      else if (f.name === 'unstable') this.tag('experimental', said);
      else this.note(`Feature \`${f.name.replace(/[^A-Za-z0-9_.-]/g, '')}\`${said ? `: ${said}` : '.'}`);
    }
    return this;
  }

  private section(name: string | null, text: string): void {
    const body = text.trim();
    if (body === '') return;
    switch (name) {
      case 'Returns':
        this.tag('returns', escapeDocText(body));
        break;
      case 'Since':
        this.tag('since', escapeDocText(body));
        break;
      case 'Example':
      case 'Examples':
        this.tag('example', `\n\`\`\`text\n${escapeDocText(body)}\n\`\`\``);
        break;
      case null:
        this.text(body);
        break;
      default:
        this.note(`${name.replace(/[^A-Za-z0-9 ]/g, '')}: ${escapeDocText(body)}`);
    }
  }

  build(): DocNode[] {
    const description = [...this.paragraphs, ...this.remarks].join('\n\n');
    if (description === '' && this.tags.length === 0) return [];
    // Tags in the order readers expect, whatever order the sections had.
    const rank = (t: Tag): number => {
      const i = TAG_ORDER.indexOf(t.tagName);
      return i < 0 ? TAG_ORDER.length : i;
    };
    const tags = this.tags.map((t, i) => ({ t, i })).sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i).map((x) => x.t);
    return [tags.length === 0 ? { description } : { description, tags }];
  }
}
