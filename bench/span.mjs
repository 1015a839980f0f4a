// What a span of releases costs, each beside one release in the same run:
// - emitted bytes of the span (js+dts, the default) against the largest
//   single release's (goal: at most 1.5x);
// - a consumer's type-check (`tsc --noEmit -p`, a ten-line program,
//   skipLibCheck) typed by the span's bindings against the same program
//   typed by one release's, the newest (goal: at most 1.3x): TypeScript 7
//   and 5.9 over the default target's declarations, and TypeScript 7 over
//   the ts target;
// - cold `qapi-ts generate --release ...` of the span against cold
//   `qapi-ts generate` of the newest release alone, whole process (goal:
//   at most 3x; generating each release apart would be about the number
//   of releases).
// The span is every release of 7.2, 8.2, 9.2, 10.0 and 10.2 whose schema
// ../shared holds, plus QAPI_TS_EXTRA_RELEASES (`9.2=PATH,...`); runs
// alternate, medians compared.  Needs `npm run build`.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, printTable, timeProcess, CLI } from './table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc7 = join(root, 'node_modules', 'typescript7', 'bin', 'tsc');
const tsc5 = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const shared = join(root, '..', 'shared');

/** The span's releases and their schemas, oldest first. */
export function spanReleases() {
  const found = ['7.2', '8.2', '9.2', '10.0', '10.2']
    .map((release) => ({ release, schema: join(shared, `qemu-${release}`, 'qapi', 'qapi-schema.json') }))
    .filter((r) => existsSync(r.schema));
  for (const item of (process.env.QAPI_TS_EXTRA_RELEASES ?? '').split(',').filter((x) => x !== '')) {
    const [release, schema] = item.split('=');
    if (!found.some((r) => r.release === release)) found.push({ release, schema });
  }
  const rank = (r) => r.release.split('.').map(Number);
  return found.sort((a, b) => rank(a)[0] - rank(b)[0] || rank(a)[1] - rank(b)[1]);
}

const PROGRAM = `import { QmpClient, runBlockJob } from 'qapi-ts-runtime';
import { QmpCommands, registry } from './bindings/index.js';

const client = await QmpClient.connect({ path: '/run/vm/qmp.sock' }, { bindings: registry });
const qmp = new QmpCommands(client);
const nodes = await qmp.queryNamedBlockNodes({ flat: true });
console.log(nodes.map((n) => n['node-name']));
const done = await runBlockJob(client, () => qmp.blockCommit({ 'job-id': 'c', device: 'top', 'top-node': 'mid' }));
console.log(done.data.len);
await client.close();
`;

const OPTIONS = { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: ['node'], skipLibCheck: true };

const sizeOf = (dir) => readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);

export async function benchSpan({ runs = 5 } = {}) {
  const releases = spanReleases();
  if (releases.length < 2) throw new Error(`a span needs two releases whose schema ../shared holds; found ${releases.length}`);
  const newest = releases[releases.length - 1];
  const names = releases.map((r) => r.release).join(', ');
  // Inside the repository, so that `qapi-ts-runtime` resolves to the workspace package.
  const work = mkdtempSync(join(root, 'test', '.out-bench-span-'));
  try {
    const spanArgs = (out) => ['generate', ...releases.flatMap((r) => ['--release', `${r.release}=${r.schema}`]), '-o', out];
    const singleArgs = (r, out) => ['generate', r.schema, '--qemu-version', r.release, '-o', out];

    // Bytes: the span against each release alone (the largest counts).
    const spanOut = join(work, 'span', 'bindings');
    timeProcess(process.execPath, [CLI, ...spanArgs(spanOut)]);
    const singles = releases.map((r) => {
      const out = join(work, `single-${r.release}`, 'bindings');
      timeProcess(process.execPath, [CLI, ...singleArgs(r, out)]);
      return { release: r.release, out, bytes: sizeOf(out) };
    });
    const largest = singles.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    const spanBytes = sizeOf(spanOut);

    // Type-check: the same program over the span's bindings and the newest
    // release's, each target's.
    const projects = {
      span: join(work, 'span'),
      single: join(work, `single-${newest.release}`),
      'span-ts': join(work, 'span-ts'),
      'single-ts': join(work, 'single-ts'),
    };
    timeProcess(process.execPath, [CLI, ...spanArgs(join(projects['span-ts'], 'bindings')), '--target', 'ts']);
    timeProcess(process.execPath, [CLI, ...singleArgs(newest, join(projects['single-ts'], 'bindings')), '--target', 'ts']);
    for (const dir of Object.values(projects)) {
      writeFileSync(join(dir, 'main.ts'), PROGRAM);
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: OPTIONS, files: ['main.ts'] }));
    }
    const checks = [
      { name: 'TypeScript 7, js+dts', tsc: tsc7, span: 'span', single: 'single' },
      { name: 'TypeScript 5.9, js+dts', tsc: tsc5, span: 'span', single: 'single' },
      { name: 'TypeScript 7, ts', tsc: tsc7, span: 'span-ts', single: 'single-ts' },
    ].map((c) => ({ ...c, times: { span: [], single: [] } }));
    // Cold generate, whole process, alternating.
    const cold = { span: [], single: [] };
    for (let i = 0; i < runs; i++) {
      for (const c of checks) {
        c.times.span.push(timeProcess(process.execPath, [c.tsc, '-p', join(projects[c.span], 'tsconfig.json')]));
        c.times.single.push(timeProcess(process.execPath, [c.tsc, '-p', join(projects[c.single], 'tsconfig.json')]));
      }
      const a = join(work, `cold-span-${i}`);
      const b = join(work, `cold-single-${i}`);
      mkdirSync(work, { recursive: true });
      cold.span.push(timeProcess(process.execPath, [CLI, ...spanArgs(a)]));
      cold.single.push(timeProcess(process.execPath, [CLI, ...singleArgs(newest, b)]));
      rmSync(a, { recursive: true, force: true });
      rmSync(b, { recursive: true, force: true });
    }
    const [coldSpan, coldSingle] = [median(cold.span), median(cold.single)];
    const checkRows = checks.flatMap((c) => {
      const [span, single] = [median(c.times.span), median(c.times.single)];
      return [
        { name: `${c.name}: the program typed by the span (median of ${runs})`, value: span / 1000, unit: 's' },
        { name: `${c.name}: the program typed by ${newest.release} alone (median of ${runs})`, value: single / 1000, unit: 's' },
        { name: `${c.name}: span / one release (goal: at most 1.3)`, value: span / single, unit: 'x' },
      ];
    });
    return [
      { name: `releases in the span: ${names}`, value: releases.length, unit: '' },
      { name: 'emitted bytes, js+dts: the span', value: Math.round(spanBytes / 1024), unit: 'KiB' },
      { name: `emitted bytes, js+dts: the largest single release (${largest.release})`, value: Math.round(largest.bytes / 1024), unit: 'KiB' },
      { name: 'span / largest release (goal: at most 1.5)', value: spanBytes / largest.bytes, unit: 'x' },
      ...checkRows,
      { name: `cold generate of the span (median of ${runs})`, value: coldSpan / 1000, unit: 's' },
      { name: `cold generate of ${newest.release} alone (median of ${runs})`, value: coldSingle / 1000, unit: 's' },
      { name: `cold generate: span / one release (goal: at most 3; ${releases.length} apart: about ${releases.length})`, value: coldSpan / coldSingle, unit: 'x' },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable('spans: the span of releases beside one release', await benchSpan());
}
