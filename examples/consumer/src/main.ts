// Commits the layer `--top` of drive `--device` into its backing file, over
// QMP at `--socket`, printing progress, with bindings qapi-ts generated from
// its embedded default schema at build time.
import { parseArgs } from 'node:util';
import { QmpClient, runBlockJob } from 'qapi-ts-runtime';
import { QmpCommands, type Events } from './generated/index.js';

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

const client = await QmpClient.connect<Events>({ path: values.socket });
const qmp = new QmpCommands(client);
try {
  const version = await qmp.queryVersion();
  console.log(`connected to QEMU ${version.qemu.major}.${version.qemu.minor}.${version.qemu.micro}`);
  const device = values.device!;
  const speed = values.speed === undefined ? undefined : Number(values.speed);
  // The job goes by its device's name (no job-id given), which runBlockJob reads from the command.
  const done = await runBlockJob(client, () => qmp.blockCommit({ device, top: values.top!, speed }), {
    pollInterval: 100,
    onProgress: ({ offset, len }) => console.log(`progress ${offset}/${len}`),
  });
  console.log(`completed ${JSON.stringify(done.data, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
} finally {
  await client.close();
}
