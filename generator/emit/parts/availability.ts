/**
 * Availability in words, for the TSDoc of bindings that span releases:
 * "In QEMU 8.2 and later.", "Removed in QEMU 10.0.", "Optional before QEMU
 * 9.1.", "Typed `str` in QEMU 7.2, `JobType` in QEMU 8.2 and later.".  Each
 * is said of a part within the releases of what holds it (a member within
 * its type's), so a member of a type that is itself new says nothing more.
 */
import type { Feature, Member, QapiType } from '../../model/types.js';
import { presenceWords, whenWords, type ReleaseSet } from '../../span/releases.js';
import type { Span } from '../../span/types.js';
import { codeSpan } from './doc-markdown.js';

function sentence(words: string): string {
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}.`;
}

function names(span: Span): string[] {
  return span.releases.map((r) => r.name);
}

/** "In QEMU 8.2 and later." for a part some releases of its holder lack. */
export function presenceNote(span: Span, set: ReleaseSet, within: ReleaseSet): string | null {
  const words = presenceWords(set, within, names(span));
  return words === null ? null : sentence(words);
}

/** How a QAPI type is named in these notes. */
function qapiName(t: QapiType | null): string {
  if (t === null) return 'nothing';
  return t.kind === 'array' ? `[${qapiName(t.elementType)}]` : t.name;
}

/** Types by release: "Typed `str` in QEMU 7.2, `JobType` in QEMU 8.2 and later." */
export function typesNote(span: Span, types: readonly { readonly in: ReleaseSet; readonly type: QapiType | null }[], within: ReleaseSet, verb = 'Typed'): string | null {
  if (types.length < 2) return null;
  const parts = [...types]
    .sort((a, b) => Math.clz32(b.in & -b.in) - Math.clz32(a.in & -a.in))
    .map((t) => `${t.type === null ? 'nothing' : codeSpan(qapiName(t.type))} ${whenWords(t.in, within, names(span))}`);
  return `${verb} ${parts.join(', ')}.`;
}

/** What a member's releases say about it, within its type's releases. */
export function memberNotes(span: Span, m: Member, within: ReleaseSet): string[] {
  const s = span.member(m);
  const present = s.in & within;
  const out: string[] = [];
  const presence = presenceNote(span, present, within);
  if (presence) out.push(presence);
  const optional = s.optionalIn & present;
  if (optional !== 0 && optional !== present) {
    out.push(`Optional ${whenWords(optional, present, names(span))}; required ${whenWords(present & ~optional, present, names(span))}.`);
  }
  const types = typesNote(
    span,
    s.types.map((t) => ({ in: t.in & present, type: t.type })).filter((t) => t.in !== 0),
    present,
  );
  if (types) out.push(types);
  return out;
}

/** When a feature holds, within what carries it: "in QEMU 7.2 and later",
 *  or null when it always does. */
export function featureWhen(span: Span, f: Feature, within: ReleaseSet): string | null {
  const set = span.feature(f) & within;
  return set === within ? null : whenWords(set, within, names(span));
}
