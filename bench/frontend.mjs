// Front-end speed: parse + check of QEMU 7.2's and 10.2's whole schemas,
// each in its own language, in-process and as a whole `qapi-ts check`
// process, beside baselines measured in the same run (bare node start-up;
// reading the files).  Needs `npm run build`.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, printTable, timeCall, timeProcess } from './table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'generator', 'cli', 'main.js');
const VERSIONS = ['7.2', '10.2'];

export async function benchFrontend({ runs = 11 } = {}) {
  const { loadSchema } = await import(join(root, 'dist', 'generator', 'frontend.js'));
  const rows = [];
  const checkMs = {};
  const nodeStart = [];
  for (const version of VERSIONS) {
    const schemaDir = join(root, '..', 'shared', `qemu-${version}`, 'qapi');
    const schema = join(schemaDir, 'qapi-schema.json');
    const files = readdirSync(schemaDir);
    const load = () => loadSchema(schema, { qemuVersion: version });
    const cold = timeCall(load);
    const warm = [];
    for (let i = 0; i < runs; i++) warm.push(timeCall(load));
    const readOnly = [];
    for (let i = 0; i < runs; i++) {
      readOnly.push(timeCall(() => files.forEach((f) => readFileSync(join(schemaDir, f), 'utf8'))));
    }
    const bytes = files.reduce((n, f) => n + readFileSync(join(schemaDir, f)).length, 0);
    const check = [];
    for (let i = 0; i < runs; i++) {
      nodeStart.push(timeProcess(process.execPath, ['-e', '0']));
      check.push(timeProcess(process.execPath, [cli, 'check', schema, '--qemu-version', version]));
    }
    const warmMs = median(warm);
    checkMs[version] = median(check);
    rows.push(
      { name: `${version}: schema size (${files.length} files)`, value: Math.round(bytes / 1024), unit: 'KiB' },
      { name: `${version}: in-process parse+check, first run`, value: cold, unit: 'ms' },
      { name: `${version}: in-process parse+check, median of ${runs}`, value: warmMs, unit: 'ms' },
      { name: `${version}: baseline: read the files, median`, value: median(readOnly), unit: 'ms' },
      { name: `${version}: in-process throughput`, value: bytes / 1024 / 1024 / (warmMs / 1000), unit: 'MiB/s' },
      { name: `${version}: whole process 'qapi-ts check', median of ${runs}`, value: checkMs[version], unit: 'ms' },
    );
  }
  const start = median(nodeStart);
  return [
    ...rows,
    { name: "baseline: 'node -e 0', median", value: start, unit: 'ms' },
    ...VERSIONS.map((v) => ({ name: `${v}: check process / node start-up`, value: checkMs[v] / start, unit: 'x' })),
    { name: "QEMU's Python front end on 7.2 (orientation, not measured here)", value: 400, unit: 'ms' },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable('front end: QEMU 7.2 and 10.2 schemas', await benchFrontend());
}
