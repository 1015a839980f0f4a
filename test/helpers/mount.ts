/**
 * Real mount points for the writer's tests: a small tmpfs (a volume, or a
 * disk to fill up) and a bind mount.  Mounting needs Linux and root; where
 * it is refused, tests that need it skip with a visible notice, and under
 * CI (which runs as root) they fail instead.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(command: string, args: readonly string[]): void {
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export function mountTmpfs(dir: string, sizeKiB: number): void {
  mkdirSync(dir, { recursive: true });
  run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'qapi-ts-test', dir]);
}

export function bindMount(source: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  run('mount', ['--bind', source, dir]);
}

export function unmount(dir: string): void {
  run('umount', ['-l', dir]);
}

/** Whether this process may mount: tried once on a scratch folder. */
export function requireMounts(what: string): { readonly available: boolean } {
  const probe = mkdtempSync(join(tmpdir(), 'qapi-ts-mount-'));
  let reason: string | null = null;
  try {
    mountTmpfs(probe, 64);
    unmount(probe);
  } catch (e) {
    reason = ((e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message).split('\n')[0]!;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
  if (reason === null) return { available: true };
  const message = `${what}: cannot mount here (${reason}); these tests need Linux and root`;
  if (process.env.CI) throw new Error(`${message}; CI is set, so this is a failure, not a skip`);
  console.warn(`SKIPPING ${message}`);
  return { available: false };
}
