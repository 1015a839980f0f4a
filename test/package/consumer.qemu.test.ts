/**
 * Issues 5 and 12: examples/consumer, a separate project, installs both
 * packed tarballs from scratch (qapi-ts-runtime as its dependency, qapi-ts
 * as a development dependency), generates its bindings in its own build
 * from the embedded default schema, and commits a qcow2 chain with them
 * against a guest-less qemu-system-x86_64 holding the chain as drive0.  A
 * production install of it holds nothing of the generator's (a project
 * without @types/node compiling against them is bare.compiler.test.ts's).
 * npm packs and installs them once for what they are made of
 * (test/helpers/packed.ts): the nodes tier runs this file again under
 * Node 24, which builds and runs in its own copy.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backingChain, requireBinaries, startSystemEmulator, type QmpProcess } from '../helpers/qemu.js';
import { installedProject, npm, packedWorkspace, tarballSpec } from '../helpers/packed.js';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { BASE_AFTER_MID_COMMIT, buildChain, GUEST_VIEW, mismatches } from '../e2e/helpers/chain.js';

const qemu = requireBinaries(['qemu-system-x86_64', 'qemu-img', 'qemu-io'], 'consumer example');

/** What only generating code needs: never in a production install of a consumer. */
const GENERATOR_ONLY = ['qapi-ts', 'prettier', 'ts-morph', 'peggy', 'commander', 'cli-progress'];

interface LsNode {
  readonly dependencies?: Record<string, LsNode>;
}

/** Every package name in an `npm ls --json --all` tree. */
function names(node: LsNode): string[] {
  return Object.entries(node.dependencies ?? {}).flatMap(([name, child]) => [name, ...names(child)]);
}

describe('the packed packages, installed from scratch', () => {
  const packed = packedWorkspace('qapi-ts-consumer-');

  describe.skipIf(!qemu.available)('the consumer example', () => {
    let project: string;
    let vm: QmpProcess | undefined;

    beforeAll(() => {
      const example = join(PROJECT_ROOT, 'examples', 'consumer');
      const files = Object.fromEntries(
        readdirSync(example, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile() && !/(^|\/)(node_modules|dist|generated)(\/|$)/.test(relative(example, e.parentPath)))
          .map((e) => [relative(example, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name), 'utf8')]),
      );
      // The example names the registry's versions; here the tarballs stand in for them.
      const manifest = JSON.parse(files['package.json']!) as {
        dependencies: Record<string, string>;
        devDependencies: Record<string, string>;
      };
      expect(Object.keys(manifest.dependencies)).toEqual(['qapi-ts-runtime']);
      expect(Object.keys(manifest.devDependencies)).toContain('qapi-ts');
      manifest.dependencies['qapi-ts-runtime'] = tarballSpec(packed.tarballs.runtime);
      manifest.devDependencies['qapi-ts'] = tarballSpec(packed.tarballs.generator);
      files['package.json'] = `${JSON.stringify(manifest, null, 2)}\n`;
      project = installedProject(packed.work, 'consumer', files);
    }, 600_000);

    afterAll(async () => {
      await vm?.stop();
    });

    it('builds: its build step generates the bindings, then type-checks and compiles them', () => {
      npm(['run', 'build'], project);
      // The default target: JavaScript and declarations, beside src/.
      expect(existsSync(join(project, 'generated', 'client.js'))).toBe(true);
      expect(existsSync(join(project, 'generated', 'client.d.ts'))).toBe(true);
      expect(readFileSync(join(project, 'generated', 'registry.js'), 'utf8')).toContain("from 'qapi-ts-runtime'");
      expect(existsSync(join(project, 'dist', 'main.js'))).toBe(true);
    }, 300_000);

    it('needs only qapi-ts-runtime (and lossless-json) in production: nothing of the generator', () => {
      const prod = names(JSON.parse(npm(['ls', '--omit=dev', '--all', '--json'], project)) as LsNode);
      expect(prod.filter((n) => GENERATOR_ONLY.includes(n))).toEqual([]);
      expect([...new Set(prod)].sort()).toEqual(['lossless-json', 'qapi-ts-runtime']);
      // The whole install does hold the generator: it is a development
      // dependency (prettier only an optional peer it loads for --format).
      expect(names(JSON.parse(npm(['ls', '--all', '--json'], project)) as LsNode)).toEqual(expect.arrayContaining(['qapi-ts', 'commander']));
    }, 120_000);

    it('commits mid into base, printing progress, with the schema check on', async () => {
      const chain = buildChain(packed.work);
      vm = await startSystemEmulator(packed.work, ['-drive', `if=none,id=drive0,file=${chain.top},format=qcow2`]);
      const r = spawnSync(process.execPath, ['dist/main.js', '--socket', vm.socketPath, '--top', chain.mid], {
        cwd: project,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^connected to QEMU 7\.2\.\d+$/m);
      expect(r.stdout).toMatch(/^schema check: \d+ difference\(s\) that could refuse a call$/m);
      expect(r.stdout).toMatch(/^progress \d+\/\d+$/m);
      expect(r.stdout).toMatch(/^completed \{.*"device":"drive0"/m);
      await vm.stop();
      expect(backingChain(chain.top).map((e) => e.filename)).toEqual([chain.top, chain.base]);
      expect(mismatches(chain.base, BASE_AFTER_MID_COMMIT)).toEqual([]);
      expect(mismatches(chain.top, GUEST_VIEW)).toEqual([]);
    }, 180_000);
  });
});
