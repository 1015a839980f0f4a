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

/** The error table the seed's block-commit documents: its condition text,
 *  the class it names, and the class that arrives on the wire. */
export const SEED_ERROR_TABLE = [
  { condition: 'If commit or stream is already active on this device', documented: 'DeviceInUse', errorClass: 'GenericError' },
  { condition: 'If @device does not exist', documented: 'DeviceNotFound', errorClass: 'DeviceNotFound' },
  { condition: 'If image commit is not supported by this device', documented: 'NotSupported', errorClass: 'GenericError' },
  { condition: 'If @base or @top is invalid', documented: 'GenericError', errorClass: 'GenericError' },
  { condition: 'If @top is the active layer, or omitted', documented: 'GenericError', errorClass: 'GenericError' },
  { condition: 'If @speed is invalid', documented: 'InvalidParameter', errorClass: 'GenericError' },
] as const;
