/**
 * Issue 5: examples/consumer, a separate project, installs the packed
 * tarball from scratch, generates its bindings in its own build from the
 * embedded default schema, and commits a qcow2 chain with them against a
 * guest-less qemu-system-x86_64 holding the chain as drive0.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backingChain, makeTempDir, removeTempDir, requireBinaries, startSystemEmulator, type QmpProcess } from '../helpers/qemu.js';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { BASE_AFTER_MID_COMMIT, buildChain, GUEST_VIEW, mismatches } from '../e2e/helpers/chain.js';

const qemu = requireBinaries(['qemu-system-x86_64', 'qemu-img', 'qemu-io'], 'consumer example');

function npm(args: string[], cwd: string): string {
  const r = spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe.skipIf(!qemu.available)('the consumer example, from a clean install of the tarball', () => {
  let work: string;
  let project: string;
  let vm: QmpProcess | undefined;

  beforeAll(() => {
    work = makeTempDir('qapi-ts-consumer-');
    // dist/ is already built; pack it as it is.
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: PROJECT_ROOT, stdio: 'ignore' });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    project = join(work, 'consumer');
    cpSync(join(PROJECT_ROOT, 'examples', 'consumer'), project, {
      recursive: true,
      filter: (src) => !/(node_modules|dist|generated)$/.test(src),
    });
    npm(['install', join(work, tarball)], project);
  }, 600_000);

  afterAll(async () => {
    await vm?.stop();
    removeTempDir(work);
  });

  it('builds: its build step generates the bindings, then type-checks and compiles them', () => {
    npm(['run', 'build'], project);
    // The default target: JavaScript and declarations, beside src/.
    expect(existsSync(join(project, 'generated', 'client.js'))).toBe(true);
    expect(existsSync(join(project, 'generated', 'client.d.ts'))).toBe(true);
    expect(existsSync(join(project, 'dist', 'main.js'))).toBe(true);
  }, 300_000);

  it('commits mid into base, printing progress', async () => {
    const chain = buildChain(work);
    vm = await startSystemEmulator(work, ['-drive', `if=none,id=drive0,file=${chain.top},format=qcow2`]);
    const r = spawnSync(process.execPath, ['dist/main.js', '--socket', vm.socketPath, '--top', chain.mid], {
      cwd: project,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^connected to QEMU 7\.2\.\d+$/m);
    expect(r.stdout).toMatch(/^progress \d+\/\d+$/m);
    expect(r.stdout).toMatch(/^completed \{.*"device":"drive0"/m);
    await vm.stop();
    expect(backingChain(chain.top).map((e) => e.filename)).toEqual([chain.top, chain.base]);
    expect(mismatches(chain.base, BASE_AFTER_MID_COMMIT)).toEqual([]);
    expect(mismatches(chain.top, GUEST_VIEW)).toEqual([]);
  }, 180_000);
});
