/**
 * Writing the output directory as a whole: the new set replaces the old in
 * one swap, the user's own files and unchanged generated files carry over
 * untouched, and what a killed run left behind is finished or removed by
 * the next one.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RETIRED_SET_GRACE_MS } from '../../generator/cli/writer/leftovers.js';
import { folders, NEW, OLD, snapshot, writeOutput } from '../helpers/writer-sets.js';

const root = mkdtempSync(join(tmpdir(), 'qapi-ts-write-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fresh = folders(root);



/** Sets a folder's modification time `ms` (and a second) into the past. */
function age(path: string, ms: number): void {
  const then = new Date(Date.now() - ms - 1000);
  utimesSync(path, then, then);
}

/** A pid that is certainly not running: one that just exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('writeOutput', () => {
  it('writes a new directory, then replaces it as a whole, keeping the user\'s files', () => {
    const out = join(fresh(), 'out');
    expect(writeOutput(out, OLD).map((d) => d.change)).toEqual(['added', 'added', 'added']);
    writeFileSync(join(out, 'mine.ts'), 'export const mine = 1;\n');
    mkdirSync(join(out, 'sub'));
    writeFileSync(join(out, 'sub', 'notes.txt'), 'notes');
    const differences = writeOutput(out, NEW);
    expect(differences).toEqual([
      { path: 'a.ts', change: 'changed' },
      { path: 'c.ts', change: 'added' },
      { path: 'gone.ts', change: 'removed' },
    ]);
    expect(snapshot(out)).toEqual({
      'a.ts': NEW[0]!.content,
      'b.ts': NEW[1]!.content,
      'c.ts': NEW[2]!.content,
      'mine.ts': 'export const mine = 1;\n',
      sub: '<dir: notes.txt>',
    });
    expect(readFileSync(join(out, 'sub', 'notes.txt'), 'utf8')).toBe('notes');
  });

  it('keeps unchanged files as they were (same inode and modification time) and the folder mode', () => {
    const out = join(fresh(), 'out');
    writeOutput(out, OLD);
    chmodSync(out, 0o750);
    const old = new Date('2001-01-01T00:00:00Z');
    utimesSync(join(out, 'b.ts'), old, old);
    const inode = statSync(join(out, 'b.ts')).ino;
    writeOutput(out, NEW);
    expect(statSync(join(out, 'b.ts')).mtime.getTime()).toBe(old.getTime());
    expect(statSync(join(out, 'b.ts')).ino).toBe(inode);
    expect(statSync(out).mode & 0o777).toBe(0o750);
  });

  it('changes nothing, and makes no staging folder, when nothing differs', () => {
    const parent = fresh();
    const out = join(parent, 'out');
    writeOutput(out, NEW);
    const inode = statSync(out).ino;
    expect(writeOutput(out, NEW)).toEqual([]);
    expect(statSync(out).ino).toBe(inode);
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it('swaps the folder a symlinked output points to, and the link stays', () => {
    const parent = fresh();
    mkdirSync(join(parent, 'real'));
    symlinkSync('real', join(parent, 'out'));
    writeOutput(join(parent, 'out'), OLD);
    writeOutput(join(parent, 'out'), NEW);
    expect(readlinkSync(join(parent, 'out'))).toBe('real');
    expect(snapshot(join(parent, 'real'))).toEqual({ 'a.ts': NEW[0]!.content, 'b.ts': NEW[1]!.content, 'c.ts': NEW[2]!.content });
    expect(readdirSync(parent).sort()).toEqual(['out', 'real']);
  });

  it("finishes a dead run's swap: the output missing, its new set staged, the old set backed up", () => {
    const parent = fresh();
    const out = join(parent, 'out');
    const pid = deadPid();
    const stage = join(parent, `.out.qapi-ts-stage-${pid}-Ab12Cd`);
    const backup = join(parent, `.out.qapi-ts-old-${pid}-Ab12Cd`);
    writeOutput(stage, NEW);
    writeOutput(backup, OLD);
    // The killed run's new set is put in place first: the same files then
    // need no change.
    expect(writeOutput(out, NEW)).toEqual([]);
    expect(snapshot(out)).toEqual({ 'a.ts': NEW[0]!.content, 'b.ts': NEW[1]!.content, 'c.ts': NEW[2]!.content });
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it("puts a dead run's old set back when its new set was not staged", () => {
    const parent = fresh();
    const out = join(parent, 'out');
    writeOutput(join(parent, `.out.qapi-ts-old-${deadPid()}-Zz99zz`), OLD);
    expect(writeOutput(out, OLD)).toEqual([]);
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it('removes the staging folders, backups and lock files of dead runs and of earlier versions', () => {
    const parent = fresh();
    const out = join(parent, 'out');
    writeOutput(out, OLD);
    const pid = deadPid();
    for (const name of [`.out.qapi-ts-stage-${pid}-xY12ab`, `.out.qapi-ts-old-${pid}-xY12ab`, '.out.qapi-ts-Qw3rTy']) {
      mkdirSync(join(parent, name));
      writeFileSync(join(parent, name, 'a.ts'), 'half');
    }
    writeFileSync(join(parent, `.out.qapi-ts.lock.${pid}`), `${pid}\n`);
    writeFileSync(join(parent, '.out.qapi-ts.lock'), `${pid}\n`);
    writeFileSync(join(parent, '.other.qapi-ts-stage-1-abcdef'), 'not ours');
    writeOutput(out, NEW);
    expect(readdirSync(parent).sort()).toEqual(['.other.qapi-ts-stage-1-abcdef', 'out']);
    expect(snapshot(out)).toEqual({ 'a.ts': NEW[0]!.content, 'b.ts': NEW[1]!.content, 'c.ts': NEW[2]!.content });
  });

  it('leaves the leftovers of a live run alone', () => {
    const parent = fresh();
    const out = join(parent, 'out');
    writeOutput(out, OLD);
    const live = join(parent, `.out.qapi-ts-stage-${process.ppid}-LiVe01`);
    mkdirSync(live);
    writeOutput(out, NEW);
    expect(existsSync(live)).toBe(true);
  });
});

describe('writeOutput leaves nothing behind', () => {
  it.each([
    ['a link to nothing', (parent: string) => symlinkSync('nowhere', join(parent, 'out')), /out: a symbolic link to 'nowhere', which does not exist; create that folder, or give --symlink/],
    ['a link that loops', (parent: string) => symlinkSync('out', join(parent, 'out')), /out: a symbolic link that loops; remove it, or give --symlink/],
  ])('refuses %s as DIR in the default mode, saying so', (_what, make, message) => {
    const parent = fresh();
    make(parent);
    expect(() => writeOutput(join(parent, 'out'), NEW)).toThrow(message);
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it('replaces a link that loops with --symlink', () => {
    const parent = fresh();
    symlinkSync('out', join(parent, 'out'));
    expect(writeOutput(join(parent, 'out'), NEW, { symlink: true })).toHaveLength(3);
    expect(readdirSync(parent)).toHaveLength(2);
  });

  it('removes the folders it made for DIR when it fails', () => {
    const parent = fresh();
    writeFileSync(join(parent, 'file'), '');
    // No file system takes a name of 300 bytes: the last step fails.
    expect(() => writeOutput(join(parent, 'a', 'b', 'n'.repeat(300)), NEW)).toThrow(/ENAMETOOLONG/);
    expect(() => writeOutput(join(parent, 'a', 'b', 'n'.repeat(300)), NEW, { symlink: true })).toThrow(/ENAMETOOLONG/);
    expect(() => writeOutput(join(parent, 'file', 'out'), NEW)).toThrow(/EEXIST|ENOTDIR/);
    expect(readdirSync(parent)).toEqual(['file']);
  });

  // A file name holds at most 255 bytes; the names beside DIR add to DIR's.
  it.each([
    ['240 characters', 'o'.repeat(240)],
    ['255 characters', 'p'.repeat(255)],
    ['255 bytes of two-byte characters', 'é'.repeat(127)],
  ])('writes a DIR named with %s in both modes, the names beside it within the limit', (_what, name) => {
    for (const symlink of [false, true]) {
      const parent = fresh();
      const out = join(parent, name);
      writeOutput(out, OLD, { symlink });
      expect(writeOutput(out, NEW, { symlink }).map((d) => d.path)).toEqual(['a.ts', 'c.ts', 'gone.ts']);
      expect(snapshot(out)).toEqual({ 'a.ts': NEW[0]!.content, 'b.ts': NEW[1]!.content, 'c.ts': NEW[2]!.content });
      for (const beside of readdirSync(parent)) expect(Buffer.byteLength(beside)).toBeLessThanOrEqual(255);
      expect(readdirSync(parent).length).toBe(symlink ? 3 : 1);
    }
  });
});

describe('writeOutput with symlink: DIR a link, replaced in one step', () => {
  const LINKED = { symlink: true } as const;
  const NEW_SET = { 'a.ts': NEW[0]!.content, 'b.ts': NEW[1]!.content, 'c.ts': NEW[2]!.content };
  /** The names beside DIR other than DIR itself. */
  const beside = (parent: string): string[] => readdirSync(parent).filter((n) => n !== 'out').sort();
  /** DIR is a link to a set of ours beside it. */
  const expectLinkedSet = (parent: string): string => {
    const out = join(parent, 'out');
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
    const target = readlinkSync(out);
    expect(target).toMatch(/^\.out\.qapi-ts-set-\d+-[A-Za-z0-9]{6}$/);
    return target;
  };

  it('makes DIR a link to a set beside it, then replaces the link, keeping the previous set for its grace period', () => {
    const parent = fresh();
    const out = join(parent, 'out');
    expect(writeOutput(out, OLD, LINKED).map((d) => d.change)).toEqual(['added', 'added', 'added']);
    const first = expectLinkedSet(parent);
    expect(beside(parent)).toEqual([first]);
    writeFileSync(join(out, 'mine.ts'), 'export const mine = 1;\n');
    expect(writeOutput(out, NEW, LINKED).map((d) => `${d.change} ${d.path}`)).toEqual(['changed a.ts', 'added c.ts', 'removed gone.ts']);
    const second = expectLinkedSet(parent);
    expect(second).not.toBe(first);
    expect(snapshot(out)).toEqual({ ...NEW_SET, 'mine.ts': 'export const mine = 1;\n' });
    // A reader that resolved the link before still reads the whole old set.
    expect(beside(parent)).toEqual([first, second].sort());
    expect(snapshot(join(parent, first))).toEqual({ 'a.ts': OLD[0]!.content, 'b.ts': OLD[1]!.content, 'gone.ts': OLD[2]!.content, 'mine.ts': 'export const mine = 1;\n' });
    // Up to date, but the grace period over: the next run removes it.
    expect(writeOutput(out, NEW, LINKED)).toEqual([]);
    expect(beside(parent)).toEqual([first, second].sort());
    age(join(parent, first), RETIRED_SET_GRACE_MS);
    expect(writeOutput(out, NEW, LINKED)).toEqual([]);
    expect(beside(parent)).toEqual([second]);
  });

  it('keeps the set replaced last within its grace period, however old its files', () => {
    const parent = fresh();
    const out = join(parent, 'out');
    writeOutput(out, OLD, LINKED);
    const first = expectLinkedSet(parent);
    // Built long ago: its grace period starts when it is replaced.
    age(join(parent, first), 10 * RETIRED_SET_GRACE_MS);
    writeOutput(out, NEW, LINKED);
    writeOutput(out, OLD, LINKED);
    expect(beside(parent)).toHaveLength(3);
    expect(beside(parent)).toContain(first);
  });

  it('changes nothing when the set it links to is up to date', () => {
    const parent = fresh();
    const out = join(parent, 'out');
    writeOutput(out, NEW, LINKED);
    const target = expectLinkedSet(parent);
    expect(writeOutput(out, NEW, LINKED)).toEqual([]);
    expect(readlinkSync(out)).toBe(target);
    expect(beside(parent)).toEqual([target]);
  });

  it('turns a folder DIR into a link, carrying the user\'s files over', () => {
    const parent = fresh();
    const out = join(parent, 'out');
    writeOutput(out, NEW);
    writeFileSync(join(out, 'mine.ts'), 'mine\n');
    // Up to date, but a folder: it still becomes a link.
    expect(writeOutput(out, NEW, LINKED)).toEqual([]);
    const target = expectLinkedSet(parent);
    expect(beside(parent)).toEqual([target]);
    expect(snapshot(out)).toEqual({ ...NEW_SET, 'mine.ts': 'mine\n' });
  });

  it("replaces a link to a folder of the user's, and leaves that folder as it was", () => {
    const parent = fresh();
    writeOutput(join(parent, 'real'), OLD);
    symlinkSync('real', join(parent, 'out'));
    writeOutput(join(parent, 'out'), NEW, LINKED);
    const target = expectLinkedSet(parent);
    expect(beside(parent)).toEqual([target, 'real']);
    expect(snapshot(join(parent, 'real'))).toEqual({ 'a.ts': OLD[0]!.content, 'b.ts': OLD[1]!.content, 'gone.ts': OLD[2]!.content });
  });

  it('replaces a broken link', () => {
    const parent = fresh();
    symlinkSync('nowhere', join(parent, 'out'));
    expect(writeOutput(join(parent, 'out'), NEW, LINKED)).toHaveLength(3);
    expectLinkedSet(parent);
    expect(snapshot(join(parent, 'out'))).toEqual(NEW_SET);
  });

  it("removes a dead run's links at once, and its sets that DIR does not point to once their grace period is over", () => {
    const parent = fresh();
    const out = join(parent, 'out');
    writeOutput(out, OLD, LINKED);
    const current = expectLinkedSet(parent);
    const pid = deadPid();
    const set = `.out.qapi-ts-set-${pid}-Ab12Cd`;
    writeOutput(join(parent, set), NEW);
    symlinkSync(set, join(parent, `.out.qapi-ts-link-${pid}`));
    expect(writeOutput(out, OLD, LINKED)).toEqual([]);
    expect(readlinkSync(out)).toBe(current);
    expect(beside(parent)).toEqual([set, current].sort());
    age(join(parent, set), RETIRED_SET_GRACE_MS);
    expect(writeOutput(out, OLD, LINKED)).toEqual([]);
    expect(beside(parent)).toEqual([current]);
  });

  it('finishes a dead run that was turning a folder into a link: the folder backed up, the link made aside', () => {
    const parent = fresh();
    const out = join(parent, 'out');
    const pid = deadPid();
    const set = `.out.qapi-ts-set-${pid}-Ab12Cd`;
    writeOutput(join(parent, set), NEW);
    writeOutput(join(parent, `.out.qapi-ts-old-${pid}-Ab12Cd`), OLD);
    symlinkSync(set, join(parent, `.out.qapi-ts-link-${pid}`));
    expect(writeOutput(out, NEW, LINKED)).toEqual([]);
    expect(readlinkSync(out)).toBe(set);
    expect(beside(parent)).toEqual([set]);
  });
});
