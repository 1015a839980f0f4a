/**
 * A project without @types/node compiles against the packed runtime's
 * declarations and the generated bindings, library checks on (but for
 * TypeScript's own lib files): the runtime's main entry and its
 * type-rules subpath need no Node types.  The runtime packed and installed
 * from its tarball (test/helpers/packed.ts), as a user installs it.  A
 * compile is TypeScript's computation, alike under every Node release: it
 * runs under the machine's Node alone (test/package/consumer.qemu.test.ts,
 * which the nodes tier runs again under Node 24, builds and runs a
 * consumer).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installedProject, packedWorkspace, tarballSpec } from '../helpers/packed.js';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { TSC } from '../helpers/tsc.js';

describe('the packed runtime, installed from scratch', () => {
  const packed = packedWorkspace('qapi-ts-bare-');

  it('a project without @types/node compiles against the packed runtime and generated bindings, declarations checked', () => {
    const project = installedProject(packed.work, 'bare', {
      'package.json': JSON.stringify({ name: 'bare', private: true, type: 'module', dependencies: { 'qapi-ts-runtime': tarballSpec(packed.tarballs.runtime) } }),
    });
    mkdirSync(join(project, 'src'), { recursive: true });
    expect(existsSync(join(project, 'node_modules', '@types'))).toBe(false);
    // The default schema's bindings, as `qapi-ts generate` writes them.
    cpSync(join(PROJECT_ROOT, 'generated'), join(project, 'src', 'generated'), { recursive: true });
    writeFileSync(
      join(project, 'src', 'main.ts'),
      [
        "import { QmpClient, runBlockJob, type AbortSignalLike, type ByteStream } from 'qapi-ts-runtime';",
        "import { BUILTIN_TYPES } from 'qapi-ts-runtime/type-rules';",
        "import { QmpCommands, registry } from './generated/index.js';",
        'declare const stream: ByteStream;',
        'declare const signal: AbortSignalLike;',
        'const client = await QmpClient.connect({ stream }, { bindings: registry, checkSchema: true });',
        'const qmp = new QmpCommands(client);',
        "const done = await runBlockJob(client, () => qmp.blockCommit({ device: 'drive0', top: 'mid.qcow2', speed: 2n ** 63n - 1n }), { signal });",
        'export const len: bigint = done.data.len;',
        'export const sizes = BUILTIN_TYPES.size.range;',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          types: [],
          skipLibCheck: false,
          // Ours and the packages' declarations; TypeScript's own lib files are not ours to check.
          skipDefaultLibCheck: true,
          noEmit: true,
        },
        include: ['src'],
      }),
    );
    const r = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  }, 300_000);
});
