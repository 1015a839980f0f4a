/**
 * `help` in the shell: the shell's own syntax, or one command's (or
 * event's) documentation from the schema: each argument with its type and
 * whether it is optional, the values of an enum, a union's branches, and,
 * when the schema is a source schema, the doc comment's text.  A schema
 * read from query-qmp-schema or a capture has no documentation; the help
 * says so.
 */
import { nearMisses } from 'qapi-ts-runtime';
import type { DocSection } from '../doc/types.js';
import type { EntityDoc, Member, ObjectType, SchemaModel } from '../model/types.js';
import type { CallSchema } from './qmp-schema.js';
import { typeName } from './shell-types.js';

export const SHELL_HELP = `Type a QMP command as qmp-shell takes it, checked against the schema before it is sent:
  NAME KEY=VALUE ...        e.g. block-commit device=drive0 top-node=mid on-error=stop
                            nested keys with dots: options.driver=file options.size=1048576
                            values typed by the schema; '...' or "..." for a string as written,
                            JSON for objects and arrays
  NAME {JSON}               the arguments as a JSON object
  {"execute": NAME, "arguments": {...}}
  help [COMMAND]            this text, or a command's arguments and documentation
  exit                      leave (or Ctrl-D)
Tab completes command names, argument names and enum values; the up arrow recalls earlier lines.
Events are printed as they arrive.`;

/** A doc text as lines indented by `indent`, its own indentation kept relative. */
function indented(text: string, indent: string): string[] {
  const lines = text.replace(/\s+$/, '').split('\n');
  const margin = Math.min(...lines.slice(1).filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length), Infinity);
  return lines.map((l, i) => `${indent}${i === 0 || margin === Infinity ? l.trim() : l.slice(margin)}`);
}

/** The doc comment that describes a member: the command's or event's for its implicit arguments, else its type's. */
function memberDoc(model: SchemaModel, member: Member): string | undefined {
  const owner = model.lookupType(member.definedIn);
  const role = owner?.kind === 'object' ? owner.role : null;
  const doc: EntityDoc | null | undefined = role?.kind === 'command-arguments' || role?.kind === 'event-data' ? role.owner.doc : owner?.doc;
  const text = doc?.args.find((a) => a.name === member.name)?.text;
  return text === undefined || text.trim() === '' ? undefined : text;
}

const SECTION_TITLES: Record<DocSection['kind'], string | null> = {
  plain: null,
  returns: 'Returns',
  errors: 'Errors',
  since: 'Since',
  todo: 'TODO',
  note: 'Note',
  example: 'Example',
};

function memberLines(model: SchemaModel, members: readonly Member[], documented: boolean): string[] {
  const lines: string[] = [];
  for (const m of members) {
    lines.push(`  ${m.name}: ${typeName(m.type)}${m.optional ? ', optional' : ''}`);
    if (m.type.kind === 'enum') lines.push(`      one of: ${m.type.members.map((v) => v.name).join(', ')}`);
    const doc = documented ? memberDoc(model, m) : undefined;
    if (doc !== undefined) lines.push(...indented(doc, '      '));
  }
  return lines;
}

function argumentLines(model: SchemaModel, args: ObjectType | null, documented: boolean): string[] {
  if (args === null) return ['Arguments: none'];
  const lines = ['Arguments:', ...memberLines(model, args.members, documented)];
  if (args.variants !== null) {
    const tag = args.variants.tagMember.name;
    lines.push(`Further arguments depend on '${tag}': ${args.variants.variants.map((v) => v.name).join(', ')}`);
    lines.push(`  (Tab after ${tag}=VALUE lists them)`);
  }
  return lines;
}

/** The doc comment's text before the members. */
function introLines(doc: EntityDoc | null): string[] {
  return doc === null || doc.comment.body.trim() === '' ? [] : [...indented(doc.comment.body, ''), ''];
}

/** The doc comment's sections after the members (Returns, Errors, Since, notes, examples). */
function sectionLines(doc: EntityDoc | null): string[] {
  const lines: string[] = [];
  for (const section of doc?.sections ?? []) {
    const title = section.name ?? SECTION_TITLES[section.kind];
    lines.push('', ...(title === null ? indented(section.text, '') : [`${title}:`, ...indented(section.text, '  ')]));
  }
  return lines;
}

/** What `help TOPIC` prints. */
export function helpText(schema: CallSchema, topic: string | undefined): string {
  if (topic === undefined) return SHELL_HELP;
  const entity = schema.model.lookupEntity(topic);
  const known = schema.commands.includes(topic) || schema.events.includes(topic);
  if (entity === undefined || !known || (entity.kind !== 'command' && entity.kind !== 'event')) {
    const near = nearMisses(topic, [...schema.commands, ...schema.events]);
    return `help: ${schema.label} has no command or event '${topic}'${near.length > 0 ? ` (did you mean ${near.map((n) => `'${n}'`).join(' or ')}?)` : ''}`;
  }
  const doc = schema.documented ? entity.doc : null;
  const lines = [`${entity.kind} ${topic}`, '', ...introLines(doc), ...argumentLines(schema.model, entity.argType, schema.documented)];
  if (entity.kind === 'command') lines.push(`Returns: ${entity.retType === null ? 'nothing ({})' : typeName(entity.retType)}`);
  lines.push(...sectionLines(doc));
  if (!schema.documented) lines.push('', `(No documentation: ${schema.label} carries none; --schema with the QEMU's qapi-schema.json has it.)`);
  return lines.join('\n');
}
