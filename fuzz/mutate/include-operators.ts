/**
 * Hostile includes: an include directive, placed where a definition could
 * stand, naming something a schema reader must refuse without hanging or
 * exhausting memory (devices, FIFOs, directories, huge or looping files),
 * or a legal but unusual target (cycles, long chains, odd spellings).
 */
import { topLevelPositions, type Draft } from './draft.js';
import type { Operator } from './text-operators.js';

/** What to include; may add special files to the draft. Returns the
 *  string the directive names. */
type Target = (d: Draft, including: string) => string;

const TARGETS: readonly (readonly [number, string, Target])[] = [
  [3, 'dev-zero', () => '/dev/zero'],
  [1, 'dev-urandom', () => '/dev/urandom'],
  [1, 'dev-null', () => '/dev/null'],
  [1, 'proc-file', () => '/proc/self/status'],
  [1, 'root-dir', () => '/'],
  [1, 'this-dir', () => '.'],
  [
    2,
    'directory',
    (d) => {
      const name = d.freshName('subdir', '');
      d.specials.push({ kind: 'directory', path: name });
      return name;
    },
  ],
  [
    3,
    'fifo',
    (d) => {
      const name = d.freshName('fifo');
      d.specials.push({ kind: 'fifo', path: name });
      return name;
    },
  ],
  [2, 'missing', (d) => d.freshName('missing')],
  [
    3,
    'huge-sparse',
    (d) => {
      const name = d.freshName('huge');
      d.specials.push({ kind: 'sparse', path: name, size: d.rng.logBetween(16 << 20, 4 * 1024 ** 3) });
      return name;
    },
  ],
  [
    1,
    'huge-comments',
    (d) => {
      // Real bytes, all of them a legal comment: only a size bound stops it.
      const name = d.freshName('big');
      const size = d.rng.logBetween(8 << 20, 48 << 20);
      const line = `# ${'c'.repeat(125)}\n`;
      d.setText(name, line.repeat(Math.ceil(size / line.length)));
      return name;
    },
  ],
  [
    1,
    'symlink-loop',
    (d) => {
      const name = d.freshName('loop');
      d.specials.push({ kind: 'symlink', path: name, target: name });
      return name;
    },
  ],
  [
    1,
    'symlink-to-device',
    (d) => {
      const name = d.freshName('link');
      d.specials.push({ kind: 'symlink', path: name, target: '/dev/zero' });
      return name;
    },
  ],
  [2, 'self', (_d, including) => baseName(including)],
  [2, 'root', (d) => d.corpus.root],
  [
    2,
    'cycle',
    (d, including) => {
      const a = d.freshName('cycle-a');
      d.setText(a, ''); // takes the name before the next one is chosen
      const b = d.freshName('cycle-b');
      d.setText(a, `{ 'include': '${b}' }\n`);
      d.setText(b, `{ 'include': '${d.rng.chance(0.5) ? a : baseName(including)}' }\n`);
      return a;
    },
  ],
  [
    2,
    'chain',
    (d) => {
      // A long chain of files, each including the next: deep recursion in
      // a reader that follows includes recursively.
      const length = d.rng.logBetween(10, 5000);
      const names = Array.from({ length }, (_, i) => `chain/${i}.json`);
      names.forEach((name, i) => {
        const next = names[i + 1];
        d.setText(name, next ? `{ 'include': '${baseName(next)}' }\n` : "{ 'enum': 'ChainEnd', 'data': [ 'x' ] }\n");
      });
      return names[0]!;
    },
  ],
  [1, 'odd-spelling', (d) => d.rng.pick(['./common.json', 'common.json/', './/common.json', 'sub/../common.json', '../qapi/common.json', ''])],
  [1, 'long-name', (d) => 'n'.repeat(d.rng.logBetween(255, 9000))],
];

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export const hostileInclude: Operator = (d) => {
  const file = d.pickFile();
  const [, kind, target] = d.rng.weighted(TARGETS.map(([w, kind, t]) => [w, [w, kind, t] as const] as const));
  const name = target(d, file);
  const text = d.text(file);
  const at = d.rng.pick(topLevelPositions(text));
  const directive = `{ 'include': '${name}' }\n`;
  d.insert(file, at, at > 0 && text[at - 1] !== '\n' ? `\n${directive}` : directive);
  return `hostile-include ${file} at ${at}: ${kind} '${name.length > 60 ? `${name.slice(0, 60)}...` : name}'`;
};
