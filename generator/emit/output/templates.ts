/**
 * The fixed part of the output, kept as a file in templates/: the header
 * every generated file starts with.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocNode } from '../syntax/statements.js';

/** templates/ from the sources (generator/emit/output) or the build
 *  (dist/generator/emit/output). */
function templatesDir(): string {
  for (const up of ['../../../templates/', '../../../../templates/']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(`${dir}header.txt`)) return dir;
  }
  throw new Error('qapi-ts: cannot find its templates/ directory');
}

export interface Templates {
  readonly header: string;
}

export function loadTemplates(): Templates {
  return { header: readFileSync(`${templatesDir()}header.txt`, 'utf8') };
}

/** The header of a generated file.  No dates or versions: regenerating
 *  unchanged input must change nothing. */
export function renderHeader(template: string, schemaFile: string, module: string | null): string {
  // Names come from the file system; keep them on one comment line.
  const clean = (s: string): string => s.replace(/[\r\n\u2028\u2029]+/g, ' ');
  return template
    .replace('{{schema}}', clean(basename(schemaFile)))
    .replace('{{module}}', module ? ` (module ${clean(module)})` : '');
}

/** A doc comment as it stands before the file's first statement. */
export function renderOverview(doc: DocNode): string {
  const tags = (doc.tags ?? []).map((t) => `@${t.tagName}${t.text === undefined ? '' : t.text.startsWith('\n') ? t.text : ` ${t.text}`}`);
  const lines = [doc.description, ...tags].join('\n').split('\n');
  return `/**\n${lines.map((l) => (l === '' ? ' *' : ` * ${l}`)).join('\n')}\n */\n`;
}
