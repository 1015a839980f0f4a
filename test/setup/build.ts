/**
 * Vitest global setup of the tiers that run the build (test/setup/tiers.ts):
 * the tests that exercise the built CLI, runtime and generated bindings
 * (dist/, runtime/dist/) must see exactly the working tree that the tests
 * importing sources see.  The build ends by stamping each folder with the
 * hash of the sources it was built from (build/stamp.mjs); where both
 * stamps are the working tree's hash, dist/ is already this tree's build
 * and nothing is rebuilt (after `npm ci`, which builds, or a run before with
 * no source changed since).  Otherwise this runs the package's own `build`
 * script, so the steps live in one place.  test/project/build-stamp.process.test.ts
 * checks the stamps against the sources as they are.
 */
import { execFileSync } from 'node:child_process';
import { staleBuilds } from '../../build/stamp.mjs';
import { PROJECT_ROOT } from '../helpers/shared.js';

export default function setup(): void {
  const stale = staleBuilds(PROJECT_ROOT);
  if (stale.length === 0) return;
  console.log(`building: ${stale.join(' and ')} ${stale.length > 1 ? 'are' : 'is'} not a build of the working tree`);
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
}
