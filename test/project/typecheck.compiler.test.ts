/**
 * The project's own sources, tests included, compile under its strict
 * tsconfig; so do the end-to-end tests, against the bindings they generate
 * from QEMU's schemas (their types come from those declarations).  Both
 * are one program, one run of tsc: a second would parse the library's and
 * Node's declarations again and check again the sources the end-to-end
 * tests import.  The compiler is TypeScript 7, at about a fifth of
 * TypeScript 5's CPU: the sources are checked by TypeScript 5 too, by the
 * build (`npm ci` builds, with tsc, before `npm test`), so what this adds
 * is the tests, whose types mean the same under both compilers.
 * `npm run typecheck` checks the same program as tsconfig.json with
 * TypeScript 5.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { generateBindings, schemaOf, type BindingsSpec } from '../e2e/helpers/bindings.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';
import { runCompiler, TSC7, type RunOutput } from '../helpers/tsc.js';

function typecheck(config: string): Promise<RunOutput> {
  return runCompiler(TSC7, ['-p', config, '--noEmit'], 300_000);
}

/** The releases whose bindings the end-to-end tests import types from. */
const E2E_BINDINGS: readonly BindingsSpec[] = [{ release: '7.2' }, { release: '10.0' }, { release: '10.2' }];

const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-typecheck-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * A project file extending the project's own tsconfig.json whose program
 * is the project's and the end-to-end tests' (test/e2e/tsconfig.json's:
 * its folder, with the project's settings).  It lives inside the
 * repository, so that `types` finds node_modules/@types.
 */
function withEndToEndTests(): string {
  const root = join(PROJECT_ROOT, 'tsconfig.json');
  const read = ts.readConfigFile(root, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const { include, exclude } = read.config as { include: string[]; exclude: string[] };
  const e2e = 'test/e2e/**';
  expect(exclude).toContain(e2e);
  const config = join(work, 'tsconfig.json');
  const absolute = (patterns: readonly string[]) => patterns.map((p) => join(PROJECT_ROOT, p));
  writeFileSync(config, JSON.stringify({ extends: root, include: absolute([...include, 'test/e2e/**/*.ts']), exclude: absolute(exclude.filter((p) => p !== e2e)) }));
  return config;
}

describe('the project', () => {
  const schemas = E2E_BINDINGS.map((spec) => requireShared(schemaOf(spec), "the end-to-end tests' bindings"));
  const e2e = schemas.every((s) => s.available);

  it(
    `type-checks with tsc --noEmit (TypeScript 7) under strict settings${e2e ? ', its end-to-end tests against the bindings generated from QEMU 7.2, 10.0 and 10.2 included' : ''}`,
    async () => {
      if (e2e) for (const spec of E2E_BINDINGS) await generateBindings(spec);
      const r = await typecheck(e2e ? withEndToEndTests() : join(PROJECT_ROOT, 'tsconfig.json'));
      expect(r.output).toBe('');
      expect(r.code).toBe(0);
    },
    300_000,
  );
});
