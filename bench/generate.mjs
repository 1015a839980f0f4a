// `qapi-ts generate` over QEMU 7.2's whole schema, whole process (node
// start-up included; QEMU's own C generator beside it: qapi-gen.mjs):
// - the very first run, with no cache at all (--no-cache);
// - repeated runs with unchanged input (the run cache answers);
// - runs after an edit that changes no output (front end and emitter run,
//   formatted modules come from the cache);
// plus the output's size and `tsc --noEmit` time over it.
//
// Needs `npm run build` first: it runs the compiled CLI from dist/.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, printTable, timeProcess } from './table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'generator', 'cli', 'main.js');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const schemaDir = join(root, '..', 'shared', 'qemu-7.2', 'qapi');

export async function benchGenerate({ runs = 7, tscRuns = 1 } = {}) {
  // Inside the repository, so the bindings resolve qapi-ts-runtime for tsc;
  // CACHE_DIR keeps this bench's cache in its own folder, empty at the start.
  const work = mkdtempSync(join(root, 'test', '.out-bench-'));
  try {
    cpSync(schemaDir, join(work, 'qapi'), { recursive: true });
    const schema = join(work, 'qapi', 'qapi-schema.json');
    const out = join(work, 'out');
    const env = { ...process.env, CACHE_DIR: join(work, 'cache') };
    const generate = (...extra) =>
      timeProcess(process.execPath, [cli, 'generate', schema, '--qemu-version', '7.2', '-o', out, ...extra], { cwd: work, env });

    const nodeStart = median(Array.from({ length: runs }, () => timeProcess(process.execPath, ['-e', '0'])));
    const first = generate('--no-cache');
    rmSync(out, { recursive: true, force: true });
    const filling = generate();
    const repeated = median(Array.from({ length: runs }, () => generate()));

    // A comment after the last definition: new input, identical output.
    const original = readFileSync(schema, 'utf8');
    const edited = median(
      Array.from({ length: runs }, (_, i) => {
        writeFileSync(schema, `${original}\n# bench edit ${i}\n`);
        return generate();
      }),
    );
    writeFileSync(schema, original);

    const files = readdirSync(out).filter((f) => f.endsWith('.ts'));
    const bytes = files.reduce((n, f) => n + statSync(join(out, f)).size, 0);
    const flags = ['--strict', '--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck'];
    const tscMs = median(
      Array.from({ length: tscRuns }, () => timeProcess(process.execPath, [tsc, ...flags, join(out, 'index.ts')], { cwd: root })),
    );
    return [
      { name: 'generate, first run, no cache', value: first / 1000, unit: 's' },
      { name: 'generate, filling the cache', value: filling / 1000, unit: 's' },
      { name: `generate, unchanged input (median of ${runs})`, value: repeated / 1000, unit: 's' },
      { name: `generate, edited input, same output (median of ${runs})`, value: edited / 1000, unit: 's' },
      { name: "baseline: 'node -e 0' in the same run (median)", value: nodeStart / 1000, unit: 's' },
      { name: 'unchanged input / first run', value: repeated / first, unit: 'x' },
      { name: 'edited input / first run', value: edited / first, unit: 'x' },
      { name: 'unchanged input / node start-up', value: repeated / nodeStart, unit: 'x' },
      { name: `output: ${files.length} files`, value: Math.round(bytes / 1024), unit: 'KiB' },
      { name: 'tsc --strict --noEmit over the output', value: tscMs / 1000, unit: 's' },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable('generate: QEMU 7.2 schema', await benchGenerate());
}
