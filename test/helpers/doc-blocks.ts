/**
 * The code blocks of the documentation, as the tests that compile and run
 * them see them: every Markdown page of the repository's documentation
 * (README.md, runtime/README.md, docs/**, examples/*\/README.md, found
 * afresh each run, so a new page is checked as soon as it exists), each
 * fenced block with its language, its place, and the directive before it.
 *
 * A directive is an HTML comment on the line before the fence, invisible
 * where Markdown is rendered, saying what the block is and what it needs:
 *
 *     <!-- doc-test: KIND [WORD | KEY=VALUE]...
 *     optional lines: TypeScript put before the block (its imports and
 *     what the fragment takes as given), never shown to readers
 *     ...
 *     optional lines after a line `...`: TypeScript put after it (what a
 *     run checks, closing the connection)
 *     -->
 *
 * KIND is `ts` (TypeScript: `bindings=NAME` which generated bindings
 * `./generated/` is, `run=SCENARIO` runs it against QEMU), `sh` (shell
 * commands; `project=NAME` runs them in that project, `install` marks the
 * step installing the packages), `file PATH project=NAME` (the block is
 * that file of the project), `config` (a qapi-ts.config.json) or
 * `synopsis` (the CLI's usage lines).  Blocks without one take their
 * language's default: `ts` with the default bindings, `json` a config,
 * `sh` commands; test/project/doc-blocks.test.ts says how each is checked
 * and lists, with a reason, the blocks no test runs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from './shared.js';

export interface Directive {
  readonly kind: string;
  /** Words after the kind (`install`; for `file`, its path first). */
  readonly words: readonly string[];
  readonly options: Readonly<Record<string, string>>;
  /** TypeScript put before the block, from the comment's later lines. */
  readonly prelude: string;
  /** TypeScript put after it, from the lines after `...`. */
  readonly epilogue: string;
}

export interface DocBlock {
  /** The page, from the repository's root (`docs/cli.md`). */
  readonly page: string;
  /** The line of the opening fence, 1-based. */
  readonly line: number;
  /** The fence's language (`ts`, `json`, `sh`), or '' for none. */
  readonly lang: string;
  readonly text: string;
  readonly directive: Directive | null;
}

/** `PAGE:LINE`, how messages name a block. */
export function where(block: DocBlock): string {
  return `${block.page}:${block.line}`;
}

/** A block's file name: where it is, readable in a compiler's messages. */
export function blockFile(b: DocBlock, extension = 'ts'): string {
  return `${b.page.replace(/[^A-Za-z0-9]+/g, '-')}-${b.line}.${extension}`;
}

/** A block as a module: its prelude, itself, its epilogue. */
export function blockSource(b: DocBlock): string {
  return `${b.directive?.prelude ?? ''}${b.text}${b.directive?.epilogue ?? ''}`;
}

/** Every page of the documentation, from the repository's root. */
export function docPages(root = PROJECT_ROOT): string[] {
  const pages = ['README.md', 'runtime/README.md'];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) pages.push(path);
    }
  };
  walk('docs');
  for (const example of readdirSync(join(root, 'examples'), { withFileTypes: true })) {
    if (example.isDirectory() && existsSync(join(root, 'examples', example.name, 'README.md'))) pages.push(`examples/${example.name}/README.md`);
  }
  return pages.filter((p) => existsSync(join(root, p))).sort();
}

const FENCE = /^```([\w+-]*)\s*$/;
const DIRECTIVE_START = /^<!-- doc-test: (.*?)(-->)?$/;

function parseDirective(head: string, body: readonly string[], at: string): Directive {
  const cut = body.indexOf('...');
  const text = (lines: readonly string[]): string => (lines.length > 0 ? `${lines.join('\n')}\n` : '');
  const prelude = text(cut < 0 ? body : body.slice(0, cut));
  const epilogue = text(cut < 0 ? [] : body.slice(cut + 1));
  const [kind, ...rest] = head.trim().split(/\s+/);
  if (kind === undefined || kind === '') throw new Error(`${at}: a doc-test directive names no kind`);
  const words: string[] = [];
  const options: Record<string, string> = {};
  for (const token of rest) {
    const eq = token.indexOf('=');
    if (eq > 0) options[token.slice(0, eq)] = token.slice(eq + 1);
    else words.push(token);
  }
  return { kind, words, options, prelude, epilogue };
}

/** The blocks of one page, in order; a directive counts for the block
 *  whose fence is on the line right after it. */
export function blocksOf(page: string, root = PROJECT_ROOT): DocBlock[] {
  const lines = readFileSync(join(root, page), 'utf8').split('\n');
  const blocks: DocBlock[] = [];
  let directive: { readonly value: Directive; readonly endLine: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const start = DIRECTIVE_START.exec(lines[i]!);
    if (start) {
      const at = `${page}:${i + 1}`;
      if (start[2] !== undefined) {
        directive = { value: parseDirective(start[1]!, [], at), endLine: i };
        continue;
      }
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== '-->'; i++) body.push(lines[i]!);
      if (i === lines.length) throw new Error(`${at}: a doc-test directive is not closed by a line '-->'`);
      directive = { value: parseDirective(start[1]!, body, at), endLine: i };
      continue;
    }
    const fence = FENCE.exec(lines[i]!);
    if (!fence) continue;
    const opened = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]!);
    const own = directive !== null && directive.endLine === opened - 1 ? directive.value : null;
    if (directive !== null && own === null) throw new Error(`${page}:${directive.endLine + 1}: a doc-test directive must be on the line before a code block`);
    blocks.push({ page, line: opened + 1, lang: fence[1]!, text: body.length > 0 ? `${body.join('\n')}\n` : '', directive: own });
    directive = null;
  }
  if (directive !== null) throw new Error(`${page}:${directive.endLine + 1}: a doc-test directive must be on the line before a code block`);
  return blocks;
}

/** Every block of every page. */
export function docBlocks(root = PROJECT_ROOT): DocBlock[] {
  return docPages(root).flatMap((page) => blocksOf(page, root));
}

/** The page's folder, from the repository's root: where relative paths in
 *  its commands start, and whose package.json its `npm run` names. */
export function pageFolder(block: DocBlock, root = PROJECT_ROOT): string {
  return block.page.startsWith('docs/') ? root : join(root, dirname(block.page));
}

/**
 * The commands of a shell block: lines joined where they end in `\`,
 * comments dropped, each line split at `&&` and `;`, subshells' parentheses
 * and a trailing `&` removed; each command as words, quotes removed.
 */
export function shellCommands(text: string): string[][] {
  const joined = text.replace(/\\\n\s*/g, ' ');
  const commands: string[][] = [];
  for (const raw of joined.split('\n')) {
    const words = shellWords(raw);
    let current: string[] = [];
    for (const word of words) {
      if (word === '&&' || word === ';' || word === '&' || word === '||') {
        if (current.length > 0) commands.push(current);
        current = [];
      } else current.push(word);
    }
    if (current.length > 0) commands.push(current);
  }
  return commands.map((c) => c.map((w, i) => (i === 0 ? w.replace(/^\(/, '') : i === c.length - 1 ? w.replace(/\)$/, '') : w)));
}

/** A line's words as the shell splits them: quotes ('...', "...") and
 *  backslashes kept out of the words, `#` starting a comment. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '#' && word === null) break;
    if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unterminated ${c} in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}
