/**
 * Prints the model in QEMU's test dump format: one entity a line, details
 * indented, module by module, then every documentation comment.  Front-end
 * tests compare this against QEMU's own expected output, byte for byte.
 * The format is that of the release whose front end is followed (see
 * DUMP_FORMAT_CHANGES): it changed over time, apart from the language.
 */
import type { DocSection } from '../doc/types.js';
import type { EntityDoc, Entity, Feature, IfCondition, SchemaModel, Variants } from '../model/types.js';
import { releaseAtLeast, type QemuRelease } from '../source/language.js';

/** How QEMU's test dump changed, by the release that changed it. */
const DUMP_FORMAT_CHANGES = {
  /** Doc sections are titled by kind ('Plain', 'Returns', ...) rather
   *  than by their tag as written ('None' for plain text). */
  sectionsByKind: '10.0',
} as const satisfies Record<string, QemuRelease>;

type DumpFormat = { readonly [K in keyof typeof DUMP_FORMAT_CHANGES]: boolean };

function dumpFormat(release: QemuRelease): DumpFormat {
  return { sectionsByKind: releaseAtLeast(release, DUMP_FORMAT_CHANGES.sectionsByKind) };
}

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

  constructor(private readonly format: DumpFormat) {}

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
        return this.line(0, `include ${ent.qemuName}`);
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
    for (const s of doc.sections) this.lines.push(`    section=${sectionLabel(s, this.format.sectionsByKind)}`, s.text);
  }
}

/**
 * The modules as QEMU lists them: by QEMU's name, in the order first named
 * (the built-in module, the root file, then each include).  A file
 * included both by a './' path and by another is one module to qapi-ts,
 * and two to QEMU, the second one empty.
 */
function qemuModules(model: SchemaModel): [name: string, entities: readonly Entity[]][] {
  const byName = new Map(model.modules.map((m) => [m.qemuName, m.entities]));
  const order = [...model.modules.slice(0, 2).map((m) => m.qemuName)];
  for (const ent of model.entities) if (ent.kind === 'include') order.push(ent.qemuName);
  order.push(...model.modules.map((m) => m.qemuName));
  return [...new Set(order)].map((name) => [name, byName.get(name) ?? []]);
}

/** The dump of a whole model as QEMU `release`'s front end prints it,
 *  ending with a newline. */
export function dumpModel(model: SchemaModel, release: QemuRelease): string {
  const w = new DumpWriter(dumpFormat(release));
  for (const [name, entities] of qemuModules(model)) {
    w.line(0, `module ${name}`);
    for (const ent of entities) w.entity(ent);
  }
  for (const doc of model.docs) w.doc(doc);
  return `${w.lines.join('\n')}\n`;
}
