// A fleet agent's load: 1,000 QMP connections opened at once in one
// process, against the fake QMP peer of qapi-ts-runtime/testing, run as
// `qapi-ts fake-qemu --introspection` of QEMU 7.2's qemu-storage-daemon
// capture (../shared) in a process of its own, on a unix socket; the
// clients use the bindings generated from QEMU 7.2's schema.
//
// Each scenario runs in a fresh process (--expose-gc): the heap it holds
// per connection once all are open (heapUsed after a full collection,
// less the same before any), the time to open them all at once, and the
// rate of calls (`query-version`, each connection calling in turn, all at
// once) across them, in rounds alternating with raw sockets (a line
// reader and JSON.parse, no correlation beyond counting) doing the same
// calls on the same number of connections of the same peer, opened after
// the heap was measured: the ratio is taken round by round, after rounds
// of each that warm up the code.  The peer, one Node process answering
// every connection, is what limits both rates.
//
//   with the schema check:    checkSchema (one query-qmp-schema shared by
//                             all, the tables built once)
//   without it:               bindings only
//
// Needs `npm run build`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, printTable, CLI } from './table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schema = join(root, '..', 'shared', 'qemu-7.2', 'qapi', 'qapi-schema.json');
const capture = join(root, '..', 'shared', 'qemu-7.2', 'introspection', 'qemu-storage-daemon.json');

const CONNECTIONS = 1000;
const CALLS = 20;
const ROUNDS = 7;
/** Rounds of each first, not counted: V8 compiles the hot paths of both
 *  meanwhile, which would otherwise count against whichever went first. */
const WARM_UP = 2;

// ---- the measuring process -------------------------------------------

/** A raw QMP connection: greeting read, capabilities negotiated. */
async function rawConnection(path) {
  const socket = createConnection({ path });
  socket.setNoDelay(true);
  let buffered = '';
  let waiting = null;
  socket.setEncoding('utf8').on('data', (chunk) => {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf('\n')) !== -1) {
      const message = JSON.parse(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      if (message.event === undefined && waiting !== null) {
        const resolve = waiting;
        waiting = null;
        resolve(message);
      }
    }
  });
  const next = () => new Promise((resolve) => (waiting = resolve));
  await next();
  const negotiated = next();
  socket.write('{"execute":"qmp_capabilities"}\n');
  await negotiated;
  let id = 0;
  return {
    async call(command) {
      const reply = next();
      socket.write(`{"execute":"${command}","id":${id++}}\n`);
      return reply;
    },
    close: () => socket.destroy(),
  };
}

const heapUsed = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};

/** Calls per second, and this process's CPU time per call (µs): every
 *  connection makes CALLS calls in turn, all at once. */
async function rate(connections, call) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(connections.map(async (c) => {
    for (let i = 0; i < CALLS; i++) await call(c);
  }));
  const calls = connections.length * CALLS;
  const used = process.cpuUsage(cpu);
  return { rate: calls / (Number(process.hrtime.bigint() - start) / 1e9), cpu: (used.user + used.system) / calls };
}

async function measure(path, bindingsDir, checked) {
  const { QmpClient } = await import('qapi-ts-runtime');
  const { registry } = await import(pathToFileURL(join(bindingsDir, 'registry.js')).href);
  const options = { bindings: registry, ...(checked ? { checkSchema: { variant: 'qemu-storage-daemon' } } : {}) };
  // One connection first, then closed: the code is loaded and compiled,
  // and nothing of it counts as the connections' heap.
  await (await QmpClient.connect({ path }, { bindings: registry })).close();
  const before = heapUsed();
  const start = process.hrtime.bigint();
  const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => QmpClient.connect({ path }, options)));
  const connectMs = Number(process.hrtime.bigint() - start) / 1e6;
  const perConnection = (heapUsed() - before) / CONNECTIONS;
  const raws = await Promise.all(Array.from({ length: CONNECTIONS }, () => rawConnection(path)));
  const ratios = [];
  const clientRates = [];
  const rawRates = [];
  const clientCpu = [];
  const rawCpu = [];
  const rawRound = () => rate(raws, (c) => c.call('query-version'));
  const clientRound = () => rate(clients, (c) => c.execute('query-version'));
  for (let r = 0; r < WARM_UP; r++) {
    await rawRound();
    await clientRound();
  }
  for (let r = 0; r < ROUNDS; r++) {
    // Who goes first alternates, so that drift hits both alike.
    let raw;
    let client;
    if (r % 2 === 0) {
      raw = await rawRound();
      client = await clientRound();
    } else {
      client = await clientRound();
      raw = await rawRound();
    }
    rawRates.push(raw.rate);
    clientRates.push(client.rate);
    ratios.push(client.rate / raw.rate);
    rawCpu.push(raw.cpu);
    clientCpu.push(client.cpu);
  }
  await Promise.all(clients.map((c) => c.close()));
  for (const raw of raws) raw.close();
  return {
    connectMs,
    perConnection,
    clientRate: median(clientRates),
    rawRate: median(rawRates),
    ratio: median(ratios),
    clientCpu: median(clientCpu),
    rawCpu: median(rawCpu),
  };
}

if (process.argv[2] === '--measure') {
  const [, , , path, bindingsDir, checked] = process.argv;
  process.stdout.write(`${JSON.stringify(await measure(path, bindingsDir, checked === 'checked'))}\n`);
  process.exit(0);
}

// ---- the bench -----------------------------------------------------------

function startPeer(path) {
  const child = spawn(process.execPath, [CLI, 'fake-qemu', '--introspection', capture, '--listen', path], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let said = '';
    const onData = (chunk) => {
      said += chunk.toString();
      if (said.includes('fake-qemu: listening on')) resolve(child);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`fake-qemu exited (${code}): ${said}`)));
  });
}

export async function benchFleet() {
  const work = mkdtempSync(join(root, 'test', '.out-bench-fleet-'));
  try {
    const bindings = join(work, 'gen');
    const gen = spawnSync(process.execPath, [CLI, 'generate', schema, '--qemu-version', '7.2', '-o', bindings], { encoding: 'utf8' });
    if (gen.status !== 0) throw new Error(`fleet bench: generating QEMU 7.2's bindings failed: ${gen.stderr}`);
    const path = join(work, 'qmp.sock');
    const peer = await startPeer(path);
    try {
      const rows = [];
      for (const [label, checked] of [['with the schema check', 'checked'], ['without it', 'unchecked']]) {
        const run = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--measure', path, bindings, checked], { encoding: 'utf8', maxBuffer: 1 << 20 });
        if (run.status !== 0) throw new Error(`fleet bench (${label}): ${run.stderr}`);
        const m = JSON.parse(run.stdout);
        const goal = checked === 'checked' ? 40 : 20;
        rows.push(
          { name: `${label}: heap per connection, ${CONNECTIONS} opened at once (goal <= ${goal} KB)`, value: m.perConnection / 1024, unit: 'KB' },
          { name: `${label}: time to open all ${CONNECTIONS}`, value: m.connectMs, unit: 'ms' },
          { name: `${label}: calls per second across them (query-version), median of ${ROUNDS} rounds`, value: Math.round(m.clientRate), unit: '1/s' },
          { name: `${label}: raw sockets, the same calls, median of ${ROUNDS} rounds`, value: Math.round(m.rawRate), unit: '1/s' },
          { name: `${label}: client / raw socket rate, median of paired rounds (goal >= 0.9)`, value: m.ratio, unit: 'x' },
          // What the rates leave out: the peer limits both, so the client's own cost shows here.
          { name: `${label}: this process's CPU per call, client`, value: m.clientCpu, unit: 'µs' },
          { name: `${label}: this process's CPU per call, raw socket`, value: m.rawCpu, unit: 'µs' },
        );
      }
      return rows;
    } finally {
      peer.kill('SIGTERM');
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable(`${CONNECTIONS} QMP connections in one process, against fake-qemu (QEMU 7.2 qemu-storage-daemon capture)`, await benchFleet());
}
