/**
 * A watch's warm-up (generate-jobs.ts's warmUpJobs): in idle time after
 * the first run, passes that send the largest schema file through the
 * path an edit takes.  It writes and says nothing (the output directory
 * keeps every file, inode and time), does the work it is for (the file
 * parsed again, its module emitted again), and leaves what a run of the
 * unchanged schema leaves: the next run writes what a fresh run writes.
 * Stopped by a change, during a pass's load or before a pass, it ends at
 * that step, and the change's run is handled as one without a warm-up:
 * the same files, and the largest file not parsed or emitted again.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILT_IN_BACKENDS } from '../../generator/backends/built-in.js';
import { runJobs, warmUpJobs, WARM_UP_PASSES, type Job, type Kept, type Run } from '../../generator/cli/generate-jobs.js';
import { fileSource } from '../../generator/cli/input.js';
import type { CliIo } from '../../generator/cli/io.js';
import type { KeptBindings } from '../../generator/emit/kept.js';
import { FrontEndCache } from '../../generator/frontend-cache.js';
import { resolveSettings } from '../../generator/settings/table.js';
import { DigestMemo, KeptTexts } from '../../generator/source/files.js';

const ROOT = "##\n# = Root\n##\n\n{ 'include': 'big.json' }\n{ 'include': 'small.json' }\n";

/** A module of `count` documented structs, each with a command. */
const moduleText = (prefix: string, count: number, word = 'a size'): string =>
  Array.from(
    { length: count },
    (_, i) =>
      `##\n# @${prefix}Thing${i}:\n#\n# A thing.\n#\n# @size: ${word}\n#\n# Since: 1.0\n##\n{ 'struct': '${prefix}Thing${i}', 'data': { 'size': 'int' } }\n\n` +
      `##\n# @${prefix.toLowerCase()}-get-${i}:\n#\n# Gets it.\n#\n# Since: 1.0\n##\n{ 'command': '${prefix.toLowerCase()}-get-${i}', 'returns': '${prefix}Thing${i}' }\n\n`,
  ).join('');

/** Every file of a directory: its text, inode and modification time. */
const snapshot = (dir: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => {
        const s = statSync(join(dir, f), { bigint: true });
        return [f, `${s.ino} ${s.mtimeNs} ${readFileSync(join(dir, f), 'utf8')}`];
      }),
  );

const contents = (dir: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );

const work = mkdtempSync(join(tmpdir(), 'qapi-ts-warm-up-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A schema, a watch's run over it, and what the watch keeps. */
function setUp(name: string) {
  const dir = join(work, name);
  const schema = join(dir, 'schema');
  const output = join(dir, 'out');
  mkdirSync(schema, { recursive: true });
  for (const [file, text] of [
    ['root.json', ROOT],
    ['big.json', moduleText('Big', 20)],
    ['small.json', moduleText('Small', 2)],
  ] as const) {
    writeFileSync(join(schema, file), text, { flag: 'w' });
  }
  const job: Job = { source: fileSource('file', join(schema, 'root.json'), { qemuVersion: '10.2' }), output };
  const run: Run = { jobs: [job], backend: BUILT_IN_BACKENDS[0]!, settings: resolveSettings({}, {}) };
  const kept: Kept = { frontEnd: new FrontEndCache(), backend: new Map(), digests: new DigestMemo(), texts: new KeptTexts() };
  let said = '';
  const io: CliIo = { stdout: (t) => void (said += t), stderr: (t) => void (said += t), stdoutIsTTY: false };
  return {
    schema,
    output,
    run,
    kept,
    keptByJob: new Map([[job, kept]]),
    said: () => said,
    watchRun: () => runJobs(run, false, io, new Map([[job, kept]])),
    /** What a run without a watch writes, in a directory of its own. */
    fresh: async (into: string) => {
      await runJobs({ ...run, jobs: [{ ...job, output: join(dir, into) }] }, false, io);
      return contents(join(dir, into));
    },
    emitted: () => (kept.backend.get('typescript:kept') as KeptBindings).lastRun.emitted,
  };
}

describe('a watch warm-up', () => {
  it('writes and says nothing, parses and emits the largest file again, and the next run writes what a fresh run writes', async () => {
    const w = setUp('whole');
    await w.watchRun();
    const before = snapshot(w.output);
    const saidBefore = w.said();
    const parsed = w.kept.frontEnd.counts.parsed;

    expect(await warmUpJobs(w.run, w.keptByJob, new AbortController().signal)).toBe(WARM_UP_PASSES);

    expect(snapshot(w.output), 'the output directory as it was').toEqual(before);
    expect(w.said(), 'nothing said').toBe(saidBefore);
    expect(w.kept.frontEnd.counts.parsed - parsed, 'big.json parsed again by each pass').toBe(WARM_UP_PASSES);
    // Its commands' definitions are made afresh: client.ts's parts of them too.
    expect(w.emitted(), 'its module emitted again').toEqual(['module big.json', 'client']);

    writeFileSync(join(w.schema, 'small.json'), moduleText('Small', 2, 'the size'));
    await w.watchRun();
    expect(w.emitted()).toEqual(['module small.json']);
    expect(contents(w.output)).toEqual(await w.fresh('fresh'));
  });

  it('compares with the output directory, as --check does, and leaves it alone where it differs (a file edited by hand, one removed)', async () => {
    const w = setUp('tampered');
    await w.watchRun();
    const [edited, removed] = readdirSync(w.output).filter((f) => f.endsWith('.ts')).sort();
    writeFileSync(join(w.output, edited!), '// edited by hand\n');
    rmSync(join(w.output, removed!));
    const before = snapshot(w.output);
    const saidBefore = w.said();

    expect(await warmUpJobs(w.run, w.keptByJob, new AbortController().signal)).toBe(WARM_UP_PASSES);

    expect(snapshot(w.output), 'the output directory as it was').toEqual(before);
    expect(w.said(), 'nothing said').toBe(saidBefore);
  });

  it.each([
    // The warm-up's load read the change: the run finds small.json parsed.
    { when: 'before its first pass', passes: 0, stopAt: 'start' as const, runParses: 1 },
    { when: "during a pass's load, as the change is written", passes: 0, stopAt: 'load' as const, runParses: 0 },
    { when: "during the second pass's load", passes: 1, stopAt: 'second load' as const, runParses: 0 },
  ])('stopped $when: ends after $passes passes, and the change is handled as without a warm-up', async ({ when, passes, stopAt, runParses }) => {
    const name = when.replace(/\W+/g, '-');
    const w = setUp(name);
    await w.watchRun();
    const stop = new AbortController();
    const edit = (): void => writeFileSync(join(w.schema, 'small.json'), moduleText('Small', 2, 'the size'));
    // The change arrives while the warm-up reads the schema: the file is
    // written and the watch stops the warm-up, as its file event would.
    let loads = 0;
    const read = w.kept.texts.read.bind(w.kept.texts);
    w.kept.texts.read = (path, readFile) => {
      // Each load reads the included files through the kept texts.
      if (path.endsWith('big.json')) loads++;
      if ((stopAt === 'load' && loads === 1) || (stopAt === 'second load' && loads === 2)) {
        if (!stop.signal.aborted) edit();
        stop.abort();
      }
      return read(path, readFile);
    };
    if (stopAt === 'start') {
      edit();
      stop.abort();
    }
    expect(await warmUpJobs(w.run, w.keptByJob, stop.signal)).toBe(passes);

    // The change's run: small.json parsed (unless the warm-up's load read
    // it already), big.json neither parsed nor emitted again.
    const parsedBefore = w.kept.frontEnd.counts.parsed;
    await w.watchRun();
    expect(w.kept.frontEnd.counts.parsed - parsedBefore, 'files the run parses').toBe(runParses);
    expect(w.emitted()).toEqual(['module small.json']);
    expect(contents(w.output)).toEqual(await w.fresh('fresh'));
  });

  it('meeting a file that no longer loads: stops, and the runs that follow report it, then write what a fresh run writes', async () => {
    const w = setUp('broken');
    await w.watchRun();
    // Written while the watch was idle; its file event not yet taken.
    writeFileSync(join(w.schema, 'small.json'), "{ 'struct' 'Broken' }\n");
    expect(await warmUpJobs(w.run, w.keptByJob, new AbortController().signal)).toBe(0);
    await expect(w.watchRun()).rejects.toThrow(/small\.json:1:/);
    writeFileSync(join(w.schema, 'small.json'), moduleText('Small', 2, 'the size'));
    const parsed = w.kept.frontEnd.counts.parsed;
    await w.watchRun();
    expect(w.kept.frontEnd.counts.parsed - parsed, 'only small.json parsed').toBe(1);
    // small.json's commands are all new (its text failed in between):
    // their parts of client.ts too.
    expect(w.emitted(), 'big.json put back as it was kept').toEqual(['module small.json', 'client']);
    expect(contents(w.output)).toEqual(await w.fresh('fresh'));
  });
});
