// `qapi-ts generate --watch` over QEMU 7.2's schema: how long after an
// edit to one module the output is written again, measured from the write
// of the edited file to the watch's "file(s) updated" line (its 25 ms
// quiet time after a change included), for the largest module
// (block-core.json) and a small one (net.json).  The first edit after the
// watch started is a row of its own, twice: in a watch left idle since it
// started (its warm-up, which runs in that idle time, done), and in
// another, made as soon as the watch says it is watching (before its
// warm-up starts), each the median over `firsts` watches started afresh
// (one first edit per watch, and one differs from the next by tens of
// ms); beside them the median of later edits.
// Each against the 100 ms goal and as a ratio to a cold `generate`
// process, run in the same run.  Needs `npm run build`.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    pid: child.pid,
  };
}

/** The CPU time a process has used, in clock ticks (Linux's /proc), or
 *  null where there is no /proc. */
function cpuTicks(pid) {
  const path = `/proc/${pid}/stat`;
  if (!existsSync(path)) return null;
  // The fields after the command's name (which may hold spaces): utime, stime are the 12th and 13th.
  const fields = readFileSync(path, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Resolves once the watch has used no CPU for a second (longer than
 *  the wait before its idle work, which is then done); where the system
 *  does not tell, after ten seconds. */
async function idle(pid) {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  if (cpuTicks(pid) === null) return sleep(10_000);
  let last = cpuTicks(pid);
  for (let still = 0, waited = 0; still < 10 && waited < 60_000; waited += 100) {
    await sleep(100);
    const now = cpuTicks(pid);
    still = now === last ? still + 1 : 0;
    last = now;
  }
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
    // Put back, and run for, before anything else is timed: an edit
    // within the quiet time would be run with it.
    writeFileSync(file, original);
    await watch.next('watching');
  } finally {
    writeFileSync(file, original);
  }
  return times;
}

export async function benchWatch({ runs = 5, edits = 12, firsts = 3 } = {}) {
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
    const coldMs = median(cold);
    const rows = [];
    const goal = (name, ms) => rows.push({ name: `${name} (goal <= 100 ms)`, value: ms, unit: 'ms' }, { name: `${name} / cold generate`, value: ms / coldMs, unit: 'x' });
    /** The first edit to block-core.json of a watch started afresh, made
     *  once `ready` resolves; `then`: what the watch does after it. */
    const firstEdit = async (out, ready, then) => {
      const watch = startWatch(schema, join(work, out), work);
      try {
        await watch.next('watching');
        await ready(watch);
        const [first] = await editTimes(watch, join(work, 'qapi', 'block-core.json'), 1);
        await then(watch);
        return first;
      } finally {
        await watch.stop();
      }
    };
    const early = [];
    const idleFirst = [];
    /** The later edits, in the last watch left idle. */
    const laterEdits = async (watch) => {
      for (const [module, first] of [
        ['block-core.json', null],
        ['net.json', "first, after block-core.json's"],
      ]) {
        const times = await editTimes(watch, join(work, 'qapi', module), edits);
        if (first !== null) goal(`edit to ${module}: ${first}`, times[0]);
        goal(`edit to ${module}: median of edits 4 to ${edits}`, median(times.slice(3)));
      }
    };
    for (let i = 0; i < firsts; i++) {
      // A watch whose first edit comes as soon as it watches, and one idle since it started.
      early.push(await firstEdit(`out-early-${i}`, async () => {}, async () => {}));
      idleFirst.push(await firstEdit(`out-${i}`, (watch) => idle(watch.pid), i === firsts - 1 ? laterEdits : async () => {}));
    }
    rows.unshift(
      ...[
        [`edit to block-core.json: first, made as soon as the watch said watching (before its warm-up), median of ${firsts} watches`, early],
        [`edit to block-core.json: first, the watch idle since it started, median of ${firsts} watches`, idleFirst],
      ].flatMap(([name, times]) => [
        { name: `${name} (goal <= 100 ms)`, value: median(times), unit: 'ms' },
        { name: `${name} / cold generate`, value: median(times) / coldMs, unit: 'x' },
      ]),
    );
    return [{ name: `cold generate of QEMU 7.2's schema, whole process, median of ${runs}`, value: coldMs, unit: 'ms' }, ...rows];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable('generate --watch: one-module edits, QEMU 7.2 schema', await benchWatch());
}
