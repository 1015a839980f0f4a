// `qapi-ts generate --watch` over QEMU 7.2's schema: how long after an
// edit to one module the output is written again, measured from the write
// of the edited file to the watch's "file(s) updated" line (its 25 ms
// quiet time after a change included), for the largest module
// (block-core.json) and a small one (net.json); the first edit after the
// watch started, and the median of later ones (a watch keeps V8's
// optimizer, which needs a few runs).  Beside it, a cold `generate`
// process in the same run.  Needs `npm run build`.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, printTable, timeProcess, CLI } from './table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaDir = join(root, '..', 'shared', 'qemu-7.2', 'qapi');

/** A running watch, and a way to wait for what it says next. */
function startWatch(schema, out, cwd) {
  const child = spawn(process.execPath, [CLI, 'generate', schema, '--qemu-version', '7.2', '-o', out, '--watch'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  // Where the text not yet waited for starts.
  let cursor = 0;
  let waiter = null;
  const settle = () => {
    if (waiter === null) return;
    const at = said.indexOf(waiter.text, cursor);
    if (at < 0) return;
    cursor = at + waiter.text.length;
    const { resolve } = waiter;
    waiter = null;
    resolve(process.hrtime.bigint());
  };
  const onData = (chunk) => {
    said += chunk.toString();
    settle();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return {
    /** Resolves with the time `text` was said, past what was waited for before. */
    next(text) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`watch bench: no '${text}' in 120 s; it said: ${said.slice(-2000)}`)), 120_000);
        waiter = { text, resolve: (t) => (clearTimeout(timer), resolve(t)) };
        settle();
      });
    },
    stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))),
  };
}

/** The ms from each edit of `module` to the output written again. */
async function editTimes(watch, file, edits) {
  const original = readFileSync(file, 'utf8');
  const times = [];
  try {
    for (let i = 0; i < edits; i++) {
      // A doc comment's first member line, reworded: one module's output changes.
      const edited = original.replace(/^(# @[\w-]+: )/m, `$1(edit ${i}) `);
      const done = watch.next('file(s) updated');
      const start = process.hrtime.bigint();
      writeFileSync(file, edited);
      times.push(Number((await done) - start) / 1e6);
      await watch.next('watching');
    }
  } finally {
    writeFileSync(file, original);
  }
  return times;
}

export async function benchWatch({ runs = 5, edits = 12 } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'qapi-ts-bench-watch-'));
  try {
    cpSync(schemaDir, join(work, 'qapi'), { recursive: true });
    const schema = join(work, 'qapi', 'qapi-schema.json');
    const cold = [];
    for (let i = 0; i < runs; i++) {
      const out = join(work, `cold-${i}`);
      cold.push(timeProcess(process.execPath, [CLI, 'generate', schema, '--qemu-version', '7.2', '-o', out], { cwd: work }));
      rmSync(out, { recursive: true, force: true });
    }
    const watch = startWatch(schema, join(work, 'out'), work);
    const rows = [];
    try {
      await watch.next('watching');
      for (const module of ['block-core.json', 'net.json']) {
        const times = await editTimes(watch, join(work, 'qapi', module), edits);
        const later = median(times.slice(3));
        rows.push(
          { name: `edit to ${module}: first after the watch started`, value: times[0], unit: 'ms' },
          { name: `edit to ${module}: median of edits 4 to ${edits} (goal <= 100 ms)`, value: later, unit: 'ms' },
          { name: `edit to ${module} / cold generate`, value: later / median(cold), unit: 'x' },
        );
      }
    } finally {
      await watch.stop();
    }
    return [{ name: `cold generate of QEMU 7.2's schema, whole process, median of ${runs}`, value: median(cold), unit: 'ms' }, ...rows];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable('generate --watch: one-module edits, QEMU 7.2 schema', await benchWatch());
}
