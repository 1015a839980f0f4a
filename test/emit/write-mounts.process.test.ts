/**
 * The writer on real mounts: an output directory that is a mount point (a
 * tmpfs, as a container's volume is, and a bind mount of the same file
 * system, which no stat tells from a folder) is written in place, file by
 * file, in both modes, and the run says so; and a full disk (a small
 * tmpfs filled up) fails a run at every point without leaving anything
 * behind, the old set intact.  Needs Linux and root (test/helpers/mount.ts).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { OutputError } from '../../generator/cli/writer/directory.js';
import type { GeneratedFile } from '../../generator/emit/output/generated-file.js';
import { runInProcess } from '../helpers/cli.js';
import { bindMount, mountTmpfs, requireMounts, unmount } from '../helpers/mount.js';
import { folders, gen, NEW, OLD, snapshot, writeOutput } from '../helpers/writer-sets.js';

const mounts = requireMounts('the writer on mount points and full disks');


const root = mkdtempSync(join(tmpdir(), 'qapi-ts-mounts-'));
const mounted: string[] = [];
afterEach(() => {
  while (mounted.length > 0) unmount(mounted.pop()!);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fresh = folders(root);


const contents = (files: readonly GeneratedFile[]): Record<string, string> => Object.fromEntries(files.map((f) => [f.path, f.content]));

/** A pid that is certainly not running: one that just exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

describe.skipIf(!mounts.available)('an output directory that is a mount point', () => {
  const kinds: [string, (out: string) => void][] = [
    ['a tmpfs', (out) => mountTmpfs(out, 1024)],
    [
      'a bind mount of the same file system',
      (out) => {
        const source = join(out, '..', 'source');
        mkdirSync(source);
        bindMount(source, out);
      },
    ],
  ];

  describe.each(kinds)('%s', (_kind, mount) => {
    it.each([
      ['the default mode', false],
      ['--symlink', true],
    ])('is written in place, file by file, in %s, and the run says so', (_mode, symlink) => {
      const parent = fresh();
      const out = join(parent, 'out');
      mount(out);
      mounted.push(out);
      const notices: string[] = [];
      const options = { symlink, onNotice: (m: string) => notices.push(m) };
      expect(writeOutput(out, OLD, options).map((d) => d.change)).toEqual(['added', 'added', 'added']);
      writeFileSync(join(out, 'mine.txt'), 'the user\'s\n');
      const unchanged = statSync(join(out, 'b.ts')).ino;
      expect(writeOutput(out, NEW, options).map((d) => `${d.change} ${d.path}`)).toEqual(['changed a.ts', 'added c.ts', 'removed gone.ts']);
      expect(snapshot(out)).toEqual({ ...contents(NEW), 'mine.txt': "the user's\n" });
      expect(statSync(join(out, 'b.ts')).ino).toBe(unchanged);
      expect(lstatSync(out).isDirectory()).toBe(true);
      expect(notices).toHaveLength(2);
      expect(notices[0]).toMatch(new RegExp(`^${out.replace(/[/.]/g, '\\$&')} is a mount point.*: written in place, file by file`));
      expect(readdirSync(parent).filter((name) => name !== 'source')).toEqual(['out']);
      // Up to date: nothing written, nothing said.
      expect(writeOutput(out, NEW, options)).toEqual([]);
      expect(notices).toHaveLength(2);
    });
  });

  it("removes what a killed run wrote aside in it, and keeps the user's hidden files", () => {
    const out = join(fresh(), 'out');
    mountTmpfs(out, 1024);
    mounted.push(out);
    writeOutput(out, OLD);
    const pid = deadPid();
    writeFileSync(join(out, `.qapi-ts-tmp-${pid}-0`), NEW[0]!.content);
    writeFileSync(join(out, '.keep'), '');
    writeOutput(out, NEW);
    expect(snapshot(out)).toEqual({ ...contents(NEW), '.keep': '' });
  });

  it('is said to be one by qapi-ts generate, which exits 0', async () => {
    const dir = fresh();
    const out = join(dir, 'out');
    mountTmpfs(out, 1024);
    mounted.push(out);
    writeFileSync(join(dir, 's.json'), "{ 'enum': 'Colour', 'data': [ 'red' ] }\n");
    const r = await runInProcess(['generate', join(dir, 's.json'), '-o', out]);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stderr).toBe(`qapi-ts: ${out} is a mount point: written in place, file by file (a reader may see old and new files together until the run ends)\n`);
    expect(readdirSync(out).sort()).toEqual(['.qapi-ts-stamp.json', 'builtin.d.ts', 'builtin.js', 'client.d.ts', 'client.js', 'index.d.ts', 'index.js', 'registry.d.ts', 'registry.js', 's.d.ts', 's.js']);
  });
});

/** Fills the file system of `dir` but for `freeKiB` (a file `filler`). */
function fill(dir: string, freeKiB: number): void {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  }
  // Smaller chunks, to the last byte.
  try {
    for (;;) writeSync(fd, chunk.subarray(0, 512));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  }
  if (freeKiB > 0) ftruncateSync(fd, Math.max(0, statSync(path).size - freeKiB * 1024));
  closeSync(fd);
}

describe.skipIf(!mounts.available)('a full disk', () => {
  // Files too big for what is left, so that staging fails part way.
  const BIG = [gen('a.ts', 'x'.repeat(40_000)), gen('b.ts', 'y'.repeat(40_000)), gen('c.ts', 'z'.repeat(40_000))];

  it.each([
    ['no output yet, the disk full', 'none', 0, false],
    ['no output yet, the disk full, --symlink', 'none', 0, true],
    ['an old set, the disk full', 'old', 0, false],
    ['an old set, the disk full, --symlink', 'old', 0, true],
    ['an old set, room for the lock but not the new set', 'old', 48, false],
    ['an old set, room for the lock but not the new set, --symlink', 'old', 48, true],
    ['no output yet, its parent folders to make', 'nested', 0, false],
  ] as const)('%s: the run fails, and leaves nothing behind', (_name, before, freeKiB, symlink) => {
    const disk = join(fresh(), 'disk');
    mountTmpfs(disk, 512);
    mounted.push(disk);
    const out = before === 'nested' ? join(disk, 'a', 'b', 'out') : join(disk, 'out');
    if (before === 'old') writeOutput(out, OLD, { symlink });
    const was = readdirSync(disk).sort();
    const old = before === 'old' ? snapshot(out) : null;
    fill(disk, freeKiB);
    expect(() => writeOutput(out, BIG, { symlink })).toThrow(OutputError);
    expect(() => writeOutput(out, BIG, { symlink })).toThrow(/ENOSPC/);
    expect(readdirSync(disk).sort()).toEqual([...was, 'filler'].sort());
    if (old) expect(snapshot(out)).toEqual(old);
    // With room again, the next run writes the new set.
    rmSync(join(disk, 'filler'));
    writeOutput(out, BIG, { symlink });
    expect(snapshot(out)).toEqual(contents(BIG));
  });
});
