/**
 * The seed document: the 2012 patch that added block-commit.  Its entry is
 * the lines the diff adds ('+'), opened by the '##' context line just
 * before them (the patch added its doc comment's opening line as context).
 */
import { readFileSync } from 'node:fs';

export function seedEntry(seedPath: string): string {
  const lines = readFileSync(seedPath, 'utf8').split('\n');
  const hunk = lines.findIndex((l) => l.startsWith('@@'));
  const first = lines.findIndex((l, i) => i > hunk && l.startsWith('+'));
  const opener = lines[first - 1]?.trim() === '##' ? ['##'] : [];
  const added = lines.slice(first).filter((l) => l.startsWith('+')).map((l) => l.slice(1));
  return `${[...opener, ...added].join('\n')}\n`;
}
