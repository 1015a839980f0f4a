/**
 * Which program a launch starts and how it is given a monitor: the binary
 * found as given (a path, or a name on PATH), its kind told by its name
 * (qemu-system-* or qemu-storage-daemon), and the arguments that connect
 * its QMP monitor to a socket the launcher listens on.
 */
import { accessSync, constants } from 'node:fs';
import { basename, delimiter, join } from 'node:path';

/** The two kinds of QEMU program that serve QMP without a guest of ours. */
export type QemuKind = 'system' | 'storage-daemon';

/** Why a binary cannot be started at all (before any process exists). */
export type BinaryProblem = 'not-found' | 'unknown-kind';

export class BinaryError extends Error {
  constructor(
    readonly problem: BinaryProblem,
    message: string,
  ) {
    super(message);
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The binary as given, or found on PATH when given as a bare name. */
export function findBinary(binary: string): string {
  const candidates = binary.includes('/')
    ? [binary]
    : (process.env['PATH'] ?? '')
        .split(delimiter)
        .filter((d) => d !== '')
        .map((d) => join(d, binary));
  const found = candidates.find(isExecutable);
  if (found === undefined) throw new BinaryError('not-found', `'${binary}' is not an executable file${binary.includes('/') ? '' : ' on PATH'}`);
  return found;
}

/** The kind a binary's name says it is. */
export function kindOf(binary: string): QemuKind {
  const name = basename(binary);
  if (name.includes('qemu-storage-daemon')) return 'storage-daemon';
  if (name.includes('qemu-system-')) return 'system';
  throw new BinaryError(
    'unknown-kind',
    `cannot tell how to start '${binary}': give a qemu-system-* emulator or qemu-storage-daemon (the name says which), or name its kind`,
  );
}

/** QEMU's option syntax doubles a comma inside a value. */
const optionValue = (s: string): string => s.replace(/,/g, ',,');

/**
 * What each kind is given, before the caller's own arguments: a monitor
 * whose chardev connects to `socket` (we listen; QEMU's connection is the
 * sign that it runs, so nothing polls), and for an emulator no display
 * window (a later `-display` among the caller's arguments wins).
 */
const MONITOR_ARGUMENTS: Record<QemuKind, (chardev: string) => string[]> = {
  'storage-daemon': (chardev) => ['--chardev', chardev, '--monitor', 'chardev=qapi-ts'],
  system: (chardev) => ['-display', 'none', '-chardev', chardev, '-mon', 'chardev=qapi-ts,mode=control'],
};

export function monitorArguments(kind: QemuKind, socket: string): string[] {
  return MONITOR_ARGUMENTS[kind](`socket,id=qapi-ts,path=${optionValue(socket)},server=off`);
}
