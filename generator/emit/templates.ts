/**
 * The fixed parts of the output, kept as files in templates/: the header
 * every file starts with, and support.ts (validator and command base).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quote } from './names.js';

/** The runtime import the templates are written against. */
export const TEMPLATE_RUNTIME = 'qapi-ts/runtime';

/** templates/ from the sources (generator/emit) or the build (dist/generator/emit). */
function templatesDir(): string {
  for (const up of ['../../templates/', '../../../templates/']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(`${dir}header.txt`)) return dir;
  }
  throw new Error('qapi-ts: cannot find its templates/ directory');
}

export interface Templates {
  readonly header: string;
  readonly support: string;
}

export function loadTemplates(): Templates {
  const dir = templatesDir();
  return { header: readFileSync(`${dir}header.txt`, 'utf8'), support: readFileSync(`${dir}support.ts`, 'utf8') };
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

/** support.ts with the configured runtime import. */
export function supportText(template: string, runtime: string): string {
  return template.split(quote(TEMPLATE_RUNTIME)).join(quote(runtime));
}

/** The names support.ts exports, which no generated name may take. */
export function exportedNames(text: string): string[] {
  return [...text.matchAll(/^export (?:abstract )?(?:class|function|const|type|interface) ([A-Za-z0-9_$]+)/gm)].map((m) => m[1] ?? '');
}
