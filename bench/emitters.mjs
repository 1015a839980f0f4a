// Why `generate` prints TypeScript itself instead of through ts-morph and
// prettier (the conventional toolchain, which test/emit/ts-morph-reference
// holds the printer to): both print the same statements of QEMU 7.2's
// bindings to the same text, in this process, and the table gives their
// times side by side, plus what loading each toolchain costs a fresh
// process.  The reference emitter is TypeScript under test/helpers: it is
// bundled with esbuild (its packages left external) before it is loaded.
//
// Needs `npm run build` first (the printer is loaded from dist/).
import { mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { median, printTable, timeProcess } from './table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (path) => pathToFileURL(join(root, 'dist', 'generator', path)).href;
const schema = join(root, '..', 'shared', 'qemu-7.2', 'qapi', 'qapi-schema.json');

async function time(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function benchEmitters({ runs = 5 } = {}) {
  const work = mkdtempSync(join(root, 'test', '.out-bench-emitters-'));
  try {
    const reference = join(work, 'ts-morph-emitter.mjs');
    await esbuild.build({
      entryPoints: [join(root, 'test', 'helpers', 'ts-morph-emitter.ts')],
      outfile: reference,
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'silent',
    });
    const { emitWithTsMorph } = await import(pathToFileURL(reference).href);
    const { loadSchema } = await import(dist('frontend.js'));
    const { emitBindings } = await import(dist('emit/pipeline.js'));
    const { printFile } = await import(dist('emit/output/print-file.js'));

    const { model } = loadSchema(schema, { qemuVersion: '7.2' });
    const { files } = emitBindings(model, { target: 'ts' });
    const ours = median(await Promise.all(Array.from({ length: runs }, () => time(() => files.forEach((f) => printFile(f, 'ts'))))));
    const referenceRuns = [];
    const { Project } = await import('ts-morph');
    const project = new Project({ useInMemoryFileSystem: true });
    for (let i = 0; i < runs; i++) referenceRuns.push(await time(async () => Promise.all(files.map((f) => emitWithTsMorph(f, project)))));
    const theirs = median(referenceRuns);

    const load = (code) => median(Array.from({ length: runs }, () => timeProcess(process.execPath, ['--input-type=module', '-e', code], { cwd: root })));
    const bare = load('');
    const toolchain = load("await import('ts-morph'); await import('prettier');");
    const printer = load(`await import(${JSON.stringify(dist('emit/pipeline.js'))});`);

    return [
      { name: `print ${files.length} files, qapi-ts's printer (median of ${runs})`, value: ours, unit: 'ms' },
      { name: `print ${files.length} files, ts-morph + prettier (median of ${runs})`, value: theirs, unit: 'ms' },
      { name: 'ts-morph + prettier / printer', value: theirs / ours, unit: 'x' },
      { name: "fresh process: 'node' alone (median)", value: bare, unit: 'ms' },
      { name: 'fresh process: load ts-morph and prettier (median)', value: toolchain, unit: 'ms' },
      { name: 'fresh process: load the emitter pipeline (median)', value: printer, unit: 'ms' },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable('printing: qapi-ts printer vs ts-morph + prettier (QEMU 7.2, ts target)', await benchEmitters());
}
