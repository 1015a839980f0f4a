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

/** Told of one thing a definition's documentation must describe: a
 *  feature (role null) or a member, value or branch; returns what stops
 *  the walk, if anything does. */
type DescribedVisitor = (name: string, role: string | null) => Connection | null;

const ofFeatures = (features: readonly { readonly name: string }[], visit: DescribedVisitor): Connection | null => {
  for (let i = 0; i < features.length; i++) {
    const stop = visit(features[i]!.name, null);
    if (stop !== null) return stop;
  }
  return null;
};

/**
 * Walks what `ent`'s documentation must describe, in QEMU's order, until
 * `visit` returns something.  No list is made and no iterator (indexed
 * loops): this runs for every definition, mostly in V8's interpreter.
 */
function walkDescribed(ent: AnyEnt, visit: DescribedVisitor): Connection | null {
  const objectMembers = (obj: ObjectEnt, prefix: string): Connection | null => {
    const members = obj.localMembers;
    for (let i = 0; i < members.length; i++) {
      const m = members[i]!;
      const stop = visit(prefix + m.name, 'member') ?? ofFeatures(m.features, visit);
      if (stop !== null) return stop;
      // The 2012 dialect documents an anonymous struct's members as
      // '@outer.inner'.
      if (m.type.kind === 'object' && m.type.role?.kind === 'nested-struct') {
        const nested = objectMembers(m.type as ObjectEnt, `${prefix}${m.name}.`);
        if (nested !== null) return nested;
      }
    }
    return null;
  };
  const stop = ofFeatures(ent.features, visit);
  if (stop !== null) return stop;
  switch (ent.kind) {
    case 'enum': {
      const values = ent.members;
      for (let i = 0; i < values.length; i++) {
        const m = values[i]!;
        const stopped = visit(m.name, 'value') ?? ofFeatures(m.features, visit);
        if (stopped !== null) return stopped;
      }
      return null;
    }
    case 'object':
      return (ent.base?.implicit ? objectMembers(ent.base as ObjectEnt, '') : null) ?? objectMembers(ent, '');
    case 'alternate': {
      const branches = ent.variants.variants;
      for (let i = 0; i < branches.length; i++) {
        const stopped = visit(branches[i]!.name, 'branch');
        if (stopped !== null) return stopped;
      }
      return null;
    }
    case 'command':
    case 'event':
      return ent.argType?.implicit ? objectMembers(ent.argType, '') : null;
    default:
      return null;
  }
}

const NO_NAMES: ReadonlySet<string> = new Set();

/** The names of `described`, as a set (most comments describe no
 *  features: one empty set for all of them). */
function namesOf(described: readonly { readonly name: string }[]): ReadonlySet<string> {
  if (described.length === 0) return NO_NAMES;
  const names = new Set<string>();
  for (let i = 0; i < described.length; i++) names.add(described[i]!.name);
  return names;
}

/** The descriptions in `args` of names not in `known`. */
function unknownArgs(args: readonly DocArg[], known: ReadonlySet<string>): DocArg[] {
  const bogus: DocArg[] = [];
  for (let i = 0; i < args.length; i++) if (!known.has(args[i]!.name)) bogus.push(args[i]!);
  return bogus;
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
  const documentedArgs = namesOf(comment.args);
  const documentedFeatures = namesOf(comment.features);
  const exempt = !level.has('paragraphDocComments') || pragma.documentationExceptions.has(ent.name);
  const members: string[] = [];
  const used = new Set<string>();
  // The features described that exist (a set only where some are described).
  const features = comment.features.length === 0 ? null : new Set<string>();
  const fail = (message: string): Connection => ({ doc: null, problem: errorAt(info, message, context), deferred: null });
  const failure = walkDescribed(ent, (name, role) => {
    if (role === null) {
      if (!documentedFeatures.has(name)) return fail(`the feature '${name}' is not documented: describe it under 'Features:' as '@${name}:'`);
      features!.add(name);
      return null;
    }
    if (!documentedArgs.has(name) && !exempt) {
      return fail(`the ${role} '${name}' is not documented: describe it as '@${name}:' (or name '${ent.name}' in pragma 'documentation-exceptions')`);
    }
    members.push(name);
    used.add(name);
    return null;
  });
  if (failure !== null) return failure;
  const doc = connected(comment, members, documentedArgs);
  // Descriptions of what does not exist: members first, then features.
  const unknown = (what: string, bogus: readonly DocArg[]): Connection | null => {
    if (bogus.length === 0) return null;
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
  };
  return unknown('member', unknownArgs(comment.args, used)) ?? (features === null ? null : unknown('feature', unknownArgs(comment.features, features))) ?? { doc, problem: null, deferred: null };
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
