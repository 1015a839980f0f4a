/**
 * Issue 4, e2e 5: the seed's block-commit through the built CLI,
 * `qapi-ts qmp --socket PATH block-commit ARGS --wait-job` (checked against
 * the QEMU's own schema), against a guest-less qemu-system-x86_64 holding the chain as
 * -drive drive0: the job is followed to its end with progress lines, mid
 * leaves the chain and every pattern reads back.  Also what the CLI does
 * with QEMU's error reply and with invalid arguments (nothing reaches QEMU).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ENTRY, hasStackTrace, type CliResult } from '../helpers/cli.js';
import { backingChain, imageIsConsistent, requireBinaries } from '../helpers/qemu.js';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { BASE_AFTER_MID_COMMIT, BASE_BEFORE, BULK_PATTERN, buildChain, bulkEnds, GUEST_VIEW, mismatches } from './helpers/chain.js';
import { startRecordingProxy } from './helpers/recording-proxy.js';
import { E2E_BINARIES, E2eScope, quitAndWait } from './helpers/scope.js';

const qemu = requireBinaries(E2E_BINARIES, 'end-to-end qapi-ts qmp on qemu-system-x86_64');

/** Runs the built CLI as a child process, without blocking the test worker. */
function cli(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

const MiB = 1024 * 1024;
/** The schema the package embeds, in its 2012 dialect. */
const EMBEDDED = join(PROJECT_ROOT, 'schema', 'qapi-ts-default.json');

describe.skipIf(!qemu.available)('qapi-ts qmp --wait-job against QEMU', () => {
  let scope: E2eScope;
  beforeEach(() => {
    scope = new E2eScope();
  });
  afterEach(async () => {
    await scope.dispose();
  });

  it('commits mid into base through the CLI, following the job to its end', async () => {
    // Some bulk data in mid and a speed limit, so the job runs long enough to report progress.
    const chain = buildChain(scope.dir, { bulkMiB: 48 });
    expect(backingChain(chain.top).map((e) => e.filename)).toEqual([chain.top, chain.mid, chain.base]);
    expect(mismatches(chain.base, BASE_BEFORE)).toEqual([]);

    const vm = await scope.systemWithDrive(chain);
    const args = JSON.stringify({ device: 'drive0', top: chain.mid, speed: 16 * MiB });
    const started = Date.now();
    const r = await cli(['qmp', '--socket', vm.socketPath, 'block-commit', args, '--wait-job']);
    const elapsed = Date.now() - started;

    expect(r.stderr).toMatch(/^job drive0: completed$/m);
    expect(r.code, r.stderr).toBe(0);
    // block-commit returns nothing; QEMU answers {}.
    expect(r.stdout).toBe('{}\n');
    expect(hasStackTrace(r.stderr)).toBe(false);
    // Progress lines (stderr is not a terminal): exact, never going back, ending at the length.
    const progress = [...r.stderr.matchAll(/^progress (\d+)\/(\d+)$/gm)].map((m) => [BigInt(m[1]!), BigInt(m[2]!)] as const);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const [lastOffset, len] = progress.at(-1)!;
    expect(lastOffset).toBe(len);
    expect(len).toBeGreaterThanOrEqual(BigInt(48 * MiB));
    for (let i = 1; i < progress.length; i++) expect(progress[i]![0] >= progress[i - 1]![0]).toBe(true);
    expect(progress.some(([offset, total]) => offset > 0n && offset < total)).toBe(true);
    // The speed limit held: 48 MiB and more at 16 MiB/s take about three seconds.
    expect(elapsed).toBeGreaterThan(1_500);

    // A second commit of the vanished mid: QEMU's error reply, class and description.
    const again = await cli([
      'qmp',
      '--socket',
      vm.socketPath,
      'block-commit',
      JSON.stringify({ device: 'drive0', top: chain.mid }),
      '--wait-job',
    ]);
    expect(again).toEqual({ code: 3, stdout: '', stderr: `GenericError: Top image file ${chain.mid} not found\n` });

    // Sent raw through the runtime, which waits for QEMU's exit.
    const client = await scope.connect(vm.socketPath);
    expect(await quitAndWait(() => client.execute('quit'), vm)).toBe(0);

    const after = backingChain(chain.top);
    expect(after.map((e) => e.filename)).toEqual([chain.top, chain.base]);
    expect(after[0]!.backing).toBe(chain.base);
    expect(mismatches(chain.base, [...BASE_AFTER_MID_COMMIT, ...bulkEnds(chain, BULK_PATTERN)])).toEqual([]);
    expect(mismatches(chain.top, [...GUEST_VIEW, ...bulkEnds(chain, BULK_PATTERN)])).toEqual([]);
    expect(imageIsConsistent(chain.base)).toBe(true);
    expect(imageIsConsistent(chain.top)).toBe(true);
  }, 120_000);

  it.each([
    { schema: 'its own (query-qmp-schema)', flags: [], reaches: ['qmp_capabilities', 'query-qmp-schema', 'query-version'] },
    { schema: 'a given one (checked before connecting)', flags: ['--schema', EMBEDDED, '--legacy'], reaches: [] },
  ])('rejects invalid arguments against $schema: exit 4, the command never reaches QEMU', async ({ flags, reaches }) => {
    const chain = buildChain(scope.dir);
    const vm = await scope.systemWithDrive(chain);
    const proxy = scope.adopt(await startRecordingProxy(scope.dir, vm.socketPath));
    const r = await cli([
      'qmp',
      '--socket',
      proxy.path,
      ...flags,
      'block-commit',
      '{"device":"drive0","top":"mid.qcow2","speed":"fast"}',
      '--wait-job',
    ]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/arguments\.speed: expected an integer, got "fast"/);
    expect(proxy.sentMessages().map((m) => m['execute'])).toEqual(reaches);
    // The chain is untouched.
    expect(backingChain(chain.top, { forceShare: true }).map((e) => e.filename)).toEqual([chain.top, chain.mid, chain.base]);
  }, 60_000);
});
