/**
 * `qapi-ts generate` as processes: several at once into one directory, over
 * QEMU 7.2's whole schema, and runs killed (SIGKILL) at each step of
 * writing, over the golden schema's set of files (a set's size changes
 * nothing at a step: the kills stop at exact points).  The output directory always holds exactly the old
 * set of files or the new one; between the two renames of the swap, where
 * it briefly does not exist, both sets are complete beside it and the next
 * run puts the new one in place.  With --symlink the output is a link,
 * replaced in one rename, and is never missing.  Runs stop at exact points through the
 * QAPI_TS_PAUSE_AT hook, so no kill depends on timing.  (A set the link no
 * longer names stays for its grace period, leftovers.ts.)
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETIRED_SET_GRACE_MS } from '../../generator/cli/writer/leftovers.js';
import { CLI_ENTRY } from '../helpers/cli.js';
import { PROJECT_ROOT, requireShared } from '../helpers/shared.js';

const Q72 = requireShared('qemu-7.2/qapi/qapi-schema.json', 'generate as processes');
const Q13 = requireShared('qemu-1.3/qapi-schema.json', 'generate as processes');

const work = mkdtempSync(join(PROJECT_ROOT, 'test', '.out-process-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** Starts `qapi-ts ARGS` in `work`; `until` resolves once stderr shows `marker`. */
function start(args: readonly string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
    cwd: work,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const waiters: { marker: string; resolve: () => void }[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const w of waiters.filter((x) => stderr.includes(x.marker))) w.resolve();
  });
  const done = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
  const until = (marker: string): Promise<void> =>
    new Promise((resolve, reject) => {
      if (stderr.includes(marker)) return resolve();
      waiters.push({ marker, resolve });
      void done.then((r) => reject(new Error(`exited (${r.code ?? r.signal}) before '${marker}': ${r.stderr}`)));
    });
  return { child, done, until };
}

const generate = (out: string, ...extra: string[]) => start(['generate', Q72.path, '--qemu-version', '7.2', '-o', out, ...extra]);
/** The new set of the killed runs: a schema of two modules. */
const GOLDEN = join(PROJECT_ROOT, 'test', 'fixtures', 'golden', 'schema.json');

/** Every file of a folder (recursively) and its contents, but the stamp:
 *  it names the input by its path from the output, which differs from
 *  folder to folder here (test/cli/stamp.process.test.ts tests it). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    if (name === '.qapi-ts-stamp.json') continue;
    const path = join(dir, name);
    if (lstatSync(path).isDirectory()) for (const [k, v] of Object.entries(snapshot(path))) out[`${name}/${k}`] = v;
    else out[name] = readFileSync(path, 'utf8');
  }
  return out;
}

const USER_FILE = { 'mine.txt': 'kept by every run\n' };

describe.skipIf(!Q72.available || !Q13.available)('generate processes', () => {
  /** QEMU 7.2's bindings, made by a run on its own. */
  let fresh: Record<string, string>;
  /** The killed runs' new set: the golden schema's bindings. */
  let golden: Record<string, string>;
  /** The old set: QEMU 1.3's bindings, plus a file of the user's. */
  let old: Record<string, string>;

  beforeAll(async () => {
    // Two runs into one directory, and a third into another, all at once.
    const runs = [generate('shared'), generate('shared'), generate('reference')];
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
    fresh = snapshot(join(work, 'reference'));
    const small = await start(['generate', GOLDEN, '--qemu-version', '7.2', '-o', 'golden']).done;
    expect(small, small.stderr).toMatchObject({ code: 0, stderr: '' });
    golden = snapshot(join(work, 'golden'));
    const legacy = await start(['generate', Q13.path, '--legacy', '-o', 'old']).done;
    expect(legacy.code, legacy.stderr).toBe(0);
    writeFileSync(join(work, 'old', 'mine.txt'), USER_FILE['mine.txt']);
    old = snapshot(join(work, 'old'));
  }, 300_000);

  it('at once into one directory: both succeed with the same output', () => {
    expect(Object.keys(fresh).length).toBeGreaterThan(30);
    expect(snapshot(join(work, 'shared'))).toEqual(fresh);
  });

  it("the killed runs' old and new sets differ in every file", () => {
    expect(Object.keys(golden).length).toBeGreaterThan(3);
    for (const [name, text] of Object.entries(golden)) expect(old[name], name).not.toBe(text);
  });

  it('leave nothing beside the output directories', () => {
    expect(readdirSync(work).filter((n) => n.startsWith('.')).sort()).toEqual([]);
  });

  // Where a run stops, and what the output directory holds once it is
  // killed there: a folder swapped by two renames, or (--symlink) a link
  // replaced in one, which is there at every point.
  const points: [mode: 'folder' | 'link', point: string, holds: 'old' | 'new' | 'both beside it'][] = [
    ['folder', 'staging', 'old'],
    ['folder', 'staged', 'old'],
    ['folder', 'swapping', 'both beside it'],
    ['folder', 'swapped', 'new'],
    ['link', 'staging', 'old'],
    ['link', 'staged', 'old'],
    ['link', 'linking', 'old'],
    ['link', 'linked', 'new'],
  ];

  describe.each(points)('as a %s, killed at %s', (mode, point, holds) => {
    const parent = join(work, `killed-${mode}-${point}`);
    const out = join(parent, 'out');
    const args = ['generate', GOLDEN, '--qemu-version', '7.2', '-o', out, ...(mode === 'link' ? ['--symlink'] : [])];

    it(`leaves the ${holds === 'both beside it' ? 'old and the new set complete beside a missing output' : `${holds} set`}`, async () => {
      mkdirSync(parent);
      if (mode === 'folder') {
        cpSync(join(work, 'old'), out, { recursive: true });
      } else {
        cpSync(join(work, 'old'), join(parent, '.out.qapi-ts-set-1-Ab12Cd'), { recursive: true });
        symlinkSync('.out.qapi-ts-set-1-Ab12Cd', out);
      }
      const run = start(args, { QAPI_TS_PAUSE_AT: point });
      await run.until(`paused at ${point}`);
      run.child.kill('SIGKILL');
      expect((await run.done).signal).toBe('SIGKILL');
      const withUser = { ...golden, ...USER_FILE };
      if (holds === 'both beside it') {
        expect(existsSync(out)).toBe(false);
        const beside = readdirSync(parent).sort();
        expect(beside).toHaveLength(3);
        const backup = beside.find((n) => n.startsWith('.out.qapi-ts-old-'))!;
        const stage = beside.find((n) => n.startsWith('.out.qapi-ts-stage-'))!;
        expect(snapshot(join(parent, backup))).toEqual(old);
        expect(snapshot(join(parent, stage))).toEqual(withUser);
      } else {
        expect(lstatSync(out).isSymbolicLink()).toBe(mode === 'link');
        expect(snapshot(out)).toEqual(holds === 'old' ? old : withUser);
      }
    });

    it('and the next run ends with the new set, cleaning up after the killed one', async () => {
      const r = await start(args).done;
      expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
      expect(snapshot(out)).toEqual({ ...golden, ...USER_FILE });
      if (mode === 'folder') {
        expect(readdirSync(parent)).toEqual(['out']);
        return;
      }
      // Besides the set DIR links to, only sets within their grace period:
      // the one replaced, and the killed run's own; once it is over, the
      // next run removes them.
      const current = readlinkSync(out);
      const others = readdirSync(parent).filter((n) => n !== 'out' && n !== current);
      for (const name of others) expect(name).toMatch(/^\.out\.qapi-ts-set-\d+-[A-Za-z0-9]{6}$/);
      const past = new Date(Date.now() - RETIRED_SET_GRACE_MS - 1000);
      for (const name of others) utimesSync(join(parent, name), past, past);
      const again = await start(args).done;
      expect(again, again.stderr).toMatchObject({ code: 0, stderr: '' });
      expect(readdirSync(parent).sort()).toEqual(['out', current].sort());
    });
  });
});
