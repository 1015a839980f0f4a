/**
 * Connects documentation comments to the definitions they document.
 *
 * Every member, value, alternate branch and parameter gets its description
 * (an empty one when undocumented); every feature must be documented; and a
 * description of something that does not exist is an error.
 */
import type { DocArg, DocComment } from '../doc/types.js';
import type { Diagnostic, SourceInfo } from '../source/diagnostics.js';
import { errorAt, warningAt } from '../source/diagnostics.js';
import type { AnyEnt, ObjectEnt } from './entities.js';
import type { EntityDoc } from './types.js';

interface Connection {
  readonly members: string[];
  readonly features: string[];
  /** Features used but undocumented, in order. */
  readonly undocumented: string[];
}

/** Names the definition's documentation must describe. */
function collect(ent: AnyEnt, comment: DocComment, into: Connection): void {
  const documentedFeatures = new Set(comment.features.map((f) => f.name));
  const addFeature = (name: string): void => {
    if (documentedFeatures.has(name)) into.features.push(name);
    else into.undocumented.push(name);
  };
  for (const f of ent.features) addFeature(f.name);
  const addObjectMembers = (obj: ObjectEnt, prefix = ''): void => {
    for (const m of obj.localMembers) {
      into.members.push(prefix + m.name);
      for (const f of m.features) addFeature(f.name);
      // The 2012 dialect documents an anonymous struct's members as
      // '@outer.inner'.
      if (m.type.kind === 'object' && m.type.role?.kind === 'nested-struct') {
        addObjectMembers(m.type as ObjectEnt, `${prefix}${m.name}.`);
      }
    }
  };
  switch (ent.kind) {
    case 'enum':
      for (const m of ent.members) {
        into.members.push(m.name);
        for (const f of m.features) addFeature(f.name);
      }
      break;
    case 'object':
      if (ent.base?.implicit) addObjectMembers(ent.base as ObjectEnt);
      addObjectMembers(ent);
      break;
    case 'alternate':
      for (const v of ent.variants.variants) into.members.push(v.name);
      break;
    case 'command':
    case 'event':
      if (ent.argType?.implicit) addObjectMembers(ent.argType);
      break;
    default:
      break;
  }
}

function docInfo(comment: DocComment, like: SourceInfo): SourceInfo {
  const { file, line, column } = comment.loc;
  return { file, line, column, includedFrom: like.includedFrom };
}

/** Connects `ent`'s comment; returns the connected doc, or the error (a
 *  warning in legacy mode, where the doc is kept). */
export function connectDoc(ent: AnyEnt, legacy: boolean): { doc: EntityDoc | null; error: Diagnostic | null } {
  const comment = ent.comment;
  if (comment === null || ent.info === null) return { doc: null, error: null };
  const conn: Connection = { members: [], features: [], undocumented: [] };
  collect(ent, comment, conn);
  const [firstUndocumented] = conn.undocumented;
  if (firstUndocumented !== undefined) {
    return {
      doc: null,
      error: errorAt(
        ent.info,
        `the feature '${firstUndocumented}' is not documented: describe it under 'Features:' as '@${firstUndocumented}:'`,
        ent.context ?? undefined,
      ),
    };
  }
  const members = new Set(conn.members);
  const features = new Set(conn.features);
  const bogus = (args: readonly DocArg[], used: Set<string>): string[] =>
    args.filter((a) => !used.has(a.name)).map((a) => a.name);
  for (const [what, names] of [
    ['member', bogus(comment.args, members)],
    ['feature', bogus(comment.features, features)],
  ] as const) {
    if (names.length > 0) {
      const list = names.map((n) => `'${n}'`).join(', ');
      const verb = names.length > 1 ? 'do' : 'does';
      const message = `the comment describes ${what}${names.length > 1 ? 's' : ''} ${list} that '${ent.name}' does not have`;
      if (!legacy) return { doc: null, error: errorAt(docInfo(comment, ent.info), message) };
      // QEMU 1.3's schema documents a few members it does not have.
      return {
        doc: connected(comment, conn.members),
        error: warningAt(docInfo(comment, ent.info), `${message} (accepted in legacy mode)`),
      };
    }
  }
  return { doc: connected(comment, conn.members), error: null };
}

/** The comment with an empty description for each undocumented member. */
function connected(comment: DocComment, members: readonly string[]): EntityDoc {
  const documented = new Set(comment.args.map((a) => a.name));
  const undocumentedArgs: DocArg[] = members
    .filter((name, i, all) => !documented.has(name) && all.indexOf(name) === i)
    .map((name) => ({ name, text: '', loc: comment.loc, markedOptional: false }));
  return { comment, args: [...comment.args, ...undocumentedArgs], features: comment.features, sections: comment.sections };
}

/** A free-form comment (or one whose definition failed) as a model doc. */
export function plainDoc(comment: DocComment): EntityDoc {
  return { comment, args: comment.args, features: comment.features, sections: comment.sections };
}
