// `npm run bench`: every benchmark, each printed as a table.  Figures are
// medians; each table carries the baseline it should be read against.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable } from './table.mjs';

const here = dirname(fileURLToPath(import.meta.url));

const benches = [
  ['front end: the oldest and newest QEMU schemas in ../shared', 'frontend.mjs', 'benchFrontend'],
  ['generate: QEMU 7.2 schema', 'generate.mjs', 'benchGenerate'],
  ["cold and up-to-date generate beside QEMU's qapi-gen.py", 'qapi-gen.mjs', 'benchQapiGen'],
  ['generate --watch: one-module edits, QEMU 7.2 schema', 'watch.mjs', 'benchWatch'],
  ['printing: qapi-ts printer vs the library path (prettier), QEMU 7.2', 'emitters.mjs', 'benchEmitters'],
  ["a consumer's type-check, with and without the bindings", 'consumer.mjs', 'benchConsumer'],
  ['bundle bytes (esbuild, minified): one command against all, the registry whole and of a --only build', 'bundle.mjs', 'benchBundle'],
  ['QMP round trips against qemu-storage-daemon', 'qmp-roundtrip.mjs', 'benchQmpRoundtrip'],
  ['1000 QMP connections in one process, against fake-qemu (QEMU 7.2 qemu-storage-daemon capture)', 'fleet.mjs', 'benchFleet'],
  ['argument validation: generated validators vs ajv (same inputs)', 'validators.mjs', 'benchValidators'],
  ['spans: the span of releases beside one release', 'span.mjs', 'benchSpan'],
];

let failed = false;
for (const [title, file, fn] of benches) {
  if (!existsSync(join(here, file))) continue;
  try {
    const mod = await import(join(here, file));
    printTable(title, await mod[fn]());
  } catch (e) {
    failed = true;
    console.error(`${title}: ${e instanceof Error ? e.message : e}`);
  }
}
process.exitCode = failed ? 1 : 0;
