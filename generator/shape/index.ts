/**
 * The shape stage: checks each top-level expression on its own and turns it
 * into a Definition.  Errors are collected over all expressions (the first
 * one per expression, since later checks assume earlier ones passed), then
 * the stage fails with all of them.
 */
import { dictGet } from '../parse/ast.js';
import type { ParsedSchema, DefinitionItem } from '../parse/reader.js';
import { DiagnosticSink, errorAt, partNotes, type DefinitionContext, type SourceInfo } from '../source/diagnostics.js';
import { findSection, type DocComment } from '../doc/types.js';
import type { LanguageLevel } from '../source/language.js';
import type { Definition, SchemaDefinition } from '../common/definitions.js';
import type { Pragma } from '../common/pragma.js';
import { checkFeatures, checkIf, requireStringName, nameCheck, ShapeError } from './checker.js';
import {
  checkAlternate,
  checkCommand,
  checkEnum,
  checkEvent,
  checkFlags,
  checkStruct,
  checkUnion,
  type DefinitionBody,
  type ExprContext,
} from './expressions.js';
import { checkNameCamel, checkNameLower, checkNameUpper } from './names.js';

export interface ShapeOptions {
  readonly level: LanguageLevel;
  /** Checks a definition through a caller that keeps checked definitions
   *  between loads: `check` does the work, the caller may answer from
   *  what it kept.  A null result (the definition failed) is never kept. */
  readonly reuse?: ((item: DefinitionItem<DocComment>, pragma: Pragma, check: () => Definition | null) => Definition | null) | undefined;
}

type Parsed = ParsedSchema<DocComment>;

const METAS = ['enum', 'struct', 'union', 'alternate', 'command', 'event'] as const;
type Meta = (typeof METAS)[number];

const CHECK_BY_META: Record<Meta, (ctx: ExprContext) => DefinitionBody<Definition>> = {
  enum: checkEnum,
  struct: checkStruct,
  union: checkUnion,
  alternate: checkAlternate,
  command: checkCommand,
  event: checkEvent,
};

/** Checks every expression's shape; throws SchemaError listing every error. */
export function checkShapes(parsed: Parsed, options: ShapeOptions): SchemaDefinition[] {
  const level = options.level;
  const sink = new DiagnosticSink();
  const definitions: SchemaDefinition[] = [];
  for (const item of parsed.items) {
    if (item.kind === 'include') {
      definitions.push({ meta: 'include', path: item.path, info: item.info });
      continue;
    }
    const check = (): Definition | null => checkDefinition(item, parsed, level, sink);
    const definition = options.reuse ? options.reuse(item, parsed.pragma, check) : check();
    if (definition) definitions.push(definition);
  }
  sink.throwIfErrors();
  return definitions;
}

function findMeta(item: DefinitionItem<DocComment>, level: LanguageLevel): { meta: Meta; key: string } {
  const entries = item.expr.entries;
  const metas: Meta[] = [];
  for (let i = 0; i < entries.length; i++) {
    const key = entries[i]!.key;
    if ((METAS as readonly string[]).includes(key)) metas.push(key as Meta);
  }
  if (metas.length === 1) return { meta: metas[0]!, key: metas[0]! };
  if (level.has('typeKeyForStruct') && metas.length === 0 && entries[0]?.key === 'type') return { meta: 'struct', key: 'type' };
  throw new ShapeError(
    `a definition needs exactly one of the keys 'enum', 'struct', 'union', 'alternate', 'command' and 'event', saying what it defines${
      metas.length > 1 ? ` (this one has ${metas.map((m) => `'${m}'`).join(' and ')})` : ''
    }`,
  );
}

/** Checks the definition's own name against the rules for its kind. */
function checkDefinitionName(name: string, meta: Meta, parsed: Parsed, level: LanguageLevel): void {
  nameCheck(() => {
    if (meta === 'event') {
      checkNameUpper(name, meta);
    } else if (meta === 'command') {
      checkNameLower(name, meta, false, level.has('underscoredNames') || parsed.pragma.commandNameExceptions.has(name));
    } else {
      checkNameCamel(name, meta);
      if (name.endsWith('List')) {
        throw new ShapeError(`a ${meta} name may not end in 'List': that ending is kept for the generated list types`);
      }
    }
  });
}

/** Where a doc section stands, as an error location in the definition's
 *  include chain. */
function sectionInfo(at: { file: string; line: number; column: number }, item: DefinitionItem<DocComment>): SourceInfo {
  return { file: at.file, line: at.line, column: at.column, includedFrom: item.info.includedFrom };
}

/** 'Returns:' (and, from 9.0, 'Errors:') only where they make sense; the
 *  problem's message and place, or null. */
function misplacedSection(doc: DocComment, item: DefinitionItem<DocComment>, meta: Meta, level: LanguageLevel): [SourceInfo, string] | null {
  const returns = findSection(doc, 'returns');
  if (!level.has('paragraphDocComments')) {
    if (returns && meta !== 'command') return [sectionInfo(doc.loc, item), "only a command's documentation may have a 'Returns:' section"];
    return null;
  }
  if (meta === 'command') {
    if (returns && dictGet(item.expr, 'returns') === undefined) {
      return [sectionInfo(returns.loc, item), "a 'Returns:' section, but the command returns nothing: drop the section, or add 'returns'"];
    }
    return null;
  }
  if (returns) return [sectionInfo(returns.loc, item), "only a command's documentation may have a 'Returns:' section"];
  const errors = findSection(doc, 'errors');
  if (errors) return [sectionInfo(errors.loc, item), "only a command's documentation may have an 'Errors:' section"];
  return null;
}

function checkDefinition(
  item: DefinitionItem<DocComment>,
  parsed: Parsed,
  level: LanguageLevel,
  sink: DiagnosticSink,
): Definition | null {
  let context: DefinitionContext | undefined;
  try {
    const { meta, key } = findMeta(item, level);
    const name = requireStringName(dictGet(item.expr, key), `'${meta}'`);
    context = { meta, name };
    checkDefinitionName(name, meta, parsed, level);
    const doc = item.doc;
    if (doc) {
      if (doc.symbol !== name) {
        throw new ShapeError(`the documentation comment above documents '${doc.symbol}', not '${name}'`);
      }
      const misplaced = misplacedSection(doc, item, meta, level);
      if (misplaced) {
        sink.error(misplaced[0], misplaced[1]);
        return null;
      }
    } else if (parsed.pragma.docRequired) {
      throw new ShapeError("this definition needs a documentation comment (pragma 'doc-required' is on)");
    }
    const ctx: ExprContext = { expr: item.expr, name, pragma: parsed.pragma, level, metaKey: key };
    const body = CHECK_BY_META[meta](ctx);
    const ifcond = checkIf(item.expr, meta);
    const features = checkFeatures(dictGet(item.expr, 'features'));
    checkFlags(ctx);
    // The body is this definition's own: completed in place, not copied.
    return Object.assign(body, { name, info: item.info, doc, ifcond, features }) as Definition;
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    sink.report(errorAt(item.info, e.message, context, partNotes(e.at, item.info)));
    return null;
  }
}
