/**
 * Connects documentation comments to the definitions they document.
 *
 * Every member, value, alternate branch and parameter gets its description
 * (an empty one when undocumented, which QEMU 9.0 and later allow only for
 * definitions named in pragma 'documentation-exceptions'); every feature
 * must be documented; and a description of something that does not exist
 * is an error: reported with the definition up to QEMU 8.2, and from 9.0
 * after every definition has been checked, at the description itself.
 */
import type { Pragma } from '../common/pragma.js';
import type { DocArg, DocComment } from '../doc/types.js';
import type { Diagnostic, SourceInfo, SourceLocation } from '../source/diagnostics.js';
import { errorAt, warningAt } from '../source/diagnostics.js';
import type { LanguageLevel } from '../source/language.js';
import type { AnyEnt, ObjectEnt } from './entities.js';
import type { EntityDoc } from './types.js';

/** What the definition's documentation must describe, in QEMU's order. */
type Described = { readonly what: 'feature'; readonly name: string } | { readonly what: 'member'; readonly name: string; readonly role: string };

function described(ent: AnyEnt): Described[] {
  const out: Described[] = [];
  for (const f of ent.features) out.push({ what: 'feature', name: f.name });
  const objectMembers = (obj: ObjectEnt, prefix = ''): void => {
    for (const m of obj.localMembers) {
      out.push({ what: 'member', name: prefix + m.name, role: 'member' });
      for (const f of m.features) out.push({ what: 'feature', name: f.name });
      // The 2012 dialect documents an anonymous struct's members as
      // '@outer.inner'.
      if (m.type.kind === 'object' && m.type.role?.kind === 'nested-struct') objectMembers(m.type as ObjectEnt, `${prefix}${m.name}.`);
    }
  };
  switch (ent.kind) {
    case 'enum':
      for (const m of ent.members) {
        out.push({ what: 'member', name: m.name, role: 'value' });
        for (const f of m.features) out.push({ what: 'feature', name: f.name });
      }
      break;
    case 'object':
      if (ent.base?.implicit) objectMembers(ent.base as ObjectEnt);
      objectMembers(ent);
      break;
    case 'alternate':
      for (const v of ent.variants.variants) out.push({ what: 'member', name: v.name, role: 'branch' });
      break;
    case 'command':
    case 'event':
      if (ent.argType?.implicit) objectMembers(ent.argType);
      break;
    default:
      break;
  }
  return out;
}

function located(at: SourceLocation, like: SourceInfo): SourceInfo {
  return { file: at.file, line: at.line, column: at.column, includedFrom: like.includedFrom };
}

export interface Connection {
  /** The connected doc, when there is one to keep. */
  readonly doc: EntityDoc | null;
  /** The error to report now (a warning where rule unknownDocMembersWarn holds). */
  readonly problem: Diagnostic | null;
  /** From QEMU 9.0 on: descriptions of what does not exist, reported after
   *  every definition has been checked. */
  readonly deferred: Diagnostic | null;
}

/** Connects `ent`'s comment. */
export function connectDoc(ent: AnyEnt, level: LanguageLevel, pragma: Pragma): Connection {
  const comment = ent.comment;
  if (comment === null || ent.info === null) return { doc: null, problem: null, deferred: null };
  const info = ent.info;
  const context = ent.context ?? undefined;
  const documentedArgs = new Set(comment.args.map((a) => a.name));
  const documentedFeatures = new Set(comment.features.map((f) => f.name));
  const exempt = !level.has('paragraphDocComments') || pragma.documentationExceptions.has(ent.name);
  const members: string[] = [];
  const features = new Set<string>();
  const fail = (message: string): Connection => ({ doc: null, problem: errorAt(info, message, context), deferred: null });
  for (const d of described(ent)) {
    if (d.what === 'feature') {
      if (!documentedFeatures.has(d.name)) {
        return fail(`the feature '${d.name}' is not documented: describe it under 'Features:' as '@${d.name}:'`);
      }
      features.add(d.name);
    } else {
      if (!documentedArgs.has(d.name) && !exempt) {
        return fail(
          `the ${d.role} '${d.name}' is not documented: describe it as '@${d.name}:' (or name '${ent.name}' in pragma 'documentation-exceptions')`,
        );
      }
      members.push(d.name);
    }
  }
  const doc = connected(comment, members, documentedArgs);
  const used = new Set(members);
  for (const [what, args, known] of [
    ['member', comment.args, used],
    ['feature', comment.features, features],
  ] as const) {
    const bogus = args.filter((a) => !known.has(a.name));
    if (bogus.length === 0) continue;
    const list = bogus.map((a) => `'${a.name}'`).join(', ');
    const message = `the comment describes ${what}${bogus.length > 1 ? 's' : ''} ${list} that '${ent.name}' does not have`;
    if (level.has('paragraphDocComments')) {
      return { doc, problem: null, deferred: errorAt(located(bogus[0]!.loc, info), message) };
    }
    if (level.has('unknownDocMembersWarn')) {
      // QEMU 1.3's schema documents a few members it does not have.
      return { doc, problem: warningAt(located(comment.loc, info), `${message} (accepted in ${level.describe()})`), deferred: null };
    }
    return { doc: null, problem: errorAt(located(comment.loc, info), message), deferred: null };
  }
  return { doc, problem: null, deferred: null };
}

/** The comment with an empty description for each undocumented member
 *  (`documented`: the names the comment describes). */
function connected(comment: DocComment, members: readonly string[], documented: ReadonlySet<string>): EntityDoc {
  const undocumentedArgs: DocArg[] = members
    .filter((name, i, all) => !documented.has(name) && all.indexOf(name) === i)
    .map((name) => ({ name, text: '', loc: comment.loc, markedOptional: false }));
  return { comment, args: [...comment.args, ...undocumentedArgs], features: comment.features, sections: comment.sections };
}

/** A free-form comment (or one whose definition failed) as a model doc. */
export function plainDoc(comment: DocComment): EntityDoc {
  return { comment, args: comment.args, features: comment.features, sections: comment.sections };
}
