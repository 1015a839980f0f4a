/**
 * Bindings that span releases, on one connection: which release of a span
 * the connected QEMU is taken to be (chosen once per span and handshake,
 * since a reconnection may meet another QEMU), the gate a command passes
 * before it is sent, and the release events are read in.  The client makes
 * one per handshake and asks it; the choice itself is span.ts's.
 */
import { chooseRelease, commandRefusal, type ReleaseChoice } from './span.js';
import type { SpanInfo } from './tables.js';
import type { QmpGreeting } from './types.js';
import type { TypeRegistry } from './validation.js';
import { qemuIdentity } from './wire.js';

type Bindings = TypeRegistry<unknown, unknown, unknown> | undefined;

/** connect's check of its `release` option: one of the bindings' span. */
export function checkGivenRelease(release: string | undefined, span: SpanInfo | undefined): void {
  if (release === undefined || (span !== undefined && span.releases.includes(release))) return;
  throw new RangeError(`connect: release ${release} is not one of the bindings'${span ? ` (${span.releases.join(', ')})` : ' (they span no releases)'}`);
}

/** The release of each span one handshake's QEMU is taken to be. */
export class ConnectedRelease {
  private readonly choices = new Map<SpanInfo, ReleaseChoice>();

  constructor(
    private readonly greeting: QmpGreeting,
    /** The release given when connecting (`release`), if any. */
    private readonly given: string | undefined,
  ) {}

  /**
   * The release given when connecting, when the span has it; else the
   * newest release of the span not newer than the greeting's version (see
   * chooseRelease).
   */
  in(span: SpanInfo): ReleaseChoice {
    let choice = this.choices.get(span);
    if (choice === undefined) {
      const qemu = qemuIdentity(this.greeting);
      const given = this.given;
      const index = given === undefined ? -1 : span.releases.indexOf(given);
      choice = index >= 0 ? { release: given, index, qemu, fit: 'chosen', note: undefined } : chooseRelease(span, this.greeting.version.qemu, qemu);
      this.choices.set(span, choice);
    }
    return choice;
  }

  /**
   * Throws QmpUnavailableError for a command the release lacks, however it
   * is sent (its arguments are checked where they are validated, by the
   * bindings' functions; a QEMU older than the span, by those functions
   * alone).  Bindings that span no releases gate nothing.
   */
  admit(command: string, bindings: Bindings): void {
    const span = bindings?.span;
    if (span === undefined) return;
    const choice = this.in(span);
    const info = bindings!.command(command);
    if (choice.release === undefined || info === undefined) return;
    const refusal = commandRefusal(command, info.releases, span, choice);
    if (refusal !== null) throw refusal;
  }

  /** The position in the bindings' span of the connected release (-1: none, or no span). */
  indexIn(bindings: Bindings): number {
    const span = bindings?.span;
    return span === undefined ? -1 : this.in(span).index;
  }
}
