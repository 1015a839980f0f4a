// Why `generate` lays out TypeScript itself instead of through a library:
// the same files of QEMU 7.2's bindings printed by qapi-ts's printer
// (generator/emit/output/), and by the library path, prettier laying out
// the same code printed flat (each statement on one line: what a printer
// without a layout engine writes), in this process; then both paths as
// whole `generate` processes (the library path as `--format` with the
// fixed options, an upper bound of the printer's own share of it), beside QEMU's own `qapi-gen.py -b` of the same schema,
// which cold generate must not exceed.  Each path's output must be the
// other's byte for byte, or the bench refuses to time them: they do the
// same work.  Plus what loading prettier costs a fresh process.
//
// Needs `npm run build` first (the printer is loaded from dist/).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { OPTIMIZED } from './generate.mjs';
import { qapiGenOf, timeQapiGen } from './qapi-gen.mjs';
import { median, printTable, ratioRow, timeProcess, CLI } from './table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (path) => pathToFileURL(join(root, 'dist', 'generator', path)).href;
const QEMU_72 = { path: join(root, '..', 'shared', 'qemu-7.2', 'qapi', 'qapi-schema.json'), qemuVersion: '7.2' };

async function time(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const { STAMP_FILE } = await import(dist('cli/writer/stamp.js'));

/** Every file of a folder and its bytes, but the stamp: a plain run keeps
 *  one of what it was made from, a `--format` run none (cli/writer/stamp.ts). */
const contents = (dir) => new Map(readdirSync(dir).filter((f) => f !== STAMP_FILE).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

function sameFiles(a, b) {
  return a.size === b.size && [...a].every(([f, text]) => b.get(f) === text);
}

/**
 * `schema`: the schema and the release whose language it is written in
 * (and whose `qapi-gen.py` it is compared with).
 */
export async function benchEmitters({ runs = 5, schema = QEMU_72 } = {}) {
  const { loadSchema } = await import(dist('frontend.js'));
  const { emitBindings } = await import(dist('emit/pipeline.js'));
  const { printFile, PRETTIER_OPTIONS } = await import(dist('emit/output/print-file.js'));
  const prettier = await import('prettier');
  const { parser: _typescript, ...options } = PRETTIER_OPTIONS;

  // In this process: the `ts` target of every file.
  const { model } = loadSchema(schema.path, { qemuVersion: schema.qemuVersion });
  const { files } = emitBindings(model, { target: 'ts' });
  const printer = () => files.map((f) => printFile(f, 'ts'));
  const library = () => Promise.all(files.map((f) => prettier.format(printFile(f, 'ts', Number.POSITIVE_INFINITY), { ...options, filepath: `${f.stem}.ts` })));
  const printed = printer();
  const laidOut = await library();
  const differs = files.findIndex((_, i) => printed[i] !== laidOut[i]);
  if (differs >= 0) throw new Error(`prettier lays out ${files[differs].stem}.ts otherwise than the printer: the two paths do not print the same text`);
  const printerMs = [];
  const libraryMs = [];
  for (let i = 0; i < runs; i++) {
    printerMs.push(await time(printer));
    libraryMs.push(await time(library));
  }
  const label = `${files.length} files (ts)`;
  const printerRow = { name: `print ${label}, qapi-ts's printer (median of ${runs})`, value: median(printerMs), unit: 'ms' };
  const libraryRow = { name: `print ${label}, flat print + prettier's layout: the library path (median of ${runs})`, value: median(libraryMs), unit: 'ms' };

  // Fresh processes: what loading each costs.
  const load = (code) => median(Array.from({ length: runs }, () => timeProcess(process.execPath, ['--input-type=module', '-e', code], { cwd: root })));
  const bareRow = { name: "fresh process: 'node' alone (median)", value: load(''), unit: 'ms' };
  const prettierRow = { name: 'fresh process: load prettier (median)', value: load("await import('prettier');"), unit: 'ms' };
  const pipelineRow = { name: 'fresh process: load the emitter pipeline (median)', value: load(`await import(${JSON.stringify(dist('emit/pipeline.js'))});`), unit: 'ms' };

  // Whole `generate` processes, each into an empty folder, alternately;
  // QEMU's generator of the same release in the same rounds.
  const work = mkdtempSync(join(root, 'test', '.out-bench-emitters-'));
  try {
    // --format reads prettier's configuration from above the output: the fixed options.
    writeFileSync(join(work, '.prettierrc.json'), JSON.stringify(options));
    const generator = qapiGenOf(schema.qemuVersion, 'printing bench, qapi-gen.py');
    const args = (out) => ['generate', schema.path, '--qemu-version', schema.qemuVersion, '-o', join(work, out)];
    // The printer as users run it; the library path with V8's optimizer on
    // (the CLI turns it off for short runs, which prettier's long pass over
    // the output would not be), its best case.
    const plain = (out) => timeProcess(process.execPath, [CLI, ...args(out)], { cwd: work });
    const formatted = (out) => timeProcess(process.execPath, ['--input-type=module', '-e', OPTIMIZED, '--', ...args(out), '--format'], { cwd: work });
    const plainMs = [];
    const formattedMs = [];
    const qapiGenMs = [];
    let qapiGenFiles = 0;
    for (let i = 0; i < runs; i++) {
      plainMs.push(plain(`plain-${i}`));
      formattedMs.push(formatted(`formatted-${i}`));
      if (!sameFiles(contents(join(work, `plain-${i}`)), contents(join(work, `formatted-${i}`)))) {
        throw new Error('generate --format under the fixed options wrote other files than generate: the two paths do not print the same text');
      }
      rmSync(join(work, `plain-${i}`), { recursive: true });
      rmSync(join(work, `formatted-${i}`), { recursive: true });
      if (generator) {
        const r = timeQapiGen(generator, schema.path, work);
        qapiGenMs.push(r.ms);
        qapiGenFiles = r.files;
      }
    }
    const plainRow = { name: `cold generate (js+dts), the printer: whole process (median of ${runs})`, value: median(plainMs) / 1000, unit: 's' };
    const formattedRow = { name: `cold generate (js+dts), the library path: --format, fixed options, optimizer on (median of ${runs})`, value: median(formattedMs) / 1000, unit: 's' };
    const rows = [
      printerRow,
      libraryRow,
      ratioRow('library path / printer, printing', libraryRow, printerRow),
      bareRow,
      prettierRow,
      pipelineRow,
      plainRow,
      formattedRow,
      ratioRow('library path / printer, cold generate', formattedRow, plainRow),
    ];
    if (generator) {
      const qapiGenRow = { name: `qapi-gen.py -b of QEMU ${generator.version}, same schema, ${qapiGenFiles} files (median of ${runs})`, value: median(qapiGenMs) / 1000, unit: 's' };
      rows.push(
        qapiGenRow,
        ratioRow('the printer / qapi-gen.py, cold generate (goal: at most 1.0)', plainRow, qapiGenRow),
        ratioRow('the library path / qapi-gen.py, cold generate (goal: at most 1.0)', formattedRow, qapiGenRow),
      );
    }
    return rows;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable('printing: qapi-ts printer vs the library path (prettier), QEMU 7.2', await benchEmitters());
}
