/**
 * `npm run fuzz`: a seeded, reproducible fuzzer with three targets: the
 * front end (mutants of QEMU's real schemas and suites, optionally beside
 * QEMU's own front ends), the generated bindings (schemas of hostile names)
 * and the runtime (deep values in events, replies and checks).  See
 * docs/fuzzing.md for the options and the bounds.  Exit 0 when every input
 * ended as it must, 1 when some failed, 2 on a bad option.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_BOUNDS, runCampaign, type Bounds, type InputReport, type Judged, type Verb } from './campaign.js';
import { corpusReleases, CorpusError, loadCorpus } from './corpus.js';
import { DEFAULT_SHARED } from './paths.js';
import { QEMU_RELEASES, type QemuRelease } from '../generator/source/language.js';
import { DISAGREEMENTS } from './differential.js';
import { DEFAULT_QEMU_SRC_ROOT, findQemuFrontEnd, type QemuFrontEnd, type QemuOutcome } from './qemu.js';
import { figures, formatSummary } from './summary.js';

const DEFAULTS = {
  ...DEFAULT_BOUNDS,
  count: 1000,
  verb: 'dump' as Verb,
  out: 'fuzz-failures',
};

const TARGETS = ['frontend', 'bindings', 'runtime'] as const;
type Target = (typeof TARGETS)[number];

const USAGE = `usage: npm run fuzz -- [options]
  --target T        what to fuzz: frontend (mutants of QEMU's schemas; the
                    default), bindings (schemas of hostile names, compiled
                    and run) or runtime (deep values read by the client)
  --seed N          the run's seed (default: chosen at random and printed)
  --count N         inputs to run (default ${DEFAULTS.count})
  --only N[,N...]   run only these inputs of the seed (to repeat one)
  --corpus LIST     schemas (7.2) and suites (9.2-suite) to mutate, comma-separated (default all that ../shared holds: ${corpusReleases(DEFAULT_SHARED).join(',') || 'none found'})
  --cpu-time MS     CPU-time bound per input (default ${DEFAULTS.cpuMs})
  --wall-time MS    wall-time bound per input (default ${DEFAULTS.wallMs})
  --memory MIB      resident-memory bound per input (default ${DEFAULTS.memoryMiB})
  --jobs N          inputs run at once (default: the number of CPUs)
  --verb check|dump what qapi-ts runs on each input (default ${DEFAULTS.verb})
  --out DIR         where failing inputs are kept (default ./${DEFAULTS.out})
  --shared DIR      QEMU's reference data (default ../shared)
  --minimize        shrink each failing input to a small one that fails
                    alike (kept beside it as minimized/)
  --differential    also run QEMU's own front end on each input and count
                    disagreements (needs .ci/get-qemu-source), by default
                    the front end of the input's own release
  --against LIST    judge every input as each of these releases instead
                    (ours in its language, and its QEMU front end):
                    8.2,9.2,10.0,10.2 say
  --qemu-src DIR    where .ci/get-qemu-source unpacked QEMU (default ${DEFAULT_QEMU_SRC_ROOT})`;

class UsageError extends Error {}

function describeOurs(j: Judged): string {
  if (!j.ours.ok) return j.ours.kind;
  return j.ours.accepted ? 'accepts' : `rejects at ${j.oursAt ?? '?'}`;
}

function describeQemu(q: QemuOutcome): string {
  if (q.kind === 'accepted') return 'accepts';
  if (q.kind === 'failed') return `fails: ${q.detail}`;
  return `rejects at ${q.message}`;
}

function integer(name: string, text: string | undefined, fallback: number, min = 0): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`--${name} takes a whole number of at least ${min}, not '${text}'`);
  return Number(text);
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string' },
      count: { type: 'string' },
      only: { type: 'string' },
      corpus: { type: 'string' },
      'cpu-time': { type: 'string' },
      'wall-time': { type: 'string' },
      memory: { type: 'string' },
      jobs: { type: 'string' },
      verb: { type: 'string' },
      out: { type: 'string' },
      shared: { type: 'string' },
      differential: { type: 'boolean' },
      against: { type: 'string' },
      minimize: { type: 'boolean' },
      'qemu-src': { type: 'string' },
      target: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const seed = integer('seed', values.seed, Math.floor(Math.random() * 2 ** 31));
  const count = integer('count', values.count, DEFAULTS.count, 1);
  const indices = values.only ? values.only.split(',').map((n) => integer('only', n, 0)) : Array.from({ length: count }, (_, i) => i);
  const cpuMs = integer('cpu-time', values['cpu-time'], DEFAULTS.cpuMs, 1);
  const wallMs = integer('wall-time', values['wall-time'], DEFAULTS.wallMs, 1);
  const memoryBytes = integer('memory', values.memory, DEFAULTS.memoryMiB, 64) * 2 ** 20;
  const jobs = integer('jobs', values.jobs, availableParallelism(), 1);
  const target = (values.target ?? 'frontend') as Target;
  if (!TARGETS.includes(target)) throw new UsageError(`--target is ${TARGETS.map((t) => `'${t}'`).join(', ')}, not '${target}'`);
  const failuresOut = resolve(values.out ?? DEFAULTS.out);
  if (target === 'bindings') return fuzzBindings(seed, indices, failuresOut);
  if (target === 'runtime') return fuzzRuntime(seed, indices, { cpuMs, wallMs, memoryBytes, jobs });
  const verb = (values.verb ?? DEFAULTS.verb) as Verb;
  if (verb !== 'check' && verb !== 'dump') throw new UsageError(`--verb is 'check' or 'dump', not '${verb}'`);
  const names = values.corpus ? values.corpus.split(',').filter(Boolean) : [];
  const corpus = loadCorpus(resolve(values.shared ?? DEFAULT_SHARED), names);
  const failuresDir = resolve(values.out ?? DEFAULTS.out);

  const against = values.against ? values.against.split(',').filter(Boolean) : undefined;
  const unknownRelease = against?.find((r) => !(QEMU_RELEASES as readonly string[]).includes(r));
  if (unknownRelease) throw new UsageError(`--against names releases (${QEMU_RELEASES.join(', ')}), not '${unknownRelease}'`);
  let qemu: Map<string, QemuFrontEnd> | undefined;
  if (values.differential || against) {
    qemu = new Map();
    const srcRoot = values['qemu-src'] ?? DEFAULT_QEMU_SRC_ROOT;
    const releases = against ?? [...new Set(corpus.flatMap((c) => (c.release ? [c.release] : [])))];
    for (const release of releases) {
      const frontEnd = findQemuFrontEnd(release, srcRoot);
      if (frontEnd) {
        qemu.set(release, frontEnd);
        console.log(`differential: QEMU ${frontEnd.version}'s front end (${frontEnd.origin}) in ${frontEnd.dir}`);
      } else {
        console.log(`differential: no QEMU ${release} front end in ${srcRoot}/qemu-src-${release}: skipped (run .ci/get-qemu-source ${release})`);
      }
    }
    console.log(`differential: each input judged ${against ? `as ${against.join(', ')}` : "as its own release"}, by qapi-ts and by QEMU`);
  }

  const corpusFlag = `--corpus ${corpus.map((c) => c.name).join(',')}`;
  const rerunCommand = (index: number): string => `npm run fuzz -- --seed ${seed} ${corpusFlag} --verb ${verb} --only ${index}`;
  console.log(
    `qapi-ts fuzz: seed ${seed}, ${indices.length} inputs over ${corpus.map((c) => c.name).join(', ')}; ` +
      `bounds per input: ${cpuMs} ms CPU, ${wallMs} ms wall, ${memoryBytes / 2 ** 20} MiB resident; ${jobs} at once; verb ${verb}`,
  );
  const started = performance.now();
  let done = 0;
  const reports = await runCampaign({
    corpus,
    seed,
    indices,
    cpuMs,
    wallMs,
    memoryBytes,
    jobs,
    verb,
    failuresDir,
    rerunCommand,
    minimize: values.minimize === true,
    ...(qemu ? { qemu } : {}),
    ...(against ? { against: against as QemuRelease[] } : {}),
    onInput: (r: InputReport) => {
      done++;
      if (!r.verdict.ok) {
        console.log(`FAIL #${r.index} (${r.corpus}) ${r.verdict.kind}: ${r.verdict.detail}\n    ${r.operations.join('\n    ')}\n    kept in ${r.savedTo}`);
      }
      for (const j of r.judged ?? []) {
        if (!DISAGREEMENTS.includes(j.comparison)) continue;
        console.log(
          `DIFFER #${r.index} (${r.corpus}, ${r.root}) as ${j.release}: ${j.comparison}: qapi-ts ${describeOurs(j)}; QEMU ${describeQemu(j.qemu)}\n    ${r.operations.join('\n    ')}`,
        );
      }
      if (process.stdout.isTTY) process.stdout.write(`\r${done}/${indices.length}\r`);
    },
  });
  const f = figures(reports);
  console.log(formatSummary(f, (performance.now() - started) / 1000));
  if (f.failed > 0) console.log(`failing inputs kept in ${failuresDir}; each has repro.sh and report.txt`);
  return f.failed > 0 ? 1 : 0;
}

async function fuzzBindings(seed: number, indices: readonly number[], failuresDir: string): Promise<number> {
  console.log(`qapi-ts fuzz, bindings: seed ${seed}, ${indices.length} schemas of hostile names, each in both targets`);
  const started = performance.now();
  // Loaded only for this target: it brings the TypeScript compiler.
  const { runBindingsCampaign } = await import('./bindings/campaign.js');
  const reports = await runBindingsCampaign({
    seed,
    indices,
    failuresDir,
    onInput: (r) => {
      if (!r.verdict.ok) console.log(`FAIL #${r.index} ${r.verdict.kind}: ${r.verdict.detail}\n    ${r.schema.summary}\n    kept in ${r.savedTo}`);
    },
  });
  const failed = reports.filter((r) => !r.verdict.ok).length;
  const calls = reports.reduce((n, r) => n + r.schema.calls.length, 0);
  console.log(`  ${reports.length} schemas (${calls} commands, each called through its function and its method, in both targets): ${failed} FAILED`);
  console.log(`  ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return failed > 0 ? 1 : 0;
}

async function fuzzRuntime(seed: number, indices: readonly number[], bounds: Bounds): Promise<number> {
  console.log(`qapi-ts fuzz, runtime: seed ${seed}, ${indices.length} deep values; bounds per input: ${bounds.cpuMs} ms CPU, ${bounds.wallMs} ms wall, ${bounds.memoryBytes / 2 ** 20} MiB resident`);
  const started = performance.now();
  const { describeDeep, runDeepCampaign } = await import('./runtime/campaign.js');
  const reports = await runDeepCampaign({
    seed,
    indices,
    ...bounds,
    onInput: (r) => {
      if (!r.verdict.ok) console.log(`FAIL ${describeDeep(r)}`);
    },
  });
  const outcomes = new Map<string, number>();
  for (const r of reports) {
    const key = r.verdict.ok ? r.verdict.outcome : `FAILED ${r.verdict.kind}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
  const failed = reports.filter((r) => !r.verdict.ok).length;
  for (const [key, n] of [...outcomes].sort()) console.log(`  ${key.padEnd(28)} ${String(n).padStart(7)}`);
  console.log(`  ${reports.length} inputs in ${((performance.now() - started) / 1000).toFixed(1)} s; deepest ${Math.max(0, ...reports.map((r) => r.case.depth))} levels`);
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError || e instanceof CorpusError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`fuzz: ${(e as Error).message}\n${USAGE}`);
      process.exitCode = 2;
    } else {
      throw e;
    }
  },
);
