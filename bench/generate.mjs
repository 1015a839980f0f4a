// `qapi-ts generate` over QEMU 7.2's whole schema, whole process (node
// start-up included; QEMU's own C generator beside it: qapi-gen.mjs).
// Nothing is cached, so every run does all the work:
// - a cold run into an empty directory, for each target;
// - a run whose output is already up to date (nothing written);
// - runs after an edit that changes no output;
// - a cold run with V8's optimizer left on (the CLI turns it off for short
//   runs: this row is why);
// plus the output's size.
//
// Needs `npm run build` first: it runs the compiled CLI from dist/.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, printTable, timeProcess, CLI } from './table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const program = pathToFileURL(join(root, 'dist', 'generator', 'cli', 'program.js')).href;
const schemaDir = join(root, '..', 'shared', 'qemu-7.2', 'qapi');

/** The CLI without main.js's `--no-opt`: program.js run as main.js runs it. */
export const OPTIMIZED = `const { runCli } = await import(${JSON.stringify(program)});
process.exitCode = await runCli(process.argv.slice(1), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });`;

const sizeOf = (dir) => readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);

export async function benchGenerate({ runs = 7 } = {}) {
  const work = mkdtempSync(join(root, 'test', '.out-bench-'));
  try {
    cpSync(schemaDir, join(work, 'qapi'), { recursive: true });
    const schema = join(work, 'qapi', 'qapi-schema.json');
    const args = (out, target) => ['generate', schema, '--qemu-version', '7.2', '-o', out, '--target', target];
    const generate = (out, target = 'js+dts') => timeProcess(process.execPath, [CLI, ...args(out, target)], { cwd: work });
    const cold = (target, optimized = false) =>
      median(
        Array.from({ length: runs }, (_, i) => {
          const out = join(work, `cold-${target}-${optimized}-${i}`);
          const ms = optimized
            ? timeProcess(process.execPath, ['--input-type=module', '-e', OPTIMIZED, '--', ...args(out, target)], { cwd: work })
            : generate(out, target);
          rmSync(out, { recursive: true, force: true });
          return ms;
        }),
      );

    const nodeStart = median(Array.from({ length: runs }, () => timeProcess(process.execPath, ['-e', '0'])));
    const coldJs = cold('js+dts');
    const coldTs = cold('ts');
    const coldOptimized = cold('js+dts', true);

    const out = join(work, 'out');
    generate(out);
    const upToDate = median(Array.from({ length: runs }, () => generate(out)));
    // A comment after the last definition: new input, identical output.
    const original = readFileSync(schema, 'utf8');
    const edited = median(
      Array.from({ length: runs }, (_, i) => {
        writeFileSync(schema, `${original}\n# bench edit ${i}\n`);
        return generate(out);
      }),
    );
    writeFileSync(schema, original);
    const tsOut = join(work, 'out-ts');
    generate(tsOut, 'ts');

    return [
      { name: `cold, js+dts (median of ${runs})`, value: coldJs / 1000, unit: 's' },
      { name: `cold, ts (median of ${runs})`, value: coldTs / 1000, unit: 's' },
      { name: `cold, js+dts, V8 optimizer on (median of ${runs})`, value: coldOptimized / 1000, unit: 's' },
      { name: 'optimizer on / off (the CLI sets --no-opt for short runs)', value: coldOptimized / coldJs, unit: 'x' },
      { name: `output up to date, nothing written (median of ${runs})`, value: upToDate / 1000, unit: 's' },
      { name: `edited input, same output (median of ${runs})`, value: edited / 1000, unit: 's' },
      { name: "baseline: 'node -e 0' in the same run (median)", value: nodeStart / 1000, unit: 's' },
      { name: 'up to date / cold', value: upToDate / coldJs, unit: 'x' },
      { name: `output, js+dts: ${readdirSync(out).length} files`, value: Math.round(sizeOf(out) / 1024), unit: 'KiB' },
      { name: `output, ts: ${readdirSync(tsOut).length} files`, value: Math.round(sizeOf(tsOut) / 1024), unit: 'KiB' },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable('generate: QEMU 7.2 schema', await benchGenerate());
}
