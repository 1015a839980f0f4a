/**
 * No code under generator/ or runtime/ learns what a type is for from
 * QEMU's internal names (`q_obj_X-arg`, `-base`, `-wrapper`, `-nested`,
 * `q_empty`): the model records each implicit type's role and owner.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/shared.js';

/** Tests of a name's text that would recover a role from it. */
const ROLE_FROM_NAME: readonly RegExp[] = [
  /\.(?:endsWith|startsWith|includes)\(\s*['"`](?:-arg|-base|-wrapper|-nested|q_)/,
  /[!=]==?\s*['"`]q_empty['"`]/,
  /['"`]q_empty['"`]\s*[!=]==?/,
  /\/\^?q_(?:obj|empty)/,
  /\.slice\(\s*6\s*\)/,
];

/** Uses that are not role tests, each with its reason. */
const ALLOWED: readonly { readonly file: string; readonly line: RegExp; readonly why: string }[] = [
  {
    file: 'generator/shape/names.ts',
    line: /cName\(name\)\.startsWith\('q_'\)/,
    why: "the language rule that a schema may not define names beginning 'q_' (a check on user names)",
  },
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(?:ts|mts|js|mjs)$/.test(name) ? [path] : [];
  });
}

describe('roles come from the model, never from names', () => {
  const files = ['generator', 'runtime'].flatMap((d) => sources(join(PROJECT_ROOT, d)));

  it('finds the sources it scans', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('no source tests a QEMU internal name to learn a type role', () => {
    const hits: string[] = [];
    for (const path of files) {
      const file = relative(PROJECT_ROOT, path);
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (!ROLE_FROM_NAME.some((re) => re.test(line))) return;
          if (ALLOWED.some((a) => a.file === file && a.line.test(line))) return;
          hits.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });

  it.each([
    "if (t.name.endsWith('-wrapper')) {",
    "if (t.name === 'q_empty') return x;",
    "const owner = definedIn.startsWith('q_obj_') ? definedIn.slice(6) : definedIn;",
    'if (/^q_obj_/.test(name)) {',
  ])('would catch %s', (line) => {
    expect(ROLE_FROM_NAME.some((re) => re.test(line))).toBe(true);
  });
});
