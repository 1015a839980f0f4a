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
import { median, printTable, ratioRow, timeProcess, AS_IS_ENV_NOTE, CLI, GOAL_ENV_NOTE, NODE_ENVS } from './table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
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

/**
 * QEMU's generator of `release` as `.ci/get-qemu-source` unpacks it, with
 * its version and origin, or null (with a notice) where it is absent.
 */
export function qapiGenOf(release, what = 'qapi-gen.py bench') {
  const dir = join(srcRoot, `qemu-src-${release}`);
  if (!existsSync(join(dir, 'scripts', 'qapi-gen.py'))) {
    console.log(`${what}: skipped, no QEMU generator in ${dir} (run .ci/get-qemu-source ${release})`);
    return null;
  }
  return { dir, version: readFileSync(join(dir, 'VERSION'), 'utf8').trim(), origin: origin(dir) };
}

/** One cold `qapi-gen.py -b` of `schema` into a new folder under `work`:
 *  its time and how many files it wrote. */
export function timeQapiGen(generator, schema, work) {
  const out = mkdtempSync(join(work, 'c-'));
  const pycache = mkdtempSync(join(work, 'pycache-'));
  const env = { ...process.env, PYTHONPYCACHEPREFIX: pycache };
  const ms = timeProcess('python3', [join(generator.dir, 'scripts', 'qapi-gen.py'), '-b', '-o', out, schema], { env });
  const files = readdirSync(out).length;
  rmSync(out, { recursive: true, force: true });
  rmSync(pycache, { recursive: true, force: true });
  return { ms, files };
}

export async function benchQapiGen({ runs = 5 } = {}) {
  const rows = [];
  for (const pair of PAIRS) {
    const schema = pair.schemaRoot;
    const label = `${pair.schema} schema`;
    const generator = qapiGenOf(pair.generator, `qapi-gen.py bench, ${label}`);
    if (!generator) continue;
    if (!existsSync(schema)) {
      console.log(`qapi-gen.py bench, ${label}: skipped, ${schema} is missing`);
      continue;
    }
    const work = mkdtempSync(join(tmpdir(), 'qapi-ts-bench-qapi-gen-'));
    try {
      // Ours runs in the goal's environment and, where it differs, in this
      // machine's own (table.mjs, NODE_ENVS).
      const qapiTs = (env) => {
        const out = join(work, 'ts');
        const ms = timeProcess(process.execPath, [CLI, 'generate', ...pair.qapiTsArgs, schema, '-o', out], { cwd: work, env });
        rmSync(out, { recursive: true, force: true });
        return ms;
      };
      // With its output up to date: answered from the output's stamp.
      const upToDateOut = join(work, 'up-to-date');
      const qapiTsUpToDate = (env) => timeProcess(process.execPath, [CLI, 'generate', ...pair.qapiTsArgs, schema, '-o', upToDateOut], { cwd: work, env });
      const envs = [
        { env: NODE_ENVS.goal, note: GOAL_ENV_NOTE, goal: true, ours: [], upToDate: [] },
        ...(NODE_ENVS.asIs === null ? [] : [{ env: NODE_ENVS.asIs, note: AS_IS_ENV_NOTE, goal: false, ours: [], upToDate: [] }]),
      ];
      const theirs = [];
      let files = 0;
      let failed = false;
      for (let i = 0; i < runs && !failed; i++) {
        const gen = timeQapiGen(generator, schema, work);
        theirs.push(gen.ms);
        files = gen.files;
        try {
          // The first run writes the output the up-to-date runs find.
          if (i === 0) qapiTsUpToDate(NODE_ENVS.goal);
          for (const e of envs) {
            e.ours.push(qapiTs(e.env));
            e.upToDate.push(qapiTsUpToDate(e.env));
          }
        } catch (e) {
          console.log(`qapi-gen.py bench, ${label}: qapi-ts generate failed, so no ratio (${e instanceof Error ? e.message : e})`);
          failed = true;
        }
      }
      const theirRow = { name: `${label}: qapi-gen.py -b of QEMU ${generator.version} (${generator.origin}), ${files} files, median of ${runs}`, value: median(theirs) / 1000, unit: 's' };
      rows.push(theirRow);
      for (const e of envs) {
        if (e.ours.length !== runs) continue;
        const ourRow = { name: `${label}: qapi-ts generate (js+dts), cold${e.note}, median of ${runs}`, value: median(e.ours) / 1000, unit: 's' };
        rows.push(ourRow, ratioRow(`${label}: qapi-ts${e.note} / qapi-gen.py${e.goal ? ' (goal: at most 1.0)' : ''}`, ourRow, theirRow));
        const upToDateRow = { name: `${label}: qapi-ts generate, output up to date (from its stamp)${e.note}, median of ${runs}`, value: median(e.upToDate) / 1000, unit: 's' };
        rows.push(upToDateRow, ratioRow(`${label}: up-to-date qapi-ts${e.note} / qapi-gen.py${e.goal ? ' (goal: at most 0.1)' : ''}`, upToDateRow, theirRow));
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
