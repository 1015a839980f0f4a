// Front-end speed: parse + check of QEMU 7.2's whole schema, in-process and
// as a whole `qapi-ts check` process, beside baselines measured in the same
// run (bare node start-up; reading the files).  Needs `npm run build`.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, printTable, timeCall, timeProcess } from './table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaDir = join(root, '..', 'shared', 'qemu-7.2', 'qapi');
const schema = join(schemaDir, 'qapi-schema.json');
const cli = join(root, 'dist', 'generator', 'cli', 'main.js');

export async function benchFrontend({ runs = 11 } = {}) {
  const { loadSchema } = await import(join(root, 'dist', 'generator', 'frontend.js'));
  const cold = timeCall(() => loadSchema(schema));
  const warm = [];
  for (let i = 0; i < runs; i++) warm.push(timeCall(() => loadSchema(schema)));
  const readOnly = [];
  for (let i = 0; i < runs; i++) {
    readOnly.push(timeCall(() => readdirSync(schemaDir).forEach((f) => readFileSync(join(schemaDir, f), 'utf8'))));
  }
  const bytes = readdirSync(schemaDir).reduce((n, f) => n + readFileSync(join(schemaDir, f)).length, 0);

  const nodeStart = [];
  const check = [];
  for (let i = 0; i < runs; i++) {
    nodeStart.push(timeProcess(process.execPath, ['-e', '0']));
    check.push(timeProcess(process.execPath, [cli, 'check', schema]));
  }
  const warmMs = median(warm);
  const checkMs = median(check);
  return [
    { name: 'schema size (37 files)', value: Math.round(bytes / 1024), unit: 'KiB' },
    { name: 'in-process parse+check, first run', value: cold, unit: 'ms' },
    { name: `in-process parse+check, median of ${runs}`, value: warmMs, unit: 'ms' },
    { name: 'baseline: read the files, median', value: median(readOnly), unit: 'ms' },
    { name: 'in-process throughput', value: bytes / 1024 / 1024 / (warmMs / 1000), unit: 'MiB/s' },
    { name: `whole process 'qapi-ts check', median of ${runs}`, value: checkMs, unit: 'ms' },
    { name: "baseline: 'node -e 0', median", value: median(nodeStart), unit: 'ms' },
    { name: 'check process / node start-up', value: checkMs / median(nodeStart), unit: 'x' },
    { name: "QEMU's Python front end (orientation, not measured here)", value: 400, unit: 'ms' },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable('front end: QEMU 7.2 schema', await benchFrontend());
}
