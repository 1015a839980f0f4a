/**
 * The packed tarballs of both packages, and projects installed from them,
 * made once for what they are made of and shared by every run that needs
 * them: the nodes tier runs test/package/ again under another Node release
 * (test/project/node-releases.nodes.test.ts), and npm packs the same files
 * and installs the same tree under any release.  What runs the packages (a
 * build through the packed bin, a program, a compiler) runs in each run's
 * own copy, under its own Node.
 *
 * They are kept in the temp folder under the hash of what they are made
 * of: the stamps of both builds (the sources the tarballs are packed from),
 * and each project's files.  Each is made in a folder of its own and renamed
 * into place, so that runs starting at once each find a whole one.  A
 * cache no run has used for a day (another tree's, an old build's) goes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { npmEnv } from '../setup/child-env.js';
import { makeTempDir, removeTempDir } from './scratch.js';
import { PROJECT_ROOT } from './shared.js';

/** Runs npm in `cwd` (which may reach the registry: with the machine's CA
 *  certificates, test/setup/child-env.ts); its output, or an error holding all it said. */
export function npm(args: readonly string[], cwd: string): string {
  const r = spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd, encoding: 'utf8', timeout: 600_000, env: npmEnv() });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const hash = (parts: readonly string[]): string => createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);

const PREFIX = 'qapi-ts-packed-';
/** A cache no run has used for this long is another tree's past: removed. */
const UNUSED_MS = 24 * 3600 * 1000;

/** Where this tree's tarballs and projects are kept: under both builds' stamps. */
function cacheRoot(): string {
  const stamps = ['dist', 'runtime/dist'].map((d) => readFileSync(join(PROJECT_ROOT, d, 'build-stamp.json'), 'utf8'));
  const root = join(tmpdir(), `${PREFIX}${hash(stamps)}`);
  mkdirSync(root, { recursive: true });
  const now = new Date();
  utimesSync(root, now, now);
  for (const name of readdirSync(tmpdir())) {
    const other = join(tmpdir(), name);
    if (!name.startsWith(PREFIX) || other === root) continue;
    try {
      if (now.getTime() - statSync(other).mtimeMs > UNUSED_MS) rmSync(other, { recursive: true, force: true });
    } catch {
      // Removed by another run meanwhile.
    }
  }
  return root;
}

/** Makes `dir` with `make` unless it is there; a run that made it first wins. */
function once(dir: string, make: (staging: string) => void): void {
  if (existsSync(dir)) return;
  mkdirSync(dirname(dir), { recursive: true });
  const staging = mkdtempSync(`${dir}.making-`);
  try {
    make(staging);
    renameSync(staging, dir);
  } catch (e) {
    if (!existsSync(dir)) throw e;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The tarballs' file names, as a project's manifest names them from beside `tarballs/`. */
export interface Tarballs {
  readonly runtime: string;
  readonly generator: string;
}

const TARBALLS = 'tarballs';

/** Packs a built package (dist/ is already built: as it is) into `dir`; the tarball's file name. */
function pack(packageDir: string, dir: string): string {
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: packageDir, encoding: 'utf8' });
  return (JSON.parse(out) as { filename: string }[])[0]!.filename;
}

/** The folder of both tarballs in the cache, packed unless they are there. */
function cachedTarballs(): string {
  const dir = join(cacheRoot(), TARBALLS);
  once(dir, (staging) => {
    const names = { runtime: pack(join(PROJECT_ROOT, 'runtime'), staging), generator: pack(PROJECT_ROOT, staging) };
    writeFileSync(join(staging, 'names.json'), JSON.stringify(names));
  });
  return dir;
}

const tarballNames = (dir: string): Tarballs => JSON.parse(readFileSync(join(dir, 'names.json'), 'utf8')) as Tarballs;

/**
 * Both packages packed, copied into `work/tarballs/`: their file names there
 * (what a manifest in a folder beside it names as `file:../tarballs/NAME`).
 */
export function packedTarballs(work: string): Tarballs {
  cpSync(cachedTarballs(), join(work, TARBALLS), { recursive: true });
  return tarballNames(join(work, TARBALLS));
}

/** A test file's work folder, holding the tarballs (packedTarballs). */
export interface PackedWorkspace {
  readonly work: string;
  readonly tarballs: Tarballs;
}

/**
 * Declares the hooks (call it where a file's hooks may be declared: its
 * top level, a describe block) that make a work folder named from
 * `prefix` holding the tarballs before the tests, and remove it after
 * them; what they made, read once they have run.
 */
export function packedWorkspace(prefix: string): PackedWorkspace {
  let made: PackedWorkspace | undefined;
  beforeAll(() => {
    const work = makeTempDir(prefix);
    made = { work, tarballs: packedTarballs(work) };
  }, 120_000);
  afterAll(() => removeTempDir(made?.work));
  const get = (): PackedWorkspace => {
    if (made === undefined) throw new Error('packedWorkspace: read before its beforeAll hook ran');
    return made;
  };
  return {
    get work() {
      return get().work;
    },
    get tarballs() {
      return get().tarballs;
    },
  };
}

/** How a manifest in a folder beside `work/tarballs/` (installedProject's)
 *  names a tarball packedTarballs copied there. */
export function tarballSpec(name: string): string {
  return `file:../${TARBALLS}/${name}`;
}

/** The files a package's tarball holds: paths in the package, sorted. */
export function packedFiles(which: keyof Tarballs): string[] {
  const dir = cachedTarballs();
  const listing = execFileSync('tar', ['-tzf', join(dir, tarballNames(dir)[which])], { encoding: 'utf8' });
  // npm packs every file under package/.
  return listing
    .split('\n')
    .filter((p) => p !== '')
    .map((p) => p.replace(/^package\//, ''))
    .sort();
}

/**
 * A project of `files` (path to text) after `npm install`, copied into
 * `work/NAME` (beside `work/tarballs/`, from packedTarballs, which its
 * manifest names); its folder there.
 */
export function installedProject(work: string, name: string, files: Readonly<Record<string, string>>): string {
  const dir = join(cacheRoot(), `${name}-${hash(Object.entries(files).flat())}`);
  once(dir, (staging) => {
    // Installed beside the tarballs, as the copy will be.
    const project = join(staging, name);
    cpSync(join(dirname(dir), TARBALLS), join(staging, TARBALLS), { recursive: true });
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(project, path)), { recursive: true });
      writeFileSync(join(project, path), text);
    }
    npm(['install'], project);
  });
  const copy = join(work, name);
  cpSync(join(dir, name), copy, { recursive: true, verbatimSymlinks: true });
  return copy;
}
