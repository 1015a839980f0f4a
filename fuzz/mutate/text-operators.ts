/**
 * Mutation operators on the text of one schema file: bytes, tokens, lines,
 * documentation markers, unusual whitespace, deep nesting, huge strings and
 * long lines.  Each returns a one-line description of what it did.
 */
import {
  commentLines,
  lineStarts,
  namesIn,
  tagNamePositions,
  tokenize,
  topLevelPositions,
  valuePositions,
  type Draft,
} from './draft.js';

export type Operator = (draft: Draft) => string;

export const byteFlip: Operator = (d) => {
  const file = d.pickFile();
  const bytes = Buffer.from(d.bytes(file));
  const n = d.rng.between(1, 8);
  const at: number[] = [];
  for (let i = 0; i < n && bytes.length > 0; i++) {
    const pos = d.rng.below(bytes.length);
    bytes[pos] = bytes[pos]! ^ (1 << d.rng.below(8));
    at.push(pos);
  }
  d.setBytes(file, bytes);
  return `byte-flip ${file} at ${at.join(',')}`;
};

export const byteInsert: Operator = (d) => {
  const file = d.pickFile();
  const bytes = d.bytes(file);
  const pos = d.rng.below(bytes.length + 1);
  const inserted = Buffer.from(Array.from({ length: d.rng.between(1, 4) }, () => d.rng.below(256)));
  d.setBytes(file, Buffer.concat([bytes.subarray(0, pos), inserted, bytes.subarray(pos)]));
  return `byte-insert ${file} at ${pos}: ${inserted.toString('hex')}`;
};

export const truncate: Operator = (d) => {
  const file = d.pickFile();
  const bytes = d.bytes(file);
  const pos = d.rng.below(bytes.length + 1);
  d.setBytes(file, bytes.subarray(0, pos));
  return `truncate ${file} at ${pos} of ${bytes.length}`;
};

export const tokenDelete: Operator = (d) => {
  const file = d.pickFile();
  const tokens = tokenize(d.text(file));
  if (tokens.length === 0) return `token-delete ${file}: no tokens`;
  const i = d.rng.below(tokens.length);
  const last = tokens[Math.min(tokens.length - 1, i + d.rng.below(3))]!;
  d.replace(file, tokens[i]!.start, last.end, '');
  return `token-delete ${file} at ${tokens[i]!.start}..${last.end}`;
};

export const tokenDuplicate: Operator = (d) => {
  const file = d.pickFile();
  const text = d.text(file);
  const tokens = tokenize(text);
  if (tokens.length === 0) return `token-duplicate ${file}: no tokens`;
  const i = d.rng.below(tokens.length);
  const last = tokens[Math.min(tokens.length - 1, i + d.rng.below(4))]!;
  const span = text.slice(tokens[i]!.start, last.end);
  d.insert(file, last.end, d.rng.chance(0.5) ? ` ${span}` : span);
  return `token-duplicate ${file} at ${tokens[i]!.start}..${last.end}`;
};

/** Replaces a token with another token of the same file: mostly strings
 *  with other strings, which makes names collide or refer to the wrong
 *  thing rather than breaking the syntax. */
export const tokenTransplant: Operator = (d) => {
  const file = d.pickFile();
  const text = d.text(file);
  const tokens = tokenize(text);
  if (tokens.length < 2) return `token-transplant ${file}: too few tokens`;
  const target = d.rng.pick(tokens);
  const sameKind = tokens.filter((t) => t.kind === target.kind);
  const spelled = (t: { start: number; end: number }): string => text.slice(t.start, t.end);
  let donor = target;
  // A few tries at a donor that differs from the target.
  for (let i = 0; i < 5 && spelled(donor) === spelled(target); i++) {
    donor = d.rng.chance(0.8) ? d.rng.pick(sameKind) : d.rng.pick(tokens);
  }
  d.replace(file, target.start, target.end, spelled(donor));
  return `token-transplant ${file} at ${target.start} from ${donor.start}`;
};

export const lineEdit: Operator = (d) => {
  const file = d.pickFile();
  const text = d.text(file);
  const starts = lineStarts(text);
  const i = d.rng.below(starts.length);
  const start = starts[i]!;
  const end = starts[i + 1] ?? text.length;
  const line = text.slice(start, end);
  const action = d.rng.pick(['delete', 'duplicate', 'swap'] as const);
  if (action === 'delete') d.replace(file, start, end, '');
  else if (action === 'duplicate') d.insert(file, end, line.endsWith('\n') ? line : `\n${line}`);
  else {
    const j = d.rng.below(starts.length);
    const other = text.slice(starts[j]!, starts[j + 1] ?? text.length);
    const lines = starts.map((s, k) => text.slice(s, starts[k + 1] ?? text.length));
    lines[i] = other.endsWith('\n') ? other : `${other}\n`;
    lines[j] = line.endsWith('\n') ? line : `${line}\n`;
    d.setText(file, lines.join(''));
    return `line-swap ${file} lines ${i + 1} and ${j + 1}`;
  }
  return `line-${action} ${file} line ${i + 1}`;
};

/** Lines of documentation syntax across the releases: block markers,
 *  member and feature tags, section headings, rST directives, examples.
 *  NAME is replaced by a name the file spells. */
const DOC_MARKERS = [
  '##',
  '## trailing',
  '# x ##',
  '#',
  '# ',
  '# @NAME:',
  '# @NAME: text',
  '#  @NAME: indented',
  '#@NAME:',
  '# @NAME',
  '# @:',
  '# @',
  '# @@NAME:',
  '# = Heading',
  '# == Subheading',
  '# =',
  '# === Too deep',
  '# Returns:',
  '# Returns: @NAME',
  '# Returns: text',
  '# Return:',
  '# Since:',
  '# Since: 1.0',
  '# Errors:',
  '#     - If NAME, GenericError',
  '# Example:',
  '# Examples:',
  '# Note:',
  '# Notes: text',
  '# TODO: text',
  '# Features:',
  '# @deprecated: text',
  '# @unstable:',
  '# .. note:: text',
  '# .. qmp-example::',
  '# .. admonition:: text',
  '# .. caution::',
  '# .. todo::',
  '# .. versionadded:: 1.0',
  '#     -> { "execute": "NAME" }',
  '#     <- { "return": {} }',
  '#     continued text',
  '#        deeply indented',
  '# *Returns*: text',
  '# +----+',
  '# | x |',
];

export const docMarker: Operator = (d) => {
  const file = d.pickFile();
  const text = d.text(file);
  const inDoc = commentLines(text);
  const starts = inDoc.length > 0 && d.rng.chance(0.8) ? inDoc : lineStarts(text);
  const at = d.rng.pick(starts);
  const names = namesIn(text);
  const marker = d.rng.pick(DOC_MARKERS).replace(/NAME/g, () => (names.length > 0 ? d.rng.pick(names) : 'x'));
  if (d.rng.chance(0.3)) {
    // Replace the line instead of adding one.
    const end = text.indexOf('\n', at);
    d.replace(file, at, end === -1 ? text.length : end, marker);
    return `doc-marker ${file} at ${at}: replace with ${JSON.stringify(marker)}`;
  }
  d.insert(file, at, `${marker}\n`);
  return `doc-marker ${file} at ${at}: ${JSON.stringify(marker)}`;
};

/** Whitespace QEMU's lexers treat differently from ASCII blanks, and
 *  characters that look blank. */
const ODD_SPACE = ['\t', '\r', '\r\n', '\v', '\f', '\u00a0', '\u0085', '\u1680', '\u2003', '\u2028', '\u2029', '\u200b', '\u3000', '\ufeff'];

export const oddWhitespace: Operator = (d) => {
  const file = d.pickFile();
  const text = d.text(file);
  const ch = d.rng.pick(ODD_SPACE);
  const shown = [...ch].map((c) => `U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}`).join('');
  const where = d.rng.weighted([
    [4, 'token'],
    [3, 'doc'],
    [2, 'tag'],
    [1, 'every-line'],
  ] as const);
  if (where === 'every-line') {
    const ending = d.rng.pick(['\r\n', '\r', '\n\r', '\u2028']);
    d.setText(file, text.replace(/\n/g, ending));
    return `odd-whitespace ${file}: every line ends with ${JSON.stringify(ending)}`;
  }
  let candidates: number[];
  if (where === 'token') candidates = tokenize(text).map((t) => t.start);
  else if (where === 'tag') candidates = tagNamePositions(text);
  else candidates = commentLines(text).map((s) => s + d.rng.between(0, 40));
  if (candidates.length === 0) candidates = [d.rng.below(text.length + 1)];
  const at = Math.min(text.length, d.rng.pick(candidates));
  d.insert(file, at, ch);
  return `odd-whitespace ${file} at ${at} (${where}): ${shown}`;
};

export const deepNesting: Operator = (d) => {
  const file = d.pickFile();
  const text = d.text(file);
  const depth = d.rng.logBetween(2, 200_000);
  const form = d.rng.pick(['list', 'dict', 'open-only'] as const);
  const nested =
    form === 'list'
      ? '['.repeat(depth) + ']'.repeat(depth)
      : form === 'dict'
        ? "{'a': ".repeat(depth) + "'x'" + '}'.repeat(depth)
        : '[{'.repeat(Math.ceil(depth / 2));
  const positions = d.rng.chance(0.7) ? valuePositions(text) : topLevelPositions(text);
  const at = positions.length > 0 ? d.rng.pick(positions) : text.length;
  d.insert(file, at, nested);
  return `deep-nesting ${file} at ${at}: ${form} ${depth} deep`;
};

export const hugeString: Operator = (d) => {
  const file = d.pickFile();
  const text = d.text(file);
  const size = d.rng.logBetween(1024, 8 << 20);
  const body = 'abcdefgh-'.repeat(Math.ceil(size / 9)).slice(0, size);
  const form = d.rng.pick(['string', 'comment', 'doc', 'name'] as const);
  if (form === 'string') {
    const strings = tokenize(text).filter((t) => t.kind === 'string');
    const t = strings.length > 0 ? d.rng.pick(strings) : { start: text.length, end: text.length };
    d.replace(file, t.start, t.end, `'${body}'`);
    return `huge-string ${file} at ${t.start}: string of ${size}`;
  }
  if (form === 'name') {
    const at = d.rng.pick(topLevelPositions(text));
    d.insert(file, at, `{ 'struct': 'S${body.replace(/-/g, '')}', 'data': {} }\n`);
    return `huge-string ${file} at ${at}: struct name of ${size}`;
  }
  const lines = form === 'doc' ? commentLines(text) : lineStarts(text);
  const at = lines.length > 0 ? d.rng.pick(lines) : text.length;
  d.insert(file, at, `# ${body}\n`);
  return `huge-string ${file} at ${at}: ${form} line of ${size}`;
};

/** One very long line: many enum values, or a run of lines joined. */
export const longLine: Operator = (d) => {
  const file = d.pickFile();
  const text = d.text(file);
  if (d.rng.chance(0.5)) {
    const n = d.rng.logBetween(100, 40_000);
    // Sometimes TABs between the values: columns past a TAB are computed.
    const separator = d.rng.chance(0.3) ? ',\t' : ', ';
    const values = Array.from({ length: n }, (_, i) => `'v${i}'`).join(separator);
    const at = d.rng.pick(topLevelPositions(text));
    d.insert(file, at, `{ 'enum': 'FuzzLongLine', 'data': [ ${values} ] }\n`);
    return `long-line ${file} at ${at}: enum of ${n} values${separator === ', ' ? '' : ', TAB-separated'}`;
  }
  const starts = lineStarts(text);
  const i = d.rng.below(starts.length);
  const j = Math.min(starts.length, i + d.rng.logBetween(2, 5000));
  const start = starts[i]!;
  const end = starts[j] ?? text.length;
  d.replace(file, start, end, `${text.slice(start, end).replace(/\n(?!$)/g, ' ')}`);
  return `long-line ${file}: lines ${i + 1}..${j} joined`;
};
