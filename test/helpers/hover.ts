/**
 * What an editor shows when hovering a generated symbol: TypeScript's
 * language service gives the doc comment as parsed (text, links, tags),
 * and the text is turned into markdown the way VS Code's TypeScript
 * extension does (its textRendering.ts: `@param` as "*@param* `name` —",
 * `@example` as a code block unless it holds a fence, other tags as
 * "*@tag* —" with their text).  `visibleText` then drops the markdown
 * escapes a rendered hover does not show.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';

export interface Hover {
  /** The first line of the hover: the symbol and its type, as shown. */
  readonly signature: string;
  /** The comment's text, links as the text they show. */
  readonly documentation: string;
  readonly tags: readonly { readonly name: string; readonly text: string }[];
  /** The whole hover's markdown below the signature. */
  readonly markdown: string;
}

/** Display parts as shown: a link by its text, or else its target's name. */
function shown(parts: readonly ts.SymbolDisplayPart[] | undefined): string {
  let out = '';
  let linkText: string | null = null;
  for (const p of parts ?? []) {
    if (p.kind === 'link') {
      if (linkText !== null) out += linkText.trim();
      linkText = linkText === null ? '' : null;
    } else if (p.kind === 'linkName') {
      linkText = p.text;
    } else if (p.kind === 'linkText') {
      linkText = p.text;
    } else {
      out += p.text;
    }
  }
  return out;
}

/** As VS Code's `makeCodeblock`: text with a fence stays as it is. */
function codeBlock(text: string): string {
  return /^\s*[~`]{3}/m.test(text) ? text : `\`\`\`\n${text}\n\`\`\``;
}

function tagMarkdown(tag: ts.JSDocTagInfo): string {
  if (tag.name === 'param' && tag.text) {
    // VS Code splits the name off the text, and a '-' after it.
    const [, name = '', doc = ''] = shown(tag.text).split(/^(\S+)\s*-?\s*/);
    const label = `*@param* \`${name}\``;
    return doc === '' ? label : label + (/\n/.test(doc) ? `  \n${doc}` : ` \u2014 ${doc}`);
  }
  const label = `*@${tag.name}*`;
  const text = tag.name === 'example' ? codeBlock(ts.displayPartsToString(tag.text)) : shown(tag.text);
  if (text === '') return label;
  return label + (/\n/.test(text) ? `  \n${text}` : ` \u2014 ${text}`);
}

/** A language service over the given files (as they are on disk). */
export class HoverService {
  private readonly service: ts.LanguageService;

  constructor(private readonly files: readonly string[]) {
    const host: ts.LanguageServiceHost = {
      getScriptFileNames: () => [...files],
      getScriptVersion: () => '1',
      getScriptSnapshot: (f) => (ts.sys.fileExists(f) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(f) ?? '') : undefined),
      getCurrentDirectory: () => process.cwd(),
      getCompilationSettings: () => ({ strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022 }),
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: ts.sys.fileExists,
      readFile: ts.sys.readFile,
    };
    this.service = ts.createLanguageService(host);
  }

  /** The hover over the first occurrence of `needle` in `file` (at `at`
   *  characters into it). */
  at(file: string, needle: string, at = 0): Hover {
    if (!this.files.includes(file)) throw new Error(`${file} is not one of the service's files`);
    const text = readFileSync(file, 'utf8');
    const index = text.indexOf(needle);
    if (index < 0) throw new Error(`'${needle}' is not in ${file}`);
    const info = this.service.getQuickInfoAtPosition(file, index + at);
    if (!info) throw new Error(`no hover at '${needle}' in ${file}`);
    const documentation = shown(info.documentation);
    const tags = (info.tags ?? []).map((t) => ({ name: t.name, text: t.name === 'param' ? shown(t.text) : ts.displayPartsToString(t.text) }));
    const markdown = [documentation, ...(info.tags ?? []).map(tagMarkdown)].filter((x) => x !== '').join('\n\n');
    return { signature: ts.displayPartsToString(info.displayParts), documentation, tags, markdown };
  }
}

/** Markdown as a reader sees it: outside code, a backslash before
 *  punctuation is not shown. */
export function visibleText(markdown: string): string {
  const pieces = markdown.split(/(^```[^\n]*\n[\s\S]*?^```$|`+[^`\n]*?`+)/m);
  return pieces.map((piece, i) => (i % 2 === 1 ? piece : piece.replace(/\\([!-/:-@[-`{-~])/g, '$1'))).join('');
}
