/**
 * Differential verdicts: qapi-ts against QEMU's own front end on the same
 * input.  They disagree when one accepts what the other rejects, when both
 * reject at a different first FILE:LINE, or when both accept but dump a
 * different model (compared only when qapi-ts ran `dump`).
 */
import { formatLocation, type Verdict } from './outcome.js';
import type { QemuOutcome } from './qemu.js';

export const COMPARISONS = [
  'agree',
  'we-accept-qemu-rejects',
  'we-reject-qemu-accepts',
  'location-differs',
  'dump-differs',
  /** QEMU's front end crashed, hung or ran out of memory: no verdict to compare. */
  'qemu-failed',
  /** qapi-ts failed an invariant: reported as a failure, not compared. */
  'ours-failed',
] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const DISAGREEMENTS: readonly Comparison[] = ['we-accept-qemu-rejects', 'we-reject-qemu-accepts', 'location-differs', 'dump-differs'];

/** `ourDump` is the hash of qapi-ts's dump, or null when it ran `check`. */
export function compare(ours: Verdict, ourDump: string | null, qemu: QemuOutcome): Comparison {
  if (!ours.ok) return 'ours-failed';
  if (qemu.kind === 'failed') return 'qemu-failed';
  if (ours.accepted && qemu.kind === 'rejected') return 'we-accept-qemu-rejects';
  if (!ours.accepted && qemu.kind === 'accepted') return 'we-reject-qemu-accepts';
  if (qemu.kind === 'accepted') return ourDump === null || ourDump === qemu.dumpHash ? 'agree' : 'dump-differs';
  const theirs = qemu.location ? formatLocation(qemu.location) : null;
  const mine = ours.location ? formatLocation(ours.location) : null;
  return theirs === mine ? 'agree' : 'location-differs';
}
