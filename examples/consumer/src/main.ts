// Commits the layer `--top` of drive `--device` into its backing file, over
// QMP at `--socket`, printing progress, with bindings qapi-ts generated from
// its embedded default schema at build time.  Only qapi-ts-runtime is
// needed to run it; qapi-ts itself is a development dependency.
import { parseArgs } from 'node:util';
import { QmpClient, runBlockJob } from 'qapi-ts-runtime';
// JavaScript and its declarations, generated beside src/ (the default target):
// tsc type-checks against the declarations and leaves the JavaScript as it is.
import { QmpCommands, queryVersion, registry } from '../generated/index.js';

const { values } = parseArgs({
  options: {
    socket: { type: 'string' },
    device: { type: 'string', default: 'drive0' },
    top: { type: 'string' },
    speed: { type: 'string' },
  },
});
if (!values.socket || !values.top) {
  console.error('usage: main.js --socket PATH --top FILE [--device NAME] [--speed BYTES_PER_SECOND]');
  process.exit(2);
}

// The bindings type events and read 64-bit integers (as bigint, the default
// --int64); checkSchema checks every call against what this QEMU accepts.
const client = await QmpClient.connect({ path: values.socket }, { bindings: registry, checkSchema: true });
const qmp = new QmpCommands(client);
try {
  // Each command is a function too; a bundler keeps only the ones called.
  const version = await queryVersion(client);
  console.log(`connected to QEMU ${version.qemu.major}.${version.qemu.minor}.${version.qemu.micro}`);
  const refusing = client.schemaDrift!.differences.filter((d) => d.refusesCalls);
  console.log(`schema check: ${refusing.length} difference(s) that could refuse a call`);
  const device = values.device!;
  const speed = values.speed === undefined ? undefined : BigInt(values.speed);
  // The job goes by its device's name (no job-id given), which runBlockJob reads from the command.
  const done = await runBlockJob(client, () => qmp.blockCommit({ device, top: values.top!, speed }), {
    pollInterval: 100,
    onProgress: ({ offset, len }) => console.log(`progress ${offset}/${len}`),
  });
  console.log(`completed ${JSON.stringify(done.data, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
} finally {
  await client.close();
}
