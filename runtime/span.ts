/**
 * Bindings that span releases: one set of bindings for several QEMU
 * releases, each command, member and enum value carrying the releases that
 * have it (as a bit mask over the span's releases, oldest first; absent
 * means every release).  Here: which release of the span a connected QEMU
 * is taken to be, the error a call that release lacks is refused with, and
 * the helper types the generated declarations are written with.
 */
import type { ReleaseSet, SpanInfo } from './tables.js';

/** How the release of the span was found for a connected QEMU. */
export type ReleaseFit =
  /** The QEMU is that release (any stable release of it). */
  | 'exact'
  /** The newest release of the span older than the QEMU. */
  | 'older-release'
  /** The QEMU is newer than every release of the span: the newest. */
  | 'newer-than-span'
  /** The QEMU is older than every release of the span: none. */
  | 'older-than-span'
  /** Given when connecting (`release`). */
  | 'chosen';

/** Which release of a span the connected QEMU is taken to be. */
export interface ReleaseChoice<R extends string = string> {
  /** Undefined when the QEMU is older than every release of the span. */
  readonly release: R | undefined;
  /** Its position in the span's releases; -1 for none. */
  readonly index: number;
  /** The connected QEMU, as messages name it (`QEMU 7.2.22 (Debian ...)`). */
  readonly qemu: string;
  readonly fit: ReleaseFit;
  /** What a reader should know when the fit is not exact. */
  readonly note: string | undefined;
}

/** A QEMU version as its greeting gives it. */
export interface QemuVersionNumbers {
  readonly major: number;
  readonly minor: number;
  readonly micro: number;
}

function parseRelease(name: string): readonly [number, number] {
  const m = /^(\d+)\.(\d+)$/.exec(name);
  if (!m) throw new TypeError(`'${name}' is no QEMU release (X.Y)`);
  return [Number(m[1]), Number(m[2])];
}

/**
 * The release of the span a QEMU of `version` is: the newest release not
 * newer than it (a 9.1 against 8.2 and 10.0 is 8.2, whose commands it has);
 * the newest when it is newer than all (with a note: it may have more);
 * none when it is older than all (the bindings know nothing true of it).
 */
export function chooseRelease<R extends string>(span: SpanInfo<R>, version: QemuVersionNumbers, qemu: string): ReleaseChoice<R> {
  let index = -1;
  span.releases.forEach((name, i) => {
    const [major, minor] = parseRelease(name);
    if (major < version.major || (major === version.major && minor <= version.minor)) index = i;
  });
  const newest = span.releases.length - 1;
  if (index < 0) {
    const note = `${qemu} is older than every release these bindings span (${span.releases.join(', ')})`;
    return { release: undefined, index, qemu, fit: 'older-than-span', note };
  }
  const release = span.releases[index]!;
  const [major, minor] = parseRelease(release);
  if (major === version.major && minor === version.minor) return { release, index, qemu, fit: 'exact', note: undefined };
  if (index === newest) {
    const note = `${qemu} is newer than every release these bindings span: taken as ${release}, it may have what the bindings do not know`;
    return { release, index, qemu, fit: 'newer-than-span', note };
  }
  return { release, index, qemu, fit: 'older-release', note: `${qemu} is between releases these bindings span: taken as ${release}, the newest not newer than it` };
}

/** The names of the releases in a set. */
export function releaseNames<R extends string>(span: SpanInfo<R>, set: ReleaseSet): R[] {
  return span.releases.filter((_, i) => (set & (1 << i)) !== 0);
}

/** What a refused call lacks in the connected release. */
export interface Unavailable {
  /** `arguments.backing-mask-protocol`; empty for the command itself. */
  readonly path: string;
  readonly what: 'command' | 'member' | 'value';
  /** The command, member or enum value. */
  readonly name: string;
  /** The releases of the span that have it. */
  readonly releases: readonly string[];
}

/**
 * A call the connected QEMU's release lacks (a command, a member, an enum
 * value), refused before anything is sent; or any call through span
 * bindings to a QEMU older than every release they span.
 */
export class QmpUnavailableError extends Error {
  override readonly name = 'QmpUnavailableError';

  constructor(
    /** The command called. */
    readonly command: string,
    /** The QEMU, and the release of the span it was taken to be. */
    readonly choice: ReleaseChoice,
    /** What the call uses that the release lacks; empty when the QEMU is
     *  older than the span. */
    readonly missing: readonly Unavailable[],
  ) {
    const head =
      choice.release === undefined
        ? `${command}: not sent: ${choice.note ?? `${choice.qemu} is older than these bindings`}`
        : `${command}: not sent: ${choice.qemu}, taken as release ${choice.release} of these bindings, lacks it:`;
    const lines = missing.map((m) => {
      const where = m.path === '' ? '' : `${m.path}: `;
      const what = m.what === 'command' ? 'the command' : m.what === 'member' ? `member '${m.name}'` : `value '${m.name}'`;
      return `  ${where}${what} is in QEMU ${m.releases.join(', ')} only`;
    });
    super([head, ...lines].join('\n'));
  }

  /** The QEMU, as messages name it. */
  get qemu(): string {
    return this.choice.qemu;
  }

  /** The release of the span the QEMU was taken to be. */
  get release(): string | undefined {
    return this.choice.release;
  }
}

/**
 * The command-level gate: a command the release lacks, refused; a QEMU
 * older than the span, refused whatever the command (null: it may go).
 * `releases` is the command's (absent: every release).  What its arguments
 * use is checked where they are validated (runCommand).
 */
export function commandRefusal(command: string, releases: ReleaseSet | undefined, span: SpanInfo, choice: ReleaseChoice): QmpUnavailableError | null {
  if (choice.release === undefined) return new QmpUnavailableError(command, choice, []);
  if (releases === undefined || (releases & (1 << choice.index)) !== 0) return null;
  return new QmpUnavailableError(command, choice, [{ path: '', what: 'command', name: command, releases: releaseNames(span, releases) }]);
}

/** A transport that knows which release of a span it talks to (QmpClient). */
export interface ReleaseAware {
  releaseIn(span: SpanInfo): ReleaseChoice | undefined;
}

// The helper types of span declarations.  R is the release (or releases)
// a view is for; the default, every release of the span, gives the types
// that hold whichever release answers.  Each checks [R] as a whole (no
// distribution), so one release gives that release's exact type.

/** Members present in releases `In` and required in `Req` (within `In`):
 *  as written for releases that require them all, absent (`?: never`) for
 *  releases that have none, optional otherwise. */
export type ReleaseMembers<R extends string, In extends string, Req extends string, T> = [R] extends [Req]
  ? T
  : [R & In] extends [never]
    ? { [K in keyof T]?: never }
    : Partial<T>;

/** `T` where some release of `R` is one of `In`, else nothing (`never`):
 *  enum values, branches, a type some releases have at a place. */
export type InRelease<R extends string, In extends string, T> = [R & In] extends [never] ? never : T;

/** The `this` of a command method: `never` (no call compiles) in a view of
 *  releases that lack the command. */
export type ReleaseGate<R extends string, In extends string, This> = [R & In] extends [never] ? never : This;
