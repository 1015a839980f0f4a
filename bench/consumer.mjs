// What bindings cost a consumer's build: `tsc --noEmit -p` (whole process)
// over a ten-line program, strict, skipLibCheck as most projects set it,
// with TypeScript 7 (the native compiler, the consumer's likely one):
// - the program using the QMP client alone (the baseline);
// - the same program typed by QEMU 7.2's whole bindings, `--target js+dts`
//   (the default: the compiler reads declarations only);
// - the same, `--target ts` (the compiler checks the bindings' code too).
// Runs alternate, medians compared.  Goal: js+dts at most 1.2x the
// baseline.  Needs `npm run build` (the bindings import the runtime from
// runtime/dist/ through the workspace package qapi-ts-runtime).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, printTable, timeProcess, CLI } from './table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc7 = join(root, 'node_modules', 'typescript7', 'bin', 'tsc');
const schema = join(root, '..', 'shared', 'qemu-7.2', 'qapi', 'qapi-schema.json');

const CLIENT_ONLY = `import { QmpClient } from 'qapi-ts-runtime';

const client = await QmpClient.connect({ path: '/run/vm/qmp.sock' });
await client.execute('block-commit', { device: 'drive0', top: '/images/mid.qcow2' });
const done = await client.waitFor('BLOCK_JOB_COMPLETED');
console.log(done.data);
await client.close();
`;

const TYPED = (bindings) => `import { QmpClient } from 'qapi-ts-runtime';
import { QmpCommands, registry } from './${bindings}/index.js';

const client = await QmpClient.connect({ path: '/run/vm/qmp.sock' }, { bindings: registry });
const qmp = new QmpCommands(client);
await qmp.blockCommit({ device: 'drive0', top: '/images/mid.qcow2' });
const done = await client.waitFor('BLOCK_JOB_COMPLETED');
console.log(done.data.len);
await client.close();
`;

const OPTIONS = { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: ['node'], skipLibCheck: true };

/** A project of one program: its folder, with tsconfig.json. */
function project(work, name, program) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.ts'), program);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: OPTIONS, files: ['main.ts'] }));
  return dir;
}

export async function benchConsumer({ runs = 7 } = {}) {
  // Inside the repository, so that `qapi-ts-runtime` resolves to the workspace package.
  const work = mkdtempSync(join(root, 'test', '.out-bench-consumer-'));
  try {
    const projects = {
      client: project(work, 'client', CLIENT_ONLY),
      'js+dts': project(work, 'jsdts', TYPED('bindings')),
      ts: project(work, 'ts', TYPED('bindings')),
    };
    for (const target of ['js+dts', 'ts']) {
      timeProcess(process.execPath, [CLI, 'generate', schema, '--qemu-version', '7.2', '--target', target, '-o', join(projects[target], 'bindings')]);
    }
    const times = { client: [], 'js+dts': [], ts: [] };
    for (let i = 0; i < runs; i++) {
      for (const [name, dir] of Object.entries(projects)) times[name].push(timeProcess(process.execPath, [tsc7, '-p', join(dir, 'tsconfig.json')]));
    }
    const [client, jsdts, ts] = [median(times.client), median(times['js+dts']), median(times.ts)];
    return [
      { name: `TypeScript 7, the program with the client alone (median of ${runs})`, value: client / 1000, unit: 's' },
      { name: `TypeScript 7, typed by QEMU 7.2's bindings, js+dts (median of ${runs})`, value: jsdts / 1000, unit: 's' },
      { name: `TypeScript 7, typed by QEMU 7.2's bindings, ts (median of ${runs})`, value: ts / 1000, unit: 's' },
      { name: 'js+dts / client alone (goal: at most 1.2)', value: jsdts / client, unit: 'x' },
      { name: 'ts / client alone', value: ts / client, unit: 'x' },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable("a consumer's type-check, with and without the bindings", await benchConsumer());
}
