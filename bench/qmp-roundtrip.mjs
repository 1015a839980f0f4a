// QMP round-trip throughput: QmpClient vs. a minimal raw-socket loop, both
// against the same qemu-storage-daemon in the same run, sequentially and with
// 64 commands in flight. The client/raw ratio is the figure of merit.
//
// Needs `npm run build` (or `npx tsc -p tsconfig.build.json`) first, because
// it imports the compiled runtime from runtime/dist/.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WINDOW = 64;
const COMMAND = 'query-version';

/** One daemon, two monitors, so raw and client rounds can alternate on their own connections. */
async function startDaemon(dir) {
  const rawPath = join(dir, 'raw.sock');
  const clientPath = join(dir, 'client.sock');
  const child = spawn(
    'qemu-storage-daemon',
    [
      '--chardev', `socket,path=${rawPath},server=on,wait=off,id=c0`, '--monitor', 'chardev=c0',
      '--chardev', `socket,path=${clientPath},server=on,wait=off,id=c1`, '--monitor', 'chardev=c1',
    ],
    { stdio: 'ignore' },
  );
  let exited = false;
  child.once('exit', () => (exited = true));
  const failed = new Promise((_, reject) => child.once('error', reject));
  for (let i = 0; i < 400 && !exited; i++) {
    if (existsSync(rawPath) && existsSync(clientPath)) return { child, rawPath, clientPath };
    await Promise.race([new Promise((r) => setTimeout(r, 25)), failed]);
  }
  child.kill('SIGKILL');
  throw new Error('qemu-storage-daemon did not create its QMP sockets');
}

/** Raw baseline: newline-split JSON.parse, no correlation beyond counting. */
async function rawConnection(socketPath) {
  const socket = createConnection({ path: socketPath });
  socket.setNoDelay(true);
  let buffered = '';
  let onMessage = () => {};
  socket.setEncoding('utf8').on('data', (chunk) => {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      onMessage(JSON.parse(line));
    }
  });
  const next = () => new Promise((resolve) => (onMessage = resolve));
  await next(); // greeting
  socket.write('{"execute":"qmp_capabilities"}\n');
  await next();
  return {
    socket,
    setHandler: (h) => (onMessage = h),
    next,
  };
}

async function rawSequential(conn, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const reply = conn.next();
    conn.socket.write(`{"execute":"${COMMAND}","id":${i}}\n`);
    await reply;
  }
  return elapsedRate(start, n);
}

async function rawPipelined(conn, n) {
  const start = process.hrtime.bigint();
  await new Promise((resolve) => {
    let sent = 0;
    let received = 0;
    const send = () => conn.socket.write(`{"execute":"${COMMAND}","id":${sent++}}\n`);
    conn.setHandler(() => {
      received++;
      if (sent < n) send();
      if (received === n) resolve();
    });
    while (sent < Math.min(WINDOW, n)) send();
  });
  return elapsedRate(start, n);
}

async function clientSequential(client, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await client.execute(COMMAND);
  return elapsedRate(start, n);
}

async function clientPipelined(client, n) {
  const start = process.hrtime.bigint();
  let issued = 0;
  const lane = async () => {
    while (issued < n) {
      issued++;
      await client.execute(COMMAND);
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, lane));
  return elapsedRate(start, n);
}

function elapsedRate(start, n) {
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return n / seconds;
}

/**
 * Best of `rounds`, interleaving raw and client (and swapping who goes first)
 * so load drift on a shared machine hits both alike.
 */
async function compare(rounds, raw, client) {
  let bestRaw = 0;
  let bestClient = 0;
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      bestRaw = Math.max(bestRaw, await raw());
      bestClient = Math.max(bestClient, await client());
    } else {
      bestClient = Math.max(bestClient, await client());
      bestRaw = Math.max(bestRaw, await raw());
    }
  }
  return [bestRaw, bestClient];
}

export async function benchQmpRoundtrip({ iterations = 2000, rounds = 6 } = {}) {
  const { QmpClient } = await import('../runtime/dist/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'qapi-ts-bench-'));
  const { child, rawPath, clientPath } = await startDaemon(dir);
  let raw;
  let client;
  try {
    raw = await rawConnection(rawPath);
    client = await QmpClient.connect({ path: clientPath });
    // Warm-up, so JIT and socket buffers are settled for both sides.
    await rawSequential(raw, Math.min(1000, iterations));
    await clientSequential(client, Math.min(1000, iterations));
    await rawPipelined(raw, Math.min(1000, iterations));
    await clientPipelined(client, Math.min(1000, iterations));

    const [rawSeq, clientSeq] = await compare(
      rounds,
      () => rawSequential(raw, iterations),
      () => clientSequential(client, iterations),
    );
    const [rawPipe, clientPipe] = await compare(
      rounds,
      () => rawPipelined(raw, iterations),
      () => clientPipelined(client, iterations),
    );
    return [
      { name: `raw socket, sequential ${COMMAND}`, value: round(rawSeq), unit: 'rt/s' },
      { name: `QmpClient, sequential ${COMMAND}`, value: round(clientSeq), unit: 'rt/s' },
      { name: 'QmpClient/raw ratio, sequential', value: ratio(clientSeq, rawSeq), unit: 'x' },
      { name: `raw socket, ${WINDOW} in flight`, value: round(rawPipe), unit: 'rt/s' },
      { name: `QmpClient, ${WINDOW} in flight`, value: round(clientPipe), unit: 'rt/s' },
      { name: `QmpClient/raw ratio, ${WINDOW} in flight`, value: ratio(clientPipe, rawPipe), unit: 'x' },
    ];
  } finally {
    raw?.socket.destroy();
    await client?.close();
    child.kill('SIGKILL');
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (v) => Math.round(v);
const ratio = (a, b) => Math.round((a / b) * 1000) / 1000;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const iterations = Number(process.env.QMP_BENCH_ITERATIONS ?? 2000);
  const rows = await benchQmpRoundtrip({ iterations });
  console.table(rows);
}
