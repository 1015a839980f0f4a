/**
 * QEMU's own front end, for the differential mode: the release's
 * scripts/qapi/ driven by its tests/qapi-schema/test-qapi.py, as
 * `.ci/get-qemu-source` unpacks them (default /opt/qemu-src-RELEASE).
 * Nothing of QEMU's is part of this project; it is run where it lies.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, open, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { firstLocation, type Location } from './outcome.js';

export interface QemuFrontEnd {
  /** The corpus release it judges. */
  readonly release: string;
  readonly dir: string;
  /** Its VERSION file, e.g. 7.2.22. */
  readonly version: string;
  /** Where the source came from (.ci/get-qemu-source's note). */
  readonly origin: string;
}

export const DEFAULT_QEMU_SRC_ROOT = process.env.QAPI_TS_QEMU_SRC_ROOT ?? '/opt';

/** The unpacked front end for a corpus release, or null when absent. */
export function findQemuFrontEnd(release: string, root = DEFAULT_QEMU_SRC_ROOT): QemuFrontEnd | null {
  const dir = join(root, `qemu-src-${release}`);
  if (!existsSync(join(dir, 'tests', 'qapi-schema', 'test-qapi.py')) || !existsSync(join(dir, 'scripts', 'qapi', 'schema.py'))) {
    return null;
  }
  const read = (name: string): string => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8').trim() : 'unknown');
  return { release, dir, version: read('VERSION'), origin: read('.origin') };
}

export type QemuOutcome =
  | { readonly kind: 'accepted'; readonly dumpHash: string }
  /** `message`: the error's located line. */
  | { readonly kind: 'rejected'; readonly location: Location | null; readonly message: string }
  /** QEMU's front end itself ended without a verdict: a Python exception
   *  other than its schema error, a timeout, or the memory limit. */
  | { readonly kind: 'failed'; readonly detail: string };

export interface QemuLimits {
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly memoryBytes: number;
}

/**
 * Runs QEMU's test driver on `dir/root` (in `dir`, so messages name files
 * relative to it).  The driver's update mode writes ROOT.out (the dump)
 * and ROOT.err (the error) beside the schema; they are read back.
 * `fifos`: the FIFOs the input holds (relative to `dir`), which nothing
 * writes: QEMU's front end reads them as plain files and would wait on one
 * until the wall-time limit.  Each is opened here for writing, which
 * completes as soon as a reader opens it: the front end is then waiting on
 * bytes that never come, and is ended at once with that as its outcome.
 */
export function runQemuFrontEnd(frontEnd: QemuFrontEnd, dir: string, root: string, limits: QemuLimits, fifos: readonly string[] = []): Promise<QemuOutcome> {
  const driver = join(frontEnd.dir, 'tests', 'qapi-schema', 'test-qapi.py');
  const stem = root.replace(/\.json$/, '');
  // Python runs fine under an address-space limit (MemoryError), unlike
  // node; the soft CPU limit ends it with SIGXCPU.
  const limitKiB = Math.ceil(limits.memoryBytes / 1024);
  const cpuSeconds = Math.ceil(limits.cpuMs / 1000);
  // What an earlier run (another release's front end) wrote is not this one's answer.
  for (const ext of ['.out', '.err']) rmSync(join(dir, `${stem}${ext}`), { force: true });
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', `ulimit -v ${limitKiB} && ulimit -S -t ${cpuSeconds} && exec python3 "$@"`, 'sh', driver, '-u', root], {
      cwd: dir,
      env: { ...process.env, PYTHONPATH: join(frontEnd.dir, 'scripts'), PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      stderr = (stderr + s).slice(-4000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limits.wallMs);
    let waitingOn: string | null = null;
    const writers = fifos.map((fifo) =>
      watchReader(join(dir, fifo), () => {
        waitingOn ??= fifo;
        child.kill('SIGKILL');
      }),
    );
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      // Killed first: with its writer gone, a FIFO would read as empty.
      for (const release of writers) release();
      if (waitingOn !== null) return resolve({ kind: 'failed', detail: `waiting on the FIFO ${waitingOn}, which nothing writes` });
      if (timedOut) return resolve({ kind: 'failed', detail: `no verdict within ${limits.wallMs} ms` });
      const read = (ext: string): string | null => {
        try {
          return readFileSync(join(dir, `${stem}${ext}`), 'utf8');
        } catch {
          return null;
        }
      };
      const err = read('.err');
      const out = read('.out');
      if (err) {
        const lines = err.split('\n');
        return resolve({ kind: 'rejected', location: firstLocation(err), message: lines.find((l) => firstLocation(l)) ?? lines[0]! });
      }
      if (out) return resolve({ kind: 'accepted', dumpHash: createHash('sha1').update(out).digest('hex') });
      const last = stderr.trim().split('\n').pop() ?? '';
      resolve({ kind: 'failed', detail: last || (signal ? `ended by ${signal}` : 'no output') });
    });
  });
}

/**
 * Opens the FIFO at `path` for writing, which waits (in libuv's pool) until
 * a reader opens it, then calls `opened`.  The function returned releases
 * it: the writer's end is closed; an open still waiting is completed by a
 * reader's end opened here without waiting, and held until that open is
 * done (so that an open the pool has not started yet finds it too).
 */
function watchReader(path: string, opened: () => void): () => void {
  let writer: number | null = null;
  let reader: number | null = null;
  let released = false;
  const closeReader = (): void => {
    if (reader !== null) closeSync(reader);
    reader = null;
  };
  open(path, constants.O_WRONLY, (error, fd) => {
    if (!released && !error) {
      writer = fd;
      return opened();
    }
    if (!error) closeSync(fd);
    closeReader();
  });
  return () => {
    released = true;
    if (writer !== null) return closeSync(writer);
    try {
      reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      // Gone already: the open waiting on it fails, and is done.
    }
  };
}
