/**
 * `client.ts`: the command and event maps, and the typed command wrappers —
 * one method per command on a class over any QmpTransport.
 */
import type { MethodDeclarationStructure, OptionalKind } from 'ts-morph';
import type { Command, EnumType, Event } from '../model/types.js';
import { DocBuilder, escapeDocText } from './docs.js';
import { documentedErrors } from './error-docs.js';
import { FileEmitter } from './file-emitter.js';
import { propertyKey, quote } from './names.js';
import type { Plan } from './plan.js';
import { exportedType, type FileStructure, type Statement } from './structures.js';

export interface ClientOptions {
  /** The wire error classes; from the schema's ErrorClass enum when present. */
  readonly errorClasses: readonly string[];
  /** The schema's ErrorClass enum, if it has one. */
  readonly errorClassEnum: EnumType | null;
}

export function emitClientFile(plan: Plan, options: ClientOptions): FileStructure {
  const f = new FileEmitter(plan, 'client');
  const commands = plan.commands();
  const events = plan.events();
  f.importFrom(plan.runtime, 'QmpTransport', true);
  f.importFrom(plan.runtime, 'QmpError', true);
  f.importFrom(plan.runtime, 'CommandRunner', false);
  f.importFrom('./registry.js', 'registry', false);
  f.add(commandMap(f, commands), ...helperTypes(), ...eventMap(f, events), ...errorTypes(f, options));
  f.add({
    tag: 'class',
    structure: {
      name: 'QmpCommands',
      isExported: true,
      extends: 'CommandRunner<Commands>',
      docs: [
        {
          description:
            'Typed wrappers, one method per command.  Arguments are validated before anything is\n' +
            'sent; an invalid call rejects with a QapiValidationError and never reaches QEMU.',
        },
      ],
      ctors: [{ parameters: [{ name: 'transport', type: 'QmpTransport' }], statements: ['super(transport, registry);'] }],
      methods: commands.map((c) => method(f, c, options)),
    },
  });
  return f.finish();
}

function argsText(f: FileEmitter, c: Command): { type: string; optional: boolean } | null {
  if (!c.argType) return null;
  const members = c.argType.members.filter((m) => f.plan.filter.keeps(m));
  const optional = c.argType.variants === null && members.every((m) => m.optional);
  return { type: f.typeText(c.argType), optional };
}

function returnText(f: FileEmitter, c: Command): string {
  return c.retType && c.successResponse ? f.typeText(c.retType) : 'void';
}

function commandMap(f: FileEmitter, commands: readonly Command[]): Statement {
  return {
    tag: 'interface',
    structure: {
      name: 'Commands',
      isExported: true,
      docs: [{ description: 'Every command: its arguments, what it returns, whether it may run out of band.' }],
      properties: commands.map((c) => {
        const args = argsText(f, c);
        const argType = args ? (args.optional ? `${args.type} | undefined` : args.type) : 'undefined';
        return {
          name: propertyKey(c.name),
          type: `{ args: ${argType}; returns: ${returnText(f, c)}; oob: ${c.allowOob} }`,
        };
      }),
    },
  };
}

function helperTypes(): Statement[] {
  return [
    exportedType('CommandName', 'keyof Commands'),
    {
      tag: 'type',
      structure: { name: 'ArgumentsOf', isExported: true, typeParameters: ['K extends CommandName'], type: "Commands[K]['args']" },
    },
    {
      tag: 'type',
      structure: { name: 'ReturnOf', isExported: true, typeParameters: ['K extends CommandName'], type: "Commands[K]['returns']" },
    },
  ];
}

function eventMap(f: FileEmitter, events: readonly Event[]): Statement[] {
  return [
    {
      tag: 'interface',
      structure: {
        name: 'EventData',
        isExported: true,
        docs: [{ description: 'Every event and the type of its data.' }],
        properties: events.map((e) => ({
          name: propertyKey(e.name),
          type: e.argType ? f.typeText(e.argType) : 'undefined',
          docs: new DocBuilder().entity(e.doc, e.ifcond, e.features).build(),
        })),
      },
    },
    // A mapped type, not the interface itself: only an object type alias
    // satisfies the runtime's `EventMap` (Record<string, unknown>).
    exportedType('Events', '{ [K in keyof EventData]: EventData[K] }', 'The event map for `QmpClient<Events>`: handlers get typed data.'),
  ];
}

function errorTypes(f: FileEmitter, options: ClientOptions): Statement[] {
  const wire = options.errorClassEnum ? f.typeText(options.errorClassEnum) : options.errorClasses.map((c) => quote(c)).join(' | ');
  return [
    exportedType('WireErrorClass', wire, 'The error classes QEMU sends (its ErrorClass enum).'),
    exportedType('QmpCommandError', 'QmpError<WireErrorClass>', 'An error reply to a command, as the runtime throws it.'),
  ];
}

function method(f: FileEmitter, c: Command, options: ClientOptions): OptionalKind<MethodDeclarationStructure> {
  const args = argsText(f, c);
  const ret = returnText(f, c);
  const optionsType = f.importFrom(f.plan.runtime, c.allowOob ? 'OobCallOptions' : 'CallOptions', true);
  const parameters = [
    ...(args ? [{ name: 'args', type: args.type, hasQuestionToken: args.optional }] : []),
    { name: 'options', type: optionsType, hasQuestionToken: true },
  ];
  return {
    name: f.plan.methodOf(c),
    docs: methodDoc(f, c, options).build(),
    parameters,
    returnType: `Promise<${ret}>`,
    statements: [`return this.call(${quote(c.name)}, ${args ? 'args' : 'undefined'}, options) as Promise<${ret}>;`],
  };
}

function methodDoc(f: FileEmitter, c: Command, options: ClientOptions): DocBuilder {
  const doc = new DocBuilder().note(`Runs \`${escapeDocText(c.name).replace(/`/g, '')}\`.`);
  doc.entity(c.doc, c.ifcond, c.features);
  for (const m of c.argType?.members ?? []) {
    if (!f.plan.filter.keeps(m)) continue;
    const text = c.doc?.args.find((a) => a.name === m.name)?.text.trim();
    doc.tag('param', `args.${m.name.replace(/[^A-Za-z0-9_-]/g, '_')} - ${text ? escapeDocText(text) : '(undocumented)'}`);
  }
  if (!c.successResponse) doc.note('QEMU sends no reply; the promise resolves once the command is sent.');
  if (c.allowOob) doc.note('May run out of band: pass `{ oob: true }` (needs the `oob` capability).');
  for (const e of documentedErrors(c.doc, new Set(options.errorClasses))) {
    const arrives = e.errorClass === e.documented ? '' : ` (arrives as \`${e.errorClass}\`)`;
    doc.tag('throws', `QmpError \`${e.documented}\`${arrives}: ${escapeDocText(e.condition)}`);
  }
  return doc;
}
