/**
 * Vitest global setup of the unit tier: the sources import the parser that
 * the build compiles from grammar/qapi.peggy (grammar/parser.js, not
 * committed), so it is compiled again here (a quarter of a second), and
 * written only where the grammar changed, without touching dist/: the
 * unit tier runs on the sources, with no build.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../helpers/shared.js';

export default function setup(): void {
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'grammar', 'build.mjs'), '--no-dist'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
}
