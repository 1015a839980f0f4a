/**
 * Vitest global setup: builds the project before any test runs, so that the
 * tests that exercise the built CLI, runtime and generated bindings (dist/,
 * runtime/dist/) see exactly the working tree that the tests importing
 * sources see.  It runs the package's own `build` script (the grammar, the
 * runtime workspace, the generator, then the build stamp), so the steps live
 * in one place; test/project/build-stamp.test.ts checks the stamp the build
 * wrote against the sources as they are.
 */
import { execFileSync } from 'node:child_process';
import { PROJECT_ROOT } from '../helpers/shared.js';

export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
}
