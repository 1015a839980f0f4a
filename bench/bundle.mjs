// What a bundler keeps of QEMU 7.2's bindings (the default target): the
// minified bytes of programs (bench/bundles.mjs) using the QMP client
// alone, one command's function (block-commit), every command's function,
// and the command class.  Needs `npm run build`.
import { mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, commandFunctions, writeConsumers } from './bundles.mjs';
import { printTable, timeProcess } from './table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'generator', 'cli', 'main.js');
const schema = join(root, '..', 'shared', 'qemu-7.2', 'qapi', 'qapi-schema.json');

export async function benchBundle() {
  // Inside the repository, so that `qapi-ts-runtime` resolves to the workspace package.
  const work = mkdtempSync(join(root, 'test', '.out-bench-bundle-'));
  try {
    timeProcess(process.execPath, [cli, 'generate', schema, '--qemu-version', '7.2', '-o', join(work, 'gen')]);
    writeConsumers(work);
    const size = async (name) => (await bundle(join(work, `${name}.js`))).size;
    const [client, one, all, cls] = [await size('client'), await size('one'), await size('all'), await size('class')];
    return [
      { name: 'the QMP client alone', value: client, unit: 'B' },
      { name: 'block-commit only: its function', value: one, unit: 'B' },
      { name: `every command: ${commandFunctions(join(work, 'gen')).length} functions`, value: all, unit: 'B' },
      { name: 'every command: the command class', value: cls, unit: 'B' },
      { name: 'every command / block-commit only', value: all / one, unit: 'x' },
      { name: 'what block-commit adds to the client / what every command adds', value: (one - client) / (all - client), unit: 'x' },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable('bundle bytes (esbuild, minified): one command against all', await benchBundle());
}
