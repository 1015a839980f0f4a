/**
 * Prints the model in QEMU's test dump format: one entity a line, details
 * indented, module by module, then every documentation comment.  Front-end
 * tests compare this against QEMU's own expected output, byte for byte.
 * The format is that of the selected release: from 10.0 on, doc sections
 * are printed by kind.
 */
import type { DocSection } from '../doc/types.js';
import type { EntityDoc, Entity, Feature, IfCondition, SchemaModel, Variants } from '../model/types.js';
import type { LanguageLevel } from '../source/language.js';

/** A condition as QEMU prints it: the raw name, or Python's repr of the
 *  condition object. */
function formatIfCondition(cond: IfCondition): string {
  const repr = (c: IfCondition): string => {
    switch (c.kind) {
      case 'name':
        return `'${c.name}'`;
      case 'not':
        return `{'not': ${repr(c.operand)}}`;
      default:
        return `{'${c.kind}': [${c.operands.map(repr).join(', ')}]}`;
    }
  };
  return cond.kind === 'name' ? cond.name : repr(cond);
}

const py = (b: boolean): string => (b ? 'True' : 'False');

/** How a section is named: its tag as written ('None' for plain text),
 *  or from 10.0 on its kind, as QEMU titles it. */
function sectionLabel(section: DocSection, byKind: boolean): string {
  if (!byKind) return section.name ?? 'None';
  return section.kind[0]!.toUpperCase() + section.kind.slice(1);
}

class DumpWriter {
  readonly lines: string[] = [];

  constructor(private readonly level: LanguageLevel) {}

  line(indent: number, text: string): void {
    this.lines.push(' '.repeat(indent) + text);
  }

  ifcond(cond: IfCondition | null, indent = 4): void {
    if (cond) this.line(indent, `if ${formatIfCondition(cond)}`);
  }

  features(features: readonly Feature[], indent = 4): void {
    for (const f of features) {
      this.line(indent, `feature ${f.name}`);
      this.ifcond(f.ifcond, indent + 4);
    }
  }

  variants(variants: Variants | null): void {
    if (!variants) return;
    this.line(4, `tag ${variants.tagMember.name}`);
    for (const v of variants.variants) {
      this.line(4, `case ${v.name}: ${v.type.name}`);
      this.ifcond(v.ifcond, 8);
    }
  }

  entity(ent: Entity): void {
    switch (ent.kind) {
      case 'builtin':
        return;
      case 'include':
        return this.line(0, `include ${ent.included}`);
      case 'enum':
        this.line(0, `enum ${ent.name}`);
        // QEMU prints a prefix only when it is not empty.
        if (ent.prefix) this.line(4, `prefix ${ent.prefix}`);
        for (const m of ent.members) {
          this.line(4, `member ${m.name}`);
          this.ifcond(m.ifcond, 8);
          this.features(m.features, 8);
        }
        break;
      case 'array':
        // Built-in array types are not shown.
        if (ent.info === null) return;
        this.line(0, `array ${ent.name} ${ent.elementType.name}`);
        this.ifcond(ent.elementType.ifcond);
        return;
      case 'object':
        this.line(0, `object ${ent.name}`);
        if (ent.base) this.line(4, `base ${ent.base.name}`);
        for (const m of ent.localMembers) {
          this.line(4, `member ${m.name}: ${m.type.name} optional=${py(m.optional)}`);
          this.ifcond(m.ifcond, 8);
          this.features(m.features, 8);
        }
        this.variants(ent.variants);
        break;
      case 'alternate':
        this.line(0, `alternate ${ent.name}`);
        this.variants(ent.variants);
        break;
      case 'command':
        this.line(0, `command ${ent.name} ${ent.argType?.name ?? 'None'} -> ${ent.retType?.name ?? 'None'}`);
        this.line(
          4,
          `gen=${py(ent.gen)} success_response=${py(ent.successResponse)} boxed=${py(ent.boxed)} ` +
            `oob=${py(ent.allowOob)} preconfig=${py(ent.allowPreconfig)}${ent.coroutine ? ' coroutine=True' : ''}`,
        );
        break;
      case 'event':
        this.line(0, `event ${ent.name} ${ent.argType?.name ?? 'None'}`);
        this.line(4, `boxed=${py(ent.boxed)}`);
        break;
    }
    this.ifcond(ent.ifcond);
    this.features(ent.features);
  }

  doc(doc: EntityDoc): void {
    const c = doc.comment;
    this.line(0, c.symbol === null ? 'doc freeform' : `doc symbol=${c.symbol}`);
    this.line(4, 'body=');
    this.lines.push(c.body);
    for (const a of doc.args) this.lines.push(`    arg=${a.name}`, a.text);
    for (const f of doc.features) this.lines.push(`    feature=${f.name}`, f.text);
    const byKind = this.level.has('dumpSectionKinds');
    for (const s of doc.sections) this.lines.push(`    section=${sectionLabel(s, byKind)}`, s.text);
  }
}

/** The dump of a whole model, ending with a newline. */
export function dumpModel(model: SchemaModel, level: LanguageLevel): string {
  const w = new DumpWriter(level);
  for (const mod of model.modules) {
    w.line(0, `module ${mod.name}`);
    for (const ent of mod.entities) w.entity(ent);
  }
  for (const doc of model.docs) w.doc(doc);
  return `${w.lines.join('\n')}\n`;
}
