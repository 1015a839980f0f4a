// Front-end speed: parse + check of the oldest and the newest whole QEMU
// schema that ../shared holds (7.2 and 10.2), each in its own language, in-process and as a whole `qapi-ts check`
// process, beside baselines measured in the same run (bare node start-up;
// reading the files; QEMU's own front end, Python's QAPISchema of the same
// release, parsing and checking the same schema as a whole process, run in
// turn with `qapi-ts check` and compared pair by pair, where
// `.ci/get-qemu-source` has unpacked it).  Needs `npm run build`.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, printTable, timeCall, timeProcess, AS_IS_ENV_NOTE, CLI, GOAL_ENV_NOTE, NODE_ENVS } from './table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { sharedReleasesWith } = await import(join(root, 'dist', 'fuzz', 'shared-data.js'));
const { LEGACY_RELEASE } = await import(join(root, 'dist', 'generator', 'source', 'language.js'));
const numbered = sharedReleasesWith('schema').filter((r) => r.release !== LEGACY_RELEASE);
const RELEASES = numbered.length === 0 ? [] : [...new Set([numbered[0], numbered[numbered.length - 1]])];
const VERSIONS = RELEASES.map((r) => r.release);
const srcRoot = process.env.QAPI_TS_QEMU_SRC_ROOT ?? '/opt';

/** A whole Python process running QEMU's front end (QAPISchema: parse
 *  and check) over `schema`, with an empty bytecode cache each run (as
 *  qapi-gen.mjs runs QEMU's generator), timed in ms; null where its source
 *  is absent. */
function qemuFrontEnd(version, schema, work) {
  const scripts = join(srcRoot, `qemu-src-${version}`, 'scripts');
  if (!existsSync(join(scripts, 'qapi', 'schema.py'))) {
    console.log(`front-end bench, ${version}: QEMU's front end skipped, no source in ${dirname(scripts)} (run .ci/get-qemu-source ${version})`);
    return null;
  }
  const program = `import sys; sys.path.insert(0, sys.argv[1]); from qapi.schema import QAPISchema; QAPISchema(sys.argv[2])`;
  return () => {
    const env = { ...process.env, PYTHONPYCACHEPREFIX: mkdtempSync(join(work, 'pycache-')) };
    return timeProcess('python3', ['-c', program, scripts, schema], { env });
  };
}

// The whole processes run in more pairs than the in-process loads: a
// ratio near its goal is read from the median of pairs, and the median of
// 11 moved by some 0.005 from run to run on this machine.
export async function benchFrontend({ runs = 11, pairs = 21 } = {}) {
  const { loadSchema } = await import(join(root, 'dist', 'generator', 'frontend.js'));
  const rows = [];
  const checkMs = {};
  const nodeStart = [];
  const nodeStartAsIs = [];
  for (const { release: version, schema: { dir: schemaDir, root: schema }, flags, options } of RELEASES) {
    const files = readdirSync(schemaDir);
    const load = () => loadSchema(schema, options);
    const cold = timeCall(load);
    const warm = [];
    for (let i = 0; i < runs; i++) warm.push(timeCall(load));
    const readOnly = [];
    for (let i = 0; i < runs; i++) {
      readOnly.push(timeCall(() => files.forEach((f) => readFileSync(join(schemaDir, f), 'utf8'))));
    }
    const bytes = files.reduce((n, f) => n + readFileSync(join(schemaDir, f)).length, 0);
    // `qapi-ts check` and QEMU's front end run in turn (A B A B ...), and
    // the ratio is taken pair by pair: on a shared machine whose speed
    // drifts, only a paired ratio means anything.
    const work = mkdtempSync(join(tmpdir(), 'qapi-ts-bench-frontend-'));
    // Ours is timed in the goal's environment and, where it differs, in
    // this machine's own (table.mjs, NODE_ENVS), each against the same run
    // of QEMU's.
    const check = [];
    const checkAsIs = [];
    const qemu = [];
    const ratios = [];
    const ratiosAsIs = [];
    const ours = (env) => timeProcess(process.execPath, [CLI, 'check', schema, ...flags], { env });
    try {
      const qemuRun = qemuFrontEnd(version, schema, work);
      for (let i = 0; i < pairs; i++) {
        nodeStart.push(timeProcess(process.execPath, ['-e', '0'], { env: NODE_ENVS.goal }));
        if (NODE_ENVS.asIs !== null) nodeStartAsIs.push(timeProcess(process.execPath, ['-e', '0'], { env: NODE_ENVS.asIs }));
        const goal = ours(NODE_ENVS.goal);
        check.push(goal);
        const asIs = NODE_ENVS.asIs === null ? null : ours(NODE_ENVS.asIs);
        if (asIs !== null) checkAsIs.push(asIs);
        if (qemuRun !== null) {
          const theirs = qemuRun();
          qemu.push(theirs);
          ratios.push(goal / theirs);
          if (asIs !== null) ratiosAsIs.push(asIs / theirs);
        }
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    const warmMs = median(warm);
    checkMs[version] = median(check);
    rows.push(
      { name: `${version}: schema size (${files.length} files)`, value: Math.round(bytes / 1024), unit: 'KiB' },
      { name: `${version}: in-process parse+check, first run`, value: cold, unit: 'ms' },
      { name: `${version}: in-process parse+check, median of ${runs}`, value: warmMs, unit: 'ms' },
      { name: `${version}: baseline: read the files, median`, value: median(readOnly), unit: 'ms' },
      { name: `${version}: in-process throughput`, value: bytes / 1024 / 1024 / (warmMs / 1000), unit: 'MiB/s' },
      { name: `${version}: whole process 'qapi-ts check'${GOAL_ENV_NOTE}, median of ${pairs}`, value: checkMs[version], unit: 'ms' },
      ...(checkAsIs.length === 0 ? [] : [{ name: `${version}: whole process 'qapi-ts check'${AS_IS_ENV_NOTE}, median of ${pairs}`, value: median(checkAsIs), unit: 'ms' }]),
    );
    if (qemu.length > 0) {
      rows.push(
        { name: `${version}: QEMU ${version}'s front end (Python QAPISchema), whole process, median of ${pairs}`, value: median(qemu), unit: 'ms' },
        { name: `${version}: 'qapi-ts check'${GOAL_ENV_NOTE} / QEMU's front end, median of ${pairs} paired runs (goal <= 0.25)`, value: median(ratios), unit: 'x' },
        ...(ratiosAsIs.length === 0 ? [] : [{ name: `${version}: 'qapi-ts check'${AS_IS_ENV_NOTE} / QEMU's front end, median of paired runs`, value: median(ratiosAsIs), unit: 'x' }]),
      );
    }
  }
  const start = median(nodeStart);
  return [
    ...rows,
    { name: `baseline: 'node -e 0'${GOAL_ENV_NOTE}, median`, value: start, unit: 'ms' },
    ...(nodeStartAsIs.length === 0 ? [] : [{ name: `baseline: 'node -e 0'${AS_IS_ENV_NOTE}, median`, value: median(nodeStartAsIs), unit: 'ms' }]),
    ...VERSIONS.map((v) => ({ name: `${v}: check process / node start-up`, value: checkMs[v] / start, unit: 'x' })),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable('front end: the oldest and newest QEMU schemas in ../shared', await benchFrontend());
}
