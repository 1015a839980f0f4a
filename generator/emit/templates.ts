/**
 * The fixed text of the TypeScript output, kept in the package's
 * templates/typescript/: the header every generated file starts with
 * (header.txt), and the doc comments of the declarations every set of
 * bindings has (declarations.txt: registry.ts's, client.ts's, each
 * module's tables).  The emitters build the statements; these files say
 * what the fixed ones say.  Read once per process.
 */
import { basename } from 'node:path';
import { readPackageFile } from '../package-root.js';
import { commentText } from './output/comment-text.js';

/** The files of templates/typescript/, read once. */
let loaded: { readonly header: string; readonly declarations: ReadonlyMap<string, string> } | undefined;

function templates(): NonNullable<typeof loaded> {
  loaded ??= {
    header: readPackageFile('templates', 'typescript', 'header.txt'),
    declarations: parseDeclarations(readPackageFile('templates', 'typescript', 'declarations.txt')),
  };
  return loaded;
}

/** `== FILE NAME` headings, each followed by its text; `//` lines before
 *  the first heading are the file's own comment. */
function parseDeclarations(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let key: string | null = null;
  let lines: string[] = [];
  const flush = (): void => {
    if (key !== null) out.set(key, lines.join('\n').trim());
  };
  for (const line of text.split('\n')) {
    const heading = /^== (\S+ \S+)\s*$/.exec(line);
    if (heading) {
      flush();
      key = heading[1]!;
      lines = [];
    } else if (key !== null) {
      lines.push(line);
    }
  }
  flush();
  return out;
}

/** The header template: `{{schema}}` and `{{module}}` are filled in. */
export function headerTemplate(): string {
  return templates().header;
}

/** The header of a generated file.  No dates or versions: regenerating
 *  unchanged input must change nothing. */
export function renderHeader(template: string, schemaFile: string, module: string | null): string {
  // Names come from the file system; keep them on one comment line, and
  // without controls (comment-text.ts).
  const clean = (s: string): string => commentText(s.replace(/\n+/g, ' '));
  return template
    .replace('{{schema}}', clean(basename(schemaFile)))
    .replace('{{module}}', module ? ` (module ${clean(module)})` : '');
}

/** What every generated file's first line starts with: the header up to its
 *  first blank to fill. */
function headerStart(): string {
  const header = headerTemplate();
  return header.slice(0, header.indexOf('{{'));
}

/** The text of a fixed declaration's doc comment (`file` is `registry`,
 *  `client` or `module`), its `{{NAME}}`s filled from `values`. */
export function fixedText(file: string, name: string, values: Readonly<Record<string, string>> = {}): string {
  const text = templates().declarations.get(`${file} ${name}`);
  if (text === undefined) throw new Error(`templates/typescript/declarations.txt has no '== ${file} ${name}'`);
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`templates/typescript/declarations.txt: '== ${file} ${name}' wants {{${key}}}, which the emitter does not give`);
    return value;
  });
}

/** Whether a file found in an output directory is one generation wrote: a
 *  `.ts` or `.js` file (`.d.ts` too) whose first line is the header. */
export function isGeneratedFile(name: string, read: () => string | undefined): boolean {
  return /\.(?:ts|js)$/.test(name) && (read()?.startsWith(headerStart()) ?? false);
}
