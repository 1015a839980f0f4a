// Cold `qapi-ts generate` beside QEMU's own C generator, `qapi-gen.py -b`
// (all of its C, built-in types included), on the same schema, whole
// process each, in the same run, timed alternately, medians compared.
// Neither side may use a cache: qapi-ts keeps none and writes into an
// empty directory each run; Python runs with an empty bytecode cache of its
// own each run (PYTHONPYCACHEPREFIX).  Beside them, a qapi-ts run whose
// output is up to date (answered from the output's stamp, without reading
// the schema), against the same qapi-gen.py runs.
//
// QEMU's generator comes from `.ci/get-qemu-source` (default
// /opt/qemu-src-RELEASE); a pair whose generator is absent is skipped with
// a notice, as is one qapi-ts cannot generate.  Needs `npm run build`.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, printTable, timeProcess } from './table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'generator', 'cli', 'main.js');
const srcRoot = process.env.QAPI_TS_QEMU_SRC_ROOT ?? '/opt';

/** Each schema beside the generator of its own release: the oldest and
 *  the newest whole QEMU schema that ../shared holds (7.2 and 10.2). */
const { sharedReleasesWith } = await import(join(root, 'dist', 'fuzz', 'shared-data.js'));
const { LEGACY_RELEASE } = await import(join(root, 'dist', 'generator', 'source', 'language.js'));
const numbered = sharedReleasesWith('schema').filter((r) => r.release !== LEGACY_RELEASE);
const PAIRS = [...new Set(numbered.length === 0 ? [] : [numbered[0], numbered[numbered.length - 1]])].map((r) => ({
  schema: r.release,
  generator: r.release,
  schemaRoot: r.schema.root,
  qapiTsArgs: r.flags,
}));

function origin(dir) {
  const file = join(dir, '.origin');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : 'unknown origin';
}

export async function benchQapiGen({ runs = 5 } = {}) {
  const rows = [];
  for (const pair of PAIRS) {
    const qemuDir = join(srcRoot, `qemu-src-${pair.generator}`);
    const schema = pair.schemaRoot;
    const label = `${pair.schema} schema`;
    if (!existsSync(join(qemuDir, 'scripts', 'qapi-gen.py'))) {
      console.log(`qapi-gen.py bench, ${label}: skipped, no QEMU generator in ${qemuDir} (run .ci/get-qemu-source ${pair.generator})`);
      continue;
    }
    if (!existsSync(schema)) {
      console.log(`qapi-gen.py bench, ${label}: skipped, ${schema} is missing`);
      continue;
    }
    const version = readFileSync(join(qemuDir, 'VERSION'), 'utf8').trim();
    const work = mkdtempSync(join(tmpdir(), 'qapi-ts-bench-qapi-gen-'));
    try {
      const qapiGen = () => {
        const out = mkdtempSync(join(work, 'c-'));
        const pycache = mkdtempSync(join(work, 'pycache-'));
        const env = { ...process.env, PYTHONPYCACHEPREFIX: pycache };
        const ms = timeProcess('python3', [join(qemuDir, 'scripts', 'qapi-gen.py'), '-b', '-o', out, schema], { env });
        const files = readdirSync(out).length;
        rmSync(out, { recursive: true, force: true });
        return { ms, files };
      };
      const qapiTs = () => {
        const out = join(work, 'ts');
        const ms = timeProcess(process.execPath, [cli, 'generate', ...pair.qapiTsArgs, schema, '-o', out], { cwd: work });
        rmSync(out, { recursive: true, force: true });
        return ms;
      };
      // With its output up to date: answered from the output's stamp.
      const upToDateOut = join(work, 'up-to-date');
      const qapiTsUpToDate = () => timeProcess(process.execPath, [cli, 'generate', ...pair.qapiTsArgs, schema, '-o', upToDateOut], { cwd: work });
      const theirs = [];
      const ours = [];
      const upToDate = [];
      let files = 0;
      try {
        qapiTsUpToDate();
        // In turn (A B C A B C ...): ratios are taken run by run.
        for (let i = 0; i < runs; i++) {
          const gen = qapiGen();
          theirs.push(gen.ms);
          files = gen.files;
          ours.push(qapiTs());
          upToDate.push(qapiTsUpToDate());
        }
      } catch (e) {
        console.log(`qapi-gen.py bench, ${label}: qapi-ts generate failed, so no ratio (${e instanceof Error ? e.message : e})`);
      }
      const paired = (xs) => median(xs.map((x, i) => x / theirs[i]));
      rows.push({ name: `${label}: qapi-gen.py -b of QEMU ${version} (${origin(qemuDir)}), ${files} files, median of ${runs}`, value: median(theirs) / 1000, unit: 's' });
      if (ours.length === runs && upToDate.length === runs) {
        rows.push({ name: `${label}: qapi-ts generate (js+dts), cold, median of ${runs}`, value: median(ours) / 1000, unit: 's' });
        rows.push({ name: `${label}: qapi-ts / qapi-gen.py, median of paired runs (goal: at most 1.0)`, value: paired(ours), unit: 'x' });
        rows.push({ name: `${label}: qapi-ts generate, output up to date (from its stamp), median of ${runs}`, value: median(upToDate) / 1000, unit: 's' });
        rows.push({ name: `${label}: up-to-date qapi-ts / qapi-gen.py, median of paired runs (goal: at most 0.1)`, value: paired(upToDate), unit: 'x' });
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable("cold and up-to-date generate beside QEMU's qapi-gen.py", await benchQapiGen());
}
