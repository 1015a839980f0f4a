// What a bundler keeps of QEMU 7.2's bindings (the default target): the
// minified bytes of programs (bench/bundles.mjs) using the QMP client
// alone, one command's function (block-commit), that function with its
// arguments' Standard Schema validator, every command's function,
// the command class; and of programs following a block-commit job with
// runBlockJob, connected with the registry: of the whole schema's
// bindings, or of a `--only` build of block-commit and the job events.
// Needs `npm run build`.
import { mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, commandFunctions, JOB_ONLY, writeConsumers } from './bundles.mjs';
import { CLI, printTable, timeProcess } from './table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schema = join(root, '..', 'shared', 'qemu-7.2', 'qapi', 'qapi-schema.json');

export async function benchBundle() {
  // Inside the repository, so that `qapi-ts-runtime` resolves to the workspace package.
  const work = mkdtempSync(join(root, 'test', '.out-bench-bundle-'));
  try {
    const generate = (out, ...flags) => timeProcess(process.execPath, [CLI, 'generate', schema, '--qemu-version', '7.2', ...flags, '-o', join(work, out)]);
    generate('gen');
    generate('only', '--only', JOB_ONLY.join(','));
    writeConsumers(work);
    const size = async (name) => (await bundle(join(work, `${name}.js`))).size;
    const [client, one, standard, all, cls] = [await size('client'), await size('one'), await size('standard'), await size('all'), await size('class')];
    const [job, registry, onlyRegistry, readme, onlyReadme] = [await size('job'), await size('registry'), await size('only-registry'), await size('readme'), await size('only-readme')];
    const only = `--only block-commit and the ${JOB_ONLY.length - 1} job events`;
    return [
      { name: 'the QMP client alone', value: client, unit: 'B' },
      { name: 'block-commit only: its function', value: one, unit: 'B' },
      { name: '  the same, its arguments checked by their Standard Schema validator first', value: standard, unit: 'B' },
      { name: `every command: ${commandFunctions(join(work, 'gen')).length} functions`, value: all, unit: 'B' },
      { name: 'every command: the command class', value: cls, unit: 'B' },
      { name: 'every command / block-commit only', value: all / one, unit: 'x' },
      { name: 'what block-commit adds to the client / what every command adds', value: (one - client) / (all - client), unit: 'x' },
      { name: 'runBlockJob, no bindings (the client executes block-commit)', value: job, unit: 'B' },
      { name: 'runBlockJob + block-commit function + registry', value: registry, unit: 'B' },
      { name: `  the same, bindings: ${only}`, value: onlyRegistry, unit: 'B' },
      { name: "README's example: runBlockJob + the class + registry", value: readme, unit: 'B' },
      { name: `  the same, bindings: ${only}`, value: onlyReadme, unit: 'B' },
      { name: 'what the --only registry adds to runBlockJob / what the whole registry adds', value: (onlyRegistry - job) / (registry - job), unit: 'x' },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable('bundle bytes (esbuild, minified): one command against all, the registry whole and of a --only build', await benchBundle());
}
