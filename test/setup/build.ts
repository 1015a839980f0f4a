/**
 * Vitest global setup: builds the project before any test runs, so that the
 * tests that exercise the built CLI, runtime and generated bindings (dist/,
 * runtime/dist/) see exactly the working tree that the tests importing
 * sources see.  It runs the package's own `build` script (the grammar, the
 * runtime workspace, then the generator), so the steps live in one place,
 * and ends by writing a stamp of the sources it compiled; a test compares it
 * with the sources as they are (test/project/build-stamp.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { BUILD_STAMP_FILE, sourceHash } from '../helpers/build-stamp.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

export default function setup(): void {
  const hash = sourceHash();
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  writeFileSync(BUILD_STAMP_FILE, `${JSON.stringify({ sources: hash })}\n`);
}
